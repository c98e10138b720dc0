"""Words of the audit log in the user's language."""

from bastion.audit.models import AuditAction
from bastion.core.i18n import lazy
from bastion.core.labels import register_labels

register_labels(AuditAction, labels={
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
})
register_labels(namespace="record_kind", labels={
    "audit_log": lazy("Audit log"),
    # Screening writes these to the log without registering a word for them (yet): the log's
    # page names them here so that no reader sees a bare code.
    "watchlist": lazy("Watchlist"),
    "screening_hit": lazy("Screening hit"),
})
