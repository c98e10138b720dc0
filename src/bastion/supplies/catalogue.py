"""The catalogue: items (code, names in Chinese and English, category, unit, tracked or
counted), low-stock thresholds per store, and the catalogue's xlsx import (all rows or none,
problems by sheet, row and column through ``core.tabular``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core import tabular
from bastion.core.errors import Conflict
from bastion.core.i18n import gettext as _
from bastion.core.labels import label
from bastion.org import capabilities
from bastion.org.models import User
from bastion.supplies import access
from bastion.supplies.models import Category, Item, Threshold
from bastion.supplies.schemas import ItemIn, ItemOut, ThresholdIn
from bastion.supplies.service import item_by_code

COLUMNS = [
    tabular.Column("code", "Code", "编码", required=True, example="VEH-TRI"),
    tabular.Column("name", "Name", "名称", required=True, example="电动三轮车"),
    tabular.Column("name_en", "English name", "英文名称", example="Electric tricycle"),
    tabular.Column("category", "Category", "类别", required=True,
                   example="vehicle / 车辆 (equipment 装备, tool 工具, uniform 被装, "
                           "consumable 消耗品, material 材料)"),
    tabular.Column("unit", "Unit", "单位", required=True, example="辆"),
    tabular.Column("tracked", "Tracked by serial", "按编号管理", example="是 / yes"),
]
CATEGORY_WORDS = {"车辆": Category.VEHICLE, "装备": Category.EQUIPMENT, "设备": Category.EQUIPMENT,
                  "工具": Category.TOOL, "被装": Category.UNIFORM, "服装": Category.UNIFORM,
                  "消耗品": Category.CONSUMABLE, "耗材": Category.CONSUMABLE,
                  "材料": Category.MATERIAL}
YES = {"yes", "y", "true", "1", "是", "√", "✓"}
NO = {"", "no", "n", "false", "0", "否"}


def public(item: Item) -> ItemOut:
    return ItemOut(id=item.id, code=item.code, name=item.name, name_en=item.name_en,
                   category=item.category, category_label=label(item.category), unit=item.unit,
                   tracked=item.tracked, active=item.active)


def items_query(user: User, *, category: Category | None = None):
    capabilities.require(user, "supplies.read")
    query = select(Item).where(Item.active.is_(True))
    if category is not None:
        query = query.where(Item.category == category)
    return query.order_by(Item.category, Item.code)


def create_item(session: Session, *, user: User, data: ItemIn) -> Item:
    capabilities.require(user, "supplies.catalogue")
    if session.scalar(select(Item.id).where(Item.code == data.code)) is not None:
        raise Conflict(_("The code %(code)s is already in the catalogue.") % {"code": data.code},
                       field="code")
    item = Item(**data.model_dump())
    session.add(item)
    session.flush()
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind="supply_item",
                 record_id=item.id, summary=f"{item.code} {item.name}")
    return item


def set_threshold(session: Session, *, user: User, data: ThresholdIn) -> Threshold:
    capabilities.require(user, "supplies.catalogue")
    item = item_by_code(session, data.item_code)
    access.find_store(session, user=user, agency_id=data.agency_id)
    threshold = session.scalar(select(Threshold).where(Threshold.item_id == item.id,
                                                       Threshold.agency_id == data.agency_id))
    if threshold is None:
        threshold = Threshold(item_id=item.id, agency_id=data.agency_id, minimum=data.minimum)
        session.add(threshold)
    threshold.minimum = data.minimum
    session.flush()
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind="supply_threshold",
                 record_id=threshold.id, summary=f"{item.code} @ {data.agency_id}: "
                 f"minimum {data.minimum}")
    return threshold


def _category(text: str) -> Category | None:
    text = text.strip()
    try:
        return Category(text.lower())
    except ValueError:
        return CATEGORY_WORDS.get(text)


def import_items(session: Session, *, user: User, data: bytes, filename: str = "") -> list[Item]:
    """Every row a new item, or nothing (``tabular.Problems`` naming sheet, row, column)."""
    capabilities.require(user, "supplies.catalogue")
    out = tabular.Collector(filename or None)
    sheets = tabular.read_table(data, out, filename=filename)
    rows = tabular.records(sheets, COLUMNS, out) if sheets else []
    out.raise_errors()
    known = set(session.scalars(select(Item.code)))
    seen: dict[str, int] = {}
    wanted: list[ItemIn] = []
    for row in rows:
        def bad(key: str, code: str, message: str, row=row) -> None:
            out.add(row.row, row.headings.get(key, key), code, message, row.sheet)

        code = row.get("code")
        category = _category(row.get("category"))
        tracked = row.get("tracked").strip().lower()
        if category is None:
            bad("category", "BAD_CATEGORY", _("\"%(value)s\" is not a category")
                % {"value": row.get("category")})
        if tracked not in YES | NO:
            bad("tracked", "BAD_FLAG", _("Write yes or no"))
        if code in known:
            bad("code", "DUPLICATE_CODE", _("The code %(code)s is already in the catalogue.")
                % {"code": code})
        elif code in seen:
            bad("code", "DUPLICATE_CODE", _("The code %(code)s repeats row %(row)s")
                % {"code": code, "row": seen[code]})
        seen.setdefault(code, row.row)
        for key in ("code", "name", "unit"):
            if not row.get(key):
                bad(key, "REQUIRED", _("This cell is required"))
        if category is None or tracked not in YES | NO or not all(
                row.get(k) for k in ("code", "name", "unit")):
            continue
        try:
            wanted.append(ItemIn(code=code, name=row.get("name"), name_en=row.get("name_en"),
                                 category=category, unit=row.get("unit"), tracked=tracked in YES))
        except ValueError as exc:
            bad("code", "INVALID", str(exc).splitlines()[0])
    if not rows:
        out.add(None, None, "NO_ROWS", _("The file has no rows to import"))
    out.raise_errors()
    return [create_item(session, user=user, data=item) for item in wanted]
