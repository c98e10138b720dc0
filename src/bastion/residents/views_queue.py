"""The flag queue page (``/residents/queue``) for posts: the flags of the persons the user may
see with their rule, article and why in the user's language; decide one (in hand, confirmed,
dismissed, with the outcome) or send a home visit (走访核实) from it. And the import page
(``/residents/import``): the workbook template to download, a workbook to upload (all rows or
none, problems by sheet, row and column)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from bastion.core import context
from bastion.core.bounds import Id
from bastion.core.errors import BastionError
from bastion.core.i18n import lazy
from bastion.core.labels import register_labels
from bastion.core.pagination import count
from bastion.org import capabilities
from bastion.org.models import User
from bastion.residents.flags import rules, service
from bastion.residents.flags.api import DecideIn, VisitIn
from bastion.residents.flags.models import FlagStatus
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.forms import error_for, form_to_dict, validate
from bastion.web.templating import render

router = APIRouter(prefix="/residents", include_in_schema=False)
SHOWN = 200
FILTERS = {"waiting": (FlagStatus.OPEN, FlagStatus.IN_HAND),
           "decided": (FlagStatus.CONFIRMED, FlagStatus.DISMISSED),
           "cleared": (FlagStatus.CLEARED,), "all": ()}

register_labels(FlagStatus, labels={
    "open": lazy("Open"), "in_hand": lazy("In hand"), "confirmed": lazy("Confirmed"),
    "dismissed": lazy("Dismissed"), "cleared": lazy("Cleared")})


def _items(session: Session, user: User, show: str, kind: str | None) -> tuple[list, int]:
    language = context.current().language
    query = service.queue_query(user, status=FILTERS.get(show, FILTERS["waiting"]) or None,
                                kind=kind if kind in rules.KINDS else None)
    rows = session.execute(query.limit(SHOWN)).all()
    items = [{"flag": row, "person": person, "label": rules.label(row.kind),
              "article": rules.article_for(row.kind, row.article, language),
              "why": rules.render_why(row.why)} for row, person in rows]
    return items, count(session, query)


def _page(request: Request, session: Session, user: User, *, status: int = 200,
          errors: dict[str, str] | None = None, failed: int | None = None) -> Response:
    show = request.query_params.get("show", "waiting")
    kind = request.query_params.get("kind") or None
    items, total = _items(session, user, show, kind)
    return render(request, "residents/queue.html", status_code=status, items=items, total=total,
                  shown=SHOWN, show=show if show in FILTERS else "waiting", kind=kind,
                  kinds=[(k, rules.label(k)) for k in rules.KINDS],
                  can_visit=capabilities.can(user, "residents.visits")
                  or capabilities.can(user, "residents.flags"),
                  form_errors=errors or {}, failed=failed,
                  focus=request.query_params.get("flag"))


@router.get("/queue", response_class=HTMLResponse)
def queue(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return _page(request, session, user)


@router.post("/queue/{flag_id}/decide", response_class=HTMLResponse)
async def decide(flag_id: Id, request: Request, session: SessionDep,
                 user: CurrentUser) -> Response:
    data = form_to_dict(await request.form())
    payload, errors = validate(DecideIn, data)
    if not errors:
        try:
            service.decide(session, user=user, flag_id=flag_id,
                           status=FlagStatus(payload.status), outcome=payload.outcome)
            return RedirectResponse(f"/residents/queue?flag={flag_id}", status_code=303)
        except BastionError as exc:
            if exc.status_code != 422:
                raise
            errors = error_for(exc)
    return _page(request, session, user, status=422, errors=errors, failed=flag_id)


@router.post("/queue/{flag_id}/visit", response_class=HTMLResponse)
async def visit(flag_id: Id, request: Request, session: SessionDep,
                user: CurrentUser) -> Response:
    data: dict[str, Any] = form_to_dict(await request.form())
    payload, errors = validate(VisitIn, data)
    if not errors:
        try:
            service.visit(session, user=user, flag_id=flag_id, due=payload.due,
                          reason=payload.reason)
            return RedirectResponse(f"/residents/queue?flag={flag_id}", status_code=303)
        except BastionError as exc:
            if exc.status_code != 422:
                raise
            errors = error_for(exc)
    return _page(request, session, user, status=422, errors=errors, failed=flag_id)


# --- import ---------------------------------------------------------------------------------

MAX_UPLOAD = 20 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/import", response_class=HTMLResponse)
def import_page(request: Request, user: CurrentUser) -> Response:
    capabilities.require(user, "residents.import")
    return render(request, "residents/import.html")


@router.get("/import/template.xlsx")
def import_template(user: CurrentUser) -> Response:
    from bastion.residents.imports.template import workbook

    capabilities.require(user, "residents.import")
    return Response(workbook(), media_type=XLSX, headers={
        "content-disposition": 'attachment; filename="residents-template.xlsx"'})


@router.post("/import", response_class=HTMLResponse)
async def import_upload(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    from bastion.core.i18n import gettext as _
    from bastion.core.tabular import Problems
    from bastion.residents.imports import store
    from bastion.web.forms import read_upload

    capabilities.require(user, "residents.import")
    form = await request.form()
    upload, amber = form.get("file"), form.get("amber") == "on"
    if not isinstance(upload, UploadFile) or not upload.filename:
        return render(request, "residents/import.html", status_code=422,
                      form_errors={"file": _("Choose a file.")})
    name, chosen = upload.filename, upload

    def run() -> dict[str, Any]:  # in a worker thread: a hostile file never blocks the loop
        return store.import_bytes(session, user=user, data=read_upload(chosen, MAX_UPLOAD),
                                  filename=name, amber=amber)

    try:
        counts = await run_in_threadpool(run)
    except Problems as exc:
        session.rollback()
        return render(request, "residents/import.html", status_code=422,
                      import_errors=exc.errors, form_errors={"file": exc.message})
    except BastionError as exc:
        if exc.status_code not in (413, 422):
            raise
        session.rollback()
        return render(request, "residents/import.html", status_code=exc.status_code,
                      form_errors=error_for(exc))
    return render(request, "residents/import.html", counts=counts)
