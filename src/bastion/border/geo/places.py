"""Places on the map (cameras, bridges, piers, barrier posts, villages, crossings): the layers
of the Xishuangbanna border map (LAND-BORDER.md §1.3). Cameras are usually marked AMBER, so
auxiliaries and village committees do not learn where they are."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.border.geo import access
from bastion.border.geo.models import BorderPlace, DefenceSegment
from bastion.border.geo.schemas import PlaceCreate
from bastion.org.models import User
from bastion.org.sharing import apply_marking


def create_place(session: Session, *, user: User, data: PlaceCreate) -> BorderPlace:
    access.require_write(user)
    if data.segment_id is not None:
        access.referenced(session, DefenceSegment, user, data.segment_id, "segment_id")
    place = BorderPlace(kind=data.kind, name=data.name, lon=data.lon, lat=data.lat,
                        segment_id=data.segment_id, properties=dict(data.properties),
                        owner_org_id=user.organisation_id, created_by_id=user.id)
    session.add(place)
    session.flush()
    apply_marking(session, place, data)
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind=place.record_kind,
                 record_id=place.id, summary=f"{data.kind.value} {data.name}")
    return place
