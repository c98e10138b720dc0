"""Need-to-know for supplies.

The stores are the command's own and its posts'. The command (the organisation's top unit)
sees and moves every store of its organisation; a post sees and moves its own store only.
Nobody outside the organisation sees its stores (army, police, villages and shipping agents
hold no ``supplies.*`` capability at all). Invisible is 404, never 403.
"""

from __future__ import annotations

from sqlalchemy import Select, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from bastion.core import events
from bastion.core.errors import NotFound
from bastion.core.i18n import gettext as _
from bastion.org import capabilities
from bastion.org.models import Agency, AgencyKind, User
from bastion.supplies.models import Movement, Receipt

STORE_KINDS = (AgencyKind.JOINT_DEFENCE_COMMAND, AgencyKind.JOINT_DEFENCE_POST)


def is_command(user: User) -> bool:
    return user.agency_id == user.organisation_id


def stores_query(user: User) -> Select[tuple[Agency]]:
    """The stores the user may see: the organisation's command and posts, or one's own post."""
    query = select(Agency).where(Agency.kind.in_(STORE_KINDS), Agency.active.is_(True))
    if is_command(user):
        org = user.organisation_id
        return query.where(or_(Agency.id == org, Agency.root_id == org)).order_by(
            Agency.parent_id.is_not(None), Agency.code)
    return query.where(Agency.id == user.agency_id)


def stores(session: Session, user: User) -> list[Agency]:
    return list(session.scalars(stores_query(user)))


def find_store(session: Session, *, user: User, agency_id: int, field: str = "agency_id"
               ) -> Agency:
    store = session.scalar(stores_query(user).where(Agency.id == agency_id))
    if store is None:
        raise NotFound(_("No such store."), field=field)
    return store


def in_stores(user: User, *columns: ColumnElement) -> ColumnElement[bool]:
    if is_command(user):
        return true()
    return or_(*(c == user.agency_id for c in columns))


def movements_query(user: User) -> Select[tuple[Movement]]:
    return select(Movement).where(
        Movement.owner_org_id == user.organisation_id,
        in_stores(user, Movement.from_agency_id, Movement.to_agency_id))


def receipts_query(user: User) -> Select[tuple[Receipt]]:
    return select(Receipt).join(Agency, Agency.id == Receipt.agency_id).where(
        or_(Agency.id == user.organisation_id, Agency.root_id == user.organisation_id),
        in_stores(user, Receipt.agency_id))


def find_receipt(session: Session, *, user: User, receipt_id: int) -> Receipt:
    receipt = session.scalar(receipts_query(user).where(Receipt.id == receipt_id))
    if receipt is None:
        raise NotFound(_("No such receipt."))
    return receipt


def _check(query_of, model, capability: str):
    def check(session: Session, user: User, record_id: int) -> bool:
        return capabilities.can(user, capability) and session.scalar(
            query_of(user).where(model.id == record_id).with_only_columns(model.id)) is not None
    return check


events.register_visibility(Movement.record_kind,
                           _check(movements_query, Movement, "supplies.read"))
events.register_visibility(Receipt.record_kind, _check(receipts_query, Receipt, "supplies.read"))
