"""Need-to-know for cases and tips, one place.

- **A case** is a marked record: its owning organisation and the agencies named in its
  distribution see it (``core.marking.visible_to``: AMBER by default, so their officers), with
  ``cases.read``; nobody else — not even the agency of the person who opened it when that is
  not the owner. Invisible is 404, never 403.
- **A tip** is its reporter's: they see their own tips and their state (received, acted on),
  nothing of the case. Whoever may see the case may see the tip and its photo.

Registered with the live stream (``core.events.register_visibility``) and with attachments
(evidence hangs on a case; a tip's photo on the tip).
"""

from __future__ import annotations

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session

from bastion.attachments import service as attachments
from bastion.cases.models import Case, Tip
from bastion.core import events
from bastion.core.errors import NotFound
from bastion.core.i18n import gettext as _
from bastion.core.marking import visible_to
from bastion.org import capabilities
from bastion.org.models import User


def cases_query(user: User) -> Select[tuple[Case]]:
    """Every case ``user`` may read; nothing without ``cases.read``."""
    query = select(Case).where(visible_to(Case, user))
    if not capabilities.can(user, "cases.read"):
        query = query.where(Case.id.is_(None))
    return query


def find_case(session: Session, *, user: User, case_id: int) -> Case:
    capabilities.require(user, "cases.read")
    case = session.scalar(cases_query(user).where(Case.id == case_id))
    if case is None:
        raise NotFound(_("No such case."))
    return case


def tips_query(user: User) -> Select[tuple[Tip]]:
    """The tips ``user`` may see: their own, and those whose case they may read."""
    seen_case = exists(cases_query(user).where(Case.id == Tip.case_id)
                       .with_only_columns(Case.id))
    return select(Tip).where(or_(Tip.reporter_id == user.id, seen_case))


def _may_see_case(session: Session, user: User, record_id: int) -> bool:
    return session.scalar(cases_query(user).where(Case.id == record_id)
                          .with_only_columns(Case.id)) is not None


def _may_see_tip(session: Session, user: User, record_id: int) -> bool:
    return session.scalar(tips_query(user).where(Tip.id == record_id)
                          .with_only_columns(Tip.id)) is not None


def _may_attach_case(session: Session, user: User, record_id: int) -> None:
    capabilities.require(user, "cases.write")


def _may_attach_tip(session: Session, user: User, record_id: int) -> None:
    tip = session.get(Tip, record_id)
    if tip is None or tip.reporter_id != user.id:
        raise NotFound(_("No such tip."))


events.register_visibility(Case.record_kind, _may_see_case)
events.register_visibility(Tip.record_kind, _may_see_tip)
attachments.register_owner(Case.record_kind, _may_attach_case)
attachments.register_owner(Tip.record_kind, _may_attach_tip)
