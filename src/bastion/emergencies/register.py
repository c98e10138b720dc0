"""The register of local vessels (fishing boats, small craft, works boats: many carry no AIS)
with whoever answers for each, and the shelter zones by vessel class. Both are kept by the
station and the maritime authority (``emergencies.register``), each organisation its own: a
holder of ``emergencies.read`` reads its organisation's register and zones, and a registration
number is unique within one organisation's register (another's is never looked at). The register is imported from the fisheries office's spreadsheet (xlsx or CSV)
through ``core.tabular``: all rows or none, each problem located by sheet, row and column; a
registration number already in the register updates its row.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from bastion.audit.models import AuditAction
from bastion.audit.service import record as audit
from bastion.core.errors import Conflict
from bastion.core.i18n import gettext as _
from bastion.core.tabular import Collector, Column, read_table, records, template
from bastion.emergencies import areas
from bastion.emergencies.models import LocalVessel, ShelterZone, VesselClass
from bastion.emergencies.schemas import LocalVesselIn, ZoneIn
from bastion.org import capabilities
from bastion.org.models import User

COLUMNS = [
    Column("registration", "Registration", "船号", required=True, aliases=("船舶编号", "编号"),
           example="粤阳西渔12345"),
    Column("name", "Name", "船名", required=True, example="粤阳西渔12345"),
    Column("vessel_class", "Class", "类别", aliases=("船舶类别",), example="fishing / 渔船"),
    Column("mmsi", "MMSI", "MMSI", aliases=("水上移动通信业务标识码",), example="412440201"),
    Column("home_port", "Home port", "船籍港", aliases=("港口",), example="闸坡"),
    Column("owner_name", "Owner", "船主", aliases=("船东", "所有人"), example="张三"),
    Column("owner_phone", "Owner's phone", "联系电话", aliases=("电话",), example="13800000000"),
    Column("crew", "Crew", "船员人数", aliases=("人数",), example="8"),
    Column("lat", "Latitude", "纬度", example="21.58"),
    Column("lon", "Longitude", "经度", example="111.83"),
]
CLASS_WORDS = {"渔船": "fishing", "小型船艇": "small_craft", "小船": "small_craft",
               "筏": "small_craft", "施工船": "construction", "采砂船": "construction",
               "客船": "passenger", "商船": "merchant", "货船": "merchant", "其他": "other"}


def register_query(user: User) -> Select[Any]:
    capabilities.require(user, "emergencies.read")
    return (select(LocalVessel).where(LocalVessel.owner_org_id == user.organisation_id)
            .order_by(LocalVessel.registration))


def add(session: Session, *, user: User, data: LocalVesselIn) -> LocalVessel:
    capabilities.require(user, "emergencies.register")
    if session.scalar(select(LocalVessel.id).where(
            LocalVessel.owner_org_id == user.organisation_id,
            LocalVessel.registration == data.registration.strip())):
        raise Conflict(_("This registration number is in the register already."))
    boat = LocalVessel(owner_org_id=user.organisation_id, **data.model_dump())
    boat.registration = boat.registration.strip()
    session.add(boat)
    session.flush()
    audit(session, action=AuditAction.CREATE, actor=user, record_kind="emergency_local_vessel",
          record_id=boat.id, summary=boat.registration)
    return boat


def template_xlsx() -> bytes:
    return template(COLUMNS, title="register")


def _value(key: str, text: str) -> Any:
    text = text.strip()
    if key == "vessel_class":
        return CLASS_WORDS.get(text, text.lower().replace(" ", "_") or "fishing")
    if key in ("mmsi", "crew", "lat", "lon"):
        return text or None
    return text


def import_file(session: Session, *, user: User, data: bytes,
                filename: str = "") -> dict[str, int]:
    """All rows or none; ``{"added": n, "updated": m}``."""
    capabilities.require(user, "emergencies.register")
    out = Collector(filename or None)
    rows = records(read_table(data, out, filename=filename), COLUMNS, out)
    parsed: list[LocalVesselIn] = []
    seen: set[str] = set()
    for row in rows:
        values = {c.key: _value(c.key, row.get(c.key)) for c in COLUMNS}
        values = {k: v for k, v in values.items() if v is not None}
        try:
            boat = LocalVesselIn(**values)
        except ValidationError as exc:
            for error in exc.errors():
                key = str(error["loc"][0]) if error["loc"] else ""
                out.add(row.row, row.headings.get(key, key), "INVALID_VALUE",
                        _("Not a valid value: %(message)s") % {"message": error["msg"]},
                        row.sheet)
            continue
        if boat.registration in seen:
            out.add(row.row, row.headings.get("registration"), "DUPLICATE_ROW",
                    _("This registration number appears twice in the file"), row.sheet)
            continue
        seen.add(boat.registration)
        parsed.append(boat)
    out.raise_errors()
    added = updated = 0
    for boat in parsed:
        known = session.scalar(select(LocalVessel).where(
            LocalVessel.owner_org_id == user.organisation_id,
            LocalVessel.registration == boat.registration))
        if known is None:
            session.add(LocalVessel(owner_org_id=user.organisation_id, **boat.model_dump()))
            added += 1
        else:
            for key, value in boat.model_dump().items():
                setattr(known, key, value)
            updated += 1
    session.flush()
    audit(session, action=AuditAction.CREATE, actor=user, record_kind="emergency_local_vessel",
          summary=f"import {filename}: {added} added, {updated} updated")
    return {"added": added, "updated": updated}


# --- shelter zones -------------------------------------------------------------------------

def zones_query(user: User) -> Select[Any]:
    capabilities.require(user, "emergencies.read")
    return (select(ShelterZone).where(ShelterZone.owner_org_id == user.organisation_id)
            .order_by(ShelterZone.vessel_class, ShelterZone.id))


def add_zone(session: Session, *, user: User, data: ZoneIn) -> ShelterZone:
    capabilities.require(user, "emergencies.register")
    zone = ShelterZone(owner_org_id=user.organisation_id, name=data.name.strip(),
                       vessel_class=VesselClass(data.vessel_class), area=areas.check(data.area))
    session.add(zone)
    session.flush()
    audit(session, action=AuditAction.CREATE, actor=user, record_kind="emergency_shelter_zone",
          record_id=zone.id, summary=zone.name)
    return zone
