"""Pages of cases: sea and land cases in one list (filters, pages) and on one map, a new case
(by hand, or from a record: ``/cases/new?kind=alert&record_id=7``), and one case with its
links, tasks, timeline, evidence, outcome and sharing. Capabilities and need-to-know are the
service's (403, 404)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.attachments import service as attachments
from bastion.cases import service, sources, vocabulary
from bastion.cases.models import Case, CaseStatus, Realm, Tip
from bastion.cases.schemas import CaseIn, CloseIn, LinkIn, NoteIn, TaskIn
from bastion.core import context
from bastion.core.bounds import Id
from bastion.core.errors import BastionError
from bastion.core.i18n import gettext as _
from bastion.core.marking import TLP, Distribution
from bastion.core.pagination import PageParams, fetch
from bastion.org import capabilities
from bastion.org.models import Agency, AgencyKind, User
from bastion.org.sharing import MarkingIn, shares_of
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.forms import error_for, form_to_dict, read_upload, validate, wall_clock
from bastion.web.templating import render

router = APIRouter(prefix="/cases", include_in_schema=False)
PAGE = 50
LINK_KINDS = ("person", "crew_member", "resident", "vessel", "port_call", "place", "alert",
              "record")


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    language = context.current().language
    return {a.id: a.display_name(language)
            for a in session.scalars(select(Agency).where(Agency.id.in_(ids or {0})))}


def partners(session: Session, user: User) -> list[Agency]:
    """The agencies a case may be shared with: top-level, within the TLP community, not the
    user's own."""
    return list(session.scalars(select(Agency).where(
        Agency.parent_id.is_(None), Agency.kind != AgencyKind.SHIPPING_AGENCY,
        Agency.id != user.organisation_id).order_by(Agency.code)))


def _filters(request: Request) -> dict[str, Any]:
    params = request.query_params
    found: dict[str, Any] = {}
    if params.get("kind"):
        found["kind"] = params["kind"][:40]
    if params.get("status") in {s.value for s in CaseStatus}:
        found["status"] = CaseStatus(params["status"])
    if params.get("realm") in {r.value for r in Realm}:
        found["realm"] = Realm(params["realm"])
    if (params.get("agency_id") or "").isdigit():
        found["agency_id"] = int(params["agency_id"])
    return found


