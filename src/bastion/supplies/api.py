"""REST API of supplies (``/api/v1/supplies``). Capabilities and need-to-know are checked in
the services: 403 without the function, 404 for a store or record one may not see. Writes
that a phone may send twice (movements, kit issues, receipts) are idempotent by
``client_id``: a replay answers 200 with ``"duplicate": true``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Response, UploadFile
from sqlalchemy import select

from bastion.core import context
from bastion.core.bounds import Id
from bastion.core.pagination import Page, PageDep, fetch, from_list, paginate
from bastion.org import capabilities
from bastion.supplies import access, catalogue, exports, receipts, requests, service
from bastion.supplies.models import Category, Item, MovementKind, RequestStatus
from bastion.supplies.schemas import (
    AssetOut,
    ConditionIn,
    DecisionIn,
    ItemIn,
    ItemOut,
    KitIssueIn,
    MovementIn,
    MovementOut,
    PersonOut,
    ReceiptIn,
    ReceiptOut,
    RequestIn,
    RequestOut,
    StockRow,
    ThresholdIn,
)
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.forms import read_upload

router = APIRouter(prefix="/api/v1/supplies", tags=["supplies"])
MAX_UPLOAD = 5 * 1024 * 1024
Text200 = Annotated[str, Form(max_length=200)]


def _language() -> str:
    return context.current().language


def _movement_out(session, movements) -> list[MovementOut]:
    items = {i.id: i for i in session.scalars(select(Item).where(
        Item.id.in_({m.item_id for m in movements} or {0})))}
    serials = service.serials(session, [m.asset_id for m in movements if m.asset_id])
    return [service.public(m, items[m.item_id], serials.get(m.asset_id), _language())
            for m in movements]


# --- catalogue ------------------------------------------------------------------------------

@router.get("/items", response_model=Page[ItemOut])
def items(session: SessionDep, user: CurrentUser, page: PageDep,
          category: Category | None = None) -> Page[ItemOut]:
    return paginate(session, catalogue.items_query(user, category=category), page,
                    catalogue.public)


@router.post("/items", status_code=201, response_model=ItemOut)
def create_item(data: ItemIn, session: SessionDep, user: CurrentUser) -> ItemOut:
    return catalogue.public(catalogue.create_item(session, user=user, data=data))


@router.post("/items/import", status_code=201)
def import_items(file: UploadFile, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """An xlsx (or CSV) of items: every row or none; a 422 lists every problem by sheet,
    row and column."""
    capabilities.require(user, "supplies.catalogue")
    made = catalogue.import_items(session, user=user, data=read_upload(file, MAX_UPLOAD),
                                  filename=file.filename or "items.xlsx")
    return {"created": len(made), "codes": [i.code for i in made]}


@router.post("/thresholds", status_code=200)
def threshold(data: ThresholdIn, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    t = catalogue.set_threshold(session, user=user, data=data)
    return {"item_id": t.item_id, "agency_id": t.agency_id, "minimum": t.minimum}


# --- stock ----------------------------------------------------------------------------------

@router.get("/stores")
def stores(session: SessionDep, user: CurrentUser, page: PageDep) -> Page[dict[str, Any]]:
    capabilities.require(user, "supplies.read")
    return paginate(session, access.stores_query(user), page, lambda a: {
        "id": a.id, "code": a.code, "name": a.display_name(_language()), "kind": a.kind.value})


@router.get("/stock", response_model=Page[StockRow])
def stock(session: SessionDep, user: CurrentUser, page: PageDep,
          agency_id: Id | None = None, category: Category | None = None) -> Page[StockRow]:
    """Units on hand per store and item, computed from the movements, with their value
    (the item's mean receipt price) and threshold."""
    return from_list(service.stock(session, user=user, agency_id=agency_id, category=category,
                                   language=_language()), page)


@router.get("/stock.xlsx")
def stock_xlsx(session: SessionDep, user: CurrentUser, agency_id: Id | None = None) -> Response:
    return Response(exports.stock_xlsx(session, user=user, agency_id=agency_id),
                    media_type=exports.MEDIA_TYPE,
                    headers={"Content-Disposition": 'attachment; filename="stock.xlsx"'})


@router.get("/low-stock")
def low_stock(session: SessionDep, user: CurrentUser, page: PageDep) -> Page[StockRow]:
    """Stores below a threshold now."""
    rows = [r for r in service.stock(session, user=user, language=_language()) if r.low]
    return from_list(rows, page)


@router.get("/assets", response_model=Page[AssetOut])
def assets(session: SessionDep, user: CurrentUser, page: PageDep,
           agency_id: Id | None = None) -> Page[AssetOut]:
    return from_list(service.assets(session, user=user, agency_id=agency_id), page)


@router.post("/assets/{asset_id}/condition", response_model=AssetOut)
def condition(asset_id: Id, data: ConditionIn, session: SessionDep,
              user: CurrentUser) -> AssetOut:
    asset = service.set_condition(session, user=user, asset_id=asset_id, data=data)
    _asset, item = service.find_asset(session, user=user, asset_id=asset.id)
    return service.asset_out(session, asset, item)


@router.get("/people")
def people(session: SessionDep, user: CurrentUser, page: PageDep,
           agency_id: Annotated[Id, Query()]) -> Page[PersonOut]:
    """The people of a post, each once, with where they are known from (``source``): the
    active people on its duty list (auxiliaries without a login too), then its other
    accounts, then the names it has issued to that are neither."""
    return from_list(service.post_people(session, user=user, agency_id=agency_id), page)


@router.get("/holdings")
def holdings(session: SessionDep, user: CurrentUser, page: PageDep,
             agency_id: Annotated[Id, Query()]) -> Page[dict[str, Any]]:
    """What each person holds from a store (issued minus returned)."""
    return from_list(service.holdings(session, user=user, agency_id=agency_id), page)


# --- movements ------------------------------------------------------------------------------

@router.get("/movements", response_model=Page[MovementOut])
def movements(session: SessionDep, user: CurrentUser, page: PageDep,
              agency_id: Id | None = None, kind: MovementKind | None = None,
              item_code: Annotated[str | None, Query(max_length=32)] = None,
              person: Annotated[str | None, Query(max_length=100)] = None,
              ) -> Page[MovementOut]:
    query = service.list_query(user, agency_id=agency_id, kind=kind, item_code=item_code,
                               person=person)
    rows, total = fetch(session, query, page)
    return Page.build(_movement_out(session, rows), total, page)


@router.get("/movements.xlsx")
def movements_xlsx(session: SessionDep, user: CurrentUser,
                   agency_id: Id | None = None) -> Response:
    return Response(exports.movements_xlsx(session, user=user, agency_id=agency_id),
                    media_type=exports.MEDIA_TYPE,
                    headers={"Content-Disposition": 'attachment; filename="movements.xlsx"'})


@router.post("/movements", status_code=201)
def move(data: MovementIn, response: Response, session: SessionDep,
         user: CurrentUser) -> dict[str, Any]:
    """issue (from a store: to a post, to a person, or used), return (to a store: from a
    post or a person), transfer, write_off, repair_out, repair_in; tracked items by
    ``serial``."""
    movement, created = service.record(session, user=user, data=data)
    response.status_code = 201 if created else 200
    return {**_movement_out(session, [movement])[0].model_dump(mode="json"),
            "duplicate": not created}


@router.post("/kit-issues", status_code=201)
def kit_issue(data: KitIssueIn, response: Response, session: SessionDep,
              user: CurrentUser) -> dict[str, Any]:
    """One item to each person of a post in one step (``people``/``user_ids``, or else all
    the post's people)."""
    made, created = service.kit_issue(session, user=user, data=data)
    response.status_code = 201 if created else 200
    return {"kit_issue": made[0].kit_issue, "issued": len(made),
            "people": [m.person_name for m in made],
            "value_cny": sum(m.quantity * m.unit_price_fen for m in made) / 100,
            "duplicate": not created}


# --- receipts -------------------------------------------------------------------------------

@router.get("/receipts", response_model=Page[ReceiptOut])
def receipts_list(session: SessionDep, user: CurrentUser, page: PageDep,
                  project: Annotated[str | None, Query(max_length=200)] = None,
                  funder: Annotated[str | None, Query(max_length=200)] = None,
                  ) -> Page[ReceiptOut]:
    return paginate(session, receipts.list_query(user, project=project, funder=funder), page,
                    lambda r: receipts.public(session, r))


@router.post("/receipts", status_code=201, response_model=None)
def receive(data: ReceiptIn, response: Response, session: SessionDep,
            user: CurrentUser) -> dict[str, Any]:
    receipt, created = receipts.create(session, user=user, data=data)
    response.status_code = 201 if created else 200
    return {**receipts.public(session, receipt).model_dump(mode="json"), "duplicate": not created}


@router.post("/receipts/import", status_code=201, response_model=ReceiptOut)
def import_receipt(file: UploadFile, session: SessionDep, user: CurrentUser,
                   agency_id: Annotated[Id, Form()], received_on: Annotated[date, Form()],
                   project: Text200 = "", funder: Text200 = "",
                   reference: Annotated[str, Form(max_length=100)] = "") -> ReceiptOut:
    """A receipt whose lines are an xlsx (item code, quantity, unit price, serials): every
    line or none; a 422 lists every problem by sheet, row and column."""
    capabilities.require(user, "supplies.receive")
    receipt = receipts.import_receipt(
        session, user=user, data=read_upload(file, MAX_UPLOAD),
        filename=file.filename or "receipt.xlsx", agency_id=agency_id, received_on=received_on,
        project=project.strip(), funder=funder.strip(), reference=reference.strip())
    return receipts.public(session, receipt)


@router.get("/totals")
def totals(session: SessionDep, user: CurrentUser,
           start: Annotated[date | None, Query(alias="from")] = None,
           end: Annotated[date | None, Query(alias="to")] = None) -> dict[str, Any]:
    """Value received by project, funder, store, category and month (``from`` inclusive,
    ``to`` exclusive; operational receipts only)."""
    return receipts.totals(session, user=user, start=start, end=end, language=_language())



# --- requests -------------------------------------------------------------------------------

@router.get("/requests", response_model=Page[RequestOut])
def requests_list(session: SessionDep, user: CurrentUser, page: PageDep,
                  status: RequestStatus | None = None) -> Page[RequestOut]:
    """Open requests first: a post its own, the command all of its posts'."""
    return paginate(session, requests.list_query(user, status=status), page,
                    lambda row: requests.public(row[0], row[1], _language()), scalars=False)


@router.post("/requests", status_code=201)
def ask(data: RequestIn, response: Response, session: SessionDep,
        user: CurrentUser) -> dict[str, Any]:
    """A post asks the command for items (idempotent by ``client_id``)."""
    request, created = requests.create(session, user=user, data=data)
    response.status_code = 201 if created else 200
    item = session.get(Item, request.item_id)
    return {**requests.public(request, item, _language()).model_dump(mode="json"),
            "duplicate": not created}


@router.post("/requests/{request_id}/decision", response_model=RequestOut)
def decide(request_id: Id, data: DecisionIn, session: SessionDep,
           user: CurrentUser) -> RequestOut:
    """The command fulfils (an issue from its store to the post) or refuses (``note``
    required); 409 when already decided."""
    request = requests.decide(session, user=user, request_id=request_id, data=data)
    return requests.public(request, session.get(Item, request.item_id), _language())
