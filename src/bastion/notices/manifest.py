"""Notices shared between agencies under TLP markings."""

from bastion.core.domains import Domain

DOMAIN = Domain(
    name="notices", package="bastion.notices", extra={"order": 13},
    routers=("bastion.notices.views:router", "bastion.notices.api:router"),
    templates="templates",
    models=("bastion.notices.models",),
    labels=("bastion.notices.labels",),
    visibility=("bastion.notices.service",),
)
