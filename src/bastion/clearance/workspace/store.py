"""Storing a checked declaration as its next version, for the paths outside the arrival
upload (departure lists, health declaration): the same validator, all rows or none."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.clearance.calls.models import Declaration, PortCall
from bastion.clearance.declarations.validate import validate_bytes
from bastion.clearance.workspace.history import record_upload
from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _
from bastion.org.models import User


def jsonable(row: Any) -> dict[str, Any]:
    data = dataclasses.asdict(row)
    return {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in data.items()}


def latest(session: Session, call: PortCall, form: str) -> Declaration | None:
    return session.scalar(select(Declaration).where(
        Declaration.call_id == call.id, Declaration.form == form)
        .order_by(Declaration.version.desc()).limit(1))


def store(session: Session, *, user: User, call: PortCall, form: str, data: bytes,
          filename: str, channel: str = "file") -> Declaration:
    result = validate_bytes(data, form, arrival=call.eta.date() if call.eta else None,
                            departure=call.etd.date() if call.etd else None)
    if not result.ok:
        error = Invalid(_("The file has {n} errors; nothing was stored.").format(
            n=len(result.errors)), field="file")
        error.errors = result.errors  # type: ignore[attr-defined]
        raise error
    previous = latest(session, call, form)
    declaration = Declaration(call_id=call.id, form=form,
                              version=(previous.version if previous else 0) + 1,
                              filename=filename[:255], uploaded_by_id=user.id,
                              rows=[jsonable(r) for r in result.rows],
                              warnings=[p.as_dict() for p in result.warnings])
    session.add(declaration)
    session.flush()
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind="declaration",
                 record_id=declaration.id, summary=f"{form} v{declaration.version} call {call.id}")
    record_upload(session, user=user, call=call, declaration=declaration, channel=channel)
    return declaration
