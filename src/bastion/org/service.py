"""Managing agencies and users. Only administrators call the writing functions (see api)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, and_, func, or_, select
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

def agencies_query() -> Select[tuple[Agency]]:
    # id last: a total order, so pages neither repeat nor skip a row.
    return select(Agency).order_by(Agency.root_id, Agency.parent_id, Agency.code, Agency.id)


def list_agencies(session: Session) -> Sequence[Agency]:
    return session.scalars(agencies_query()).all()


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

def users_query(*, agency_id: int | None = None) -> Select[tuple[User]]:
    query = select(User).order_by(User.username)
    if agency_id is not None:
        query = query.where(User.agency_id == agency_id)
    return query


def list_users(session: Session, *, agency_id: int | None = None) -> Sequence[User]:
    return session.scalars(users_query(agency_id=agency_id)).all()


def areas_of(session: Session, *, agency: Agency) -> list[tuple[str, int]]:
    from bastion.core.marking import AreaAssignment

    return [(a.area_kind, a.area_id) for a in session.scalars(
        select(AreaAssignment).where(AreaAssignment.agency_id == agency.id)
        .order_by(AreaAssignment.area_kind, AreaAssignment.area_id))]


def set_areas(session: Session, *, actor: User | None, agency: Agency,
              areas: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Replace the areas a unit answers for (a post's segments, a committee's village)."""
    from sqlalchemy import delete

    from bastion.core.marking import AreaAssignment

    session.execute(delete(AreaAssignment).where(AreaAssignment.agency_id == agency.id))
    for kind, area_id in sorted(set(areas)):
        session.add(AreaAssignment(agency_id=agency.id, area_kind=kind, area_id=area_id))
    session.flush()
    audit.record(session, action=AuditAction.UPDATE, actor=actor, record_kind="agency",
                 record_id=agency.id, summary=f"agency {agency.id}: areas",
                 detail={"areas": [f"{k}:{i}" for k, i in sorted(set(areas))]})
    return areas_of(session, agency=agency)


def system_account(session: Session, *, agency: Agency, username: str, display_name: str,
                   role: Role = Role.VIEWER, active: bool = True) -> User:
    """The non-login account machine work runs as, created on first use. It has a random
    password nobody knows, and logins refuse it whatever the password."""
    from bastion.core.security import new_token

    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username, display_name=display_name, agency_id=agency.id,
                    role=role, active=active, system=True,
                    password_hash=hash_password(new_token()))
        session.add(user)
        session.flush()
    return user


def holders_of(session: Session, *, capability: str) -> Sequence[User]:
    """Active users whose agency kind and role give them a capability (for pickers)."""
    from bastion.org import capabilities

    clauses = [and_(Agency.kind == kind, User.role.in_([r for r in Role if r.at_least(lowest)]))
               for kind, lowest in capabilities.holders(capability)]
    if not clauses:
        return []
    return session.scalars(select(User).join(Agency, User.agency_id == Agency.id)
                           .where(User.active, User.system.is_(False), Agency.active,
                                  or_(*clauses))
                           .order_by(User.display_name)).all()


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
