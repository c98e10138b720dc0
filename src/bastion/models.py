"""Imports every domain's models so that the metadata is complete (Alembic, tests)."""

from bastion.attachments.models import Attachment
from bastion.audit.models import AuditEntry
from bastion.auth.models import AuthToken
from bastion.clearance.calls.models import CallParticipant, Declaration, PortCall
from bastion.clearance.green.models import Emergency
from bastion.clearance.rulesets.models import PrecheckRuleSet
from bastion.clearance.terminals.models import InspectionSlot, Terminal
from bastion.core.db import Base
from bastion.core.events import EventRecord
from bastion.core.marking import AreaAssignment, RecordShare
from bastion.maritime.alerts.models import VesselAlert
from bastion.maritime.tracks.models import Position, Vessel
from bastion.notices.models import Notice
from bastion.notifications.models import Notification, NotificationRecipient
from bastion.org.models import Agency, User
from bastion.screening.models import Dismissal, ScreeningHit, Watchlist, WatchlistEntry

__all__ = [
    "Agency",
    "AreaAssignment",
    "Attachment",
    "AuditEntry",
    "AuthToken",
    "Base",
    "CallParticipant",
    "Declaration",
    "Dismissal",
    "Emergency",
    "EventRecord",
    "InspectionSlot",
    "Notice",
    "Notification",
    "NotificationRecipient",
    "PortCall",
    "Position",
    "PrecheckRuleSet",
    "RecordShare",
    "ScreeningHit",
    "Terminal",
    "User",
    "Vessel",
    "VesselAlert",
    "Watchlist",
    "WatchlistEntry",
]
