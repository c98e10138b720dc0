"""Bearer tokens for API clients, and the caller's own account."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from bastion.auth import service
from bastion.auth.models import TokenKind
from bastion.core.errors import BastionError
from bastion.org.schemas import MePublic, UserPublic
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep, bearer_token

router = APIRouter(prefix="/api/v1", tags=["auth"])


class TokenRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)
    label: str | None = Field(default=None, max_length=100)
    hours: int | None = Field(default=None, ge=1, le=24 * 90,
                              description="lifetime asked for; at most the installation's "
                              "BASTION_API_TOKEN_HOURS (the default), which expires_in reports")


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class PasswordChange(BaseModel):
    current_password: str
    new_password: str = Field(min_length=1, max_length=200)


@router.post("/auth/token", response_model=TokenResponse)
def create_token(data: TokenRequest, session: SessionDep, settings: SettingsDep) -> TokenResponse:
    try:
        user = service.authenticate(session, settings=settings, username=data.username,
                                    password=data.password)
    except BastionError:
        session.commit()  # keep the failed attempt and any lockout
        raise
    hours = min(data.hours or settings.api_token_hours, settings.api_token_hours)
    token = service.issue_token(session, user=user, kind=TokenKind.API,
                                lifetime=timedelta(hours=hours), label=data.label)
    return TokenResponse(access_token=token, expires_in=hours * 3600)


@router.post("/auth/logout", status_code=204)
def revoke(request: Request, session: SessionDep, user: CurrentUser) -> None:
    token = bearer_token(request)
    if token:
        service.revoke_token(session, token=token)
    from bastion.audit import service as audit
    from bastion.audit.models import AuditAction

    audit.record(session, action=AuditAction.LOGOUT, actor=user, summary="token revoked")


@router.get("/me", response_model=MePublic)
def me(user: CurrentUser) -> MePublic:
    from bastion.org import capabilities

    return MePublic.model_validate({**UserPublic.model_validate(user).model_dump(),
                                    "agency_kind": user.agency.kind.value,
                                    "capabilities": capabilities.of(user)})


@router.post("/me/password", status_code=204)
def change_password(data: PasswordChange, session: SessionDep, user: CurrentUser,
                    settings: SettingsDep) -> None:
    try:
        service.change_password(session, user=user, current=data.current_password,
                                new=data.new_password, settings=settings)
    except BastionError:
        session.commit()  # keep the counted failure and its audit entry
        raise
