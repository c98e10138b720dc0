"""Cases: open one from any registered source (``cases.sources``) or by hand, link what it is
about, give tasks with owners and deadlines, note what happens, close it with an outcome,
share it with named agencies.

Need-to-know: reads start from ``access.cases_query`` (404 when unseen); writing needs
``cases.write`` (403). A case is AMBER to its owning organisation by default; naming agencies
(``marking.agency_ids`` with ``distribution: named``) lets their officers see it too, and
nobody else. Every change is a row of the timeline, an audit entry and an event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shapely.errors import ShapelyError
from shapely.geometry import shape
from sqlalchemy import Select, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.cases import access, sources, vocabulary
from bastion.cases.models import (
    Case,
    CaseEvent,
    CaseLink,
    CaseStatus,
    CaseTask,
    Realm,
    Tip,
    TipStatus,
)
from bastion.cases.schemas import (
    CaseDetail,
    CaseIn,
    CaseOut,
    CloseIn,
    EventOut,
    LinkIn,
    LinkOut,
    TaskIn,
    TaskOut,
)
from bastion.core import context, events
from bastion.core.db import utcnow
from bastion.core.errors import Conflict, Invalid
from bastion.core.exercise import titled
from bastion.core.i18n import gettext as _
from bastion.core.labels import label, term
from bastion.core.marking import TLP, Distribution
from bastion.org import capabilities
from bastion.org.models import Agency, AgencyKind, User
from bastion.org.sharing import MarkingIn, apply_marking, marking_out, shares_of

KIND = Case.record_kind
SEA_AGENCIES = (AgencyKind.BORDER_INSPECTION, AgencyKind.BORDER_INSPECTION_TEAM,
                AgencyKind.CUSTOMS, AgencyKind.MARITIME_SAFETY)
GEOMETRIES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")


# --- reading ------------------------------------------------------------------------------

def list_query(user: User, *, kind: str | None = None, status: CaseStatus | None = None,
               agency_id: int | None = None, realm: Realm | None = None,
               exercise: bool | None = None) -> Select[tuple[Case]]:
    """The cases the user may read, open ones first, newest first. ``agency_id`` keeps the
    cases in that unit's queue or owned by that organisation."""
    capabilities.require(user, "cases.read")
    query = access.cases_query(user)
    if kind:
        query = query.where(Case.kind == kind)
    if status is not None:
        query = query.where(Case.status == status)
    if agency_id is not None:
        query = query.where((Case.unit_id == agency_id) | (Case.owner_org_id == agency_id))
    if realm is not None:
        query = query.where(Case.realm == realm)
    if exercise is not None:
        query = query.where(Case.exercise.is_(exercise))
    closed = sql_case((Case.status == CaseStatus.CLOSED, 1), else_=0)
    return query.order_by(closed, Case.opened_at.desc(), Case.id.desc())


def get(session: Session, *, user: User, case_id: int) -> Case:
    return access.find_case(session, user=user, case_id=case_id)


def public(case: Case) -> CaseOut:
    return CaseOut(
        id=case.id, kind=case.kind, kind_label=vocabulary.kind_label(case.kind),
        source_id=case.source_id, source_url=case.source_url, realm=case.realm,
        title=case.title, display_title=titled(case.title, case.exercise),
        description=case.description, unit_id=case.unit_id, owner_org_id=case.owner_org_id,
        status=case.status, status_label=label(case.status), outcome=case.outcome,
        outcome_label=vocabulary.outcome_label(case.outcome), persons=case.persons,
        geometry=case.geometry, occurred_at=case.occurred_at, opened_at=case.opened_at,
        closed_at=case.closed_at, tlp=case.tlp.value, exercise=case.exercise,
        synthetic=case.synthetic)


def links(session: Session, case: Case) -> list[LinkOut]:
    rows = session.scalars(select(CaseLink).where(CaseLink.case_id == case.id)
                           .order_by(CaseLink.id))
    return [LinkOut(id=r.id, kind=r.kind, kind_label=term(r.kind, "case_link"), ref=r.ref,
                    title=r.title, url=r.url, geometry=r.geometry, at=r.at) for r in rows]


