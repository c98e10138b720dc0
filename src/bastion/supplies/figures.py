"""The annual report's supplies figures, counted from the records (operational only, what the
user may see): the value of equipment bought (vehicles, equipment, tools; receipts by their
date), the value received by category, and the winter uniforms issued to people with their
value."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bastion.core.config import get_settings
from bastion.core.exercise import operational
from bastion.core.figures import Figure
from bastion.core.i18n import lazy
from bastion.org import capabilities
from bastion.org.models import User
from bastion.supplies import access
from bastion.supplies.models import (
    EQUIPMENT_CATEGORIES,
    Category,
    Item,
    Movement,
    MovementKind,
    Receipt,
)

LABELS = {
    Category.VEHICLE: lazy("Vehicles bought"),
    Category.EQUIPMENT: lazy("Equipment bought"),
    Category.TOOL: lazy("Tools bought"),
    Category.UNIFORM: lazy("Uniforms and kit bought"),
    Category.CONSUMABLE: lazy("Consumables bought"),
    Category.MATERIAL: lazy("Materials bought"),
}


def figures(*, session: Session, user: User, start: date, end: date) -> list[Figure] | None:
    if not capabilities.can(user, "supplies.read"):
        return None
    settings = get_settings()
    seen = access.receipts_query(user).with_only_columns(Receipt.id)
    by_category = dict(session.execute(
        select(Item.category, func.sum(Movement.quantity * Movement.unit_price_fen))
        .join(Item, Item.id == Movement.item_id).join(Receipt, Receipt.id == Movement.receipt_id)
        .where(Receipt.id.in_(seen), operational(Receipt), Receipt.received_on >= start,
               Receipt.received_on < end).group_by(Item.category)).all())
    equipment = sum(by_category.get(c, 0) or 0 for c in EQUIPMENT_CATEGORIES)
    zone = ZoneInfo(settings.timezone)
    first = datetime.combine(start, time(), zone)
    after = datetime.combine(end, time(), zone)
    count, value = session.execute(
        access.movements_query(user).with_only_columns(
            func.coalesce(func.sum(Movement.quantity), 0),
            func.coalesce(func.sum(Movement.quantity * Movement.unit_price_fen), 0))
        .join(Item, Item.id == Movement.item_id)
        .where(Item.code == settings.supplies.winter_uniform_code,
               Movement.kind == MovementKind.ISSUE, operational(Movement),
               or_(Movement.person_name != "", Movement.person_user_id.is_not(None)),
               Movement.occurred_at >= first, Movement.occurred_at < after)).one()
    found = [Figure("supplies.purchased_cny", lazy("Equipment bought for the posts"),
                    equipment / 100, lazy("yuan"), "/supplies/receipts")]
    found += [Figure(f"supplies.purchased_cny.{c.value}", LABELS[c], (by_category.get(c) or 0) / 100,
                     lazy("yuan"), "/supplies/receipts") for c in Category]
    found += [Figure("supplies.winter_uniforms", lazy("Winter uniforms issued"), int(count),
                     lazy("uniforms"), "/supplies/movements"),
              Figure("supplies.winter_uniform_cny", lazy("Value of winter uniforms issued"),
                     value / 100, lazy("yuan"), "/supplies/movements")]
    return found
