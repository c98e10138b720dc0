"""Logins, sessions and API tokens."""

from bastion.core.domains import Domain

DOMAIN = Domain(
    name="auth", package="bastion.auth", extra={"order": 11},
    routers=("bastion.auth.api:router",),
    models=("bastion.auth.models",),
)
