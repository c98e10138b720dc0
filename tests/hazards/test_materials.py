"""A work order draws its materials from the assigned post's store (supplies answers
``hazards.materials_drawn`` in the same transaction): the stock falls by the order's lines,
and an order for more than the store holds is refused whole, naming the line, with nothing
written — neither the work order nor any movement."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bastion.hazards.models import WorkOrder
from bastion.supplies import service as supplies
from bastion.supplies.models import Movement
from tests.hazards.world import act, build, report


@pytest.fixture
def w(session):
    return build(session)


def _on_hand(session, w, code: str) -> int:
    item = supplies.item_by_code(session, code)
    return supplies.on_hand(session, item_id=item.id, agency_id=w.post_a.id)


def _order(client, w, hazard_id: int, lines: list[dict]):
    due = (datetime.now(UTC).date() + timedelta(days=7)).isoformat()
    assert act(client, w, hazard_id, "cmd", action="triage").status_code == 200
    return act(client, w, hazard_id, "cmd", action="order", assignee_agency_id=w.post_a.id,
               due_on=due, materials=lines)


def test_a_work_order_draws_from_the_post_s_store(client, session, w):
    hazard = report(client, w)
    before = session.scalar(select(func.count()).select_from(Movement))
    ordered = _order(client, w, hazard["id"], [{"item_code": "MAT-GRAVEL", "quantity": 12},
                                               {"item_code": "MAT-CEMENT", "quantity": 20}])
    assert ordered.status_code == 200, ordered.text
    session.expire_all()
    assert (_on_hand(session, w, "MAT-GRAVEL"), _on_hand(session, w, "MAT-CEMENT")) == (88, 80)
    assert session.scalar(select(func.count()).select_from(Movement)) == before + 2


def test_an_order_beyond_the_store_is_refused_whole(client, session, w):
    hazard = report(client, w)
    before = session.scalar(select(func.count()).select_from(Movement))
    refused = _order(client, w, hazard["id"], [{"item_code": "MAT-CEMENT", "quantity": 5},
                                               {"item_code": "MAT-MESH", "quantity": 51}])
    assert refused.status_code == 422, refused.text
    assert "lines.1" in refused.text
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(WorkOrder)) == 0
    assert session.scalar(select(func.count()).select_from(Movement)) == before
    assert _on_hand(session, w, "MAT-CEMENT") == 100
