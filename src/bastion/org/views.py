"""Administration pages for agencies and users."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bastion.core.bounds import Id
from bastion.core.errors import BastionError
from bastion.org import service
from bastion.org.models import AgencyKind, Role
from bastion.org.schemas import AgencyCreate, AgencyUpdate, UserCreate, UserUpdate
from bastion.web.deps import AdminUser, SessionDep
from bastion.web.forms import error_for, form_to_dict, validate
from bastion.web.templating import render

router = APIRouter(prefix="/admin", include_in_schema=False)


def _agency_context(session) -> dict:
    return {"kinds": list(AgencyKind), "agencies": service.list_agencies(session)}


def _user_context(session) -> dict:
    return {"roles": list(Role), "agencies": service.list_agencies(session)}


@router.get("", response_class=HTMLResponse)
def admin_home(user: AdminUser) -> Response:
    return RedirectResponse("/admin/agencies", status_code=303)


@router.get("/capabilities", response_class=HTMLResponse)
def capabilities_page(request: Request, user: AdminUser) -> Response:
    from bastion.org import capabilities

    return render(request, "admin/capabilities.html", kinds=list(AgencyKind),
                  rows=capabilities.matrix())


@router.get("/agencies", response_class=HTMLResponse)
def agencies(request: Request, session: SessionDep, user: AdminUser) -> Response:
    return render(request, "admin/agencies.html", **_agency_context(session))


@router.get("/agencies/new", response_class=HTMLResponse)
def new_agency(request: Request, session: SessionDep, user: AdminUser) -> Response:
    return render(request, "admin/agency_form.html", form={}, **_agency_context(session))


@router.post("/agencies/new", response_class=HTMLResponse)
async def create_agency(request: Request, session: SessionDep, user: AdminUser) -> Response:
    data = form_to_dict(await request.form())
    payload, errors = validate(AgencyCreate, data)
    if not errors:
        try:
            service.create_agency(session, actor=user, data=payload)
            return RedirectResponse("/admin/agencies", status_code=303)
        except BastionError as exc:
            session.rollback()
            errors = error_for(exc)
    return render(request, "admin/agency_form.html", status_code=422, form=data, errors=errors,
                  **_agency_context(session))


@router.get("/agencies/{agency_id}", response_class=HTMLResponse)
def edit_agency_page(request: Request, session: SessionDep, user: AdminUser,
                     agency_id: Id) -> Response:
    agency = service.get_agency(session, agency_id=agency_id)
    form = {"code": agency.code, "name": agency.name, "name_en": agency.name_en or "",
            "kind": agency.kind.value, "parent_id": agency.parent_id, "active": agency.active}
    return render(request, "admin/agency_form.html", form=form, agency=agency,
                  **_agency_context(session))


@router.post("/agencies/{agency_id}", response_class=HTMLResponse)
async def edit_agency(request: Request, session: SessionDep, user: AdminUser,
                      agency_id: Id) -> Response:
    agency = service.get_agency(session, agency_id=agency_id)
    data = form_to_dict(await request.form(), flags=("active",))
    data.pop("code", None)
    data.setdefault("parent_id", None)
    payload, errors = validate(AgencyUpdate, data)
    if not errors:
        try:
            service.update_agency(session, actor=user, agency=agency, data=payload)
            return RedirectResponse("/admin/agencies", status_code=303)
        except BastionError as exc:
            session.rollback()
            errors = error_for(exc)
    return render(request, "admin/agency_form.html", status_code=422, agency=agency,
                  form={**data, "code": agency.code}, errors=errors, **_agency_context(session))


@router.get("/users", response_class=HTMLResponse)
def users(request: Request, session: SessionDep, user: AdminUser) -> Response:
    return render(request, "admin/users.html", users=service.list_users(session),
                  **_user_context(session))


@router.get("/users/new", response_class=HTMLResponse)
def new_user(request: Request, session: SessionDep, user: AdminUser) -> Response:
    return render(request, "admin/user_form.html", form={"role": "officer"},
                  **_user_context(session))


@router.post("/users/new", response_class=HTMLResponse)
async def create_user(request: Request, session: SessionDep, user: AdminUser) -> Response:
    data = form_to_dict(await request.form())
    payload, errors = validate(UserCreate, data)
    if not errors:
        try:
            service.create_user(session, actor=user, data=payload)
            return RedirectResponse("/admin/users", status_code=303)
        except BastionError as exc:
            session.rollback()
            errors = error_for(exc)
    data.pop("password", None)
    return render(request, "admin/user_form.html", status_code=422, form=data, errors=errors,
                  **_user_context(session))


@router.get("/users/{user_id}", response_class=HTMLResponse)
def edit_user_page(request: Request, session: SessionDep, user: AdminUser,
                   user_id: Id) -> Response:
    target = service.get_user(session, user_id=user_id)
    form = {"username": target.username, "display_name": target.display_name,
            "agency_id": target.agency_id, "role": target.role.value,
            "language": target.language or "", "timezone": target.timezone or "",
            "active": target.active}
    return render(request, "admin/user_form.html", form=form, target=target,
                  **_user_context(session))


@router.post("/users/{user_id}", response_class=HTMLResponse)
async def edit_user(request: Request, session: SessionDep, user: AdminUser,
                    user_id: Id) -> Response:
    target = service.get_user(session, user_id=user_id)
    data = form_to_dict(await request.form(), flags=("active", "unlock"))
    data.pop("username", None)
    for optional in ("language", "timezone"):
        data.setdefault(optional, None)
    payload, errors = validate(UserUpdate, data)
    if not errors:
        try:
            service.update_user(session, actor=user, user=target, data=payload)
            return RedirectResponse("/admin/users", status_code=303)
        except BastionError as exc:
            session.rollback()
            errors = error_for(exc)
    data.pop("password", None)
    return render(request, "admin/user_form.html", status_code=422, target=target,
                  form={**data, "username": target.username}, errors=errors,
                  **_user_context(session))
