"""A month's scores as a workbook: the export (every person one assesses, scored or not, so it
doubles as the form to fill) and the import of the same layout through ``core.tabular``: all
rows or none, each problem named by sheet, row and column."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core.i18n import gettext as _
from bastion.core.tabular import Collector, Column, append, read_table, records
from bastion.evaluations import access, service
from bastion.evaluations.models import Assessment, Indicator
from bastion.evaluations.schemas import AssessmentIn
from bastion.org import capabilities
from bastion.org.models import User

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERSON = Column("person_id", "Person id", "人员编号", required=True, aliases=("id", "编号"))
NAME = Column("name", "Name", "姓名")
COMMENTS = Column("comments", "Comments", "评语", aliases=("评价",))


def columns(found: list[Indicator]) -> list[Column]:
    return [PERSON, NAME, *(Column(i.code, i.name_en, i.name_zh, required=True,
                                   aliases=(i.code,)) for i in found), COMMENTS]


def export(session: Session, *, user: User, month: date, language: str) -> bytes:
    capabilities.require(user, access.READ)
    found = service.indicators(session, service.current_set(session, user=user, on=month))
    people = access.people(session, user)
    rows = {a.person_id: a for a in session.scalars(service.listing(user, month=month))}
    scores = service.scores_of(session, list(rows.values()))
    book = Workbook()
    ws = book.active
    ws.title = month.strftime("%Y-%m")
    heads = [c.heading(language) for c in columns(found)] + [_("Total")]
    append(ws, heads)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for person in people:
        a: Assessment | None = rows.get(person.id)
        got = scores.get(a.id, {}) if a else {}
        append(ws, [person.id, person.name, *(got.get(i.id, "") for i in found),
                    a.comments if a else "", a.total if a else ""])
    for n in range(1, len(heads) + 1):
        ws.column_dimensions[ws.cell(row=1, column=n).column_letter].width = 16
    audit.record(session, action=AuditAction.EXPORT, actor=user, record_kind="eval_assessment",
                 summary=f"evaluations of {len(people)} persons for {month:%Y-%m}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def import_month(session: Session, *, user: User, month: date, data: bytes,
                 filename: str) -> dict[str, Any]:
    """Store every row's assessment for ``month``, or none (``Problems``)."""
    capabilities.require(user, "evaluations.assess")
    found = service.indicators(session, service.current_set(session, user=user, on=month))
    cols = columns(found)
    out = Collector(filename)
    rows = records(read_table(data, out, filename=filename), cols, out, unknown_is_error=False)
    people = {p.id: p for p in access.people(session, user)}
    ready: list[AssessmentIn] = []
    seen: dict[int, int] = {}
    for r in rows:
        def problem(key: str, code: str, message: str, r: Any = r) -> None:
            out.add(r.row, r.headings.get(key, key), code, message, r.sheet)

        raw = r.get("person_id")
        person_id = int(raw) if raw.isdigit() else None
        if person_id is None or person_id not in people:
            problem("person_id", "UNKNOWN_PERSON",
                    _("\"%(value)s\" is not a person you assess") % {"value": raw})
            continue
        if person_id in seen:
            problem("person_id", "DUPLICATE_ROW",
                    _("This person is already on row %(row)s") % {"row": seen[person_id]})
            continue
        seen[person_id] = r.row
        if all(not r.get(i.code) for i in found):
            continue  # a row left blank: nobody assessed yet
        scores: dict[str, float] = {}
        for i in found:
            value = _number(r.get(i.code))
            if value is None or value < 0 or value > i.max_score:
                problem(i.code, "BAD_SCORE",
                        _("A score from 0 to %(max)s is needed") % {"max": f"{i.max_score:g}"})
            else:
                scores[i.code] = value
        if len(scores) == len(found):
            ready.append(AssessmentIn(person_id=person_id, month=month, scores=scores,
                                      comments=r.get("comments")[:4000]))
    out.raise_errors()
    created = updated = 0
    for item in ready:
        _row, new = service.save_assessment(session, user=user, data=item)
        created += new
        updated += not new
    return {"month": month.strftime("%Y-%m"), "created": created, "updated": updated,
            "warnings": [p.as_dict() for p in out.warnings]}
