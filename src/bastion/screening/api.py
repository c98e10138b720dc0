"""REST API: watchlists, imports, screening and the review of hits."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, UploadFile
from fastapi.responses import Response

from bastion.core.bounds import Id
from bastion.core.pagination import Page, PageDep, PageParams, from_rows, page_params, paginate
from bastion.screening import service
from bastion.screening.importers import parse_watchlist, template
from bastion.screening.models import HitStatus
from bastion.screening.schemas import (
    Decision,
    EntryIn,
    EntryPage,
    EntryPublic,
    HitPage,
    HitPublic,
    ImportSummary,
    PersonOutcome,
    ScreenRequest,
    VesselCheck,
    WatchlistCreate,
    WatchlistPublic,
)
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.forms import read_upload

router = APIRouter(prefix="/api/v1", tags=["screening"])
MAX_IMPORT_BYTES = 200 * 2**20
HitPageParams = Annotated[PageParams, Depends(page_params(default=100, maximum=500))]
EntryPageParams = Annotated[PageParams, Depends(page_params(default=100, maximum=1000))]


@router.get("/watchlists", response_model=Page[WatchlistPublic])
def list_watchlists(session: SessionDep, user: CurrentUser,
                    page: PageDep) -> Page[WatchlistPublic]:
    return paginate(session, service.visible_lists_query(user=user), page,
                    WatchlistPublic.model_validate)


@router.post("/watchlists", response_model=WatchlistPublic, status_code=201)
def create_watchlist(data: WatchlistCreate, session: SessionDep,
                     user: CurrentUser) -> WatchlistPublic:
    marking = data.model_dump(include={"tlp", "distribution", "agency_ids", "recipient_ids",
                                       "personal"})
    from bastion.org.sharing import MarkingIn

    return WatchlistPublic.model_validate(service.create_list(
        session, user=user, name=data.name, source=data.source, description=data.description,
        marking=MarkingIn(**marking)))


@router.get("/watchlists/template.{fmt}")
def download_template(fmt: str, user: CurrentUser, language: str = "en") -> Response:
    if fmt not in ("csv", "xlsx"):
        from bastion.core.errors import NotFound

        raise NotFound("")
    media = "text/csv" if fmt == "csv" else (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return Response(template(fmt, "zh-CN" if language == "zh-CN" else "en"), media_type=media,
                    headers={"content-disposition": f"attachment; filename=watchlist-template.{fmt}"})


@router.get("/watchlists/{list_id}/entries", response_model=EntryPage)
def list_entries(list_id: Id, session: SessionDep, user: CurrentUser, page: EntryPageParams,
                 q: str | None = None) -> EntryPage:
    watchlist = service.get_list(session, user=user, list_id=list_id)
    rows, total = service.list_entries(session, user=user, watchlist=watchlist, search=q,
                                       limit=page.limit, offset=page.offset)
    return from_rows(rows, total, page, EntryPublic.model_validate)


@router.post("/watchlists/{list_id}/entries", response_model=EntryPublic, status_code=201)
def add_entry(list_id: Id, data: EntryIn, session: SessionDep, user: CurrentUser) -> EntryPublic:
    """Add (or, with an existing source id, replace) one entry; checked like an import row."""
    watchlist = service.get_list(session, user=user, list_id=list_id)
    return EntryPublic.model_validate(service.add_entry(session, user=user, watchlist=watchlist,
                                                        fields=data.model_dump()))


@router.post("/screen/vessel", response_model=list[EntryPublic])
def screen_vessel(data: VesselCheck, session: SessionDep, user: CurrentUser) -> list[EntryPublic]:
    return [EntryPublic.model_validate(e) for e in service.screen_vessel(
        session, user=user, imo=data.imo, mmsi=data.mmsi, name=data.name)]


@router.post("/watchlists/{list_id}/import", response_model=ImportSummary)
def import_file(list_id: Id, file: UploadFile, session: SessionDep,
                user: CurrentUser) -> ImportSummary:
    """All rows or none. On errors: 422 with ``errors`` naming file, sheet, row, column, code.
    Sync, so the file is parsed in a worker thread; over the size limit is a 413."""
    data = read_upload(file, MAX_IMPORT_BYTES)
    watchlist = service.get_list(session, user=user, list_id=list_id)
    result = parse_watchlist(data, filename=file.filename or "upload")
    counts = service.import_entries(session, user=user, watchlist=watchlist, result=result)
    return ImportSummary(**counts, skipped=dict(result.skipped))


@router.post("/screen", response_model=list[PersonOutcome])
def screen(data: ScreenRequest, session: SessionDep, user: CurrentUser) -> list[PersonOutcome]:
    lists = None
    if data.list_ids is not None:
        lists = [service.get_list(session, user=user, list_id=i) for i in data.list_ids]
    people = [service.Person(**p.model_dump()) for p in data.people]
    results = service.screen(session, user=user, people=people, lists=lists, context=data.context)
    return [PersonOutcome(ref=r.person.ref, name=r.person.name, outcome=r.outcome,
                          hits=[HitPublic.model_validate(h) for h in r.hits]) for r in results]


@router.get("/screening/hits", response_model=HitPage)
def hits(session: SessionDep, user: CurrentUser, page: HitPageParams,
         status: HitStatus | None = HitStatus.PENDING) -> HitPage:
    rows, total = service.hits_visible(session, user=user, status=status, limit=page.limit,
                                       offset=page.offset)
    return from_rows(rows, total, page, HitPublic.model_validate)


@router.post("/screening/hits/{hit_id}/decision", response_model=HitPublic)
def decide(hit_id: Id, data: Decision, session: SessionDep, user: CurrentUser) -> HitPublic:
    hit = service.get_hit(session, user=user, hit_id=hit_id)
    return HitPublic.model_validate(service.decide(session, user=user, hit=hit,
                                                   confirm=data.confirm, reason=data.reason))
