"""The duty log (值班日志): recording an entry with its five elements, moving it forward
through 接报-报告-传达-跟踪 (received, reported, relayed, following up, closed), correcting it
with a new entry, and reading it with need-to-know (``duty.access.log_query``).

Append-only: nothing here changes or deletes an entry's text; a step is a new row and a
correction a new entry. The entry's stage is its latest step's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session, aliased

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core import events
from bastion.core.db import utcnow
from bastion.core.errors import Conflict, Forbidden, Invalid
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.core.labels import label, register_labels
from bastion.core.marking import TLP, Distribution
from bastion.duty import access
from bastion.duty.days import within as day_within
from bastion.duty.log.models import EntryKind, LogEntry, LogStep, Stage
from bastion.duty.log.schemas import LogEntryIn, LogEntryOut, StepIn, StepOut
from bastion.org import capabilities
from bastion.org.models import Agency, User
from bastion.org.sharing import MarkingIn, apply_marking, marking_out, shares_of

ORDER = [Stage.RECEIVED, Stage.REPORTED, Stage.RELAYED, Stage.FOLLOWING_UP, Stage.CLOSED]

# Default deadline for the next step, by the kind of entry (received -> reported) and then by
# the stage reached. Source: the common rule of Chinese duty offices for 突发事件信息报送 --
# report a call or report up by telephone within 30 minutes of receiving it, in writing within
# an hour; relay the leader's instruction at once and follow up within the day. These are the
# defaults only: each step may set its own ``next_due_at``. None: no deadline (a note).
FIRST_DUE_MIN: dict[EntryKind, int | None] = {
    EntryKind.CALL: 30, EntryKind.REPORT: 30, EntryKind.EVENT: 30,
    EntryKind.INSTRUCTION: 60, EntryKind.NOTE: None}
NEXT_DUE_MIN: dict[Stage, int | None] = {
    Stage.REPORTED: 60,  # relay the leader's instruction within the hour
    Stage.RELAYED: 24 * 60,  # follow up within the day
    Stage.FOLLOWING_UP: 24 * 60,  # close (or follow up again) within the day
    Stage.CLOSED: None}
FUTURE_SLACK = timedelta(minutes=5)  # a clock a little ahead is not a mistake

register_labels(EntryKind, labels={
    EntryKind.CALL.value: lazy("Telephone call"), EntryKind.REPORT.value: lazy("Report"),
    EntryKind.INSTRUCTION.value: lazy("Instruction from above"),
    EntryKind.EVENT.value: lazy("Event on duty"), EntryKind.NOTE.value: lazy("Note")})
register_labels(Stage, labels={
    Stage.RECEIVED.value: lazy("Received on duty"), Stage.REPORTED.value: lazy("Reported"),
    Stage.RELAYED.value: lazy("Relayed"), Stage.FOLLOWING_UP.value: lazy("Following up"),
    Stage.CLOSED.value: lazy("Closed out")})
register_labels(namespace="record_kind", labels={
    LogEntry.record_kind: lazy("Duty-log entry")})
# the stages as plain words too (the audit page shows "duty log entry 7: reported")
register_labels(namespace="duty_stage", labels={
    Stage.RECEIVED.value: lazy("Received on duty"), Stage.REPORTED.value: lazy("Reported"),
    Stage.RELAYED.value: lazy("Relayed"), Stage.FOLLOWING_UP.value: lazy("Following up"),
    Stage.CLOSED.value: lazy("Closed out")})


# --- reading ------------------------------------------------------------------------------

def latest_step_id():
    return (select(LogStep.id).where(LogStep.entry_id == LogEntry.id)
            .order_by(LogStep.id.desc()).limit(1).correlate(LogEntry).scalar_subquery())


def stage_column():
    return (select(LogStep.stage).where(LogStep.entry_id == LogEntry.id)
            .order_by(LogStep.id.desc()).limit(1).correlate(LogEntry).scalar_subquery())


def corrected():
    newer = aliased(LogEntry)
    return exists(select(newer.id).where(newer.corrects_id == LogEntry.id))


def open_clause():
    """Not closed and not replaced by a correction."""
    return (stage_column() != Stage.CLOSED.value) & ~corrected()


def local_day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=ZoneInfo(zone))
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)


def list_query(user: User, *, day: date | None = None, stage: Stage | None = None,
               open_only: bool = False, unit_id: int | None = None,
               zone: str = "Asia/Shanghai") -> Select[tuple[LogEntry]]:
    capabilities.require(user, "duty.log.read")
    query = access.log_query(user)
    if day is not None:
        start, end = local_day_bounds(day_within(day, "day"), zone)
        query = query.where(LogEntry.occurred_at >= start, LogEntry.occurred_at < end)
    if stage is not None:
        query = query.where(stage_column() == stage.value)
    if open_only:
        query = query.where(open_clause())
    if unit_id is not None:
        query = query.where(LogEntry.unit_id == unit_id)
    return query.order_by(LogEntry.occurred_at.desc(), LogEntry.id.desc())


def get(session: Session, *, user: User, entry_id: int) -> LogEntry:
    capabilities.require(user, "duty.log.read")
    return access.find_log_entry(session, user=user, entry_id=entry_id)


def steps_of(session: Session, entry: LogEntry) -> list[LogStep]:
    return list(session.scalars(select(LogStep).where(LogStep.entry_id == entry.id)
                                .order_by(LogStep.id)))


def latest(session: Session, entry: LogEntry) -> LogStep:
    step = session.scalar(select(LogStep).where(LogStep.entry_id == entry.id)
                          .order_by(LogStep.id.desc()).limit(1))
    assert step is not None  # every entry is created with its first step
    return step


def corrected_by(session: Session, entry: LogEntry) -> LogEntry | None:
    return session.scalar(select(LogEntry).where(LogEntry.corrects_id == entry.id)
                          .order_by(LogEntry.id).limit(1))


def step_public(step: LogStep) -> StepOut:
    return StepOut(id=step.id, stage=step.stage, note=step.note, to_whom=step.to_whom,
                   next_due_at=step.next_due_at, by_user_id=step.by_user_id, at=step.at,
                   escalated_level=step.escalated_level)


def public(session: Session, entry: LogEntry, *, with_steps: bool = False) -> LogEntryOut:
    steps = steps_of(session, entry)
    newer = corrected_by(session, entry)
    return LogEntryOut(
        id=entry.id, client_id=entry.client_id, unit_id=entry.unit_id, kind=entry.kind,
        occurred_at=entry.occurred_at, caller_unit=entry.caller_unit,
        caller_name=entry.caller_name, caller_number=entry.caller_number,
        content=entry.content, instruction=entry.instruction, handling=entry.handling,
        recorded_by_id=entry.recorded_by_id, recorded_at=entry.recorded_at,
        corrects_id=entry.corrects_id, corrected_by_id=newer.id if newer else None,
        hotline_call_id=entry.hotline_call_id, stage=steps[-1].stage,
        next_due_at=steps[-1].next_due_at, tlp=entry.tlp.value,
        distribution=entry.distribution.value, exercise=entry.exercise,
        synthetic=entry.synthetic,
        steps=[step_public(s) for s in steps] if with_steps else None)


# --- writing ------------------------------------------------------------------------------

def _unit(session: Session, user: User, unit_id: int | None) -> int:
    """The recorder's own unit, or (from the organisation's top unit) one of its units."""
    if unit_id is None or unit_id == user.agency_id:
        return user.agency_id
    unit = session.get(Agency, unit_id)
    if unit is None or unit.organisation_id != user.organisation_id \
            or user.agency_id != user.organisation_id:
        raise Invalid(_("You can record only in your own unit's log."), field="unit_id")
    return unit.id


def _check_time(value: datetime, field: str, now: datetime) -> None:
    if value > now + FUTURE_SLACK:
        raise Invalid(_("This time is in the future."), field=field)


def _due(minutes: int | None, now: datetime) -> datetime | None:
    return None if minutes is None else now + timedelta(minutes=minutes)


def _own(user: User, entry: LogEntry) -> None:
    """Only the organisation whose log it is moves an entry on or corrects it (a partner
    it was shared with reads it)."""
    if entry.owner_org_id != user.organisation_id:
        raise Forbidden(_("Only the organisation that keeps this log can change it."))


def _emit(session: Session, user: User | None, entry: LogEntry, kind: str, **payload: Any):
    events.emit(session, kind=kind, actor_id=user.id if user else None,
                record_kind=LogEntry.record_kind, record_id=entry.id,
                payload={"unit_id": entry.unit_id, **payload})


def record(session: Session, *, user: User, data: LogEntryIn, now: datetime | None = None,
           corrects: LogEntry | None = None, synthetic: bool = False,
           ) -> tuple[LogEntry, bool]:
    """A new entry and its first step (received, due to be reported by the kind's default).
    The same ``client_id`` again returns the stored entry (``created`` False)."""
    capabilities.require(user, "duty.log.write")
    now = now or utcnow()
    client_id = str(data.client_id) if data.client_id else None
    if client_id:
        stored = session.scalar(select(LogEntry).where(LogEntry.client_id == client_id))
        if stored is not None:
            if stored.recorded_by_id != user.id:
                raise Conflict(_("This client id belongs to another entry."), field="client_id")
            return stored, False
    _check_time(data.occurred_at, "occurred_at", now)
    entry = LogEntry(
        client_id=client_id, unit_id=_unit(session, user, data.unit_id), kind=data.kind,
        occurred_at=data.occurred_at, caller_unit=data.caller_unit.strip(),
        caller_name=data.caller_name.strip(), caller_number=data.caller_number.strip(),
        content=data.content.strip(), instruction=data.instruction.strip(),
        handling=data.handling.strip(), recorded_by_id=user.id, recorded_at=now,
        corrects_id=corrects.id if corrects else None, exercise=data.exercise,
        synthetic=synthetic, owner_org_id=user.organisation_id, created_by_id=user.id)
    if not entry.content:
        raise Invalid(_("Say what the call or report was about."), field="content")
    session.add(entry)
    session.flush()
    apply_marking(session, entry, data.marking or MarkingIn(tlp=TLP.GREEN,
                                                            distribution=Distribution.OWN))
    if corrects is not None:  # the correction carries the old entry's progress on
        before = latest(session, corrects)
        stage, due = before.stage, before.next_due_at
        note = _("Correction of entry #{n}.").format(n=corrects.id)
    else:
        stage, due, note = Stage.RECEIVED, _due(FIRST_DUE_MIN[data.kind], now), ""
    session.add(LogStep(entry_id=entry.id, stage=stage, note=note, next_due_at=due,
                        by_user_id=user.id, at=now))
    session.flush()
    summary = (f"duty log entry {entry.id} corrects {corrects.id}" if corrects
               else f"duty log entry {entry.id}")
    audit.record(session, action=AuditAction.CREATE, actor=user,
                 record_kind=LogEntry.record_kind, record_id=entry.id, summary=summary)
    _emit(session, user, entry, "duty.log.recorded", corrects_id=entry.corrects_id)
    return entry, True


def add_step(session: Session, *, user: User, entry: LogEntry, data: StepIn,
             now: datetime | None = None) -> LogStep:
    """The next step; only forward (409 naming the stage the entry is at)."""
    capabilities.require(user, "duty.log.write")
    _own(user, entry)
    now = now or utcnow()
    newer = corrected_by(session, entry)
    if newer is not None:
        raise Conflict(_("This entry was corrected by entry #{n}; continue there.").format(
            n=newer.id), field="stage")
    current = latest(session, entry)
    if current.stage == Stage.CLOSED:
        raise Conflict(_("The entry is closed."), field="stage")
    if ORDER.index(data.stage) <= ORDER.index(current.stage):
        raise Conflict(_("The entry is already at the stage “{stage}”: a step only moves "
                         "forward.").format(stage=label(current.stage)), field="stage")
    if data.next_due_at is not None:
        if data.stage == Stage.CLOSED:
            raise Invalid(_("A closed entry has no next deadline."), field="next_due_at")
        if data.next_due_at <= now:
            raise Invalid(_("The next deadline must be in the future."), field="next_due_at")
    due = data.next_due_at or _due(NEXT_DUE_MIN[data.stage], now)
    step = LogStep(entry_id=entry.id, stage=data.stage, note=data.note.strip(),
                   to_whom=data.to_whom.strip(), next_due_at=due, by_user_id=user.id, at=now)
    session.add(step)
    session.flush()
    audit.record(session, action=AuditAction.UPDATE, actor=user,
                 record_kind=LogEntry.record_kind, record_id=entry.id,
                 summary=f"duty log entry {entry.id}: {data.stage.value}")
    _emit(session, user, entry, "duty.log.step", stage=data.stage.value)
    return step


def correct(session: Session, *, user: User, entry: LogEntry, data: LogEntryIn,
            now: datetime | None = None) -> tuple[LogEntry, bool]:
    """A correction is a new entry pointing at the old one, which then reads "corrected by";
    an entry is corrected once (correct the correction after that)."""
    capabilities.require(user, "duty.log.write")
    _own(user, entry)
    newer = corrected_by(session, entry)
    if newer is not None:
        if data.client_id and newer.client_id == str(data.client_id):
            return newer, False
        raise Conflict(_("This entry was already corrected by entry #{n}.").format(
            n=newer.id), field="corrects_id")
    if data.marking is None:  # the correction is shared as the entry it corrects
        data = data.model_copy(update={"marking": MarkingIn(**marking_out(
            entry, shares_of(session, LogEntry.record_kind, [entry.id]).get(entry.id, []),
        ).model_dump())})
    if data.unit_id is None:
        data = data.model_copy(update={"unit_id": entry.unit_id})
    return record(session, user=user, data=data, now=now, corrects=entry)
