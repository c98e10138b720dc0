"""The append-only audit log of who read or changed what, and why."""

from bastion.core.domains import Domain

DOMAIN = Domain(
    name="audit", package="bastion.audit", extra={"order": 12},
    routers=("bastion.audit.views:router", "bastion.audit.api:router"),
    templates="templates",
    models=("bastion.audit.models",),
    labels=("bastion.audit.labels",),
)
