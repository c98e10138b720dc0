"""The 24-hour hotline: take a call, handle it to closure, open a duty-log entry for it.

"一号接听、接听即办、一办到底" (one number, handled on answer, followed to the end): each call is
a case with a deadline from its kind (``deadlines.py``, ``duty/data/hotline.json``). The state
machine::

    open --accept/assign/callback--> in_progress --close--> closed --reopen--> in_progress
    open ------------------------------------------close--> closed

``note`` is allowed while the call is not closed; an action not allowed in the call's state is
a 409 naming the state. Closing needs the outcome (422 naming ``outcome``); reopening needs a
note saying why (422 naming ``note``). Every action is a row of the call's history.

Need-to-know: reads start from ``duty.access.hotline_query`` (404 when unseen); taking and
handling needs ``duty.hotline.handle`` (403). A call is AMBER to its own organisation by
default: it carries the caller's number.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, case, select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core import events
from bastion.core.db import utcnow
from bastion.core.errors import Conflict, Invalid
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.core.labels import label, register_labels, term
from bastion.core.marking import TLP, Distribution
from bastion.duty import access
from bastion.duty.hotline import deadlines
from bastion.duty.hotline.models import (
    CallAction,
    CallKind,
    CallLanguage,
    CallStatus,
    HotlineCall,
)
from bastion.duty.hotline.schemas import ActionIn, ActionOut, CallDetail, CallIn, CallOut
from bastion.duty.log.models import EntryKind, LogEntry, LogStep, Stage
from bastion.org import capabilities
from bastion.org.models import User
from bastion.org.sharing import MarkingIn, apply_marking, shares_of

KIND = HotlineCall.record_kind
FUTURE_SLACK = timedelta(minutes=5)  # a clock a little ahead is not a call from the future

# action -> the states it may be taken from, and the state it leaves the call in (None: same)
MOVES: dict[str, tuple[tuple[CallStatus, ...], CallStatus | None]] = {
    "accept": ((CallStatus.OPEN,), CallStatus.IN_PROGRESS),
    "assign": ((CallStatus.OPEN, CallStatus.IN_PROGRESS), CallStatus.IN_PROGRESS),
    "note": ((CallStatus.OPEN, CallStatus.IN_PROGRESS), None),
    "callback": ((CallStatus.OPEN, CallStatus.IN_PROGRESS), CallStatus.IN_PROGRESS),
    "close": ((CallStatus.OPEN, CallStatus.IN_PROGRESS), CallStatus.CLOSED),
    "reopen": ((CallStatus.CLOSED,), CallStatus.IN_PROGRESS),
}


# --- reading ------------------------------------------------------------------------------

def list_query(user: User, *, status: CallStatus | None = None, kind: CallKind | None = None,
               language: CallLanguage | None = None, overdue: bool | None = None,
               now: datetime | None = None) -> Select[tuple[HotlineCall]]:
    """The calls the user may read (403 without ``duty.hotline.read``): open ones first by
    their deadline, then closed ones newest first."""
    capabilities.require(user, "duty.hotline.read")
    query = access.hotline_query(user)
    if status is not None:
        query = query.where(HotlineCall.status == status)
    if kind is not None:
        query = query.where(HotlineCall.kind == kind)
    if language is not None:
        query = query.where(HotlineCall.language == language)
    if overdue is not None:
        late = (HotlineCall.status != CallStatus.CLOSED) & (HotlineCall.due_at < (now or utcnow()))
        query = query.where(late if overdue else ~late)
    closed = case((HotlineCall.status == CallStatus.CLOSED, 1), else_=0)
    return query.order_by(closed, HotlineCall.due_at, HotlineCall.id)


def get(session: Session, *, user: User, call_id: int) -> HotlineCall:
    """One call: 403 without ``duty.hotline.read``, 404 when unseen."""
    capabilities.require(user, "duty.hotline.read")
    return access.find_call(session, user=user, call_id=call_id)


def log_entry_of(session: Session, call: HotlineCall) -> int | None:
    return session.scalar(select(LogEntry.id).where(LogEntry.hotline_call_id == call.id)
                          .order_by(LogEntry.id).limit(1))


def public(call: HotlineCall, *, log_entry_id: int | None = None,
           now: datetime | None = None) -> CallOut:
    closed = call.status == CallStatus.CLOSED
    return CallOut(
        id=call.id, client_id=call.client_id, unit_id=call.unit_id, received_at=call.received_at,
        language=call.language, language_label=label(call.language), kind=call.kind,
        kind_label=label(call.kind), caller_name=call.caller_name,
        caller_number=call.caller_number, summary=call.summary, due_at=call.due_at,
        overdue=deadlines.overdue(call, now or utcnow()), status=call.status,
        status_label=label(call.status), assignee_id=call.assignee_id,
        closed_at=call.closed_at, on_time=deadlines.on_time(call) if closed else None,
        outcome=call.outcome, taken_by_id=call.taken_by_id,
        escalated_level=call.escalated_level, exercise=call.exercise, synthetic=call.synthetic,
        log_entry_id=log_entry_id)


def history(session: Session, call: HotlineCall) -> list[ActionOut]:
    rows = session.execute(select(CallAction, User.display_name).join(
        User, User.id == CallAction.by_user_id).where(CallAction.call_id == call.id)
        .order_by(CallAction.at, CallAction.id)).all()
    return [ActionOut(id=a.id, action=a.action, action_label=term(a.action, "hotline_action"),
                      note=a.note, by_user_id=a.by_user_id, by_name=name, at=a.at)
            for a, name in rows]


def detail(session: Session, call: HotlineCall) -> CallDetail:
    return CallDetail(**public(call, log_entry_id=log_entry_of(session, call)).model_dump(),
                      actions=history(session, call))


# --- taking a call ------------------------------------------------------------------------

def _replay(session: Session, user: User, data: CallIn) -> HotlineCall | None:
    """A client id sent again: the same call is a replay; anything else is a 409."""
    if data.client_id is None:
        return None
    stored = session.scalar(select(HotlineCall).where(
        HotlineCall.client_id == str(data.client_id)))
    if stored is None:
        return None
    if session.scalar(access.hotline_query(user).where(HotlineCall.id == stored.id)) is None:
        raise Conflict(_("This client id is already used."), field="client_id")
    given = {"received_at": data.received_at, "language": data.language, "kind": data.kind,
             "caller_number": data.caller_number, "summary": data.summary}
    for field, value in given.items():
        if getattr(stored, field) != value:
            raise Conflict(_("The call was sent before with a different %(field)s.")
                           % {"field": field}, field=field)
    return stored


def take(session: Session, *, user: User, data: CallIn,
         now: datetime | None = None) -> tuple[HotlineCall, bool]:
    """Record a call taken on the hotline; its deadline follows from its kind. Returns the
    call and whether it was new (False: a replay of the same client id)."""
    capabilities.require(user, "duty.hotline.handle")
    now = now or utcnow()
    stored = _replay(session, user, data)
    if stored is not None:
        return stored, False
    if data.received_at > now + FUTURE_SLACK:
        raise Invalid(_("The call cannot have been received in the future."),
                      field="received_at")
    if data.open_log_entry:
        capabilities.require(user, "duty.log.write")
    call = HotlineCall(
        client_id=str(data.client_id) if data.client_id else None, unit_id=user.agency_id,
        owner_org_id=user.organisation_id, created_by_id=user.id, taken_by_id=user.id,
        received_at=data.received_at, language=data.language, kind=data.kind,
        caller_name=data.caller_name.strip(), caller_number=data.caller_number.strip(),
        summary=data.summary.strip(), due_at=deadlines.due_at(data.kind, data.received_at),
        status=CallStatus.OPEN, exercise=data.exercise, created_at=now)
    if not call.summary:
        raise Invalid(_("Say what the call is about."), field="summary")
    session.add(call)
    session.flush()
    apply_marking(session, call, data.marking or MarkingIn(tlp=TLP.AMBER,
                                                           distribution=Distribution.OWN))
    session.add(CallAction(call_id=call.id, action="received", by_user_id=user.id, at=now,
                           note=""))
    session.flush()
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind=KIND,
                 record_id=call.id, summary=f"hotline call {call.id} taken",
                 detail={"kind": call.kind.value, "language": call.language.value,
                         "due_at": call.due_at.isoformat()})
    _emit(session, user, call, "received")
    if data.open_log_entry:
        open_log_entry(session, user=user, call=call, now=now)
    return call, True


# --- handling -----------------------------------------------------------------------------

def _assignee(session: Session, call: HotlineCall, assignee_id: int | None) -> User:
    if assignee_id is None:
        raise Invalid(_("Choose whom to assign the call to."), field="assignee_id")
    person = session.get(User, assignee_id)
    if (person is None or not person.active or person.system
            or person.organisation_id != call.owner_org_id
            or not capabilities.can(person, "duty.hotline.handle")):
        raise Invalid(_("Assign the call to a hotline handler of its organisation."),
                      field="assignee_id")
    return person


def act(session: Session, *, user: User, call_id: int, data: ActionIn,
        now: datetime | None = None) -> HotlineCall:
    """One action on a call (see the module's state machine)."""
    call = get(session, user=user, call_id=call_id)
    capabilities.require(user, "duty.hotline.handle")
    now = now or utcnow()
    allowed, after = MOVES[data.action]
    if call.status not in allowed:
        raise Conflict(_("The call is %(status)s: %(action)s is not possible.")
                       % {"status": label(call.status),
                          "action": term(data.action, "hotline_button")}, field="status")
    note = data.note.strip()
    if data.action in ("note", "reopen") and not note:
        raise Invalid(_("Write the note."), field="note")
    if data.action == "close":
        outcome = data.outcome.strip()
        if not outcome:
            raise Invalid(_("Say how the call was dealt with."), field="outcome")
        call.outcome, call.closed_at = outcome, now
        note = note or outcome
    elif data.action == "reopen":
        call.closed_at = None
    elif data.action == "assign":
        person = _assignee(session, call, data.assignee_id)
        call.assignee_id = person.id
        note = note or person.display_name
    elif data.action == "accept" and call.assignee_id is None:
        call.assignee_id = user.id
    if after is not None:
        call.status = after
    session.add(CallAction(call_id=call.id, action=data.action, note=note, by_user_id=user.id,
                           at=now))
    session.flush()
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind=KIND,
                 record_id=call.id, summary=f"hotline call {call.id}: {data.action}",
                 reason=note or None)
    _emit(session, user, call, data.action, assignee_id=call.assignee_id)
    return call


