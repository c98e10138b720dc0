"""Notice pages: list (live over SSE), detail, create, edit, withdraw, attachments."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from bastion.core.bounds import Id
from bastion.core.errors import BastionError
from bastion.core.marking import TLP, Distribution
from bastion.notices import service
from bastion.notices.schemas import NoticeCreate
from bastion.org import service as org
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.forms import error_for, form_to_dict, read_upload, validate
from bastion.web.templating import render

router = APIRouter(prefix="/notices", include_in_schema=False)


def _form_context(session, user) -> dict:
    return {
        "tlps": list(TLP),
        "distributions": list(Distribution),
        "agencies": [a for a in org.list_agencies(session) if a.parent_id is None],
        "people": [u for u in org.list_users(session) if u.active and not u.system],
    }


@router.get("", response_class=HTMLResponse)
def list_page(request: Request, session: SessionDep, user: CurrentUser,
              fragment: bool = False) -> Response:
    rows, total = service.list_visible(session, user=user, limit=100)
    template = "notices/_rows.html" if fragment else "notices/list.html"
    return render(request, template, notices=rows, total=total)


@router.get("/new", response_class=HTMLResponse)
def new_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    service.require_writer(user)
    return render(request, "notices/form.html", form={"tlp": "amber", "distribution": "own"},
                  **_form_context(session, user))


async def _submitted(request: Request) -> tuple[dict, UploadFile | None]:
    form = await request.form()
    upload = form.get("file")
    data = form_to_dict(form, lists=("agency_ids", "recipient_ids"), flags=("personal",))
    data.pop("file", None)
    return data, upload if isinstance(upload, UploadFile) and upload.filename else None


@router.post("/new", response_class=HTMLResponse)
async def create(request: Request, session: SessionDep, user: CurrentUser,
                 settings: SettingsDep) -> Response:
    data, upload = await _submitted(request)
    payload, errors = validate(NoticeCreate, data)
    limit = request.app.state.settings.max_attachment_mb * 2**20
    status, content = 422, None
    try:
        content = await run_in_threadpool(read_upload, upload, limit) if upload else None
    except BastionError as exc:  # over the size limit: 413, the form shown again with why
        status, errors = exc.status_code, {**(errors or {}), **error_for(exc)}
    if not errors:
        try:
            notice = service.create(session, user=user, data=payload)
            if upload and content is not None:
                await run_in_threadpool(  # the checks open archives: off the event loop
                    lambda: service.add_attachment(
                        session, user=user, notice=notice, filename=upload.filename or "file",
                        data=content, max_bytes=limit))
            return RedirectResponse(f"/notices/{notice.id}", status_code=303)
        except BastionError as exc:
            session.rollback()
            errors = error_for(exc)
    return render(request, "notices/form.html", status_code=status, form=data, errors=errors,
                  **_form_context(session, user))


@router.get("/{notice_id}", response_class=HTMLResponse)
def detail(request: Request, session: SessionDep, user: CurrentUser, notice_id: Id) -> Response:
    notice = service.get(session, user=user, notice_id=notice_id, reason="viewed in web UI")
    public = service.to_public(session, [notice])[0]
    names = {a.id: a for a in org.list_agencies(session)}
    people = {u.id: u for u in org.list_users(session)}
    return render(request, "notices/detail.html", notice=notice, public=public,
                  agencies=names, people=people)


@router.get("/{notice_id}/edit", response_class=HTMLResponse)
def edit_page(request: Request, session: SessionDep, user: CurrentUser,
              notice_id: Id) -> Response:
    notice = service.get(session, user=user, notice_id=notice_id, reason="edit form")
    service.require_editor(user, notice)
    public = service.to_public(session, [notice])[0]
    form = {"title": public.title, "body": public.body, **public.marking.model_dump(mode="json")}
    return render(request, "notices/form.html", form=form, notice=notice,
                  **_form_context(session, user))


@router.post("/{notice_id}/edit", response_class=HTMLResponse)
async def edit(request: Request, session: SessionDep, user: CurrentUser,
               notice_id: Id) -> Response:
    notice = service.get(session, user=user, notice_id=notice_id)
    data, _upload = await _submitted(request)
    payload, errors = validate(NoticeCreate, data)
    if not errors:
        try:
            service.update(session, user=user, notice=notice, data=payload)
            return RedirectResponse(f"/notices/{notice.id}", status_code=303)
        except BastionError as exc:
            session.rollback()
            errors = error_for(exc)
    return render(request, "notices/form.html", status_code=422, form=data, errors=errors,
                  notice=notice, **_form_context(session, user))


@router.post("/{notice_id}/withdraw")
async def withdraw(request: Request, session: SessionDep, user: CurrentUser,
                   notice_id: Id) -> Response:
    form = await request.form()
    reason = form.get("reason")
    notice = service.get(session, user=user, notice_id=notice_id)
    service.withdraw(session, user=user, notice=notice,
                     reason=reason if isinstance(reason, str) and reason else None)
    return RedirectResponse("/notices", status_code=303)
