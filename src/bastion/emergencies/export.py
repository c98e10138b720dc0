"""An emergency's vessels as a workbook (the roll-call sheet to print or send to the command),
through ``core.tabular``'s writer; a drill's title says so (``titled``). Written to the audit
log; what the reader may see only (a shipping agent: its own vessels)."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.audit.models import AuditAction
from bastion.audit.service import record as audit
from bastion.core import context
from bastion.core.db import utcnow
from bastion.core.exercise import titled
from bastion.core.i18n import gettext as _
from bastion.core.labels import label
from bastion.core.tabular import append, heading_sheet
from bastion.emergencies import access, service
from bastion.emergencies.models import Emergency, EmergencyVessel
from bastion.org.models import User


def _local(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(context.current().timezone)).strftime("%Y-%m-%d %H:%M")


def vessels_xlsx(session: Session, *, user: User, emergency: Emergency) -> bytes:
    from openpyxl import Workbook

    vessels = list(session.scalars(access.vessels_query(user, emergency)
                                   .order_by(EmergencyVessel.id)))
    names = {u.id: u.display_name for u in session.scalars(select(User).where(
        User.id.in_({v.officer_id for v in vessels if v.officer_id} or {0})))}
    wb = Workbook()
    ws = wb.active
    ws.title = _("Vessels")[:31]
    heading_sheet(ws, [_("Vessel"), "MMSI", _("Class"), _("Source"), _("Persons aboard"),
                       _("Officer"), _("Contact"), _("Due"), _("Status"), _("Since")],
                  max_width=30)
    now = utcnow()
    for v in vessels:
        append(ws, [v.name, v.mmsi or "", label(v.vessel_class), label(v.source),
                    v.persons_aboard, names.get(v.officer_id or 0, ""), v.contact,
                    _local(service.due_at(emergency, v)),
                    label(v.status) + (f" ({_('Late')})" if service.late(emergency, v, now)
                                       else ""), _local(v.status_at)])
    about = wb.create_sheet(_("Emergency")[:31])
    append(about, [_("Emergency"), titled(emergency.name, emergency.exercise)])
    append(about, [_("Landfall (T)"), _local(emergency.landfall_at)])
    append(about, [_("Phase"), label(emergency.phase)])
    append(about, [_("Exported"), _local(now)])
    wb.properties.title = titled(emergency.name, emergency.exercise)
    audit(session, action=AuditAction.EXPORT, actor=user, record_kind=Emergency.record_kind,
          record_id=emergency.id, summary=f"{len(vessels)} vessels")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
