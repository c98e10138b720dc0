"""Display names for enum values, in the user's language (``{{ value|label }}`` in templates)."""

from __future__ import annotations

import enum

from bastion.audit.models import AuditAction
from bastion.core.i18n import gettext, lazy
from bastion.core.marking import TLP, Distribution
from bastion.org.models import AgencyKind, Role

LABELS: dict[type[enum.Enum], dict[str, str]] = {
    Role: {
        "viewer": lazy("Viewer"),
        "officer": lazy("Officer"),
        "supervisor": lazy("Supervisor"),
        "admin": lazy("Administrator"),
    },
    AgencyKind: {
        "border_inspection": lazy("Border inspection station"),
        "border_inspection_team": lazy("Duty team of a border inspection station"),
        "border_police": lazy("Border police"),
        "army": lazy("Army unit"),
        "public_security": lazy("Public security"),
        "customs": lazy("Customs"),
        "maritime_safety": lazy("Maritime safety"),
        "village_committee": lazy("Village committee"),
        "joint_defence_command": lazy("Joint-defence command"),
        "joint_defence_post": lazy("Joint-defence post"),
        "shipping_agency": lazy("Shipping agency"),
        "other": lazy("Other"),
    },
    TLP: {
        "clear": lazy("TLP:CLEAR — no limit on disclosure"),
        "green": lazy("TLP:GREEN — the community named by the distribution"),
        "amber": lazy("TLP:AMBER — officers of the agencies in the distribution"),
        "amber+strict": lazy("TLP:AMBER+STRICT — officers of my own agency only"),
        "red": lazy("TLP:RED — named people only"),
    },
    Distribution: {
        "own": lazy("My own agency"),
        "named": lazy("Named agencies or people"),
        "all": lazy("All agencies"),
    },
    AuditAction: {
        "login": lazy("Login"),
        "login_failed": lazy("Failed login"),
        "lockout": lazy("Account locked"),
        "logout": lazy("Logout"),
        "password_change": lazy("Password changed"),
        "create": lazy("Created"),
        "update": lazy("Changed"),
        "delete": lazy("Deleted or withdrawn"),
        "read": lazy("Read personal data"),
        "export": lazy("Export"),
    },
}


def label(value: enum.Enum | None) -> str:
    if value is None:
        return ""
    text = LABELS.get(type(value), {}).get(value.value)
    return gettext(text) if text else str(value.value)


# Plain-string vocabularies (not enums), registered by their domains: {namespace: {value: text}}.
VOCABULARIES: dict[str, dict[str, str]] = {}


def register_labels(enum_cls: type[enum.Enum] | None = None, *, namespace: str | None = None,
                    labels: dict[str, str]) -> None:
    if enum_cls is not None:
        LABELS[enum_cls] = labels
    if namespace is not None:  # a domain may add words to a vocabulary in several places
        VOCABULARIES.setdefault(namespace, {}).update(labels)


def term(value: str | None, namespace: str) -> str:
    """``{{ alert.kind|term("alert_kind") }}``: a vocabulary word in the user's language."""
    if value is None:
        return ""
    text = VOCABULARIES.get(namespace, {}).get(value)
    return gettext(text) if text else value


register_labels(namespace="record_kind", labels={
    "notice": lazy("Notice"),
    "notice_attachment": lazy("Notice attachment"),
    "user": lazy("User"),
    "agency": lazy("Agency"),
    "audit_log": lazy("Audit log"),
    "vessel_alert": lazy("Vessel alert"),
})
