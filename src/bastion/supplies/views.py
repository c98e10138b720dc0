"""Pages of supplies: the stock (per store, value by category and store in a chart, low-stock
warnings, tracked assets, the kit issue), the movements (with the issue/return form), the
receipts (totals by project, funder and category in a chart, the receipt import) and the
catalogue (items, thresholds, the catalogue import). Capabilities and need-to-know are the
services' (403, 404)."""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.core import context
from bastion.core.bounds import Id
from bastion.core.errors import BastionError, Invalid
from bastion.core.i18n import gettext as _
from bastion.core.labels import label
from bastion.core.pagination import PageParams, fetch
from bastion.core.tabular import Problems
from bastion.org import capabilities
from bastion.org.models import Agency, User
from bastion.supplies import access, catalogue, lowstock, receipts, requests, service
from bastion.supplies.models import Category, Condition, Item, MovementKind
from bastion.supplies.schemas import (
    ConditionIn,
    DecisionIn,
    ItemIn,
    KitIssueIn,
    MovementIn,
    RequestIn,
    ThresholdIn,
)
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.forms import chosen_file, error_for, form_to_dict, read_upload, validate
from bastion.web.templating import render

router = APIRouter(prefix="/supplies", include_in_schema=False)
PER_PAGE = 50
MAX_UPLOAD = 5 * 1024 * 1024


def _language() -> str:
    return context.current().language


