"""xlsx of the stock and of the movements, written through ``core.tabular``'s writer (cells
neutralised, bold frozen headings). Headings in both languages, as the templates."""

from __future__ import annotations

import io

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.core import context
from bastion.core.labels import label
from bastion.core.tabular import append, heading_sheet
from bastion.org.models import Agency, User
from bastion.supplies import service
from bastion.supplies.models import Item

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 50_000

STOCK_HEADS = ["库存点 Store", "编码 Code", "名称 Name", "类别 Category", "单位 Unit",
               "数量 Quantity", "价值（元） Value (yuan)", "下限 Minimum", "低于下限 Low"]
MOVEMENT_HEADS = ["时间 Time (UTC)", "类型 Kind", "编码 Code", "名称 Name", "编号 Serial",
                  "数量 Quantity", "单价（元） Unit price (yuan)", "金额（元） Value (yuan)",
                  "调出 From", "调入 To", "人员 Person", "入库单 Receipt", "工单 Work order",
                  "备注 Note", "演练 Exercise"]

def _book(title: str, heads: list[str], rows: list[list]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title
    heading_sheet(ws, heads, max_width=30)
    for row in rows:
        append(ws, row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

def stock_xlsx(session: Session, *, user: User, agency_id: int | None = None) -> bytes:
    language = context.current().language
    rows = service.stock(session, user=user, agency_id=agency_id, language=language)
    return _book("Stock", STOCK_HEADS, [
        [r.agency, r.item_code, r.item_name, r.category_label, r.unit, r.quantity, r.value_cny,
         r.minimum, "✓" if r.low else ""] for r in rows])

def movements_xlsx(session: Session, *, user: User, agency_id: int | None = None) -> bytes:
    language = context.current().language
    query = service.list_query(user, agency_id=agency_id).limit(MAX_ROWS)
    moves = list(session.scalars(query))
    items = {i.id: i for i in session.scalars(select(Item).where(
        Item.id.in_({m.item_id for m in moves} or {0})))}
    names = {a.id: a.display_name(language) for a in session.scalars(select(Agency).where(
        Agency.id.in_({m.from_agency_id for m in moves} | {m.to_agency_id for m in moves}
                      | {0})))}
    serials = service.serials(session, [m.asset_id for m in moves if m.asset_id])
    rows = []
    for m in moves:
        item = items[m.item_id]
        rows.append([m.occurred_at.strftime("%Y-%m-%d %H:%M"), label(m.kind), item.code,
                     item.display_name(language), serials.get(m.asset_id, ""), m.quantity,
                     m.unit_price_fen / 100, m.quantity * m.unit_price_fen / 100,
                     names.get(m.from_agency_id, ""), names.get(m.to_agency_id, ""),
                     m.person_name, m.receipt_id, m.work_order_id, m.note,
                     "✓" if m.exercise else ""])
    return _book("Movements", MOVEMENT_HEADS, rows)
