"""Reading declarations, comparing versions, copying lists forward, adding one row.

Who reads rows: the call's agent (its own), and officers of agencies that read declarations
(``declarations.read``) among those who see the call; the health forms need ``health.read``
besides. Every read of rows is audited (passport and medical data).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.clearance.calls import service as calls
from bastion.clearance.calls.models import Declaration, PortCall
from bastion.clearance.declarations import jsonrows
from bastion.clearance.declarations.forms import ARRIVAL_FORMS, DEPARTURE_FORMS, FORMS
from bastion.clearance.departure import service as departure
from bastion.clearance.health import service as health
from bastion.clearance.workspace import diff
from bastion.core.errors import Forbidden, Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.org import capabilities
from bastion.org.models import User

OUTBOUND = {v: k for k, v in DEPARTURE_FORMS.items()}  # crew_out -> crew
COPYABLE = ("crew", "passengers", "stores", "effects")


def _own(user: User, call: PortCall) -> bool:
    return calls.is_agent(user) and call.agent_org_id == user.organisation_id


def may_read(user: User, call: PortCall, form: str) -> bool:
    """By function; an agent sees only its own calls already (calls.visible)."""
    return capabilities.can(user, "health.read" if form in health.FORMS
                            else "declarations.read")


def _require(user: User, call: PortCall, form: str) -> None:
    if form not in FORMS:
        raise NotFound(_("No such form."))
    if not may_read(user, call, form):
        raise Forbidden(_("Your agency does not read this declaration."))


def listing(session: Session, *, user: User, call: PortCall) -> list[Declaration]:
    """The versions of each form this user may read (metadata only, no rows)."""
    found = session.scalars(select(Declaration).where(Declaration.call_id == call.id)
                            .order_by(Declaration.form, Declaration.version))
    return [d for d in found if may_read(user, call, d.form)]


def metadata(session: Session, *, user: User, call: PortCall) -> list[Declaration]:
    """What the call page lists (form, version, file name): every version, except the health
    declaration's for those who may not read it; ``readable`` tells which open as tables."""
    found = session.scalars(select(Declaration).where(Declaration.call_id == call.id)
                            .order_by(Declaration.form, Declaration.version))
    return [d for d in found if d.form not in health.FORMS or may_read(user, call, d.form)]


def get(session: Session, *, user: User, call: PortCall, form: str,
        version: int | None = None, purpose: str | None = None) -> Declaration:
    """One version (the latest by default) with its rows: an audited read."""
    _require(user, call, form)
    query = select(Declaration).where(Declaration.call_id == call.id, Declaration.form == form)
    query = query.where(Declaration.version == version) if version else \
        query.order_by(Declaration.version.desc()).limit(1)
    declaration = session.scalar(query)
    if declaration is None:
        raise NotFound(_("No such declaration version."))
    audit.record(session, action=AuditAction.READ, actor=user, record_kind="declaration",
                 record_id=declaration.id, reason=purpose,
                 summary=f"{form} v{declaration.version} call {call.id}: rows read")
    return declaration


def compare(session: Session, *, user: User, call: PortCall, form: str, old: int,
            new: int | None = None) -> dict[str, Any]:
    later = get(session, user=user, call=call, form=form, version=new)
    earlier = get(session, user=user, call=call, form=form, version=old)
    return {"form": form, "from": earlier.version, "to": later.version,
            **diff.compare(form, earlier.rows, later.rows)}


def submit_rows(session: Session, *, user: User, call: PortCall, form: str,
                rows: list[dict[str, Any]], filename: str, channel: str) -> Declaration:
    """Rows as objects, through the file validator (jsonrows): each error names the
    position in ``rows`` and the field."""
    if form not in FORMS:
        raise Invalid(_("Unknown form."), field="form")
    body, problems = jsonrows.to_csv(form, rows)
    if problems:
        error = Invalid(_("The rows have {n} errors; nothing was stored.").format(
            n=len(problems)), field="rows")
        error.errors = problems  # type: ignore[attr-defined]
        raise error
    try:
        if form in ARRIVAL_FORMS:
            return calls.upload(session, user=user, call=call, form=form, data=body,
                                filename=filename)
        if form in OUTBOUND:
            return departure.upload(session, user=user, call=call, which=OUTBOUND[form],
                                    data=body, filename=filename, channel=channel)
        return health.upload(session, user=user, call=call, form=form, data=body,
                             filename=filename, channel=channel)
    except Invalid as exc:
        if getattr(exc, "errors", None):
            exc.errors = jsonrows.renamed(form, exc.errors)  # type: ignore[attr-defined]
            exc.field = "rows"
        raise


def _plain(rows: list[dict[str, Any]], form: str) -> list[dict[str, Any]]:
    keys = {c.key for c in FORMS[form]}
    return [{k: v for k, v in row.items() if k in keys and v is not None} for row in rows]


def add_row(session: Session, *, user: User, call: PortCall, form: str,
            row: dict[str, Any]) -> Declaration:
    """One row typed in the web form: the latest version plus this row, as a new version,
    checked like any upload."""
    current = session.scalar(select(Declaration).where(
        Declaration.call_id == call.id, Declaration.form == form)
        .order_by(Declaration.version.desc()).limit(1))
    rows = _plain(current.rows, form) if current else []
    row = {k: v for k, v in row.items() if v not in (None, "")}
    return submit_rows(session, user=user, call=call, form=form, rows=[*rows, row],
                       filename=f"{form}.json", channel="row")


def copy_forward(session: Session, *, user: User, call: PortCall, source: PortCall,
                 forms: list[str] | None = None) -> list[Declaration]:
    """Start this call's lists from an earlier call's (the same agent's): each list is
    checked again against this call (a passport valid then may have expired), all or none."""
    if not _own(user, call) or source.agent_org_id != user.organisation_id:
        raise Forbidden(_("Only the call's agent copies its own lists."))
    if source.id == call.id:
        raise Invalid(_("Choose an earlier call."), field="source_id")
    if forms is not None and not forms:
        raise Invalid(_("Choose at least one list to copy."), field="forms")
    forms = forms or ["crew", "passengers"]
    stored = []
    for form in forms:
        if form not in COPYABLE:
            raise Invalid(_("Unknown form."), field="forms")
        # the departure lists of the earlier call are who sailed on: the best start, when
        # declared; else its arrival lists
        source_form = DEPARTURE_FORMS.get(form)
        previous = None
        for name in (source_form, form):
            if name and previous is None:
                previous = session.scalar(select(Declaration).where(
                    Declaration.call_id == source.id, Declaration.form == name)
                    .order_by(Declaration.version.desc()).limit(1))
        if previous is None:
            continue
        rows = _plain(previous.rows, form)
        current = session.scalar(select(Declaration).where(
            Declaration.call_id == call.id, Declaration.form == form)
            .order_by(Declaration.version.desc()).limit(1))
        if current is not None and _plain(current.rows, form) == rows:
            stored.append(current)  # copied already: a repeated click stores nothing new
            continue
        stored.append(submit_rows(session, user=user, call=call, form=form, rows=rows,
                                  filename=f"{form}.json", channel="copy"))
    if not stored:
        raise Invalid(_("The earlier call has none of these lists."), field="source_id")
    return stored


def earlier_calls(session: Session, *, user: User, call: PortCall) -> list[PortCall]:
    """The agent's other calls, latest first: candidates to copy from."""
    if not _own(user, call):
        return []
    return list(session.scalars(select(PortCall).where(
        PortCall.agent_org_id == user.organisation_id, PortCall.id != call.id)
        .order_by(PortCall.id.desc()).limit(50)))
