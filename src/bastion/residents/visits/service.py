"""Home-visit tasks (走访核实): a post is sent to verify a person at home; the result is
recorded on the phone, offline if need be (``/residents/visits/field``), and uploaded with the
phone's client id, so a re-upload is answered "duplicate" and never recorded twice.

Need-to-know: a task is seen through its person (``residents.access``): 404 when the person
is not seen. A post's users see their own post's tasks; the command and the partners see the
tasks on the persons they see. Listing and recording a result need ``residents.visits``;
making and cancelling a task need ``residents.flags`` or ``residents.write``.

A result on a task made for a risk flag puts the flag in hand and writes the visit's outcome on
it (the flag row is updated here through its model: the flags room decides flags, a visit only
reports what was found). Services never commit.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.border.geo.models import BorderPlace
from bastion.core import events
from bastion.core.db import utcnow
from bastion.core.errors import Conflict, Forbidden, Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.org import capabilities
from bastion.org.models import Agency, AgencyKind, User
from bastion.residents import access
from bastion.residents.flags.models import FlagStatus, RiskFlag
from bastion.residents.models import Household, ResidencePeriod, Resident
from bastion.residents.visits.models import VisitResult, VisitStatus, VisitTask
from bastion.residents.visits.schemas import ResultIn, VisitIn

KIND = "resident_visit"
KIT_LIMIT = 500  # open tasks kept on a phone at most
STATE_WORDS = {VisitStatus.OPEN: "open", VisitStatus.DONE: "done",
               VisitStatus.CANCELLED: "cancelled"}


def _may_make(user: User) -> None:
    if not (capabilities.can(user, "residents.flags") or capabilities.can(user, "residents.write")):
        raise Forbidden(_("You may not send home visits."))


def tasks_query(user: User, *, status: VisitStatus | None = VisitStatus.OPEN,
                resident_id: int | None = None) -> Select[tuple[VisitTask, Resident]]:
    """The tasks ``user`` may see (a post's users: their post's), the earliest due first."""
    seen = access.residents_query(user).subquery()
    query = (select(VisitTask, Resident).join(Resident, Resident.id == VisitTask.resident_id)
             .where(VisitTask.resident_id.in_(select(seen.c.id))))
    if user.agency.kind == AgencyKind.JOINT_DEFENCE_POST:
        query = query.where(VisitTask.post_agency_id == user.agency_id)
    if status is not None:
        query = query.where(VisitTask.status == status)
    if resident_id is not None:
        query = query.where(VisitTask.resident_id == resident_id)
    return query.order_by(VisitTask.due.is_(None), VisitTask.due, VisitTask.id)


def listing(user: User, **filters: Any) -> Select[tuple[VisitTask, Resident]]:
    capabilities.require(user, "residents.visits")
    return tasks_query(user, **filters)


def get(session: Session, *, user: User, task_id: int) -> tuple[VisitTask, Resident]:
    capabilities.require(user, "residents.visits")
    found = session.execute(tasks_query(user, status=None).where(VisitTask.id == task_id)).first()
    if found is None:
        raise NotFound(_("No such home visit."))
    return found[0], found[1]


def public(task: VisitTask, resident: Resident | None = None) -> dict[str, Any]:
    body = {c: getattr(task, c) for c in (
        "id", "resident_id", "post_agency_id", "flag_id", "reason", "due", "status", "result",
        "notes", "visited_at", "visited_device_at", "lon", "lat", "visited_by_id", "created_at")}
    if resident is not None:
        body["person"] = {"id": resident.id, "name": resident.name}
    return body


def _post(session: Session, user: User, resident: Resident, post_agency_id: int | None) -> int:
    post_id = post_agency_id or resident.post_agency_id
    if post_id is None and user.agency.kind == AgencyKind.JOINT_DEFENCE_POST:
        post_id = user.agency_id
    if post_id is None:
        raise Invalid(_("Choose the post that makes the visit."), field="post_agency_id")
    post = session.get(Agency, post_id)
    if post is None or post.kind != AgencyKind.JOINT_DEFENCE_POST:
        raise Invalid(_("Choose the post that makes the visit."), field="post_agency_id")
    if user.agency.kind == AgencyKind.JOINT_DEFENCE_POST and post.id != user.agency_id:
        raise Invalid(_("A post sends its own visits only."), field="post_agency_id")
    return post.id


def create(session: Session, *, user: User, data: VisitIn) -> VisitTask:
    """A home visit for a person the user sees (404 otherwise), optionally on one of the
    person's flags (which is then in hand)."""
    _may_make(user)
    resident = access.find_resident(session, user=user, resident_id=data.resident_id)
    flag = None
    if data.flag_id is not None:
        flag = session.get(RiskFlag, data.flag_id)
        if flag is None or flag.resident_id != resident.id:
            raise Invalid(_("This flag is not one of this person's."), field="flag_id")
        if flag.status == FlagStatus.CLEARED:
            raise Conflict(_("The records no longer raise this flag."))
    post_id = _post(session, user, resident, data.post_agency_id
                    or (flag.post_agency_id if flag else None))
    task = VisitTask(resident_id=resident.id, post_agency_id=post_id,
                     flag_id=flag.id if flag else None,
                     reason=data.reason.strip() or (f"{flag.kind}: {flag.rule} ({flag.article})"
                                                    if flag else ""),
                     due=data.due, created_by_id=user.id)
    session.add(task)
    if flag is not None and flag.status == FlagStatus.OPEN:
        flag.status, flag.decided_by_id, flag.decided_at = FlagStatus.IN_HAND, user.id, utcnow()
    session.flush()
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind=KIND,
                 record_id=task.id, summary=f"home visit {task.id} for resident {resident.id}")
    events.emit(session, kind="resident.visit.created", actor_id=user.id,
                record_kind=Resident.record_kind, record_id=resident.id,
                payload={"id": task.id, "post_agency_id": post_id})
    return task


