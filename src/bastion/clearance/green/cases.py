"""The open green-channel or expedited case of a call: looked up by the call's own workflow.

Kept apart from ``green.service`` (declare, acknowledge, escalate), which drives the call's
workflow through ``calls.service``: the workflow asks these questions without importing the
service that calls it, so the two never import each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.clearance.calls.models import PortCall
from bastion.clearance.green.models import Emergency
from bastion.core.db import utcnow


def open_case(session: Session, call: PortCall) -> Emergency | None:
    return session.scalar(select(Emergency).where(Emergency.call_id == call.id,
                                                  Emergency.closed_at.is_(None))
                          .order_by(Emergency.id.desc()).limit(1))


def cases(session: Session, call: PortCall) -> Sequence[Emergency]:
    return session.scalars(select(Emergency).where(Emergency.call_id == call.id)
                           .order_by(Emergency.id)).all()


def landed(session: Session, call: PortCall) -> list[dict[str, str | None]]:
    """The persons named on the call's medical cases, as the pre-check screens them: a name
    (``name``, or ``family_name`` and ``given_names``), and when given the date of birth,
    nationality and document number. ``ref`` is "<name> · G<case>.<n>"."""
    found = []
    for case in cases(session, call):
        for n, person in enumerate(case.persons or [], start=1):
            if not isinstance(person, dict):
                continue
            name = str(person.get("name") or " ".join(
                str(person.get(k) or "") for k in ("family_name", "given_names"))).strip()
            if not name:
                continue
            found.append({"name": name, "ref": f"{name} · G{case.id}.{n}",
                          "dob": _text(person.get("birth_date") or person.get("dob")),
                          "nationality": _text(person.get("nationality")),
                          "document_number": _text(person.get("document_number"))})
    return found


def _text(value: object) -> str | None:
    return str(value).strip() or None if value else None


def papers_outstanding(case: Emergency | None) -> bool:
    return case is not None and case.documents_to_follow and case.documents_completed_at is None


def documents_outstanding(session: Session, call: PortCall) -> bool:
    return papers_outstanding(open_case(session, call))


def close_for(session: Session, call: PortCall, now: datetime | None = None) -> None:
    """Cleared in (or cancelled, rejected): the case is over; its record and timers stay."""
    case = open_case(session, call)
    if case is not None:
        case.closed_at = now or utcnow()
        call.priority = "normal"  # the case record stays; the queue no longer needs it first
