"""Who sees which part of the map: every read goes through here.

Two checks, in this order (CONTRACT.md, need-to-know): the function (``border.map.read``,
403 when the agency kind or role lacks it: a port station, a shipping agent) and the record's
marking (``core.marking.visible_to``: cameras are AMBER so auxiliaries and village committees
do not see them; checkpoints are not named to village committees). A record the user may not
see is missing (404), never forbidden.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from bastion.core.errors import Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.core.marking import MarkedMixin, visible_to
from bastion.org import capabilities
from bastion.org.models import User

READ = "border.map.read"
WRITE = "border.map.write"

M = TypeVar("M", bound=MarkedMixin)


def require_read(user: User) -> None:
    capabilities.require(user, READ)


def require_write(user: User) -> None:
    capabilities.require(user, WRITE)


def can_write(user: User) -> bool:
    return capabilities.can(user, WRITE)


def visible(model: type[M], user: User) -> Select[Any]:
    """The records of ``model`` the user may see (after the capability check)."""
    require_read(user)
    return select(model).where(visible_to(model, user))


def get_visible(session: Session, model: type[M], user: User, record_id: int) -> M:
    record = session.scalar(visible(model, user).where(model.id == record_id))  # type: ignore[attr-defined]
    if record is None:
        raise NotFound(_("This map record does not exist or is not shared with you."))
    return record


def referenced(session: Session, model: type[M], user: User, record_id: int, field: str) -> M:
    """A record a payload names: one the user cannot see is a mistake in that field (422)."""
    record = session.scalar(visible(model, user).where(model.id == record_id))  # type: ignore[attr-defined]
    if record is None:
        raise Invalid(_("No such record: %(id)s") % {"id": record_id}, field=field)
    return record
