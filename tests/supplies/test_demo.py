"""The demo's year of supplies reproduces the seed report from its records: ¥290,000 of
equipment bought for the posts and a ¥300 winter uniform for every auxiliary — the people on
each post's duty list, the one list of auxiliaries every room shows (the posts' accounts when
duty is not loaded); a drill's receipt stays out of the figures; the command sees the figures,
the posts their own part, outsiders none."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from bastion import demo
from bastion.core.db import utcnow
from bastion.core.figures import by_key, collect
from bastion.duty.rosters import setup as duty
from bastion.notifications.models import Notification
from bastion.org.models import Agency, User
from bastion.supplies import demo as supplies_demo
from bastion.supplies import service
from bastion.supplies.figures import figures
from bastion.supplies.models import Item, LowStock, Movement, MovementKind, Receipt
from tests.web_helpers import login


def _year():
    year = utcnow().year
    return date(year, 1, 1), date(year + 1, 1, 1)


def _on_duty(session, code: str) -> list:
    """The active people on a post's duty list (duty's service, as supplies reads it)."""
    post = session.scalar(select(Agency).where(Agency.code == code))
    return duty.people_of(session, org_id=post.organisation_id, unit_ids=[post.id])


def _kit_names(session, code: str) -> list[str]:
    """The names the winter-uniform kit issue of a post reached."""
    return list(session.scalars(select(Movement.person_name).join(
        Agency, Agency.id == Movement.from_agency_id).join(Item, Item.id == Movement.item_id)
        .where(Agency.code == code, Item.code == "UNI-WINTER",
               Movement.kit_issue.is_not(None))))


def test_the_demo_year_reproduces_the_seed_report(client, session):
    demo.load(session, border=False, supplies=False)
    users = {u.username: u for u in session.scalars(select(User))}
    supplies_demo.load(session, users=users)
    session.commit()
    start, end = _year()
    found = {f.key: f.value for f in figures(session=session, user=users["huang.command"],
                                              start=start, end=end)}
    assert found["supplies.purchased_cny"] == 290_000
    assert (found["supplies.purchased_cny.vehicle"] + found["supplies.purchased_cny.equipment"]
            + found["supplies.purchased_cny.tool"]) == 290_000
    count = sum(len(_on_duty(session, code)) for code in supplies_demo.POSTS)
    assert count == 60  # twenty a post: duty's people and the auxiliaries evaluations adds
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
    assert pingmeng["supplies.winter_uniforms"] == len(_on_duty(session, "NP-JDC-PM"))
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


def test_the_winter_uniforms_go_to_each_post_s_duty_people(session):
    """After the whole demo: one uniform for each active person on each post's duty list,
    the few spare ones left in the command's store, and the people who hold the posts' tools
    and vehicles are on the post's duty list too."""
    demo.load(session)
    session.commit()
    command = session.scalar(select(User).where(User.username == "huang.command"))
    for code in supplies_demo.POSTS:
        on_duty = _on_duty(session, code)
        names = _kit_names(session, code)
        assert len(names) == len(on_duty) == 20, code
        assert sorted(names) == sorted(p.name for p in on_duty), code
        post = session.scalar(select(Agency).where(Agency.code == code))
        listed = service.post_people(session, user=command, agency_id=post.id)
        # every name an issue from the post gave is someone on its duty list: one list
        assert {p.source.value for p in listed} == {"duty"}, code
        assert service.on_hand(session, item_id=_item(session, "UNI-WINTER"),
                               agency_id=post.id) == 0
    store = session.scalar(select(Agency).where(Agency.code == supplies_demo.COMMAND))
    assert service.on_hand(session, item_id=_item(session, "UNI-WINTER"),
                           agency_id=store.id) == supplies_demo.SPARE_UNIFORMS
    pingmeng = {p.name for p in _on_duty(session, "NP-JDC-PM")}
    held = set(session.scalars(select(Movement.person_name).where(
        Movement.kind == MovementKind.ISSUE, Movement.person_name != "",
        Movement.kit_issue.is_(None))))
    assert held and held <= pingmeng


def test_without_duty_the_kit_goes_to_the_posts_accounts(session):
    demo.load(session, border=False, duty=False)
    session.commit()
    accounts = {code: sorted(session.scalars(select(User.display_name).join(
        Agency, Agency.id == User.agency_id).where(Agency.code == code)))
        for code in supplies_demo.POSTS}
    assert accounts == {"NP-JDC-PM": ["何海龙", "农文光"], "NP-JDC-BN": ["陆春梅"],
                        "NP-JDC-BD": []}
    for code, names in accounts.items():
        assert sorted(_kit_names(session, code)) == names, code


def _item(session, code: str) -> int:
    return session.scalar(select(Item.id).where(Item.code == code))
