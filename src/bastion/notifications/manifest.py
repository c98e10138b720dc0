"""In-app notifications with acknowledgement: a platform package every domain may notify through.
E-mail and text messages go out after commit through an outbox; notifications nobody
acknowledged in time are reminded and escalated."""

from bastion.core.domains import Domain, Job

DOMAIN = Domain(
    name="notifications", package="bastion.notifications", extra={"order": 15},
    routers=("bastion.notifications.views:router", "bastion.notifications.api:router"),
    templates="templates",
    settings=("notifications", "bastion.notifications.settings:NotificationSettings"),
    models=("bastion.notifications.models",),
    visibility=("bastion.notifications.service",),
    jobs=(Job("notification-outbox", "bastion.notifications.outbox:deliver",
              "notifications.outbox_every_s"),
          Job("notification-deadlines", "bastion.notifications.watch:check",
              "notifications.watch_every_s")),
)
