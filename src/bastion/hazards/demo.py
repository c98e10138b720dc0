"""SYNTHETIC hazards for the demo: the year the seed report describes, rebuilt from
individual records — 7.2 km of water-damaged road repaired, 45 landslides cleared, 14 water
sources and 16 power circuits repaired, 200 m of fence mended — as repairs spread over the
year and the three posts of the Napo command, each reported, triaged, ordered, repaired and
(most) verified through the real services; plus a few open reports, a work order past its
due date, a rejected report, a drill's report (exercise: never counted), one hazard reported
from a patrol observation, and two blind-spot surveys (3 blind spots, 5 camera points
proposed: LAND-BORDER.md S29). Everything is marked ``synthetic``.

The demo's year (:func:`year`) is this calendar year, or last year before March (so that it
is never mostly in the future); ``figures()`` over it gives exactly the seed report's counts.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from bastion.core.db import utcnow
from bastion.hazards import service, surveys
from bastion.hazards.models import Hazard, PointKind
from bastion.hazards.schemas import ActionIn, HazardIn, MaterialIn, SurveyIn, SurveyPointIn
from bastion.org.models import User

SEED = 16
POST_AT = {"NP-JDC-PM": (105.884, 22.957), "NP-JDC-BD": (105.690, 23.070),
           "NP-JDC-BN": (105.523, 23.205)}
POSTS = list(POST_AT)

# category -> the quantity of each repair in the year, in the category's unit; the sums are
# the seed report's: 7.2 km, 45 landslides, 14 water sources, 16 circuits, 200 m of fence.
REPAIRS: dict[str, list[float]] = {
    "road": [0.5, 0.8, 1.2, 0.6, 0.9, 0.7, 1.0, 0.8, 0.7],
    "landslide": [3, 5, 2, 4, 6, 3, 4, 5, 2, 4, 3, 4],
    "water_source": [2, 1, 3, 2, 1, 2, 1, 2],
    "circuit": [2, 1, 3, 2, 2, 1, 2, 2, 1],
    "fence": [30, 25, 40, 20, 35, 30, 20],
}
EXPECTED = {"hazards.road_km": 7.2, "hazards.landslides": 45, "hazards.water_sources": 14,
            "hazards.circuits": 16, "hazards.fence_m": 200}
NOTES = {
    "road": ("雨季山洪冲毁巡逻便道", "Patrol track washed out by a flash flood"),
    "landslide": ("边境巡逻路段山体塌方，堵塞道路", "Landslide blocking the patrol road"),
    "water_source": ("哨所饮用水源管道破损", "Drinking-water pipe of the post broken"),
    "circuit": ("监控点供电线路故障", "Power circuit of a camera point down"),
    "fence": ("边境护栏被撞坏", "Border fence damaged"),
}
# Drawn from the post's store (supplies answers hazards.materials_drawn; its demo stocks these).
MATERIALS = {
    "road": [("MAT-GRAVEL", "碎石", 12, "m³"), ("MAT-CEMENT", "水泥", 20, "袋")],
    "landslide": [("MAT-SANDBAG", "编织袋", 10, "条")],
    "water_source": [("MAT-PIPE-PE", "PE水管", 50, "m")],
    "circuit": [("MAT-CABLE", "电缆", 100, "m")],
    "fence": [("MAT-MESH", "护栏网片", 10, "片"), ("MAT-POST", "立柱", 12, "根")],
}


def year(today: date | None = None) -> tuple[date, date]:
    """[start, end) of the demo's year."""
    today = today or utcnow().date()
    y = today.year if today >= date(today.year, 3, 1) else today.year - 1
    return date(y, 1, 1), date(y + 1, 1, 1)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour - 8 if hour >= 8 else hour), tzinfo=UTC)


