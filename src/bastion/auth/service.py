"""Authentication rules: passwords, lockout, rate limit, sessions and API tokens."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.auth.models import AuthToken, TokenKind
from bastion.core import context
from bastion.core.config import Settings
from bastion.core.db import utcnow
from bastion.core.errors import Invalid, NotAuthenticated, TooManyRequests
from bastion.core.i18n import gettext as _
from bastion.core.security import (
    MIN_PASSWORD_LENGTH,
    hash_password,
    new_token,
    token_digest,
    verify_password,
)
from bastion.org.models import User


def authenticate(session: Session, *, settings: Settings, username: str, password: str) -> User:
    """Check a password. Failures are audited; the caller commits even when this raises."""
    now = utcnow()
    client_ip = context.current().client_ip
    if client_ip:
        recent = audit.failed_logins_since(
            session, client_ip=client_ip, since=now - timedelta(minutes=1)
        )
        if recent >= settings.login_rate_per_minute:
            raise TooManyRequests(_("Too many login attempts. Wait a minute and try again."))

    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is not None and user.locked_until and user.locked_until > now:
        verify_password(None, password)  # same cost as a real check
        audit.record(session, action=AuditAction.LOGIN_FAILED, actor=None,
                     actor_name=username[:64], summary="account locked")
        raise NotAuthenticated(_("This account is locked. Try again later or ask an administrator."))

    usable = user is not None and user.active and not user.system and _agency_active(user)
    # Always one argon2 verification (against a dummy hash when there is no usable account),
    # so the response time does not reveal which usernames exist.
    password_ok = verify_password(user.password_hash if usable else None, password)
    if not usable or not password_ok:
        audit.record(session, action=AuditAction.LOGIN_FAILED, actor=None,
                     actor_name=username[:64], summary="bad username or password")
        if usable:
            _count_failure(session, user=user, settings=settings)
        raise NotAuthenticated(_("Wrong username or password."))

    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    audit.record(session, action=AuditAction.LOGIN, actor=user, summary="login")
    return user


def _agency_active(user: User) -> bool:
    """A deactivated agency, or any agency above it, locks out all of its people."""
    agency = user.agency
    while agency is not None:
        if not agency.active:
            return False
        agency = agency.parent
    return True


def _count_failure(session: Session, *, user: User, settings: Settings) -> None:
    # Incremented in the database, not in Python: parallel guesses must all count.
    failures = session.execute(
        update(User).where(User.id == user.id)
        .values(failed_logins=User.failed_logins + 1).returning(User.failed_logins)
    ).scalar_one()
    session.refresh(user, ["failed_logins"])
    if failures >= settings.lockout_failures:
        user.locked_until = utcnow() + timedelta(minutes=settings.lockout_minutes)
        user.failed_logins = 0
        audit.record(session, action=AuditAction.LOCKOUT, actor=None, actor_name=user.username,
                     record_kind="user", record_id=user.id,
                     summary=f"locked for {settings.lockout_minutes} min")


def issue_token(
    session: Session, *, user: User, kind: TokenKind, lifetime: timedelta, label: str | None = None
) -> str:
    token = new_token()
    session.add(AuthToken(digest=token_digest(token), kind=kind, user_id=user.id, label=label,
                          expires_at=utcnow() + lifetime))
    session.flush()
    return token


def resolve_token(session: Session, *, token: str, kind: TokenKind) -> User | None:
    row = session.scalar(select(AuthToken).where(AuthToken.digest == token_digest(token),
                                                 AuthToken.kind == kind))
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        return None
    if not row.user.active or not _agency_active(row.user):
        return None
    return row.user


def revoke_token(session: Session, *, token: str) -> None:
    session.execute(update(AuthToken).where(AuthToken.digest == token_digest(token),
                                            AuthToken.revoked_at.is_(None))
                    .values(revoked_at=utcnow()))


def check_new_password(password: str, *, username: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(_("The password must have at least {n} characters.").format(
            n=MIN_PASSWORD_LENGTH), field="new_password")
    if username.lower() in password.lower():
        raise Invalid(_("The password must not contain the username."), field="new_password")


def revoke_all(session: Session, *, user: User) -> None:
    session.execute(update(AuthToken).where(AuthToken.user_id == user.id,
                                            AuthToken.revoked_at.is_(None))
                    .values(revoked_at=utcnow()))


def change_password(session: Session, *, user: User, current: str, new: str,
                    settings: Settings) -> None:
    """Callers commit even when this raises: a wrong current password counts as a failed
    login (lockout, audit), so a stolen session cannot be used to guess the password."""
    if not verify_password(user.password_hash, current):
        audit.record(session, action=AuditAction.LOGIN_FAILED, actor=user,
                     summary="wrong current password")
        _count_failure(session, user=user, settings=settings)
        raise Invalid(_("The current password is wrong."), field="current_password")
    check_new_password(new, username=user.username)
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    # Other sessions of this user end: a changed password should lock out whoever knew the old.
    revoke_all(session, user=user)
    audit.record(session, action=AuditAction.PASSWORD_CHANGE, actor=user,
                 record_kind="user", record_id=user.id, summary="password changed")