def _int(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if number > 0 else None


def _common(session: Session, user: User) -> dict[str, Any]:
    stores = access.stores(session, user)
    return {"stores": stores, "store_names": {s.id: s.display_name(_language()) for s in stores},
            "can_move": capabilities.can(user, "supplies.move"),
            "can_receive": capabilities.can(user, "supplies.receive"),
            "can_catalogue": capabilities.can(user, "supplies.catalogue"),
            "items": list(session.scalars(catalogue.items_query(user))),
            "categories": list(Category), "kinds": [k for k in MovementKind
                                                    if k != MovementKind.RECEIPT],
            "conditions": list(Condition), "new_client_id": str(uuid.uuid4())}


# --- stock ----------------------------------------------------------------------------------

def _stock_page(request: Request, session: Session, user: User, status: int = 200,
                **extra: Any) -> Response:
    capabilities.require(user, "supplies.read")
    params = request.query_params
    agency_id = _int(params.get("agency_id"))
    if agency_id is not None:
        access.find_store(session, user=user, agency_id=agency_id)
    category = params.get("category") or None
    if category not in {c.value for c in Category}:
        category = None
    rows = service.stock(session, user=user, agency_id=agency_id, category=category,
                         language=_language())
    common = _common(session, user)
    chart: dict[str, dict[str, float]] = {}
    for row in rows:
        chart.setdefault(row.agency, {}).setdefault(row.category_label, 0)
        chart[row.agency][row.category_label] += row.value_cny
    kit_store = agency_id or (user.agency_id if user.agency_id in common["store_names"]
                              else None)
    people = (service.post_people(session, user=user, agency_id=kit_store)
              if kit_store else [])
    return render(request, "supplies/stock.html", status_code=status, **{
        **common, "rows": rows, "low": [r for r in rows if r.low],
        "total_value": sum(r.value_cny for r in rows),
        "filters": {"agency_id": agency_id, "category": category},
        "chart": json.dumps({"stores": list(chart), "categories": [
            str(label(c)) for c in Category], "values": chart}, ensure_ascii=False),
        "assets": service.assets(session, user=user, agency_id=agency_id),
        "kit_store": kit_store, "people": people,
        "kit_form": {"people": "\n".join(p.name for p in people), "quantity_each": 1,
                     "item_code": next((i.code for i in common["items"]
                                        if i.category == Category.UNIFORM and not i.tracked),
                                       "")},
        "warnings": lowstock.open_warnings(session, list(common["store_names"])),
        "requests": [requests.public(r, i, _language()) for r, i in session.execute(
            requests.list_query(user).limit(50))],
        "is_command": access.is_command(user), "request_form": {}, **extra})


@router.get("", response_class=HTMLResponse)
def stock_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return _stock_page(request, session, user)


@router.post("/kit-issue", response_class=HTMLResponse)
async def kit_issue(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    capabilities.require(user, "supplies.move")
    form = form_to_dict(await request.form())
    people = [p.strip() for p in str(form.get("people", "")).splitlines() if p.strip()]
    payload, errors = validate(KitIssueIn, {**form, "people": people})
    if not errors:
        try:
            made, _created = service.kit_issue(session, user=user, data=payload)
            return RedirectResponse(f"/supplies?agency_id={payload.agency_id}&issued="
                                    f"{len(made)}", status_code=303)
        except BastionError as exc:
            if exc.status_code not in (404, 409, 422):
                raise
            errors = error_for(exc)
    return _stock_page(request, session, user, status=422, kit_errors=errors, kit_form=form)


@router.post("/assets/{asset_id}/condition", response_class=HTMLResponse)
async def condition(asset_id: Id, request: Request, session: SessionDep,
                    user: CurrentUser) -> Response:
    payload, errors = validate(ConditionIn, form_to_dict(await request.form()))
    if errors:
        raise Invalid(next(iter(errors.values())), field="condition")
    service.set_condition(session, user=user, asset_id=asset_id, data=payload)
    return RedirectResponse("/supplies#assets", status_code=303)


@router.post("/requests", response_class=HTMLResponse)
async def ask(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    capabilities.require(user, "supplies.move")
    form = form_to_dict(await request.form())
    payload, errors = validate(RequestIn, form)
    if not errors:
        try:
            requests.create(session, user=user, data=payload)
            return RedirectResponse("/supplies#requests", status_code=303)
        except BastionError as exc:
            if exc.status_code not in (404, 409, 422):
                raise
            errors = error_for(exc)
    return _stock_page(request, session, user, status=422, request_form=form,
                       request_errors=errors)


@router.post("/requests/{request_id}/decision", response_class=HTMLResponse)
async def decide(request_id: Id, request: Request, session: SessionDep,
                 user: CurrentUser) -> Response:
    payload, errors = validate(DecisionIn, form_to_dict(await request.form()))
    if errors:
        raise Invalid(next(iter(errors.values())), field="action")
    try:
        requests.decide(session, user=user, request_id=request_id, data=payload)
    except BastionError as exc:
        if exc.status_code not in (409, 422):
            raise
        return _stock_page(request, session, user, status=422,
                           request_errors={f"decision-{request_id}": exc.message})
    return RedirectResponse("/supplies#requests", status_code=303)


# --- movements ------------------------------------------------------------------------------

def _movements_page(request: Request, session: Session, user: User, status: int = 200,
                    **extra: Any) -> Response:
    capabilities.require(user, "supplies.read")
    params = request.query_params
    agency_id = _int(params.get("agency_id"))
    if agency_id is not None:
        access.find_store(session, user=user, agency_id=agency_id)
    offset = max(0, _int(params.get("offset")) or 0)
    query = service.list_query(user, agency_id=agency_id)
    rows, total = fetch(session, query, PageParams(limit=PER_PAGE, offset=offset))
    items = {i.id: i for i in session.scalars(select(Item).where(
        Item.id.in_({m.item_id for m in rows} or {0})))}
    names = {a.id: a.display_name(_language()) for a in session.scalars(select(Agency).where(
        Agency.id.in_({m.from_agency_id for m in rows} | {m.to_agency_id for m in rows}
                      | {0})))}
    common = _common(session, user)
    return render(request, "supplies/movements.html", status_code=status, **{
        **common, "moves": rows, "total": total, "offset": offset, "per_page": PER_PAGE,
        "item_of": items, "names": names,
        "serials": service.serials(session, [m.asset_id for m in rows if m.asset_id]),
        "filters": {"agency_id": agency_id},
        "form": {"kind": "issue", "quantity": 1,
                 "from_agency_id": user.agency_id if user.agency_id in common["store_names"]
                 else None},
        **extra})


@router.get("/movements", response_class=HTMLResponse)
def movements_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return _movements_page(request, session, user)


@router.post("/movements", response_class=HTMLResponse)
async def move(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    capabilities.require(user, "supplies.move")
    form = form_to_dict(await request.form())
    payload, errors = validate(MovementIn, form)
    if not errors:
        try:
            service.record(session, user=user, data=payload)
            return RedirectResponse("/supplies/movements", status_code=303)
        except BastionError as exc:
            if exc.status_code not in (404, 409, 422):
                raise
            errors = error_for(exc)
    return _movements_page(request, session, user, status=422, form=form, errors=errors)


# --- receipts -------------------------------------------------------------------------------

def _receipts_page(request: Request, session: Session, user: User, status: int = 200,
                   **extra: Any) -> Response:
    capabilities.require(user, "supplies.read")
    found = list(session.scalars(receipts.list_query(user).limit(200)))
    totals = receipts.totals(session, user=user, language=_language())
    common = _common(session, user)
    return render(request, "supplies/receipts.html", status_code=status, **{
        **common, "receipts": [receipts.public(session, r) for r in found], "totals": totals,
        "chart": json.dumps({"projects": totals["by_project"], "categories": totals["by_category"],
                             "stores": totals["by_agency"]}, ensure_ascii=False),
        "form": {"received_on": date.today().isoformat()}, **extra})


@router.get("/receipts", response_class=HTMLResponse)
def receipts_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return _receipts_page(request, session, user)


@router.post("/receipts/import", response_class=HTMLResponse)
async def import_receipt(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    capabilities.require(user, "supplies.receive")
    form = await request.form()
    data = form_to_dict(form)
    data.pop("file", None)
    problems: list[Any] = []
    errors: dict[str, str] = {}
    try:
        upload = chosen_file(form)
        agency_id = _int(str(data.get("agency_id") or ""))
        if agency_id is None:
            raise Invalid(_("Choose a store."), field="agency_id")
        try:
            received_on = date.fromisoformat(str(data.get("received_on") or ""))
        except ValueError:
            raise Invalid(_("Enter a date."), field="received_on") from None
        receipt = receipts.import_receipt(
            session, user=user, data=read_upload(upload, MAX_UPLOAD),
            filename=upload.filename or "", agency_id=agency_id, received_on=received_on,
            project=str(data.get("project") or "")[:200],
            funder=str(data.get("funder") or "")[:200],
            reference=str(data.get("reference") or "")[:100])
        return RedirectResponse(f"/supplies/receipts#receipt-{receipt.id}", status_code=303)
    except Problems as exc:
        session.rollback()
        problems = exc.errors
        errors = {"file": exc.message}
    except BastionError as exc:
        if exc.status_code not in (404, 409, 413, 422):
            raise
        errors = error_for(exc)
    return _receipts_page(request, session, user, status=422, form=data, errors=errors,
                          problems=problems)


# --- catalogue ------------------------------------------------------------------------------

def _items_page(request: Request, session: Session, user: User, status: int = 200,
                **extra: Any) -> Response:
    capabilities.require(user, "supplies.read")
    return render(request, "supplies/items.html", status_code=status,
                  **{**_common(session, user), "form": {}, **extra})


@router.get("/items", response_class=HTMLResponse)
def items_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    return _items_page(request, session, user)


@router.post("/items", response_class=HTMLResponse)
async def create_item(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    capabilities.require(user, "supplies.catalogue")
    form = form_to_dict(await request.form(), flags=("tracked",))
    payload, errors = validate(ItemIn, form)
    if not errors:
        try:
            catalogue.create_item(session, user=user, data=payload)
            return RedirectResponse("/supplies/items", status_code=303)
        except BastionError as exc:
            if exc.status_code not in (409, 422):
                raise
            errors = error_for(exc)
    return _items_page(request, session, user, status=422, form=form, errors=errors)


@router.post("/thresholds", response_class=HTMLResponse)
async def threshold(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    capabilities.require(user, "supplies.catalogue")
    form = form_to_dict(await request.form())
    payload, errors = validate(ThresholdIn, form)
    if not errors:
        try:
            catalogue.set_threshold(session, user=user, data=payload)
            return RedirectResponse("/supplies/items", status_code=303)
        except BastionError as exc:
            if exc.status_code not in (404, 422):
                raise
            errors = error_for(exc)
    return _items_page(request, session, user, status=422, threshold_form=form,
                       threshold_errors=errors)


@router.post("/items/import", response_class=HTMLResponse)
async def import_items(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    capabilities.require(user, "supplies.catalogue")
    form = await request.form()
    try:
        upload = chosen_file(form)
        catalogue.import_items(session, user=user, data=read_upload(upload, MAX_UPLOAD),
                               filename=upload.filename or "")
        return RedirectResponse("/supplies/items", status_code=303)
    except Problems as exc:
        session.rollback()
        return _items_page(request, session, user, status=422, problems=exc.errors,
                           import_errors={"file": exc.message})
    except BastionError as exc:
        if exc.status_code not in (413, 422):
            raise
        return _items_page(request, session, user, status=422, import_errors=error_for(exc))
