"""Defence segments (防控段): the line between two numbered markers, with a chief and a post.

The geometry is cut from the line between the markers' chainages and its length measured
along the line (geodesic), so a segment is exactly the stretch its patrols must cover and the
segments of a line add up to it. The responsible post is a joint-defence post unit.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.border.geo import access
from bastion.border.geo.models import BorderLine, BoundaryMarker, DefenceSegment
from bastion.border.geo.schemas import SegmentCreate
from bastion.border.geo.shapes import Chainage, bbox, to_geojson
from bastion.core.errors import Conflict, Invalid
from bastion.core.geo import line_length_m
from bastion.core.i18n import gettext as _
from bastion.core.marking import visible_to
from bastion.org.models import Agency, AgencyKind, User
from bastion.org.sharing import apply_marking


def line_for(session: Session, *, user: User, line_id: int | None) -> BorderLine:
    """The line named, or the organisation's only line when none is named."""
    if line_id is not None:
        return access.get_visible(session, BorderLine, user, line_id)
    lines = session.scalars(access.visible(BorderLine, user).where(
        BorderLine.owner_org_id == user.organisation_id).limit(2)).all()
    if len(lines) != 1:
        raise Invalid(_("Name the line (line_id): the organisation has %(n)s lines")
                      % {"n": len(lines)}, field="line_id")
    return lines[0]


def check_post(session: Session, *, user: User, agency_id: int | None,
               field: str = "post_agency_id") -> Agency | None:
    """A responsible post is a joint-defence post of the user's own organisation."""
    if agency_id is None:
        return None
    agency = session.get(Agency, agency_id)
    if (agency is None or agency.kind != AgencyKind.JOINT_DEFENCE_POST
            or agency.organisation_id != user.organisation_id):
        raise Invalid(_("Agency %(id)s is not a joint-defence post of your organisation")
                      % {"id": agency_id}, field=field)
    return agency


def _marker(session: Session, user: User, line: BorderLine, number: str,
            field: str) -> BoundaryMarker:
    marker = session.scalar(select(BoundaryMarker).where(
        BoundaryMarker.owner_org_id == user.organisation_id, BoundaryMarker.number == number,
        visible_to(BoundaryMarker, user)))
    if marker is None:
        raise Invalid(_("There is no marker %(number)s") % {"number": number}, field=field)
    if marker.line_id != line.id or marker.chainage_m is None:
        raise Invalid(_("The marker %(number)s is not on the line %(line)s")
                      % {"number": number, "line": line.name}, field=field)
    return marker


def create_segment(session: Session, *, user: User, data: SegmentCreate) -> DefenceSegment:
    access.require_write(user)
    line = line_for(session, user=user, line_id=data.line_id)
    start = _marker(session, user, line, data.from_marker, "from_marker")
    end = _marker(session, user, line, data.to_marker, "to_marker")
    if start.id == end.id:
        raise Invalid(_("A segment runs between two different markers"), field="to_marker")
    check_post(session, user=user, agency_id=data.post_agency_id)
    if session.scalar(select(DefenceSegment.id).where(
            DefenceSegment.owner_org_id == user.organisation_id,
            DefenceSegment.code == data.code)) is not None:
        raise Conflict(_("A segment with code %(code)s exists already") % {"code": data.code},
                       field="code")
    cut = Chainage(line.geometry).cut(start.chainage_m or 0.0, end.chainage_m or 0.0)
    segment = DefenceSegment(
        code=data.code, name=data.name, line_id=line.id, from_marker_id=start.id,
        to_marker_id=end.id, geometry=to_geojson(cut), length_m=line_length_m(cut),
        chief_name=data.chief_name, chief_phone=data.chief_phone,
        post_agency_id=data.post_agency_id, owner_org_id=user.organisation_id,
        created_by_id=user.id, **bbox(cut))
    session.add(segment)
    session.flush()
    apply_marking(session, segment, data)
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind=segment.record_kind,
                 record_id=segment.id, summary=f"segment {data.code} {data.from_marker}-"
                                               f"{data.to_marker}")
    return segment
