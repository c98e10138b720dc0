"""Screening pages: watchlists and imports, screening a list of people, the review queue."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from bastion.audit import display  # a hit's context reads as an audit reason does
from bastion.core.bounds import Id
from bastion.core.errors import BastionError
from bastion.screening import (
    labels,  # noqa: F401  (registers the vocabulary)
    service,
)
from bastion.screening.importers import parse_watchlist
from bastion.screening.models import HitStatus
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.forms import error_for, read_upload
from bastion.web.templating import render

router = APIRouter(prefix="/screening", include_in_schema=False)
MAX_UPLOAD = 200 * 2**20


@router.get("", response_class=HTMLResponse)
def watchlists(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return render(request, "screening/lists.html", lists=service.visible_lists(session, user=user))


@router.get("/lists/{list_id}", response_class=HTMLResponse)
def watchlist(request: Request, session: SessionDep, user: CurrentUser, list_id: Id,
              q: str | None = None) -> Response:
    wl = service.get_list(session, user=user, list_id=list_id)
    rows, total = service.list_entries(session, user=user, watchlist=wl, search=q, limit=200)
    return render(request, "screening/list.html", watchlist=wl, rows=rows, total=total, q=q or "")


@router.post("/lists/{list_id}/import", response_class=HTMLResponse)
async def import_page(request: Request, session: SessionDep, user: CurrentUser,
                      list_id: Id) -> Response:
    wl = service.get_list(session, user=user, list_id=list_id)
    form = await request.form()
    upload = form.get("file")
    errors, import_errors, counts, status = {}, [], None, 200
    if not isinstance(upload, UploadFile) or not upload.filename:
        from bastion.core.i18n import gettext as _

        errors, status = {"file": _("Choose a file.")}, 422
    else:
        name, chosen = upload.filename, upload

        def parse_and_import() -> dict:  # in a worker thread: a bomb never blocks the loop
            result = parse_watchlist(read_upload(chosen, MAX_UPLOAD), filename=name)
            return service.import_entries(session, user=user, watchlist=wl, result=result)

        try:
            counts = await run_in_threadpool(parse_and_import)
        except service.ImportRejected as exc:
            session.rollback()
            errors, import_errors, status = error_for(exc), exc.errors, exc.status_code
        except BastionError as exc:
            session.rollback()
            errors, status = error_for(exc), exc.status_code
    rows, total = service.list_entries(session, user=user, watchlist=wl, limit=200)
    return render(request, "screening/list.html", status_code=status,
                  watchlist=wl, rows=rows, total=total, q="", errors=errors,
                  import_errors=import_errors, counts=counts)


@router.post("/lists/{list_id}/entries", response_class=HTMLResponse)
async def add_entry(request: Request, session: SessionDep, user: CurrentUser,
                    list_id: Id) -> Response:
    wl = service.get_list(session, user=user, list_id=list_id)
    form = await request.form()
    fields = {k: str(v).strip() for k, v in form.items() if k != "csrf_token"}
    try:
        service.add_entry(session, user=user, watchlist=wl, fields=fields)
    except BastionError as exc:
        if exc.status_code != 422:
            raise
        session.rollback()
        rows, total = service.list_entries(session, user=user, watchlist=wl, limit=200)
        return render(request, "screening/list.html", status_code=422, watchlist=wl, rows=rows,
                      total=total, q="", errors=error_for(exc), entry=fields)
    return RedirectResponse(f"/screening/lists/{wl.id}", status_code=303)


@router.get("/screen", response_class=HTMLResponse)
def screen_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return render(request, "screening/screen.html", lists=service.visible_lists(session, user=user))


@router.post("/screen", response_class=HTMLResponse)
async def screen(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    from bastion.core.i18n import gettext as _
    from bastion.screening.crewlist import read_people

    form = await request.form()
    upload = form.get("file")
    lists = service.visible_lists(session, user=user)
    people, problems = [], []
    if isinstance(upload, UploadFile) and upload.filename:
        suffix = Path(upload.filename).suffix.lower() or ".csv"
        chosen = upload

        def read() -> tuple[list, list]:  # in a worker thread, like every parse of a file
            with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
                handle.write(read_upload(chosen, MAX_UPLOAD))
                handle.flush()
                return read_people(Path(handle.name))

        people, problems = await run_in_threadpool(read)
    for line in str(form.get("names") or "").splitlines():
        parts = [p.strip() for p in line.replace("，", ",").split(",")]  # full-width comma too
        if parts and parts[0]:
            people.append(service.Person(name=parts[0], dob=(parts[1] if len(parts) > 1 else None)
                                         or None, ref=_("typed")))
    if not people:
        return render(request, "screening/screen.html", status_code=422, lists=lists,
                      problems=problems, errors={"names": _("Give at least one person.")})
    results = service.screen(session, user=user, people=people, lists=lists,
                             context=str(form.get("context") or "web"))
    return render(request, "screening/screen.html", lists=lists, results=results,
                  problems=problems)


@router.get("/hits", response_class=HTMLResponse)
def hits(request: Request, session: SessionDep, user: CurrentUser,
         status: str = "pending") -> Response:
    chosen = HitStatus(status) if status in {s.value for s in HitStatus} else HitStatus.PENDING
    rows, total = service.hits_visible(session, user=user, status=chosen, limit=200)
    return render(request, "screening/hits.html", rows=rows, total=total, status=chosen.value,
                  statuses=list(HitStatus), context_of=display.reason)


@router.post("/hits/{hit_id}/decision")
async def decide(request: Request, session: SessionDep, user: CurrentUser,
                 hit_id: Id) -> Response:
    form = await request.form()
    hit = service.get_hit(session, user=user, hit_id=hit_id)
    try:
        service.decide(session, user=user, hit=hit, confirm=form.get("confirm") == "yes",
                       reason=str(form.get("reason") or ""))
    except BastionError as exc:
        if exc.status_code not in (409, 422):
            raise
        session.rollback()
        rows, total = service.hits_visible(session, user=user, limit=200)
        return render(request, "screening/hits.html", status_code=exc.status_code, rows=rows,
                      total=total, status="pending", statuses=list(HitStatus),
                      errors={f"hit-{hit_id}": exc.message}, context_of=display.reason)
    return RedirectResponse("/screening/hits", status_code=303)