def _line(rng: random.Random, post: str, km: float) -> dict:
    lon, lat = POST_AT[post]
    lon += rng.uniform(-0.05, 0.05)
    lat += rng.uniform(-0.04, 0.04)
    steps = max(2, int(km * 4) + 1)
    dlon, dlat = rng.uniform(0.002, 0.004), rng.uniform(-0.002, 0.002)
    return {"type": "LineString",
            "coordinates": [[round(lon + i * dlon, 6), round(lat + i * dlat, 6)]
                            for i in range(steps)]}


def _point(rng: random.Random, post: str) -> dict:
    lon, lat = POST_AT[post]
    return {"type": "Point", "coordinates": [round(lon + rng.uniform(-0.05, 0.05), 6),
                                             round(lat + rng.uniform(-0.04, 0.04), 6)]}


def _report(session: Session, user: User, post_id: int | None, category: str, seen: datetime,
            geometry: dict, note: str, *, marker: str = "", exercise: bool = False,
            observation_id: int | None = None) -> Hazard:
    hazard, _new = service.report(session, user=user, now=seen + timedelta(minutes=30),
                                  data=HazardIn(category=category, note=note, marker=marker,
                                                geometry=geometry, post_agency_id=post_id,
                                                observed_at=seen, exercise=exercise,
                                                observation_id=observation_id))
    hazard.synthetic = True
    return hazard


def _step(session: Session, user: User, hazard: Hazard, when: datetime, action: str,
          **data) -> None:
    service.act(session, user=user, hazard_id=hazard.id, now=when,
                data=ActionIn(action=action, **data))


def _repair(session: Session, users: dict[str, User], agencies: dict[str, int],
            rng: random.Random, category: str, quantity: float, done_on: date, post: str,
            *, verify: bool, exercise: bool = False) -> Hazard:
    command = users["huang.command"]
    worker = users["nong.post"] if post == "NP-JDC-PM" else command
    reporter = rng.choice([users["nong.post"], users["he.auxiliary"]]) \
        if post == "NP-JDC-PM" else command
    seen = _at(done_on - timedelta(days=rng.randint(5, 12)), rng.randint(8, 17))
    zh, _en = NOTES[category]
    geometry = _line(rng, post, quantity) if category == "road" else _point(rng, post)
    hazard = _report(session, reporter, agencies[post], category, seen, geometry, zh,
                     marker=str(rng.randint(1040, 1340)), exercise=exercise)
    _step(session, command, hazard, seen + timedelta(hours=3), "triage")
    issued = seen + timedelta(days=1)
    _step(session, command, hazard, issued, "order", assignee_agency_id=agencies[post],
          due_on=done_on + timedelta(days=rng.randint(0, 3)), team=rng.choice(["", "维修小组"]),
          materials=[MaterialIn(item_code=c, item_name=n, quantity=q, unit=u)
                     for c, n, q, u in MATERIALS[category]])
    _step(session, worker, hazard, _at(done_on, 17), "complete", quantity=quantity,
          done_on=done_on)
    if verify:
        _step(session, command, hazard, _at(done_on + timedelta(days=3), 10), "verify")
    return hazard


def _observation_id(session: Session, user: User) -> int | None:
    """An observation of a demo patrol that looks like a hazard (through border's service)."""
    from bastion.border.patrols import service as patrols

    for patrol in session.scalars(patrols.visible_query(user).limit(60)):
        for ob in patrols.detail(session, patrol=patrol)["observations"]:
            if ob.get("category_code") in ("smuggling_trail", "damaged_fence", "landslide",
                                           "flood", "breach", "minor"):
                return int(ob["id"])
    return None