def tasks(session: Session, case: Case, now: datetime | None = None) -> list[TaskOut]:
    now = now or utcnow()
    rows = session.execute(select(CaseTask, User.display_name).join(
        User, User.id == CaseTask.owner_id).where(CaseTask.case_id == case.id)
        .order_by(CaseTask.done_at.is_not(None), CaseTask.due_at, CaseTask.id)).all()
    return [TaskOut(id=t.id, title=t.title, owner_id=t.owner_id, owner_name=name,
                    due_at=t.due_at, done_at=t.done_at,
                    overdue=t.done_at is None and t.due_at < now,
                    escalated_level=t.escalated_level) for t, name in rows]


def timeline(session: Session, case: Case) -> list[EventOut]:
    rows = session.execute(select(CaseEvent, User.display_name).outerjoin(
        User, User.id == CaseEvent.by_user_id).where(CaseEvent.case_id == case.id)
        .order_by(CaseEvent.at, CaseEvent.id)).all()
    return [EventOut(id=e.id, action=e.action, action_label=term(e.action, "case_action"),
                     note=e.note, by_user_id=e.by_user_id, by_name=name or "", at=e.at)
            for e, name in rows]


def detail(session: Session, case: Case) -> CaseDetail:
    shares = shares_of(session, KIND, [case.id]).get(case.id, [])
    return CaseDetail(**public(case).model_dump(), marking=marking_out(case, shares),
                      links=links(session, case), tasks=tasks(session, case),
                      timeline=timeline(session, case))


# --- geometry -----------------------------------------------------------------------------

def checked_geometry(value: dict[str, Any] | None, field: str = "geometry"
                     ) -> tuple[dict[str, Any] | None, float | None, float | None]:
    """A GeoJSON geometry checked (422 naming ``field``), with a point for the map."""
    if value is None:
        return None, None, None
    if value.get("type") not in GEOMETRIES:
        raise Invalid(_("Give a GeoJSON geometry (a point, line or polygon)."), field=field)
    try:
        found = shape(value)
        point = found.representative_point()
    except (ShapelyError, ValueError, TypeError, AttributeError, IndexError, KeyError):
        raise Invalid(_("The geometry's coordinates are not valid GeoJSON."),
                      field=field) from None
    if found.is_empty or not (-180 <= point.x <= 180 and -90 <= point.y <= 90):
        raise Invalid(_("The geometry's coordinates are not valid GeoJSON."), field=field)
    return value, point.x, point.y


# --- opening ------------------------------------------------------------------------------

def _unit(session: Session, user: User, unit_id: int | None) -> int:
    if unit_id is None:
        return user.agency_id
    unit = session.get(Agency, unit_id)
    if unit is None or unit.organisation_id != user.organisation_id:
        raise Invalid(_("Choose a unit of your own organisation."), field="unit_id")
    return unit.id


def _realm(data: CaseIn, found: dict[str, Any], user: User) -> Realm:
    if data.realm is not None:
        return data.realm
    if found.get("realm") in ("sea", "land"):
        return Realm(found["realm"])
    if data.kind in sources.SEA_KINDS:
        return Realm.SEA
    return Realm.SEA if user.agency.kind in SEA_AGENCIES else Realm.LAND


def add_event(session: Session, case: Case, action: str, user: User | None, note: str = "",
              at: datetime | None = None) -> None:
    session.add(CaseEvent(case_id=case.id, action=action, note=note[:4000],
                          by_user_id=user.id if user else None, at=at or utcnow()))


def emit(session: Session, user: User | None, case: Case, action: str, **extra: Any) -> None:
    events.emit(session, kind=f"case.{action}", actor_id=user.id if user else None,
                record_kind=KIND, record_id=case.id,
                payload={"status": case.status.value, "kind": case.kind,
                         "realm": case.realm.value, **extra})


def _store_links(session: Session, case: Case, user: User, found: list[dict[str, Any]],
                 at: datetime) -> None:
    for link in found:
        geometry = checked_geometry(link.get("geometry"), "links")[0]
        ref = link.get("id")
        session.add(CaseLink(case_id=case.id, kind=str(link.get("kind") or "record")[:40],
                             ref=None if ref is None else str(ref)[:80],
                             title=str(link.get("title") or "")[:300] or "—",
                             url=link.get("url"), geometry=geometry, by_user_id=user.id, at=at))


