"""Need-to-know for the foreign-resident registry.

A person is a marked record (GREEN, the registering organisation's by default; police named
when shared) narrowed by village on top of the marking:

- a **village committee** sees the residents of the villages given to it as areas
  (``AreaAssignment`` kind ``village``, set by an administrator) — its own village only;
- a **post** sees the residents of its linked villages (``PostVillage``) and those it is
  responsible for (``Resident.post_agency_id``);
- the **command** and partners (border police, public security) are not narrowed by village.

Personal data: every read of a person's page or record through the API is written to
``RecordRead`` with its purpose (:func:`audited_read`). Invisible is 404, never 403.
"""

from __future__ import annotations

from sqlalchemy import Select, and_, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from bastion.border.geo.models import BorderPost, PostVillage
from bastion.core import events
from bastion.core.errors import Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.core.marking import AreaAssignment, visible_to
from bastion.org import capabilities
from bastion.org.models import AgencyKind, User
from bastion.residents.models import RecordRead, Resident


def in_villages(user: User) -> ColumnElement[bool]:
    kind = user.agency.kind
    if kind == AgencyKind.VILLAGE_COMMITTEE:
        return Resident.village_id.in_(select(AreaAssignment.area_id).where(
            AreaAssignment.agency_id == user.agency_id, AreaAssignment.area_kind == "village"))
    if kind == AgencyKind.JOINT_DEFENCE_POST:
        linked = (select(PostVillage.place_id).join(BorderPost, BorderPost.id == PostVillage.post_id)
                  .where(BorderPost.agency_id == user.agency_id))
        return or_(Resident.village_id.in_(linked), Resident.post_agency_id == user.agency_id)
    return true()


def residents_query(user: User) -> Select[tuple[Resident]]:
    return select(Resident).where(
        or_(Resident.created_by_id == user.id, and_(visible_to(Resident, user),
                                                    in_villages(user))))


def find_resident(session: Session, *, user: User, resident_id: int) -> Resident:
    resident = session.scalar(residents_query(user).where(Resident.id == resident_id))
    if resident is None:
        raise NotFound(_("No such person."))
    return resident


def audited_read(session: Session, *, user: User, resident: Resident, purpose: str,
                 **details: object) -> None:
    """Record that ``user`` read ``resident``'s record and why; a read needs a purpose."""
    purpose = (purpose or "").strip()
    if not purpose:
        raise Invalid(_("Say why you open this person's record."), field="purpose")
    session.add(RecordRead(resident_id=resident.id, user_id=user.id, purpose=purpose[:200],
                           details=dict(details)))


def _may_see(session: Session, user: User, record_id: int) -> bool:
    return capabilities.can(user, "residents.read") and session.scalar(
        residents_query(user).where(Resident.id == record_id)
        .with_only_columns(Resident.id)) is not None


events.register_visibility(Resident.record_kind, _may_see)
