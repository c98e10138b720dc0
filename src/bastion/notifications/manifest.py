"""In-app notifications with acknowledgement: a platform package every domain may notify through."""

from bastion.core.domains import Domain

DOMAIN = Domain(
    name="notifications", package="bastion.notifications", extra={"order": 15},
    routers=("bastion.notifications.views:router", "bastion.notifications.api:router"),
    templates="templates",
    models=("bastion.notifications.models",),
    visibility=("bastion.notifications.service",),
)