def open_case(session: Session, *, user: User, data: CaseIn, now: datetime | None = None,
              owner: User | None = None, synthetic: bool = False) -> Case:
    """Open a case; from a source record, it starts with what the source describes (404 when
    the opener may not see that record). ``owner`` is the account the case is made as when
    it is not the caller's (a tip: the post's organisation's tips account)."""
    capabilities.require(user, "cases.write")
    now = now or utcnow()
    found: dict[str, Any] = {}
    if data.kind == sources.TIP and owner is None:
        raise Invalid(_("A tip's case is opened by the tip itself."), field="kind")
    if data.kind not in (sources.MANUAL, sources.TIP):
        if data.record_id is None:
            raise Invalid(_("Name the record the case is opened from."), field="record_id")
        found = sources.describe(data.kind, session=session, user=user,
                                 record_id=data.record_id)
    title = (data.title or "").strip() or str(found.get("title") or "").strip()
    if not title:
        raise Invalid(_("Give the case a title."), field="title")
    geometry, lon, lat = checked_geometry(data.geometry or found.get("geometry"))
    maker = owner or user
    case = Case(kind=data.kind, source_id=data.record_id if found else None, realm=_realm(data, found, user), title=title[:300],
                description=data.description.strip(), unit_id=_unit(session, maker, data.unit_id),
                source_url=found.get("url"), geometry=geometry, lon=lon, lat=lat,
                occurred_at=data.occurred_at or found.get("occurred_at"), opened_at=now,
                status=CaseStatus.OPEN, exercise=data.exercise, synthetic=synthetic,
                owner_org_id=maker.organisation_id, created_by_id=maker.id)
    session.add(case)
    session.flush()
    apply_marking(session, case, data.marking or MarkingIn(tlp=TLP.AMBER,
                                                           distribution=Distribution.OWN))
    _store_links(session, case, user, found.get("links") or [], now)
    add_event(session, case, "opened", user, vocabulary.kind_label(case.kind), at=now)
    session.flush()
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind=KIND,
                 record_id=case.id, summary=f"case {case.id} opened from {case.kind}",
                 detail={"source_id": case.source_id, "exercise": case.exercise})
    emit(session, user, case, "opened")
    return case


# --- working on it ------------------------------------------------------------------------

def _writable(session: Session, user: User, case_id: int) -> Case:
    case = get(session, user=user, case_id=case_id)
    capabilities.require(user, "cases.write")
    return case


def _still_open(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise Conflict(_("The case is closed: reopen it first."), field="status")


def add_link(session: Session, *, user: User, case_id: int, data: LinkIn) -> CaseLink:
    case = _writable(session, user, case_id)
    geometry = checked_geometry(data.geometry)[0]
    link = CaseLink(case_id=case.id, kind=data.kind, ref=data.ref, title=data.title.strip(),
                    url=data.url, geometry=geometry, by_user_id=user.id)
    session.add(link)
    add_event(session, case, "linked", user, f"{term(data.kind, 'case_link')}: {link.title}")
    session.flush()
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind=KIND,
                 record_id=case.id, summary=f"case {case.id}: linked {data.kind}")
    emit(session, user, case, "linked")
    return link


def may_read(session: Session, person: User, case: Case) -> bool:
    return session.scalar(access.cases_query(person).where(Case.id == case.id)
                          .with_only_columns(Case.id)) is not None


def add_task(session: Session, *, user: User, case_id: int, data: TaskIn,
             now: datetime | None = None) -> CaseTask:
    """A task for someone who may read the case (422 naming ``owner_id`` otherwise)."""
    case = _writable(session, user, case_id)
    _still_open(case)
    owner = session.get(User, data.owner_id)
    if owner is None or not owner.active or owner.system or not may_read(session, owner, case):
        raise Invalid(_("Give the task to someone who may read the case."), field="owner_id")
    task = CaseTask(case_id=case.id, title=data.title.strip(), owner_id=owner.id,
                    due_at=data.due_at, by_user_id=user.id, created_at=now or utcnow())
    session.add(task)
    add_event(session, case, "task", user, f"{task.title} → {owner.display_name}")
    session.flush()
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind=KIND,
                 record_id=case.id, summary=f"case {case.id}: task {task.id}")
    emit(session, user, case, "task", task_id=task.id, owner_id=owner.id)
    return task


def complete_task(session: Session, *, user: User, case_id: int, task_id: int) -> CaseTask:
    case = get(session, user=user, case_id=case_id)
    task = session.scalar(select(CaseTask).where(CaseTask.id == task_id,
                                                 CaseTask.case_id == case.id))
    if task is None:
        raise Invalid(_("No such task on this case."), field="task_id")
    if task.owner_id != user.id:
        capabilities.require(user, "cases.write")
    if task.done_at is not None:
        raise Conflict(_("The task is already done."), field="task_id")
    task.done_at = utcnow()
    add_event(session, case, "task_done", user, task.title)
    session.flush()
    emit(session, user, case, "task_done", task_id=task.id)
    return task


