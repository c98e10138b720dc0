"""Each upload is an event in the call's history: which form, which version, how many rows,
who sent it and through which channel (file, rows, copy forward, one row in the web form)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bastion.clearance.calls.models import Declaration, PortCall
from bastion.core import workflow
from bastion.org.models import User

KIND = "port_call"  # the call's record kind (calls.service.KIND)


def record_upload(session: Session, *, user: User, call: PortCall, declaration: Declaration,
                  channel: str = "file") -> None:
    workflow.record(session, kind="portcall.declaration", record_kind=KIND, record_id=call.id,
                    actor_id=user.id, action="declaration", before=call.state,
                    after=call.state, reason=None, form=declaration.form,
                    version=declaration.version, rows=len(declaration.rows),
                    filename=declaration.filename, channel=channel)
