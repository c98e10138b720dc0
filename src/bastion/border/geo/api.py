"""REST API of the border map (/api/v1/border/...). The services check the function and the
marking; this module only translates HTTP. Files come as multipart with the marking beside
them (tlp, distribution, agency_ids), like a notice's."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Response, UploadFile
from fastapi.responses import Response as RawResponse

from bastion.border.geo import access, convert, qr, service
from bastion.border.geo.models import PlaceKind
from bastion.border.geo.schemas import (
    CheckpointCreate,
    CheckpointPublic,
    LinePublic,
    MarkerImport,
    MarkerPublic,
    PlaceCreate,
    PlacePublic,
    PostCreate,
    PostPublic,
    SegmentCreate,
    SegmentPublic,
)
from bastion.core.bounds import Id
from bastion.core.marking import TLP, Distribution
from bastion.core.pagination import Page, PageDep, fetch, from_rows, paginate
from bastion.org.models import User
from bastion.org.sharing import MarkingIn
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.forms import read_upload

router = APIRouter(prefix="/api/v1/border", tags=["border map"])


def marking_form(tlp: Annotated[TLP, Form()] = TLP.AMBER,
                 distribution: Annotated[Distribution, Form()] = Distribution.OWN,
                 agency_ids: Annotated[list[Id] | None, Form()] = None) -> MarkingIn:
    return MarkingIn(tlp=tlp, distribution=distribution, agency_ids=agency_ids or [])


MarkingForm = Annotated[MarkingIn, Depends(marking_form)]


def _upload(file: UploadFile, settings: Any) -> bytes:
    return read_upload(file, settings.max_attachment_mb * 2**20)


@router.get("/map")
def border_map(session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """Every layer the caller may see (one FeatureCollection each), popup field names in the
    caller's language, and ``bounds`` [west, south, east, north] of the caller's area."""
    return service.map_payload(session, user=user)


@router.get("/lines", response_model=Page[LinePublic])
def list_lines(session: SessionDep, user: CurrentUser, page: PageDep) -> Page[LinePublic]:
    return paginate(session, service.lines_query(user=user), page, convert.line)


@router.post("/lines", response_model=LinePublic, status_code=201)
def import_line(response: Response, file: UploadFile, session: SessionDep, user: CurrentUser,
                settings: SettingsDep, marking: MarkingForm,
                name: Annotated[str | None, Form(max_length=200)] = None) -> LinePublic:
    """A surveyed line as GeoJSON, KML or GPX (by the file's suffix). The same file again
    answers 200 with the stored line."""
    line, created = service.import_line(session, user=user, filename=file.filename or "line",
                                        data=_upload(file, settings), marking=marking, name=name)
    if not created:
        response.status_code = 200
    return convert.line(line)


@router.get("/markers", response_model=Page[MarkerPublic])
def list_markers(session: SessionDep, user: CurrentUser, page: PageDep,
                 line_id: Id | None = None) -> Page[MarkerPublic]:
    return paginate(session, service.markers_query(user=user, line_id=line_id), page,
                    convert.marker)


@router.post("/markers/import", response_model=MarkerImport)
def import_markers(file: UploadFile, session: SessionDep, user: CurrentUser,
                   settings: SettingsDep, marking: MarkingForm,
                   line_id: Annotated[Id | None, Form()] = None) -> MarkerImport:
    """CSV, xlsx or GeoJSON points: all or none; problems by file, sheet, row and column (a
    GeoJSON feature's index and property) in ``errors``."""
    access.require_write(user)
    line = service.line_for(session, user=user, line_id=line_id)
    markers, created = service.import_markers(session, user=user, line=line,
                                              filename=file.filename or "markers.csv",
                                              data=_upload(file, settings), marking=marking)
    return MarkerImport(created=created, unchanged=len(markers) - created,
                        markers=[convert.marker(m) for m in markers])


@router.get("/segments", response_model=Page[SegmentPublic])
def list_segments(session: SessionDep, user: CurrentUser, page: PageDep,
                  post_agency_id: Id | None = None) -> Page[SegmentPublic]:
    rows, total = fetch(session, service.segments_query(user=user, post_agency_id=post_agency_id),
                        page)
    return from_rows(convert.segments(session, rows), total, page)


@router.post("/segments", response_model=SegmentPublic, status_code=201)
def create_segment(data: SegmentCreate, session: SessionDep, user: CurrentUser) -> SegmentPublic:
    return convert.segments(session, [service.create_segment(session, user=user, data=data)])[0]


@router.get("/segments/{segment_id}", response_model=SegmentPublic)
def get_segment(segment_id: Id, session: SessionDep, user: CurrentUser) -> SegmentPublic:
    segment = service.get_segment(session, user=user, segment_id=segment_id)
    return convert.segments(session, [segment])[0]


@router.get("/posts", response_model=Page[PostPublic])
def list_posts(session: SessionDep, user: CurrentUser, page: PageDep) -> Page[PostPublic]:
    rows, total = fetch(session, service.posts_query(user=user), page)
    return from_rows(convert.posts(session, rows), total, page)


@router.post("/posts", response_model=PostPublic, status_code=201)
def save_post(response: Response, data: PostCreate, session: SessionDep,
              user: CurrentUser) -> PostPublic:
    """Create a post's map record, or replace it (200): one per post unit."""
    post, created = service.save_post(session, user=user, data=data)
    if not created:
        response.status_code = 200
    return convert.posts(session, [post])[0]


def _checkpoint(user: User):
    writer = access.can_write(user)
    return lambda c: convert.checkpoint(c, with_token=writer)


@router.get("/checkpoints", response_model=Page[CheckpointPublic])
def list_checkpoints(session: SessionDep, user: CurrentUser, page: PageDep,
                     segment_id: Id | None = None,
                     post_agency_id: Id | None = None) -> Page[CheckpointPublic]:
    query = service.checkpoints_query(user=user, segment_id=segment_id,
                                      post_agency_id=post_agency_id)
    return paginate(session, query, page, _checkpoint(user))


@router.post("/checkpoints", response_model=CheckpointPublic, status_code=201)
def create_checkpoint(data: CheckpointCreate, session: SessionDep,
                      user: CurrentUser) -> CheckpointPublic:
    return _checkpoint(user)(service.create_checkpoint(session, user=user, data=data))


@router.get("/checkpoints/{checkpoint_id}", response_model=CheckpointPublic)
def get_checkpoint(checkpoint_id: Id, session: SessionDep, user: CurrentUser) -> CheckpointPublic:
    return _checkpoint(user)(service.get_checkpoint(session, user=user,
                                                    checkpoint_id=checkpoint_id))


@router.post("/checkpoints/{checkpoint_id}/renew-token", response_model=CheckpointPublic)
def renew_token(checkpoint_id: Id, session: SessionDep, user: CurrentUser) -> CheckpointPublic:
    """A new QR secret: sheets printed before stop working."""
    access.require_write(user)
    checkpoint = service.get_checkpoint(session, user=user, checkpoint_id=checkpoint_id)
    return _checkpoint(user)(service.renew_token(session, user=user, checkpoint=checkpoint))


@router.get("/checkpoints/{checkpoint_id}/qr.svg", response_class=RawResponse)
def checkpoint_qr(checkpoint_id: Id, session: SessionDep, user: CurrentUser) -> RawResponse:
    """The checkpoint's QR code (SVG), for border.map.write users only."""
    access.require_write(user)
    checkpoint = service.get_checkpoint(session, user=user, checkpoint_id=checkpoint_id)
    return RawResponse(qr.svg(service.qr_text(checkpoint)), media_type="image/svg+xml",
                       headers={"Cache-Control": "no-store"})


@router.get("/places", response_model=Page[PlacePublic])
def list_places(session: SessionDep, user: CurrentUser, page: PageDep,
                kind: PlaceKind | None = None) -> Page[PlacePublic]:
    return paginate(session, service.places_query(user=user, kind=kind), page, convert.place)


@router.post("/places", response_model=PlacePublic, status_code=201)
def create_place(data: PlaceCreate, session: SessionDep, user: CurrentUser) -> PlacePublic:
    return convert.place(service.create_place(session, user=user, data=data))