def note(session: Session, *, user: User, case_id: int, text: str) -> Case:
    case = _writable(session, user, case_id)
    if not text.strip():
        raise Invalid(_("Write the note."), field="note")
    add_event(session, case, "note", user, text.strip())
    session.flush()
    emit(session, user, case, "note")
    return case


def close(session: Session, *, user: User, case_id: int, data: CloseIn,
          now: datetime | None = None) -> Case:
    """Close with an outcome from the vocabulary (422 naming ``outcome``); an outcome that
    counts persons takes their number. Tips behind the case are then acted on."""
    case = _writable(session, user, case_id)
    _still_open(case)
    row = vocabulary.outcomes().get(data.outcome)
    if row is None:
        raise Invalid(_("Choose an outcome from the list."), field="outcome")
    if row["persons"] and data.persons < 1:
        raise Invalid(_("Say how many persons this outcome concerns."), field="persons")
    now = now or utcnow()
    case.status, case.closed_at, case.outcome = CaseStatus.CLOSED, now, data.outcome
    case.persons = data.persons if row["persons"] else 0
    case.outcome_note = data.note.strip()
    text = vocabulary.outcome_label(data.outcome)
    add_event(session, case, "closed", user,
              f"{text}; {data.note.strip()}" if data.note.strip() else text, at=now)
    for tip in session.scalars(select(Tip).where(Tip.case_id == case.id,
                                                 Tip.status == TipStatus.RECEIVED)):
        tip.status, tip.acted_on_at = TipStatus.ACTED_ON, now
    session.flush()
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind=KIND,
                 record_id=case.id, summary=f"case {case.id} closed: {data.outcome}",
                 detail={"persons": case.persons})
    emit(session, user, case, "closed", outcome=data.outcome, persons=case.persons)
    return case


def reopen(session: Session, *, user: User, case_id: int, text: str) -> Case:
    case = _writable(session, user, case_id)
    if case.status != CaseStatus.CLOSED:
        raise Conflict(_("The case is open."), field="status")
    if not text.strip():
        raise Invalid(_("Say why the case is reopened."), field="note")
    case.status, case.closed_at, case.outcome, case.persons = CaseStatus.OPEN, None, None, 0
    add_event(session, case, "reopened", user, text.strip())
    session.flush()
    emit(session, user, case, "reopened")
    return case


def share(session: Session, *, user: User, case_id: int, marking: MarkingIn) -> Case:
    """Change who the case is shared with; only its owning organisation may (404 for a
    partner that sees it: it is not theirs to pass on)."""
    case = _writable(session, user, case_id)
    if case.owner_org_id != user.organisation_id:
        raise Conflict(_("Only the owning agency changes who a case is shared with."),
                       field="marking")
    apply_marking(session, case, marking)
    names = ", ".join(a.display_name(context.current().language) for a in session.scalars(
        select(Agency).where(Agency.id.in_(marking.agency_ids or [0]))))
    add_event(session, case, "shared", user, f"TLP:{marking.tlp.value.upper()} {names}".strip())
    session.flush()
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind=KIND,
                 record_id=case.id, summary=f"case {case.id}: marking",
                 detail={"tlp": marking.tlp.value, "agencies": marking.agency_ids})
    emit(session, user, case, "shared")
    return case


# --- the map ------------------------------------------------------------------------------

MAP_LIMIT = 2000


def geojson(session: Session, query: Select[tuple[Case]]) -> dict[str, Any]:
    """The cases of ``query`` (already need-to-know) that have a place, as GeoJSON."""
    features = []
    for case in session.scalars(query.where(Case.geometry.is_not(None)).limit(MAP_LIMIT)):
        features.append({"type": "Feature", "id": case.id, "geometry": case.geometry,
                         "properties": {
                             "id": case.id, "title": titled(case.title, case.exercise),
                             "kind": case.kind, "kind_label": vocabulary.kind_label(case.kind),
                             "realm": case.realm.value, "status": case.status.value,
                             "status_label": label(case.status), "exercise": case.exercise,
                             "url": f"/cases/{case.id}"}})
    return {"type": "FeatureCollection", "features": features}