def _same(task: VisitTask, data: ResultIn) -> bool:
    return task.result == data.result and (task.notes or "") == data.notes.strip()


def record_result(session: Session, *, user: User, task_id: int,
                  data: ResultIn) -> tuple[VisitTask, bool]:
    """Record what the visit found; ``(task, created)``. The same ``client_id`` again is a
    duplicate (``created`` False); a done or cancelled task refuses another result (409 naming
    its state); a client id used on another task is a 409 too."""
    task, resident = get(session, user=user, task_id=task_id)
    client_id = str(data.client_id)
    if task.client_id == client_id:
        if _same(task, data):
            return task, False
        raise Conflict(_("This result was sent before with different content."))
    other = session.scalar(select(VisitTask.id).where(VisitTask.client_id == client_id))
    if other is not None:
        raise Conflict(_("This result was sent before with different content."))
    if task.status != VisitStatus.OPEN:
        raise Conflict(_("This home visit is %(state)s already.")
                       % {"state": _state_word(task)})
    now = utcnow()
    if data.device_at.year < 2000 or (data.device_at - now).total_seconds() > 86400:
        raise Invalid(_("The phone's time %(at)s is not plausible: check the phone's clock.")
                      % {"at": data.device_at.isoformat()}, field="device_at")
    task.client_id = client_id
    task.status, task.result, task.notes = VisitStatus.DONE, data.result, data.notes.strip()
    task.visited_at, task.visited_device_at = now, data.device_at.astimezone(UTC)
    task.lon, task.lat, task.visited_by_id = data.lon, data.lat, user.id
    if task.flag_id is not None:
        _report_on_flag(session, task, user)
    session.flush()
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind=KIND,
                 record_id=task.id, summary=f"home visit {task.id}: {data.result.value}",
                 detail={"resident_id": resident.id, "client_id": client_id})
    events.emit(session, kind="resident.visit.done", actor_id=user.id,
                record_kind=Resident.record_kind, record_id=resident.id,
                payload={"id": task.id, "result": data.result.value})
    return task, True


