"""Pages of the declarations workspace, the departure and the health declaration."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bastion.clearance import labels  # noqa: F401  (registers the vocabulary)
from bastion.clearance.calls import service as calls
from bastion.clearance.declarations.forms import FORMS
from bastion.clearance.declarations.validate import ONE_ROW
from bastion.clearance.departure import changes as diff
from bastion.clearance.departure import service as departure
from bastion.clearance.health import service as health
from bastion.clearance.workspace import service
from bastion.core.bounds import Id
from bastion.core.errors import BastionError, NotFound
from bastion.core.i18n import gettext as _
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.forms import chosen_file, error_for, read_upload
from bastion.web.templating import render

router = APIRouter(prefix="/clearance", include_in_schema=False)
MAX_UPLOAD = 20 * 2**20
PAGE = 50


def _soft(exc: BastionError) -> bool:
    """Errors a page shows beside the form (bad input, wrong state); others propagate."""
    return exc.status_code in (409, 422)


# --- declared rows ----------------------------------------------------------------------------

@router.get("/{call_id}/declarations/{form}", response_class=HTMLResponse)
def rows_page(request: Request, session: SessionDep, user: CurrentUser, call_id: Id, form: str,
              version: Id | None = None, page: Id = 1) -> Response:
    """The declared rows as a table, a page at a time, and what changed since the version
    before; the agent adds a row here."""
    call = calls.get_call(session, user=user, call_id=call_id)
    return _rows_page(request, session, user, call, form, version, page)


def _rows_page(request, session, user, call, form, version=None, page=1, status_code=200,
               errors=None, problems=None, typed=None) -> Response:
    own = service._own(user, call)
    try:
        declaration = service.get(session, user=user, call=call, form=form, version=version,
                                  purpose="viewed in web UI")
    except NotFound:
        if not (own and version is None and form in FORMS):
            raise
        declaration = None  # nothing declared yet: the agent may start here, row by row
    rows = declaration.rows if declaration else []
    page = max(1, page)
    pages = max(1, -(-len(rows) // PAGE))
    shown = rows[(page - 1) * PAGE: page * PAGE]
    change = service.compare(session, user=user, call=call, form=form,
                             old=declaration.version - 1, new=declaration.version) \
        if declaration and declaration.version > 1 else None
    all_versions = [d for d in service.listing(session, user=user, call=call) if d.form == form]
    columns = [c for c in FORMS[form] if c.in_template]
    return render(request, "clearance/declaration_rows.html", status_code=status_code,
                  call=call, form=form, declaration=declaration, rows=shown, page=page,
                  pages=pages, columns=columns, change=change, versions=all_versions,
                  may_add=own and not (form in ONE_ROW and rows), errors=errors or {},
                  problems=problems or [], typed=typed or {})


@router.post("/{call_id}/declarations/{form}/row", response_class=HTMLResponse)
async def add_row(request: Request, session: SessionDep, user: CurrentUser, call_id: Id,
                  form: str) -> Response:
    call = calls.get_call(session, user=user, call_id=call_id)
    data = {k: str(v) for k, v in (await request.form()).items()
            if k != "csrf_token" and isinstance(v, str)}
    try:
        service.add_row(session, user=user, call=call, form=form, row=data)
    except BastionError as exc:
        if not _soft(exc):
            raise
        session.rollback()
        return _rows_page(request, session, user, call, form, status_code=exc.status_code,
                          errors=error_for(exc), problems=getattr(exc, "errors", []), typed=data)
    return RedirectResponse(f"/clearance/{call.id}/declarations/{form}", status_code=303)


@router.post("/{call_id}/copy-forward", response_class=HTMLResponse)
async def copy_forward(request: Request, session: SessionDep, user: CurrentUser,
                       call_id: Id) -> Response:
    call = calls.get_call(session, user=user, call_id=call_id)
    form = await request.form()
    try:
        source = calls.get_call(session, user=user, call_id=int(str(form.get("source_id") or 0)))
        service.copy_forward(session, user=user, call=call, source=source)
    except (BastionError, ValueError) as exc:
        if isinstance(exc, BastionError) and not _soft(exc) and exc.status_code != 404:
            raise
        session.rollback()
        message = exc.message if isinstance(exc, BastionError) else _("Choose an earlier call.")
        return _call_redirect_error(request, session, user, call, message,
                                    getattr(exc, "errors", []))
    return RedirectResponse(f"/clearance/{call.id}", status_code=303)


def _call_redirect_error(request, session, user, call, message, problems):
    from bastion.clearance.calls.views import _page

    return _page(request, session, user, call, 422, errors={"copy": message}, problems=problems)


# --- departure --------------------------------------------------------------------------------

@router.get("/{call_id}/departure", response_class=HTMLResponse)
def departure_page(request: Request, session: SessionDep, user: CurrentUser,
                   call_id: Id) -> Response:
    call = calls.get_call(session, user=user, call_id=call_id, audited=True,
                          purpose="viewed in web UI")
    return _departure_page(request, session, user, call)


def _departure_page(request, session, user, call, status_code=200, errors=None,
                    problems=None) -> Response:
    summary = departure.summary(session, user=user, call=call)
    return render(request, "clearance/departure.html", status_code=status_code, call=call,
                  d=summary, missing_reasons=diff.MISSING_REASONS,
                  added_reasons=diff.ADDED_REASONS,
                  errors=errors or {}, problems=problems or [])


@router.post("/{call_id}/departure/{step}", response_class=HTMLResponse)
async def departure_step(request: Request, session: SessionDep, user: CurrentUser, call_id: Id,
                         step: str) -> Response:
    """upload (a list file), reason (why a person left or joined), draught, screen."""
    call = calls.get_call(session, user=user, call_id=call_id)
    form = await request.form()
    try:
        if step == "upload":
            upload = chosen_file(form)
            which, name = str(form.get("which") or "crew"), upload.filename

            def parse_and_store() -> None:  # a hostile file never blocks the loop
                departure.upload(session, user=user, call=call, which=which,
                                 data=read_upload(upload, MAX_UPLOAD), filename=name)

            await run_in_threadpool(parse_and_store)
        elif step == "reason":
            departure.mark(session, user=user, call=call,
                           person_key=str(form.get("person_key") or ""),
                           reason=str(form.get("reason") or ""), note=str(form.get("note") or ""))
        elif step == "draught":
            try:
                value = float(str(form.get("draught_m") or ""))
            except ValueError:
                value = -1.0
            departure.set_draught(session, user=user, call=call, draught_m=value)
        elif step == "screen":
            departure.screen(session, call=call, user=user)
        else:
            return Response(status_code=404)
    except BastionError as exc:
        if not _soft(exc):
            raise
        session.rollback()
        return _departure_page(request, session, user, call, status_code=exc.status_code,
                               errors=error_for(exc), problems=getattr(exc, "errors", []))
    return RedirectResponse(f"/clearance/{call.id}/departure", status_code=303)


# --- health -----------------------------------------------------------------------------------

@router.get("/{call_id}/health", response_class=HTMLResponse)
def health_page(request: Request, session: SessionDep, user: CurrentUser,
                call_id: Id) -> Response:
    call = calls.get_call(session, user=user, call_id=call_id)
    return _health_page(request, session, user, call)


def _health_page(request, session, user, call, status_code=200, errors=None,
                 problems=None) -> Response:
    view = health.view(session, user=user, call=call)
    return render(request, "clearance/health.html", status_code=status_code, call=call,
                  h=view, questions=FORMS["health"], ill_columns=FORMS["health_ill"],
                  decisions=health.DECISIONS, may_upload=service._own(user, call),
                  errors=errors or {}, problems=problems or [])


@router.post("/{call_id}/health/{step}", response_class=HTMLResponse)
async def health_step(request: Request, session: SessionDep, user: CurrentUser, call_id: Id,
                      step: str) -> Response:
    call = calls.get_call(session, user=user, call_id=call_id)
    form = await request.form()
    try:
        if step == "upload":
            upload = chosen_file(form)
            which, name = str(form.get("form") or "health"), upload.filename

            def store_health() -> None:
                health.upload(session, user=user, call=call, form=which,
                              data=read_upload(upload, MAX_UPLOAD), filename=name)

            await run_in_threadpool(store_health)
        elif step == "decision":
            health.decide(session, user=user, call=call, decision=str(form.get("decision") or ""),
                          conditions=str(form.get("conditions") or ""))
        else:
            return Response(status_code=404)
    except BastionError as exc:
        if not _soft(exc):
            raise
        session.rollback()
        return _health_page(request, session, user, call, status_code=exc.status_code,
                            errors=error_for(exc), problems=getattr(exc, "errors", []))
    return RedirectResponse(f"/clearance/{call.id}/health", status_code=303)
