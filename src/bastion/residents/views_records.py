"""The person page's forms for what hangs on a person besides crossings and documents
(``views``): family links, marriages, residence periods, lodging registrations, permits,
employment (added; residence, permits, employment and marriages also edited and ended), the
household, and the photo. Each posts to the registry's services (``persons``), which check
the function (403 without ``residents.write``), need-to-know (404) and what the form names;
a refused form is the person page again, 422 (413 for an oversized photo), with the errors
at their fields in that form and nothing written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from bastion.core.bounds import MAX_ID, Id
from bastion.core.errors import BastionError, Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.residents import persons, service
from bastion.residents.schemas import HouseholdIn
from bastion.residents.views import back_to_person, show_person
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.forms import error_for, form_to_dict, read_upload, validate, wall_clock

router = APIRouter(prefix="/residents", include_in_schema=False)

FORM_PARTS = ("family", "marriages", "residence", "lodgings", "permits", "employment")
REFUSED = (413, 422)


def _part(part: str) -> type[BaseModel]:
    if part not in FORM_PARTS:
        raise NotFound(_("No such record."))
    return persons.PARTS[part][1]


async def _form(request: Request, part: str) -> tuple[dict[str, Any], str]:
    """The submitted values as the schema takes them, and the purpose to go back with."""
    data = form_to_dict(await request.form(), flags=("registered",) if part == "marriages"
                        else ())
    purpose = data.pop("purpose", "") or "registration"
    if part == "lodgings" and "registered_at" in data:
        data["registered_at"] = wall_clock(data["registered_at"])  # the user's wall clock
    return data, purpose


def _refused(session: Session, exc: BastionError) -> dict[str, str]:
    """A refusal the form shows at its field; whatever the service had begun is undone."""
    if exc.status_code not in REFUSED:
        raise exc
    session.rollback()
    return error_for(exc)


def _saved(request: Request, session: Session, user: Any, resident: Any, purpose: str,
           act: Callable[[], object], *, errors: dict[str, str], anchor: str, failed: str,
           form: dict[str, Any]) -> Response:
    """Every form's ending: unless the form already failed, ``act`` and back to the person
    page at ``anchor``; a refusal shows the page again, 422, with the errors in the form
    named ``failed``."""
    if not errors:
        try:
            act()
            return back_to_person(resident.id, purpose, anchor)
        except BastionError as exc:
            errors = _refused(session, exc)
    return show_person(request, session, user, resident.id, purpose, status=422,
                       failed=failed, form=form, errors=errors)


@router.post("/{resident_id:int}/records/{part}", response_class=HTMLResponse)
async def add_record(request: Request, resident_id: Id, part: str, session: SessionDep,
                     user: CurrentUser) -> Response:
    schema = _part(part)
    resident = service.for_writing(session, user=user, resident_id=resident_id)
    data, purpose = await _form(request, part)
    payload, errors = validate(schema, data)
    return _saved(request, session, user, resident, purpose,
                  lambda: persons.add(session, user=user, resident=resident, part=part,
                                      data=payload),
                  errors=errors, anchor=part, failed=part, form=data)


@router.post("/{resident_id:int}/records/{part}/{record_id:int}", response_class=HTMLResponse)
async def change_record(request: Request, resident_id: Id, part: str, record_id: Id,
                        session: SessionDep, user: CurrentUser) -> Response:
    schema = _part(part)
    if part not in persons.ENDS:
        raise NotFound(_("No such record."))
    resident = service.for_writing(session, user=user, resident_id=resident_id)
    data, purpose = await _form(request, part)
    data.pop("record_id", None)
    payload, errors = validate(schema, data)
    return _saved(request, session, user, resident, purpose,
                  lambda: persons.change(session, user=user, resident=resident, part=part,
                                         record_id=record_id, data=payload),
                  errors=errors, anchor=part, failed=f"edit-{part}",
                  form={**data, "record_id": record_id})


@router.post("/{resident_id:int}/records/{part}/{record_id:int}/end",
             response_class=HTMLResponse)
async def end_record(request: Request, resident_id: Id, part: str, record_id: Id,
                     session: SessionDep, user: CurrentUser) -> Response:
    if part not in persons.ENDS:
        raise NotFound(_("No such record."))
    resident = service.for_writing(session, user=user, resident_id=resident_id)
    data, purpose = await _form(request, part)
    field = persons.ENDS[part]
    errors: dict[str, str] = {}
    try:
        on = date.fromisoformat(data.get(field, ""))
    except ValueError:
        errors = {field: _("Enter a date.")}
    return _saved(request, session, user, resident, purpose,
                  lambda: persons.end(session, user=user, resident=resident, part=part,
                                      record_id=record_id, on=on),
                  errors=errors, anchor=part, failed=f"end-{part}-{record_id}", form=data)


@router.post("/{resident_id:int}/household", response_class=HTMLResponse)
async def join_household(request: Request, resident_id: Id, session: SessionDep,
                         user: CurrentUser) -> Response:
    """Put the person in one of the village's households, or in none (an empty choice)."""
    resident = service.for_writing(session, user=user, resident_id=resident_id)
    data, purpose = await _form(request, "household")
    chosen = data.get("household_id", "")
    errors: dict[str, str] = {}
    if chosen and not (chosen.isdigit() and int(chosen) <= MAX_ID):
        errors = {"household_id": _("There is no such household.")}
    return _saved(request, session, user, resident, purpose,
                  lambda: persons.set_household(session, user=user, resident=resident,
                                                household_id=int(chosen) if chosen else None),
                  errors=errors, anchor="household", failed="household", form=data)


@router.post("/{resident_id:int}/household/new", response_class=HTMLResponse)
async def new_household(request: Request, resident_id: Id, session: SessionDep,
                        user: CurrentUser) -> Response:
    resident = service.for_writing(session, user=user, resident_id=resident_id)
    data, purpose = await _form(request, "household")
    payload, errors = validate(HouseholdIn, {k: v for k, v in data.items()
                                             if k in ("code", "address")})
    if not errors and not payload.code:
        errors = {"code": _("This field is required.")}
    return _saved(request, session, user, resident, purpose,
                  lambda: persons.new_household(session, user=user, resident=resident,
                                                data=payload),
                  errors=errors, anchor="household", failed="new-household", form=data)


@router.post("/{resident_id:int}/photo", response_class=HTMLResponse)
async def photo(request: Request, resident_id: Id, session: SessionDep,
                user: CurrentUser) -> Response:
    """The photo, checked as a hostile file (type from the bytes, size, pixels) before it is
    stored; read in a worker thread so a large upload never holds the loop."""
    resident = service.for_writing(session, user=user, resident_id=resident_id)
    form = await request.form()
    purpose = str(form.get("purpose") or "") or "registration"
    upload = form.get("file")
    status, errors = 422, {}
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise Invalid(_("Choose a file."), field="file")
        chosen, name = upload, upload.filename

        def store() -> None:
            data = read_upload(chosen, persons.PHOTO_MAX_BYTES)
            persons.set_photo(session, user=user, resident=resident, filename=name, data=data)

        await run_in_threadpool(store)
        return back_to_person(resident.id, purpose, "photo")
    except BastionError as exc:
        errors, status = _refused(session, exc), exc.status_code
    return show_person(request, session, user, resident.id, purpose, status=status, failed="photo",
                   errors=errors)