def load(session: Session, *, users: dict[str, User], agencies: dict[str, int],
         today: date | None = None) -> list[Hazard]:
    rng = random.Random(SEED)
    today = today or utcnow().date()
    first, after = year(today)
    last = min(after - timedelta(days=1), today - timedelta(days=1))
    span = (last - first).days
    made = []
    for category, quantities in REPAIRS.items():
        n = len(quantities)
        for i, quantity in enumerate(quantities):
            done_on = first + timedelta(days=int(span * (i + 0.5) / n))
            post = POSTS[(i + len(category)) % len(POSTS)]
            recent = (last - done_on).days < 20
            made.append(_repair(session, users, agencies, rng, category, quantity, done_on,
                                post, verify=not recent))
    command = users["huang.command"]
    # a drill: a real record, marked, never counted
    made.append(_repair(session, users, agencies, rng, "landslide", 3, last - timedelta(days=40),
                        "NP-JDC-BD", verify=True, exercise=True))
    now = utcnow()
    # open work: reported, triaged, one order in hand, one past its due date
    made.append(_report(session, users["lu.auxiliary"], agencies["NP-JDC-BN"], "landslide",
                        now - timedelta(hours=20), _point(rng, "NP-JDC-BN"),
                        "1188号界碑附近小型塌方", marker="1188"))
    made.append(_report(session, users["ma.village"], agencies["NP-JDC-PM"], "water_source",
                        now - timedelta(days=2), _point(rng, "NP-JDC-PM"),
                        "念井村边境饮水点水管破裂（村委会报告）"))
    triaged = _report(session, users["nong.post"], agencies["NP-JDC-PM"], "fence",
                      now - timedelta(days=3), _point(rng, "NP-JDC-PM"),
                      "1328那个护栏还没修好", marker="1328")
    _step(session, command, triaged, now - timedelta(days=2), "triage")
    made.append(triaged)
    for days_ago, due_in, post, category in ((6, 10, "NP-JDC-BD", "circuit"),
                                             (20, 7, "NP-JDC-PM", "road")):
        issued = now - timedelta(days=days_ago)
        h = _report(session, command, agencies[post], category, issued - timedelta(days=1),
                    _line(rng, post, 0.4) if category == "road" else _point(rng, post),
                    NOTES[category][0])
        _step(session, command, h, issued - timedelta(hours=20), "triage")
        _step(session, command, h, issued, "order", assignee_agency_id=agencies[post],
              due_on=(issued + timedelta(days=due_in)).date(),
              materials=[MaterialIn(item_code=c, item_name=n, quantity=q, unit=u)
                         for c, n, q, u in MATERIALS[category]])
        made.append(h)  # the second is past its due date: the deadlines job escalates it
    rejected = _report(session, users["he.auxiliary"], agencies["NP-JDC-PM"], "other",
                       now - timedelta(days=9), _point(rng, "NP-JDC-PM"), "路边广告牌倾斜")
    _step(session, command, rejected, now - timedelta(days=8), "reject",
          reason="不属于边境设施，已转交乡政府")
    made.append(rejected)
    observation = _observation_id(session, command)
    if observation is not None:
        made.append(_report(session, command, None, "smuggling_trail", now - timedelta(days=1),
                            _point(rng, "NP-JDC-PM"), "巡逻发现界碑东侧新踩出便道",
                            observation_id=observation))
    # blind-spot surveys (S29: a field trip found 3 blind spots and proposed 5 camera points)
    for title, post, walked, spots, cameras in (
            ("平孟段视频监控盲区踏勘", "NP-JDC-PM", 25.3, 2, 3),
            ("百都段护栏与监控盲区踏勘", "NP-JDC-BD", 12.0, 1, 2)):
        lon, lat = POST_AT[post]
        survey = surveys.create(session, user=command, now=now, data=SurveyIn(
            title=title, post_agency_id=agencies[post], walked_km=walked,
            surveyed_on=(now - timedelta(days=30)).date(), note="SYNTHETIC",
            points=[SurveyPointIn(kind=PointKind.BLIND_SPOT, lon=lon + 0.01 * i, lat=lat + 0.008,
                                  note=f"盲区{i + 1}") for i in range(spots)]
            + [SurveyPointIn(kind=PointKind.CAMERA, lon=lon + 0.01 * i + 0.004, lat=lat + 0.01,
                             note=f"建议补点{i + 1}") for i in range(cameras)]))
        survey.synthetic = True
    session.flush()
    return made