def open_log_entry(session: Session, *, user: User, call: HotlineCall,
                   now: datetime | None = None) -> LogEntry:
    """Record the call in the duty log: an entry of kind ``call`` with the five elements and
    its first step (received), due when the call is; marked as the call is (it carries the
    caller's number). One entry a call (409 for a second)."""
    capabilities.require(user, "duty.log.write")
    if log_entry_of(session, call) is not None:
        raise Conflict(_("The call is already in the duty log."))
    now = now or utcnow()
    entry = LogEntry(
        unit_id=call.unit_id, owner_org_id=call.owner_org_id, created_by_id=user.id,
        kind=EntryKind.CALL, occurred_at=call.received_at,
        caller_unit=_("Hotline (%(language)s)") % {"language": label(call.language)},
        caller_name=call.caller_name, caller_number=call.caller_number,
        content=f"[{label(call.kind)}] {call.summary}", recorded_by_id=user.id,
        recorded_at=now, hotline_call_id=call.id, exercise=call.exercise,
        synthetic=call.synthetic)
    session.add(entry)
    session.flush()
    shares = shares_of(session, KIND, [call.id]).get(call.id, [])
    apply_marking(session, entry, MarkingIn(
        tlp=call.tlp, distribution=call.distribution, personal=call.personal,
        agency_ids=[s.agency_id for s in shares if s.agency_id is not None],
        recipient_ids=[s.user_id for s in shares if s.user_id is not None]))
    session.add(LogStep(entry_id=entry.id, stage=Stage.RECEIVED, by_user_id=user.id, at=now,
                        next_due_at=call.due_at))
    session.flush()
    audit.record(session, action=AuditAction.CREATE, actor=user,
                 record_kind=LogEntry.record_kind, record_id=entry.id,
                 summary=f"duty-log entry {entry.id} from hotline call {call.id}")
    events.emit(session, kind="duty_log.received", actor_id=user.id,
                record_kind=LogEntry.record_kind, record_id=entry.id,
                payload={"hotline_call_id": call.id, "stage": Stage.RECEIVED.value})
    return entry


