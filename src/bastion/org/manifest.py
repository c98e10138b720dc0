"""Agencies, units and users: the platform's organisation domain."""

from bastion.core.domains import Domain

DOMAIN = Domain(
    name="org", package="bastion.org", extra={"order": 10},
    routers=("bastion.org.views:router", "bastion.org.api:router"),
    templates="templates",
    models=("bastion.org.models",),
    labels=("bastion.org.labels",),
)
