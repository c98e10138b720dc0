"""SYNTHETIC supplies for the demo's land-border command (那坡县边境联防指挥部) and its three
posts, entered through the real services (so each row has its audit entry):

- the year's equipment bought for the posts — electric tricycles, electric motorbikes, water
  purifiers, grass cutters and sprayers — in receipts by project and funder whose lines sum to
  exactly ¥290,000 (the seed report's figure; unit prices are plausible, made up);
- a ¥300 winter uniform for every person of the three posts (bought into the command's
  store with a few spare, issued to the posts, then a kit issue at each post to all of its
  people);
- cement and two-stroke oil for the posts, some issues to people and returns, one tricycle
  out for repair and back, one low-stock item (two-stroke oil at Pingmeng), and one open
  request (Baidu asks for cement).

The people are those the kit page offers (``service.post_people``): the post's 24-hour duty
list, so duty's demo (``bastion.duty.demo``, with the auxiliaries the evaluations demo adds)
loads first and one list of auxiliaries serves every room; without it, the post's accounts.
Every receipt and movement is marked ``synthetic`` (shown as SYNTHETIC)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bastion.core.db import utcnow
from bastion.org.models import Agency, User
from bastion.supplies import catalogue, receipts, requests, service
from bastion.supplies.models import (
    Asset,
    Category,
    Item,
    Movement,
    MovementKind,
    PersonSource,
    Receipt,
)
from bastion.supplies.schemas import (
    ItemIn,
    KitIssueIn,
    MovementIn,
    PersonOut,
    ReceiptIn,
    ReceiptLineIn,
    RequestIn,
    ThresholdIn,
)

COMMAND = "NP-JDC"
POSTS = ("NP-JDC-PM", "NP-JDC-BN", "NP-JDC-BD")
WINTER_UNIFORM_YUAN = 300

# code, name, English name, category, unit, tracked
ITEMS = [
    ("VEH-TRI", "电动三轮车", "Electric tricycle", Category.VEHICLE, "辆", True),
    ("VEH-EMB", "电动摩托车", "Electric motorbike", Category.VEHICLE, "辆", True),
    ("EQP-PUR", "净水器", "Water purifier", Category.EQUIPMENT, "台", True),
    ("TOOL-CUT", "割草机", "Grass cutter", Category.TOOL, "台", False),
    ("TOOL-SPR", "喷雾器", "Sprayer", Category.TOOL, "台", False),
    ("UNI-WINTER", "冬季执勤服", "Winter duty uniform", Category.UNIFORM, "套", False),
    ("CON-OIL", "二冲程机油", "Two-stroke oil", Category.CONSUMABLE, "瓶", False),
    ("MAT-CEMENT", "水泥", "Cement", Category.MATERIAL, "袋", False),
    ("MAT-WIRE", "刺丝", "Barbed wire", Category.MATERIAL, "米", False),
    # what the hazards demo's work orders draw (bastion.hazards.demo.MATERIALS)
    ("MAT-GRAVEL", "碎石", "Gravel", Category.MATERIAL, "m³", False),
    ("MAT-SANDBAG", "编织袋", "Sandbag", Category.MATERIAL, "条", False),
    ("MAT-PIPE-PE", "PE水管", "PE water pipe", Category.MATERIAL, "m", False),
    ("MAT-CABLE", "电缆", "Power cable", Category.MATERIAL, "m", False),
    ("MAT-MESH", "护栏网片", "Fence mesh panel", Category.MATERIAL, "片", False),
    ("MAT-POST", "立柱", "Fence post", Category.MATERIAL, "根", False),
]
# Repair materials each post holds for the year's work orders (the hazards demo draws them).
REPAIR_STOCK = (("MAT-GRAVEL", 300, "85"), ("MAT-SANDBAG", 800, "1.2"),
                ("MAT-PIPE-PE", 1000, "6.5"), ("MAT-CABLE", 2500, "9"), ("MAT-MESH", 150, "120"),
                ("MAT-POST", 200, "45"))

# The equipment bought for the posts: (post, item, quantity) per receipt, unit prices below.
# 12 × 6,800 + 10 × 4,200 + 9 × 9,800 + 30 × 1,650 + 40 × 717.50 = 290,000
PRICES = {"VEH-TRI": Decimal(6800), "VEH-EMB": Decimal(4200), "EQP-PUR": Decimal(9800),
          "TOOL-CUT": Decimal(1650), "TOOL-SPR": Decimal("717.50")}
EQUIPMENT = {
    "NP-JDC-PM": {"VEH-TRI": 5, "VEH-EMB": 4, "EQP-PUR": 3, "TOOL-CUT": 12, "TOOL-SPR": 16},
    "NP-JDC-BN": {"VEH-TRI": 4, "VEH-EMB": 3, "EQP-PUR": 3, "TOOL-CUT": 9, "TOOL-SPR": 12},
    "NP-JDC-BD": {"VEH-TRI": 3, "VEH-EMB": 3, "EQP-PUR": 3, "TOOL-CUT": 9, "TOOL-SPR": 12},
}
# (items, project, funder, month)
PROJECTS = [
    (("VEH-TRI", "VEH-EMB"), "边境基础设施项目", "县财政局", 4),
    (("EQP-PUR",), "边境村屯饮水安全项目", "县水利局", 6),
    (("TOOL-CUT", "TOOL-SPR"), "边境基础设施项目", "县财政局", 8),
]
# Winter uniforms bought beyond the posts' head count, kept in the command's store.
SPARE_UNIFORMS = 4


def _holders(people: list[PersonOut], n: int) -> list[str]:
    """``n`` people of a post to hand tools and vehicles to by name: those on its duty list
    without a login (the auxiliaries) in the order they were put on it, then the rest; the
    list repeats if the post has fewer."""
    ranked = sorted(people, key=lambda p: (p.source != PersonSource.DUTY, p.user_id is not None,
                                           p.duty_person_id or 0, p.name))
    return [ranked[k % len(ranked)].name for k in range(n)] if ranked else ["SYNTHETIC"] * n


def _on(year: int, month: int, day: int, now: datetime) -> datetime:
    """A day of the demo year at 10:00 Beijing time, never after ``now``."""
    at = datetime(year, month, day, 2, 0, tzinfo=UTC)
    return min(at, now - timedelta(hours=1))


def load(session: Session, *, users: dict[str, User], now: datetime | None = None) -> None:
    now = now or utcnow()
    year = now.year
    actor = users["huang.command"]
    stores = {a.code: a for a in session.scalars(select(Agency).where(
        Agency.code.in_((COMMAND, *POSTS))))}
    for code, name, name_en, category, unit, tracked in ITEMS:
        catalogue.create_item(session, user=actor, data=ItemIn(
            code=code, name=name, name_en=name_en, category=category, unit=unit,
            tracked=tracked))

    def receive(store: str, month: int, project: str, funder: str, lines: list[ReceiptLineIn],
                reference: str) -> None:
        receipt, _ = receipts.create(session, user=actor, data=ReceiptIn(
            agency_id=stores[store].id, received_on=min(date(year, month, 15), now.date()),
            project=project, funder=funder, reference=reference,
            note="SYNTHETIC", lines=lines))
        at = _on(year, month, 15, now)
        session.execute(update(Movement).where(Movement.receipt_id == receipt.id)
                        .values(occurred_at=at))

    for n, (codes, project, funder, month) in enumerate(PROJECTS, start=1):
        for post in POSTS:
            receive(post, month, project, funder, [
                ReceiptLineIn(item_code=c, quantity=EQUIPMENT[post][c], unit_price=PRICES[c])
                for c in codes], f"NP-{year}-{n:02d}-{post[-2:]}")
    for post in POSTS:
        receive(post, 3, "边境基础设施项目", "县财政局", [
            ReceiptLineIn(item_code="MAT-CEMENT", quantity=60, unit_price=Decimal(26)),
            ReceiptLineIn(item_code="MAT-WIRE", quantity=400, unit_price=Decimal("3.8")),
            ReceiptLineIn(item_code="CON-OIL", quantity=12, unit_price=Decimal(35))],
            f"NP-{year}-M-{post[-2:]}")
        receive(post, 1, "边境基础设施项目", "县财政局", [
            ReceiptLineIn(item_code=c, quantity=n, unit_price=Decimal(price))
            for c, n, price in REPAIR_STOCK] + [
            ReceiptLineIn(item_code="MAT-CEMENT", quantity=600, unit_price=Decimal(26))],
            f"NP-{year}-R-{post[-2:]}")
    # the people of each post as the kit page lists them: its duty list (or its accounts)
    people = {post: service.post_people(session, user=actor, agency_id=stores[post].id)
              for post in POSTS}
    # the winter uniforms: bought into the command's store, issued to the posts, then to each
    receive(COMMAND, 10, "辅警冬季被装", "县财政局", [ReceiptLineIn(
        item_code="UNI-WINTER", quantity=sum(map(len, people.values())) + SPARE_UNIFORMS,
        unit_price=Decimal(WINTER_UNIFORM_YUAN))], f"NP-{year}-UNI")

    def move(day: datetime, **data) -> None:
        service.record(session, user=actor, now=day, data=MovementIn(**data))

    for post in POSTS:
        if not people[post]:  # a post with no accounts when duty is not loaded
            continue
        move(_on(year, 10, 25, now), kind=MovementKind.ISSUE, item_code="UNI-WINTER",
             quantity=len(people[post]), from_agency_id=stores[COMMAND].id,
             to_agency_id=stores[post].id)
        # no names: the kit issue goes to every person of the post
        service.kit_issue(session, user=actor, now=_on(year, 11, 1, now), data=KitIssueIn(
            agency_id=stores[post].id, item_code="UNI-WINTER",
            note="冬季执勤服每人一套（SYNTHETIC）"))
    pm, bn = stores["NP-JDC-PM"].id, stores["NP-JDC-BN"].id
    rider, biker, cutter = _holders(people["NP-JDC-PM"], 3)
    # tricycles and a motorbike to the posts' people, one returned; one tricycle repaired
    move(_on(year, 4, 20, now), kind=MovementKind.ISSUE, item_code="VEH-TRI",
         serial=_serial(session, "VEH-TRI", pm, 1), from_agency_id=pm, person_name=rider)
    move(_on(year, 4, 20, now), kind=MovementKind.ISSUE, item_code="VEH-EMB",
         serial=_serial(session, "VEH-EMB", pm, 1), from_agency_id=pm, person_name=biker)
    move(_on(year, 9, 2, now), kind=MovementKind.RETURN, item_code="VEH-EMB",
         serial=_serial(session, "VEH-EMB", pm, 1), to_agency_id=pm, person_name=biker,
         condition="worn", note="换岗归还")
    tri = _serial(session, "VEH-TRI", bn, 1)
    move(_on(year, 7, 8, now), kind=MovementKind.REPAIR_OUT, item_code="VEH-TRI", serial=tri,
         from_agency_id=bn, condition="damaged", note="巡逻途中电机故障，送县城维修点")
    move(_on(year, 7, 20, now), kind=MovementKind.REPAIR_IN, item_code="VEH-TRI", serial=tri,
         to_agency_id=bn, condition="good", note="更换电机后修回")
    move(_on(year, 8, 20, now), kind=MovementKind.ISSUE, item_code="TOOL-CUT", quantity=2,
         from_agency_id=pm, person_name=cutter, note="清理巡逻便道杂草")
    move(_on(year, 9, 30, now), kind=MovementKind.RETURN, item_code="TOOL-CUT", quantity=2,
         to_agency_id=pm, person_name=cutter)
    move(_on(year, 5, 12, now), kind=MovementKind.ISSUE, item_code="MAT-CEMENT", quantity=18,
         from_agency_id=bn, note="修补水毁便道")
    # two-stroke oil at Pingmeng falls below its threshold: the post's officers are told
    catalogue.set_threshold(session, user=actor, data=ThresholdIn(
        item_code="CON-OIL", agency_id=pm, minimum=10))
    move(_on(year, 9, 5, now), kind=MovementKind.ISSUE, item_code="CON-OIL", quantity=5,
         from_agency_id=pm, person_name=cutter, note="割草机用油")
    # an open request: Baidu asks the command for cement for a washed-out path
    requests.create(session, user=actor, data=RequestIn(
        agency_id=stores["NP-JDC-BD"].id, item_code="MAT-CEMENT", quantity=20,
        note="弄腊屯便道水毁，申领水泥修补（SYNTHETIC）"))
    org = stores[COMMAND].id
    session.execute(update(Movement).where(Movement.owner_org_id == org).values(synthetic=True))
    session.execute(update(Receipt).where(Receipt.recorded_by_id == actor.id)
                    .values(synthetic=True))
    session.flush()


def _serial(session: Session, code: str, agency_id: int, n: int) -> str:
    """The n-th serial number received by a store for an item."""
    return session.scalars(select(Asset.serial).join(Item, Item.id == Asset.item_id).join(
        Movement, Movement.asset_id == Asset.id).where(
        Item.code == code, Movement.kind == MovementKind.RECEIPT,
        Movement.to_agency_id == agency_id).order_by(Asset.id)).all()[n - 1]
