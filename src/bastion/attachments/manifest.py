"""Attachments for any record: a platform package other domains hang files on."""

from bastion.core.domains import Domain

DOMAIN = Domain(
    name="attachments", package="bastion.attachments", extra={"order": 14},
    routers=("bastion.attachments.api:router",),
    models=("bastion.attachments.models",),
)
