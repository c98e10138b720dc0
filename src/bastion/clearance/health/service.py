"""The Maritime Declaration of Health: the agent submits it, port health decides on it.

Need to know: medical particulars of named people. The call's agent (who declared them), the
station (whose officers board the ship) and customs — China's port health quarantine
authority (海关卫生检疫) — read it; customs alone records the decision. Other participating
agencies (maritime safety, police) do not read it: their function does not need it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.clearance.calls import service as calls
from bastion.clearance.calls.models import Declaration, PortCall
from bastion.clearance.health.models import HealthDecision
from bastion.clearance.workflow import State
from bastion.clearance.workspace import store
from bastion.core import workflow
from bastion.core.errors import Conflict, Forbidden, Invalid
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.org import capabilities
from bastion.org.models import User

FORMS = ("health", "health_ill")
# Port health decisions (IHR 2005 art. 28: free pratique, or pratique subject to measures).
DECISIONS = {"free_pratique": lazy("Free pratique"),
             "conditional": lazy("Pratique with sanitary measures"),
             "quarantine": lazy("Quarantine: no pratique")}
CLOSED = (State.CLEARED_OUT, State.DEPARTED, State.CANCELLED, State.REJECTED)


def require_reader(user: User, call: PortCall) -> None:
    """By function; an agent sees only its own calls already (calls.visible)."""
    capabilities.require(user, "health.read")


def upload(session: Session, *, user: User, call: PortCall, form: str, data: bytes,
           filename: str, channel: str = "file") -> Declaration:
    if form not in FORMS:
        raise Invalid(_("Unknown form."), field="form")
    if not calls.is_agent(user) or call.agent_org_id != user.organisation_id:
        raise Forbidden(_("Only the call's agent uploads its declarations."))
    capabilities.require(user, "portcalls.declare")
    if call.state in CLOSED:
        raise Invalid(_("Declarations cannot change in this state."), field="file")
    return store.store(session, user=user, call=call, form=form, data=data, filename=filename,
                       channel=channel)


def decide(session: Session, *, user: User, call: PortCall, decision: str,
           conditions: str | None = None) -> HealthDecision:
    """Customs records its port health decision on the latest declaration."""
    capabilities.require(user, "health.decide")
    if calls.is_agent(user) or user.organisation_id not in {p.agency_id
                                                            for p in call.participants}:
        raise Forbidden(_("Your agency does not take part in this clearance."))
    if decision not in DECISIONS:
        raise Invalid(_("Choose one of: {reasons}.").format(reasons=", ".join(DECISIONS)),
                      field="decision")
    conditions = (conditions or "").strip()[:4000] or None
    if decision != "free_pratique" and not conditions:
        raise Invalid(_("Say which sanitary measures apply."), field="conditions")
    declaration = store.latest(session, call, "health")
    if declaration is None:
        raise Conflict(_("No Maritime Declaration of Health has been submitted."))
    row = HealthDecision(call_id=call.id, declaration_id=declaration.id,
                         agency_id=user.organisation_id, decision=decision,
                         conditions=conditions, decided_by_id=user.id)
    session.add(row)
    session.flush()
    workflow.record(session, kind="portcall.health_decision", record_kind=calls.KIND,
                    record_id=call.id, actor_id=user.id, action="health_decision",
                    before=call.state, after=call.state, reason=conditions, decision=decision,
                    declaration_version=declaration.version)
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind=calls.KIND,
                 record_id=call.id, summary=f"port call {call.id}: health decision {decision}")
    return row


def decisions(session: Session, call: PortCall) -> list[HealthDecision]:
    return list(session.scalars(select(HealthDecision).where(HealthDecision.call_id == call.id)
                                .order_by(HealthDecision.id)))


def view(session: Session, *, user: User, call: PortCall) -> dict[str, Any]:
    """The latest declaration, its attachment and the decisions: a read of medical data,
    audited."""
    require_reader(user, call)
    declaration = store.latest(session, call, "health")
    ill = store.latest(session, call, "health_ill")
    audit.record(session, action=AuditAction.READ, actor=user, record_kind=calls.KIND,
                 record_id=call.id, summary=f"port call {call.id}: health declaration")
    answers = declaration.rows[0] if declaration and declaration.rows else None
    found = decisions(session, call)
    return {"declaration": answers, "version": declaration.version if declaration else None,
            "ill": ill.rows if ill else [], "ill_version": ill.version if ill else None,
            "alarming": _alarming(answers),
            "missing_attachment": bool(answers and (answers.get("ill_now") or answers.get(
                "deaths")) and not (ill and ill.rows)),
            "decisions": [{"decision": d.decision, "conditions": d.conditions,
                           "agency_id": d.agency_id, "decided_at": d.decided_at,
                           "declaration_id": d.declaration_id} for d in found],
            "decision": found[-1].decision if found else None,
            "may_decide": capabilities.can(user, "health.decide") and not calls.is_agent(user)
            and user.organisation_id in {p.agency_id for p in call.participants}}


ALARMING = ("affected_area", "deaths", "infectious_suspected", "ill_above_normal", "ill_now",
            "infection_condition", "sick_animals")


def _alarming(answers: dict[str, Any] | None) -> list[str]:
    """The answers port health must look at before free pratique."""
    return [k for k in ALARMING if answers and answers.get(k)]
