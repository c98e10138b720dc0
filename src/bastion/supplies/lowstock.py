"""Low-stock warnings: when a store's units of an item fall below its threshold, the store's
officers (``supplies.move`` holders of that agency) are told once; the warning stays open on
the stock page until the stock is back at or above the threshold, and the next fall tells them
again."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.core.db import utcnow
from bastion.core.i18n import lazy
from bastion.notifications import service as notifications
from bastion.org.models import Agency
from bastion.supplies.models import Item, LowStock, Movement, Threshold

TITLE = lazy("Low stock: {item} at {store}")
BODY = lazy("{store} has {quantity} {unit} of {item} left, below its threshold of {minimum}.")


def check(session: Session, *, item: Item, store: Agency, quantity: int) -> LowStock | None:
    """Open or close the warning for this item and store after a movement; ``quantity`` is
    the store's units now (``service.on_hand``)."""
    threshold = session.scalar(select(Threshold).where(Threshold.item_id == item.id,
                                                       Threshold.agency_id == store.id))
    current = session.scalar(select(LowStock).where(
        LowStock.item_id == item.id, LowStock.agency_id == store.id,
        LowStock.closed_at.is_(None)))
    low = threshold is not None and quantity < threshold.minimum
    if not low:
        if current is not None:
            current.closed_at = utcnow()
        return None
    if current is not None:
        return current
    # a drill's movements never warn anyone
    last = session.scalar(select(Movement.exercise).where(Movement.item_id == item.id)
                          .order_by(Movement.id.desc()).limit(1))
    warning = LowStock(item_id=item.id, agency_id=store.id)
    session.add(warning)
    session.flush()
    if not last:
        notifications.notify(
            session, recipients=[notifications.Holders("supplies.move", store.id)],
            title=str(TITLE), body=str(BODY), severity="warning",
            link=f"/supplies?agency_id={store.id}",
            params={"item": item.name, "store": store.name, "quantity": quantity,
                    "unit": item.unit, "minimum": threshold.minimum})
    return warning


def open_warnings(session: Session, store_ids: list[int]) -> list[LowStock]:
    return list(session.scalars(select(LowStock).where(
        LowStock.agency_id.in_(store_ids or [0]), LowStock.closed_at.is_(None))
        .order_by(LowStock.opened_at.desc())))
