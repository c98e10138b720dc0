"""What the phone needs: the field kit (categories with their units, the posts one may report
for) and photos sent by the report's client id (the same bytes twice store one)."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.attachments import service as attachments
from bastion.attachments.models import Attachment
from bastion.core import context
from bastion.core.errors import Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.hazards import access, categories
from bastion.hazards.models import Hazard
from bastion.org import capabilities
from bastion.org.models import Agency, AgencyKind, User


def posts_for(session: Session, user: User) -> list[Agency]:
    """The posts a report may be given to: one's own post; the command's posts; any post for
    a village committee."""
    query = select(Agency).where(Agency.kind == AgencyKind.JOINT_DEFENCE_POST,
                                 Agency.active.is_(True))
    if user.agency.kind == AgencyKind.JOINT_DEFENCE_POST:
        query = query.where(Agency.id == user.agency_id)
    elif user.agency.kind == AgencyKind.JOINT_DEFENCE_COMMAND:
        query = query.where(Agency.root_id == user.organisation_id)
    return list(session.scalars(query.order_by(Agency.code)))


def kit(session: Session, *, user: User) -> dict[str, Any]:
    capabilities.require(user, "hazards.report")
    language = context.current().language
    return {
        "categories": [{"code": c.code, "name": str(_(str(categories.NAMES[c.code]))),
                        "unit": c.unit} for c in categories.all_categories().values()],
        "posts": [{"id": p.id, "name": p.display_name(language)}
                  for p in posts_for(session, user)],
        "own_post": user.agency_id if user.agency.kind == AgencyKind.JOINT_DEFENCE_POST
        else None,
    }


def photo_checked(data: bytes, filename: str, max_bytes: int) -> None:
    """A photo checked before anything is kept: the floor's checks, then an image (422
    naming ``file``)."""
    found = attachments.checked(data, filename, max_bytes)
    if not found.content_type.startswith("image/"):
        raise Invalid(_("This file is not a photo (it is %(type)s).")
                      % {"type": found.content_type}, field="file")


def add_photo(session: Session, *, user: User, client_id: str, filename: str, data: bytes,
              max_bytes: int) -> tuple[Attachment, bool]:
    hazard = session.scalar(access.hazards_query(user).where(Hazard.client_id == client_id))
    if hazard is None:
        raise NotFound(_("No such record."))
    digest = hashlib.sha256(data).hexdigest()
    for stored in attachments.of_records(session, Hazard.record_kind, [hazard.id]).get(
            hazard.id, []):
        if stored.sha256 == digest:
            return stored, False
    photo_checked(data, filename, max_bytes)
    return attachments.add(session, user=user, record_kind=Hazard.record_kind,
                           record_id=hazard.id, filename=filename, data=data,
                           max_bytes=max_bytes), True