def _emit(session: Session, user: User | None, call: HotlineCall, action: str,
          **extra: Any) -> None:
    events.emit(session, kind=f"hotline.{action}", actor_id=user.id if user else None,
                record_kind=KIND, record_id=call.id,
                payload={"status": call.status.value, "kind": call.kind.value,
                         "due_at": call.due_at.isoformat(), **extra})


# --- words ----------------------------------------------------------------------------------

register_labels(CallKind, labels={
    CallKind.EMERGENCY.value: lazy("Emergency"), CallKind.REPORT.value: lazy("Tip-off"),
    CallKind.ENQUIRY.value: lazy("Enquiry"), CallKind.COMPLAINT.value: lazy("Complaint"),
    CallKind.OTHER.value: lazy("Other")})
register_labels(CallLanguage, labels={
    CallLanguage.ZH.value: lazy("Chinese"), CallLanguage.EN.value: lazy("English"),
    CallLanguage.VI.value: lazy("Vietnamese")})
register_labels(CallStatus, labels={
    CallStatus.OPEN.value: lazy("Not yet handled"),
    CallStatus.IN_PROGRESS.value: lazy("Being handled"), CallStatus.CLOSED.value: lazy("Closed")})
register_labels(namespace="hotline_action", labels={
    "received": lazy("Call received"), "accept": lazy("Taken up"), "assign": lazy("Assigned"),
    "note": lazy("Progress note"), "callback": lazy("Called back"),
    "close": lazy("Closed with an outcome"), "reopen": lazy("Reopened")})
# the buttons, and the 409's "... is not possible"
register_labels(namespace="hotline_button", labels={
    "accept": lazy("Take up"), "assign": lazy("Assign"), "note": lazy("Add a note"),
    "callback": lazy("Record a call-back"), "close": lazy("Close the call"),
    "reopen": lazy("Reopen")})
register_labels(namespace="record_kind", labels={KIND: lazy("Hotline call")})
