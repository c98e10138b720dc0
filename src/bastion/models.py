"""Imports every domain's models so that the metadata is complete (Alembic, tests)."""

from bastion.audit.models import AuditEntry
from bastion.auth.models import AuthToken
from bastion.clearance.calls.models import CallParticipant, Declaration, PortCall
from bastion.core.db import Base
from bastion.core.events import EventRecord
from bastion.core.marking import RecordShare
from bastion.maritime.alerts.models import VesselAlert
from bastion.maritime.tracks.models import Position, Vessel
from bastion.notices.models import Notice, NoticeAttachment
from bastion.org.models import Agency, User
from bastion.screening.models import Dismissal, ScreeningHit, Watchlist, WatchlistEntry

__all__ = [
    "Agency",
    "AuditEntry",
    "AuthToken",
    "Base",
    "CallParticipant",
    "Declaration",
    "Dismissal",
    "EventRecord",
    "Notice",
    "NoticeAttachment",
    "PortCall",
    "Position",
    "RecordShare",
    "ScreeningHit",
    "User",
    "Vessel",
    "VesselAlert",
    "Watchlist",
    "WatchlistEntry",
]
