"""REST: a hand-held unit's GPX file as a patrol's track (``POST /api/v1/patrols/{id}/gpx``).

``{id}`` is the patrol's number or its client UUID (the field API addresses patrols by the
latter). Capability ``patrols.record`` (403 without it); a patrol the user may not see is a 404.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, UploadFile
from pydantic import BaseModel
from sqlalchemy import select

from bastion.border.patrols import gpx
from bastion.border.patrols.models import Patrol
from bastion.core.errors import NotFound
from bastion.core.geo.files import MAX_BYTES
from bastion.core.i18n import gettext as _
from bastion.core.marking import visible_to
from bastion.org.models import User
from bastion.web.deps import SessionDep, require_capability
from bastion.web.forms import read_upload

router = APIRouter(prefix="/api/v1/patrols", tags=["patrols"])
Recorder = Annotated[User, Depends(require_capability("patrols.record"))]


class RemovedPoint(BaseModel):
    segment: str  # trk[0]/trkseg[1]
    index: int  # the trkpt's index in its segment
    reason: str  # accuracy | time | outlier | speed
    time: float  # Unix seconds, UTC
    lon: float
    lat: float


class SegmentOut(BaseModel):
    where: str
    client_id: str
    points: int
    kept: int
    duplicate: bool


class GpxOut(BaseModel):
    file: str
    converted_from: str | None
    duplicate: bool  # the same file was imported to this patrol before: nothing changed
    chunks_stored: int
    points: int
    kept: int
    removed: list[RemovedPoint]
    segments: list[SegmentOut]


def patrol_for(session, *, user: User, ref: str) -> Patrol:
    """The patrol by number or client UUID, if ``user`` may see it (404 otherwise)."""
    query = select(Patrol).where(visible_to(Patrol, user))
    if ref.isdigit() and len(ref) < 12:
        query = query.where(Patrol.id == int(ref))
    else:
        try:
            query = query.where(Patrol.client_id == str(uuid.UUID(ref)))
        except ValueError:
            raise NotFound(_("No such patrol.")) from None
    patrol = session.scalars(query).first()
    if patrol is None:
        raise NotFound(_("No such patrol."))
    return patrol


@router.post("/{patrol_ref}/gpx", response_model=GpxOut)
def import_gpx(patrol_ref: Annotated[str, Path(max_length=36)], file: UploadFile, session: SessionDep, user: Recorder,
               gcj02: Annotated[bool, Form()] = False) -> GpxOut:
    """One chunk per ``trkseg``; all or nothing; the same file again changes nothing."""
    patrol = patrol_for(session, user=user, ref=patrol_ref)
    data = read_upload(file, MAX_BYTES)
    result = gpx.import_gpx(session, patrol=patrol, user=user, data=data,
                            filename=PurePath(file.filename or "upload.gpx").name[:120],
                            gcj02=gcj02)
    return GpxOut(
        file=result.file, converted_from=result.converted_from, duplicate=result.duplicate,
        chunks_stored=result.chunks_stored,
        points=sum(s.points for s in result.segments),
        kept=sum(s.kept for s in result.segments),
        removed=[RemovedPoint(**r) for s in result.segments for r in s.removed],
        segments=[SegmentOut(where=s.where, client_id=s.client_id, points=s.points, kept=s.kept,
                             duplicate=s.duplicate) for s in result.segments])
