"""The violations register: the station records, the pre-check counts (``past_violations``).

Need-to-know: the register is the station's own working record about people and companies
(its agents may be in it): only station staff with ``violations.read`` see it, and only their
own station's entries (anyone else: 404 for one entry, 403 for the function).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, false, func, or_, select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.clearance.violations.models import Violation
from bastion.core.errors import Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.org import capabilities
from bastion.org.models import Agency, AgencyKind, User

KIND = "clearance_violation"
SUBJECTS = ("vessel", "company", "person")


def _document(value: str | None) -> str:
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())


def visible(user: User):
    if not capabilities.can(user, "violations.read"):
        return false()
    return Violation.station_org_id == user.organisation_id


def register_query(*, user: User, subject: str | None = None) -> Select[tuple[Violation]]:
    capabilities.require(user, "violations.read")
    query = select(Violation).where(visible(user))
    if subject:
        query = query.where(Violation.subject == subject)
    return query.order_by(Violation.occurred_on.desc(), Violation.id.desc())


def get(session: Session, *, user: User, violation_id: int) -> Violation:
    capabilities.require(user, "violations.read")
    row = session.scalar(select(Violation).where(Violation.id == violation_id, visible(user)))
    if row is None:
        raise NotFound(_("No such violation."))
    audit.record(session, action=AuditAction.READ, actor=user, record_kind=KIND,
                 record_id=row.id, summary=f"violation {row.id}")
    return row


def record(session: Session, *, user: User, fields: dict[str, Any]) -> Violation:
    """Record one violation; the subject must be named so the pre-check can find it again."""
    capabilities.require(user, "violations.record")
    subject = fields.get("subject")
    if subject not in SUBJECTS:
        raise Invalid(_("Choose vessel, company or person."), field="subject")
    if subject == "vessel" and not (fields.get("imo") or fields.get("mmsi")):
        raise Invalid(_("Give the vessel's IMO number or MMSI."), field="imo")
    if subject == "company":
        agency = session.get(Agency, fields.get("agent_org_id") or 0)
        if agency is None or agency.kind != AgencyKind.SHIPPING_AGENCY:
            raise Invalid(_("Choose a shipping agency."), field="agent_org_id")
    if subject == "person" and not (_document(fields.get("document_number")) or (
            fields.get("person_name") and fields.get("birth_date"))):
        raise Invalid(_("Give the person's document number, or name and date of birth."),
                      field="document_number")
    if fields["occurred_on"] > date.today():
        raise Invalid(_("The date is in the future."), field="occurred_on")
    row = Violation(station_org_id=user.organisation_id, recorded_by_id=user.id, **fields)
    session.add(row)
    session.flush()
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind=KIND,
                 record_id=row.id, summary=f"violation {row.id}: {subject}")
    return row


def count_for(session: Session, *, station_org_id: int, imo: int | None, mmsi: int | None,
              agent_org_id: int | None, people: Iterable[dict[str, Any]],
              exclude_call_id: int | None = None) -> int:
    """Violations the station recorded against this vessel, this agent or any of these
    declared persons (by document number, or by the same name and date of birth)."""
    clauses = []
    if imo:
        clauses.append(and_(Violation.subject == "vessel", Violation.imo == imo))
    if mmsi:
        clauses.append(and_(Violation.subject == "vessel", Violation.mmsi == mmsi))
    if agent_org_id:
        clauses.append(and_(Violation.subject == "company",
                            Violation.agent_org_id == agent_org_id))
    people = list(people)
    documents = {_document(p.get("document_number")) for p in people} - {""}
    if documents:
        clauses.append(and_(Violation.subject == "person",
                            Violation.document_number.in_(documents)))
    for person in people:
        name = f"{person.get('family_name') or ''} {person.get('given_names') or ''}".strip()
        if name and person.get("birth_date"):
            clauses.append(and_(Violation.subject == "person",
                                func.upper(Violation.person_name) == name.upper(),
                                Violation.birth_date == str(person["birth_date"])[:10]))
    if not clauses:
        return 0
    query = select(func.count(Violation.id)).where(
        Violation.station_org_id == station_org_id, or_(*clauses))
    if exclude_call_id is not None:
        query = query.where(or_(Violation.call_id.is_(None),
                                Violation.call_id != exclude_call_id))
    return session.scalar(query) or 0


def normalised(fields: dict[str, Any]) -> dict[str, Any]:
    """Document numbers are stored as the pre-check compares them (letters and digits)."""
    if fields.get("document_number"):
        fields = {**fields, "document_number": _document(fields["document_number"])}
    return fields
