"""The demo's year of supplies reproduces the seed report from its records: ¥290,000 of
equipment bought for the posts and a ¥300 winter uniform for every auxiliary; a drill's
receipt stays out of the figures; the command sees the figures, the posts their own part,
outsiders none."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from bastion import demo
from bastion.core.db import utcnow
from bastion.core.figures import by_key, collect
from bastion.notifications.models import Notification
from bastion.org.models import User
from bastion.supplies import demo as supplies_demo
from bastion.supplies.figures import figures
from bastion.supplies.models import LowStock, Movement, Receipt
from tests.web_helpers import login


def _year():
    year = utcnow().year
    return date(year, 1, 1), date(year + 1, 1, 1)


def test_the_demo_year_reproduces_the_seed_report(client, session):
    demo.load(session, border=False, duty=False, supplies=False)
    users = {u.username: u for u in session.scalars(select(User))}
    supplies_demo.load(session, users=users)
    session.commit()
    start, end = _year()
    found = {f.key: f.value for f in figures(session=session, user=users["huang.command"],
                                              start=start, end=end)}
    assert found["supplies.purchased_cny"] == 290_000
    assert (found["supplies.purchased_cny.vehicle"] + found["supplies.purchased_cny.equipment"]
            + found["supplies.purchased_cny.tool"]) == 290_000
    count = supplies_demo.auxiliaries()
    assert count == 28
    assert found["supplies.winter_uniforms"] == count
    assert found["supplies.winter_uniform_cny"] == count * 300
    # the annual report gathers it under the domain's title
    assert by_key(collect(session=session, user=users["huang.command"], start=start,
                          end=end))["supplies.purchased_cny"] == 290_000
    # everything is SYNTHETIC; one repair; one low-stock warning, told to the post
    assert session.scalar(select(func.count(Movement.id)).where(Movement.synthetic.is_(False))) == 0
    assert session.scalar(select(func.count(Receipt.id)).where(Receipt.synthetic.is_(False))) == 0
    assert session.scalar(select(func.count(Movement.id)).where(
        Movement.kind == "repair_in")) == 1
    assert session.scalar(select(func.count(LowStock.id))) == 1
    assert session.scalar(select(func.count(Notification.id)).where(
        Notification.title.like("Low stock%"))) == 1
    # a post's own part; outsiders see no section at all
    pingmeng = {f.key: f.value for f in figures(session=session, user=users["nong.post"],
                                                 start=start, end=end)}
    assert pingmeng["supplies.winter_uniforms"] == len(supplies_demo.AUXILIARIES["NP-JDC-PM"])
    assert pingmeng["supplies.purchased_cny"] == (5 * 6800 + 4 * 4200 + 3 * 9800 + 12 * 1650
                                                  + 16 * 717.5)
    for outsider in ("wei.police", "liang.army", "ma.village", "agent.yj", "li.officer"):
        assert figures(session=session, user=users[outsider], start=start, end=end) is None
    # the year before counts nothing
    before = {f.key: f.value for f in figures(session=session, user=users["huang.command"],
                                               start=date(start.year - 1, 1, 1), end=start)}
    assert before["supplies.purchased_cny"] == 0 and before["supplies.winter_uniforms"] == 0
    login(client, "huang.command", demo.DEMO_PASSWORD)
    for path in ("/supplies", "/supplies/movements", "/supplies/receipts", "/supplies/items"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "SYNTHETIC" in page.text or path in ("/supplies", "/supplies/items")


def test_a_drill_s_receipt_stays_out_of_the_figures(client, session):
    demo.load(session, border=False, duty=False, supplies=False)
    users = {u.username: u for u in session.scalars(select(User))}
    supplies_demo.load(session, users=users)
    session.commit()
    from bastion.supplies import receipts
    from bastion.supplies.schemas import ReceiptIn, ReceiptLineIn

    start, end = _year()
    receipts.create(session, user=users["huang.command"], data=ReceiptIn(
        received_on=start, exercise=True, project="演练", lines=[
            ReceiptLineIn(item_code="VEH-TRI", quantity=1, unit_price=6800)]))
    found = {f.key: f.value for f in figures(session=session, user=users["huang.command"],
                                              start=start, end=end)}
    assert found["supplies.purchased_cny"] == 290_000
