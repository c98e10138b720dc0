"""One operation as an xlsx workbook in the user's language: the operation, its agencies and
posts, its tasks, the patrols and duty it adds, and its log. Cells go through
``core.tabular``'s neutraliser (a name never becomes a formula)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from bastion.core.i18n import gettext as _
from bastion.core.i18n import local_time
from bastion.core.labels import LABELS
from bastion.core.tabular import append
from bastion.operations.models import LinkKind, TaskStatus
from bastion.operations.schemas import LogOut, OperationOut

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _table(ws: Worksheet, heads: list[str], rows: list[list[Any]]) -> None:
    append(ws, heads)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        append(ws, row)
    for column in range(1, len(heads) + 1):
        ws.column_dimensions[ws.cell(row=1, column=column).column_letter].width = 26


def _label(value: Any) -> str:
    return _(LABELS[type(value)][value.value])


def workbook(operation: OperationOut, log: list[LogOut]) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = _("Operation")[:31]
    _table(ws, [_("Field"), _("Value")], [
        [_("Name"), operation.name], [_("Start"), local_time(operation.starts_at)],
        [_("End"), local_time(operation.ends_at)], [_("Planned by"), operation.owner_org],
        [_("Exercise"), _("Yes") if operation.exercise else _("No")],
        [_("Description"), operation.description],
        [_("Tasks"), operation.tasks], [_("Tasks done"), operation.tasks_done]])
    sheet = book.create_sheet(_("Agencies")[:31])
    _table(sheet, [_("Agency"), _("Role")],
           [[p.agency, p.role] for p in operation.participants])
    sheet = book.create_sheet(_("Posts")[:31])
    _table(sheet, [_("Post"), _("Agency"), _("Latitude"), _("Longitude"), _("Staff"),
                   _("Note")],
           [[p.name, p.agency or "", p.lat, p.lon, p.staff, p.note] for p in operation.posts])
    sheet = book.create_sheet(_("Tasks")[:31])
    _table(sheet, [_("Task"), _("Agency"), _("Due"), _("Status"), _("Done"), _("Done by")],
           [[t.title, t.owner_agency, local_time(t.due_at), _label(TaskStatus(t.status)),
             local_time(t.done_at), t.done_by or ""] for t in operation.tasks_list])
    sheet = book.create_sheet(_("Patrols and duty")[:31])
    _table(sheet, [_("Kind"), _("Record"), _("Note")],
           [[_label(LinkKind(link.kind)), link.label or f"#{link.ref_id}", link.note]
            for link in operation.links])
    sheet = book.create_sheet(_("Log")[:31])
    _table(sheet, [_("Time"), _("Agency"), _("Author"), _("Entry")],
           [[local_time(e.at), e.agency, e.author, e.text] for e in log])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
