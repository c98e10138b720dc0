"""Importing a unit's surveyed border line (GeoJSON, KML, GPX).

The file comes from outside (a survey team, a hand-held GPS), so it goes through the floor's
hostile-file readers (``core.geo.files``), and every refusal names the file and the feature.
The line is stored as one LineString: chainages (distance along the line) need one line, so
parts that do not join end to end are refused rather than silently bridged.
"""

from __future__ import annotations

from shapely.geometry import MultiLineString
from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.border.geo import access
from bastion.border.geo.models import BorderLine
from bastion.border.geo.shapes import bbox, single_line, to_geojson
from bastion.core.errors import Conflict, Invalid
from bastion.core.geo import line_length_m
from bastion.core.geo.files import GeoFileError, read_features
from bastion.core.i18n import gettext as _
from bastion.core.marking import visible_to
from bastion.org.models import User
from bastion.org.sharing import MarkingIn, apply_marking


def read_line(filename: str, data: bytes):
    """The one line of a GeoJSON/KML/GPX file, or ``Invalid`` naming the file (and feature)."""
    try:
        features = read_features(filename, data)
    except GeoFileError as error:
        raise Invalid(str(error), field="file") from None
    lines = [f.geometry for f in features
             if f.geometry.geom_type in ("LineString", "MultiLineString")]
    if not lines:
        raise Invalid(_("%(file)s has no line (LineString, KML LineString or GPX track)")
                      % {"file": filename}, field="file")
    parts = [part for g in lines for part in getattr(g, "geoms", [g])]
    line = single_line(parts[0] if len(parts) == 1 else MultiLineString(parts))
    if line is None:
        raise Invalid(_("%(file)s: the line has %(n)d parts that do not join end to end; "
                        "import each part as its own line") % {"file": filename, "n": len(parts)},
                      field="file")
    if len(set(line.coords)) < 2:
        raise Invalid(_("%(file)s: the line needs at least two distinct points")
                      % {"file": filename}, field="file")
    name = next((f.name for f in features if f.name), None)
    return line, name


def import_line(session: Session, *, user: User, filename: str, data: bytes,
                marking: MarkingIn, name: str | None = None) -> tuple[BorderLine, bool]:
    """Store a line; ``(line, created)``. The same name with the same geometry again is the
    same line (a retried upload changes nothing); the same name with another geometry is a
    conflict, since markers and segments hang on the line."""
    access.require_write(user)
    line, found_name = read_line(filename, data)
    name = (name or found_name or filename).strip()[:200]
    geometry = to_geojson(line)
    existing = session.scalar(select(BorderLine).where(
        BorderLine.owner_org_id == user.organisation_id, BorderLine.name == name,
        visible_to(BorderLine, user)))
    if existing is not None:
        if _same(existing.geometry, geometry):
            return existing, False
        raise Conflict(_("A line named %(name)s exists with another geometry")
                       % {"name": name}, field="name")
    record = BorderLine(name=name, source=filename[:255], geometry=geometry,
                        length_m=line_length_m(line), owner_org_id=user.organisation_id,
                        created_by_id=user.id, **bbox(line))
    session.add(record)
    session.flush()
    apply_marking(session, record, marking)
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind=record.record_kind,
                 record_id=record.id, summary=f"border line {name} from {filename}")
    return record, True


def _same(a: dict, b: dict) -> bool:
    def rounded(g: dict) -> list:
        return [[round(x, 7) for x in point[:2]] for point in g.get("coordinates", [])]
    return a.get("type") == b.get("type") and rounded(a) == rounded(b)