@router.get("", response_class=HTMLResponse)
def case_list(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    filters = _filters(request)
    query = service.list_query(user, **filters)
    offset = request.query_params.get("offset", "0")
    start = int(offset) if offset.isdigit() and int(offset) < 10**9 else 0
    rows, total = fetch(session, query, PageParams(limit=PAGE, offset=start))
    shown = {k: (v.value if hasattr(v, "value") else v) for k, v in filters.items()}
    units = _names(session, {c.unit_id for c in rows} | {c.owner_org_id for c in rows})
    agencies = list(session.scalars(select(Agency).where(
        Agency.kind != AgencyKind.SHIPPING_AGENCY).order_by(Agency.code)))
    return render(request, "cases/list.html", rows=rows, total=total, offset=start, page=PAGE,
                  filters=shown, query_string=urlencode(shown), units=units,
                  map_query=urlencode(shown), kinds=[sources.MANUAL, sources.TIP,
                                                      *sources.kinds()],
                  agencies=agencies, statuses=list(CaseStatus), realms=list(Realm),
                  can_write=capabilities.can(user, "cases.write"),
                  outcome_label=vocabulary.outcome_label, can_stats=capabilities.can(user, "cases.stats"))


def _new_page(request: Request, session: Session, user: User, form: dict[str, Any],
              status: int = 200, errors: dict[str, str] | None = None) -> Response:
    capabilities.require(user, "cases.write")
    units = list(session.scalars(select(Agency).where(
        (Agency.id == user.organisation_id) | (Agency.root_id == user.organisation_id))
        .order_by(Agency.code)))
    return render(request, "cases/new.html", status_code=status, form=form,
                  errors=errors or {}, kinds=[sources.MANUAL, *sources.kinds()],
                  realms=list(Realm), units=units, partners=partners(session, user))


@router.get("/new", response_class=HTMLResponse)
def new_case(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    params = request.query_params
    form = {"kind": params.get("kind") or "manual", "record_id": params.get("record_id", ""),
            "agency_ids": []}
    return _new_page(request, session, user, form)


def _marking(data: dict[str, Any]) -> MarkingIn:
    named = [int(a) for a in data.pop("agency_ids", []) if str(a).isdigit()]
    return MarkingIn(tlp=TLP.AMBER, distribution=Distribution.NAMED if named
                     else Distribution.OWN, agency_ids=named)


@router.post("/new", response_class=HTMLResponse)
async def create(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    capabilities.require(user, "cases.write")
    data = form_to_dict(await request.form(), lists=("agency_ids",), flags=("exercise",))
    form = dict(data)
    payload, errors = validate(CaseIn, {**data, "marking": _marking(data).model_dump(),
                                        "occurred_at": wall_clock(data.get("occurred_at"))})
    if not errors:
        try:
            case = service.open_case(session, user=user, data=payload)
            return RedirectResponse(f"/cases/{case.id}", status_code=303)
        except BastionError as exc:
            if exc.status_code not in (404, 409, 422):
                raise
            errors = error_for(exc) if exc.status_code != 404 else {"record_id": exc.message}
    return _new_page(request, session, user, form, status=422, errors=errors)


def task_owners(session: Session, case: Case) -> list[User]:
    """People who may be given a task: active people who may read the case."""
    shared = {case.owner_org_id, *[s.agency_id for s in shares_of(
        session, Case.record_kind, [case.id]).get(case.id, []) if s.agency_id]}
    people = session.scalars(select(User).join(Agency, Agency.id == User.agency_id).where(
        User.active.is_(True), User.system.is_(False),
        (Agency.id.in_(shared)) | (Agency.root_id.in_(shared))).order_by(User.display_name)
        .limit(300))
    return [p for p in people if service.may_read(session, p, case)]


def _detail(request: Request, session: Session, user: User, case_id: int, status: int = 200,
            errors: dict[str, str] | None = None, form: dict[str, Any] | None = None) -> Response:
    case = service.get(session, user=user, case_id=case_id)
    found = service.detail(session, case)
    tip_ids = list(session.scalars(select(Tip.id).where(Tip.case_id == case.id)))
    evidence = attachments.of_records(session, Case.record_kind, [case.id]).get(case.id, [])
    photos = [a for found_ in attachments.of_records(session, Tip.record_kind, tip_ids).values()
              for a in found_]
    can_write = capabilities.can(user, "cases.write")
    return render(request, "cases/detail.html", status_code=status, case=case, found=found,
                  units=_names(session, {case.unit_id, case.owner_org_id,
                                         *found.marking.agency_ids}),
                  evidence=evidence, photos=photos, can_write=can_write,
                  owners=task_owners(session, case) if can_write else [],
                  outcomes=vocabulary.outcomes(), outcome_label=vocabulary.outcome_label,
                  link_kinds=LINK_KINDS, partners=partners(session, user),
                  owns=case.owner_org_id == user.organisation_id,
                  errors=errors or {}, form=form or {})


@router.get("/{case_id}", response_class=HTMLResponse)
def case_page(case_id: Id, request: Request, session: SessionDep,
              user: CurrentUser) -> Response:
    return _detail(request, session, user, case_id)


@router.post("/{case_id}/{action}", response_class=HTMLResponse)
async def act(case_id: Id, action: str, request: Request, session: SessionDep,
              user: CurrentUser, settings: SettingsDep) -> Response:
    """The case page's forms: link, task, done, note, close, reopen, share, evidence."""
    service.get(session, user=user, case_id=case_id)  # 404 before anything else
    raw = await request.form()
    data = form_to_dict(raw, lists=("agency_ids",))
    errors: dict[str, str] = {}
    try:
        if action == "link":
            payload, errors = validate(LinkIn, data)
            if not errors:
                service.add_link(session, user=user, case_id=case_id, data=payload)
        elif action == "task":
            payload, errors = validate(TaskIn, {**data, "due_at": wall_clock(data.get("due_at"))})
            if not errors:
                service.add_task(session, user=user, case_id=case_id, data=payload)
        elif action == "done":
            service.complete_task(session, user=user, case_id=case_id,
                                  task_id=int(data.get("task_id", "0") or 0))
        elif action == "note":
            payload, errors = validate(NoteIn, data)
            if not errors:
                service.note(session, user=user, case_id=case_id, text=payload.note)
        elif action == "close":
            payload, errors = validate(CloseIn, data)
            if not errors:
                service.close(session, user=user, case_id=case_id, data=payload)
        elif action == "reopen":
            payload, errors = validate(NoteIn, data)
            if not errors:
                service.reopen(session, user=user, case_id=case_id, text=payload.note)
        elif action == "share":
            service.share(session, user=user, case_id=case_id, marking=_marking(data))
        elif action == "evidence":
            capabilities.require(user, "cases.write")
            upload = raw.get("file")
            if upload is None or isinstance(upload, str) or not upload.filename:
                errors = {"file": _("Choose a file.")}
            else:
                max_bytes = settings.max_attachment_mb * 2**20
                attachments.add(session, user=user, record_kind=Case.record_kind,
                                record_id=case_id, filename=upload.filename,
                                data=read_upload(upload, max_bytes), max_bytes=max_bytes)
        else:
            return Response(status_code=404)
    except BastionError as exc:
        if exc.status_code not in (409, 413, 422):
            raise
        errors = error_for(exc)
    if errors:
        return _detail(request, session, user, case_id, status=422, errors=errors, form=data)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)