def _state_word(task: VisitTask) -> str:
    if task.status == VisitStatus.DONE and task.result is not None:
        return {VisitResult.VERIFIED: _("done (verified)"), VisitResult.CHANGED: _("done (changed)"),
                VisitResult.ABSENT: _("done (absent)"), VisitResult.LEFT: _("done (left)"),
                VisitResult.NOT_FOUND: _("done (not found)")}[task.result]
    return {VisitStatus.OPEN: _("open"), VisitStatus.DONE: _("done"),
            VisitStatus.CANCELLED: _("cancelled")}[task.status]


def _report_on_flag(session: Session, task: VisitTask, user: User) -> None:
    """The flag the visit was for: in hand (if still open), the visit's finding added to its
    outcome. Deciding it (confirmed, dismissed) stays with the post, in the queue."""
    flag = session.get(RiskFlag, task.flag_id)
    if flag is None or flag.status == FlagStatus.CLEARED:
        return
    if flag.status == FlagStatus.OPEN:
        flag.status, flag.decided_by_id, flag.decided_at = FlagStatus.IN_HAND, user.id, utcnow()
    line = f"home visit {task.id}: {task.result.value if task.result else ''}"
    if task.notes:
        line += f" — {task.notes}"
    flag.outcome = ((flag.outcome + "\n") if flag.outcome else "") + line
    flag.outcome = flag.outcome[-4000:]


def cancel(session: Session, *, user: User, task_id: int, reason: str = "") -> VisitTask:
    _may_make(user)
    task, _resident = get(session, user=user, task_id=task_id)
    if task.status != VisitStatus.OPEN:
        raise Conflict(_("This home visit is %(state)s already.") % {"state": _state_word(task)})
    task.status = VisitStatus.CANCELLED
    if reason.strip():
        task.notes = reason.strip()[:4000]
    session.flush()
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind=KIND,
                 record_id=task.id, summary=f"home visit {task.id} cancelled",
                 reason=reason.strip()[:200] or None)
    return task


def _addresses(session: Session, ids: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    rows = session.execute(select(ResidencePeriod.resident_id, ResidencePeriod.address)
                           .where(ResidencePeriod.resident_id.in_(ids),
                                  ResidencePeriod.until.is_(None), ResidencePeriod.address != "")
                           .order_by(ResidencePeriod.since))
    for rid, address in rows:
        found[rid] = address  # the latest period wins
    rows = session.execute(select(Resident.id, Household.address)
                           .join(Household, and_(Household.id == Resident.household_id))
                           .where(Resident.id.in_(ids), Household.address != ""))
    for rid, address in rows:
        found.setdefault(rid, address)
    return found


def field_kit(session: Session, *, user: User) -> dict[str, Any]:
    """What a phone keeps for visits with no network: the user's open tasks and, for each
    person, only what is needed at the door (name, village, address, photo). Personal data: each
    person handed out is written to the audit of reads (purpose: home visit)."""
    rows = session.execute(listing(user).limit(KIT_LIMIT)).all()
    ids = sorted({r.id for _t, r in rows})
    addresses = _addresses(session, ids) if ids else {}
    villages = {p.id: p.name for p in session.scalars(select(BorderPlace).where(
        BorderPlace.id.in_({r.village_id for _t, r in rows if r.village_id})))} if ids else {}
    persons: dict[int, dict[str, Any]] = {}
    for _task, r in rows:
        if r.id in persons:
            continue
        persons[r.id] = {"id": r.id, "name": r.name, "name_latin": r.name_latin,
                         "name_han": r.name_han, "village": villages.get(r.village_id, ""),
                         "address": addresses.get(r.id, ""), "photo_id": r.photo_id}
        access.audited_read(session, user=user, resident=r, purpose="home_visit",
                            via="visit field kit")
    session.flush()
    return {"generated_at": utcnow(),
            "tasks": [{"id": t.id, "resident_id": t.resident_id, "reason": t.reason, "due": t.due,
                       "flag_id": t.flag_id} for t, _r in rows],
            "persons": list(persons.values()),
            "results": [v.value for v in VisitResult]}
