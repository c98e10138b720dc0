"""Managing agencies and users. Only administrators call the writing functions (see api)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.auth.service import check_new_password, revoke_all
from bastion.core.errors import Conflict, DatabaseNotReady, Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.core.security import hash_password
from bastion.org.models import Agency, Role, User
from bastion.org.schemas import AgencyCreate, AgencyUpdate, UserCreate, UserUpdate

# --- agencies ---------------------------------------------------------------------------------

def list_agencies(session: Session) -> Sequence[Agency]:
    return session.scalars(select(Agency).order_by(Agency.root_id, Agency.parent_id, Agency.code)).all()


def get_agency(session: Session, *, agency_id: int) -> Agency:
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise NotFound(_("No such agency."))
    return agency


def get_agency_by_code(session: Session, *, code: str) -> Agency | None:
    return session.scalar(select(Agency).where(Agency.code == code))


def _parent(session: Session, parent_id: int | None) -> Agency | None:
    if parent_id is None:
        return None
    parent = session.get(Agency, parent_id)
    if parent is None:
        raise Invalid(_("The parent agency does not exist."), field="parent_id")
    return parent


def create_agency(session: Session, *, actor: User | None, data: AgencyCreate) -> Agency:
    if get_agency_by_code(session, code=data.code):
        raise Conflict(_("An agency with this code exists already."), field="code")
    parent = _parent(session, data.parent_id)
    agency = Agency(code=data.code, name=data.name, name_en=data.name_en, kind=data.kind,
                    parent_id=parent.id if parent else None,
                    root_id=parent.organisation_id if parent else None)
    session.add(agency)
    session.flush()
    audit.record(session, action=AuditAction.CREATE, actor=actor, record_kind="agency",
                 record_id=agency.id, summary=f"agency {agency.code}")
    return agency


def update_agency(session: Session, *, actor: User, agency: Agency, data: AgencyUpdate) -> Agency:
    changes = data.model_dump(exclude_unset=True)
    if "parent_id" in changes and changes["parent_id"] != agency.parent_id:
        # Moving a unit between organisations would silently change who sees its records.
        raise Invalid(_("A unit cannot be moved to another parent; create a new one."),
                      field="parent_id")
    for key, value in changes.items():
        if key != "parent_id":
            setattr(agency, key, value)
    audit.record(session, action=AuditAction.UPDATE, actor=actor, record_kind="agency",
                 record_id=agency.id, summary=f"agency {agency.code}",
                 detail={"fields": sorted(changes)})
    return agency


# --- users ------------------------------------------------------------------------------------

def list_users(session: Session, *, agency_id: int | None = None) -> Sequence[User]:
    query = select(User).order_by(User.username)
    if agency_id is not None:
        query = query.where(User.agency_id == agency_id)
    return session.scalars(query).all()


def get_user(session: Session, *, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such user."))
    return user


def get_user_by_username(session: Session, *, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def create_user(session: Session, *, actor: User | None, data: UserCreate) -> User:
    if get_user_by_username(session, username=data.username):
        raise Conflict(_("This username is taken."), field="username")
    if session.get(Agency, data.agency_id) is None:
        raise Invalid(_("The agency does not exist."), field="agency_id")
    check_new_password(data.password, username=data.username)
    user = User(username=data.username, display_name=data.display_name,
                password_hash=hash_password(data.password), agency_id=data.agency_id,
                role=data.role, language=data.language, timezone=data.timezone)
    session.add(user)
    session.flush()
    session.refresh(user)
    audit.record(session, action=AuditAction.CREATE, actor=actor, record_kind="user",
                 record_id=user.id, summary=f"user {user.username} ({user.role.value})")
    return user


def update_user(session: Session, *, actor: User, user: User, data: UserUpdate) -> User:
    changes = data.model_dump(exclude_unset=True, exclude={"password", "unlock"})
    if "agency_id" in changes and session.get(Agency, changes["agency_id"]) is None:
        raise Invalid(_("The agency does not exist."), field="agency_id")
    if user.id == actor.id and (changes.get("active") is False or
                                ("role" in changes and changes["role"] != user.role)):
        raise Invalid(_("You cannot deactivate yourself or change your own role."), field="role")
    for key, value in changes.items():
        setattr(user, key, value)
    fields = sorted(changes)
    if data.password:
        check_new_password(data.password, username=user.username)
        user.password_hash = hash_password(data.password)
        fields.append("password")
    if data.password or changes.get("active") is False:
        revoke_all(session, user=user)  # a reset or deactivation ends the person's sessions
    if data.unlock:
        user.locked_until = None
        user.failed_logins = 0
        fields.append("unlock")
    if "agency_id" in changes:
        session.flush()
        session.refresh(user)
    audit.record(session, action=AuditAction.UPDATE, actor=actor, record_kind="user",
                 record_id=user.id, summary=f"user {user.username}", detail={"fields": fields})
    return user


def update_preferences(session: Session, *, user: User, language: str | None,
                       timezone: str | None) -> User:
    """A user's own language and time zone (validated like an admin's edit)."""
    data = UserUpdate(language=language or None, timezone=timezone or None)
    user.language = data.language
    user.timezone = data.timezone
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind="user",
                 record_id=user.id, summary=f"user {user.username}",
                 detail={"fields": ["language", "timezone"]})
    return user


# --- installation -----------------------------------------------------------------------------

def count_users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def require_users(session: Session, *, where: str) -> None:
    """Commands and the server need someone to act as; an empty database is a setup step
    still to do, said in one line."""
    if not count_users(session):
        raise DatabaseNotReady(f"the database {where} has no users yet: run `bastion setup` "
                               "(or `bastion demo load` for the demo)")


def set_up(session: Session, *, agency: AgencyCreate, admin_username: str,
           admin_name: str, password: str) -> tuple[Agency, User]:
    """The first organisation and its first administrator, on a database with no users.

    Refused once anyone exists: afterwards administrators manage accounts (web, API, ``bastion
    user``), and a second "first admin" would be a way around them.
    """
    if count_users(session):
        raise Conflict(_("This installation is set up already: it has users. Administrators "
                         "add agencies and users from the web, the API or "
                         "`bastion agency` / `bastion user`."))
    if agency.parent_id is not None:
        raise Invalid(_("The first organisation is a top-level agency."), field="parent_id")
    created = create_agency(session, actor=None, data=agency)
    admin = create_user(session, actor=None, data=UserCreate(
        username=admin_username, display_name=admin_name, agency_id=created.id,
        role=Role.ADMIN, password=password))
    return created, admin
