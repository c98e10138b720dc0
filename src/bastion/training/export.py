"""The events a user may read, as an xlsx (``core.tabular``'s writer neutralises every cell):
one row an event, with its attendance counts, certificates and follow-ups."""

from __future__ import annotations

import io
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bastion.core.i18n import gettext as _
from bastion.core.i18n import local_time
from bastion.core.labels import label
from bastion.core.tabular.writer import append, heading_sheet
from bastion.training import kinds
from bastion.training.models import Attendance, Certificate, FollowUp, TrainingEvent


def _counts(session: Session, model, ids: list[int], *where) -> dict[int, int]:
    return dict(session.execute(select(model.event_id, func.count()).where(
        model.event_id.in_(ids or [0]), *where).group_by(model.event_id)).all())


def workbook(session: Session, rows: Sequence[TrainingEvent]) -> bytes:
    from openpyxl import Workbook

    ids = [e.id for e in rows]
    present = _counts(session, Attendance, ids, Attendance.present.is_(True))
    absent = _counts(session, Attendance, ids, Attendance.present.is_(False))
    certificates = _counts(session, Certificate, ids)
    follow_ups = _counts(session, FollowUp, ids)
    wb = Workbook()
    ws = wb.active
    ws.title = "events"
    heading_sheet(ws, [_("Number"), _("Category"), _("Kind"), _("Title"), _("Starts"),
                       _("Ends"), _("Place"), _("Organiser"), _("Status"), _("Present"),
                       _("Absent"), _("Certificates"), _("Follow-up items"), _("Outcomes"),
                       _("Exercise mode"), _("SYNTHETIC")], max_width=40)
    for e in rows:
        append(ws, [e.id, kinds.category_label(e.category), kinds.kind_label(e.kind), e.title,
                    local_time(e.starts_at), local_time(e.ends_at) if e.ends_at else "",
                    e.place, e.organiser, label(e.status), present.get(e.id, 0),
                    absent.get(e.id, 0), certificates.get(e.id, 0), follow_ups.get(e.id, 0),
                    e.outcomes, _("yes") if e.exercise_mode else "",
                    _("yes") if e.synthetic else ""])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
