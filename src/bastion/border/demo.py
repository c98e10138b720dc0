"""The land-border demo: Napo County's joint-defence command on the real China–Vietnam line.

The line is Natural Earth's 1:10m border between about 105.44 E and 106.00 E (``data/``: 81 km,
origin and licence in ``data/LICENSES.md``). On it: 34 boundary markers every ~2.5 km (their
numbers are made up — the real series here is not public — and say so), eight defence
segments between markers for the Bainan 百南, Baidu 百都 and Pingmeng 平孟 joint-defence
posts (west to east), three checkpoints a segment, villages, bridges, a pier, barrier posts,
cameras and the Pingmeng–Sóc Giang port (a real port; its position here is approximate).

Then a month of SYNTHETIC patrols (``synthetic=True``, objective starting "SYNTHETIC"): planned
ones with members, most started on time, some late, some skipping a checkpoint, a few never
started; tracks on the Chinese side 50–300 m from the line at walking speed with GPS noise and
a few wild fixes the cleaning drops, stored through ``tracks.add_chunk``; check-ins at the
planned checkpoints; a few observations; and one patrol under way as the demo loads.

Everything comes from one seeded random generator, so two loads on the same day make the
same map and the same patrols (QR tokens excepted: they must stay unguessable). Markings
follow the issue's contract: the command owns the map, shares it by name with the police,
the army and the village committee (checkpoints and cameras not with the village
committee, cameras AMBER); each post is given its segments as areas.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import shapely
from shapely.geometry import LineString
from shapely.ops import substring
from sqlalchemy import insert
from sqlalchemy.orm import Session

from bastion.border.geo.models import (
    BorderLine,
    BorderPlace,
    BorderPost,
    BoundaryMarker,
    Checkpoint,
    DefenceSegment,
    MarkerKind,
    PlaceKind,
    PostVillage,
)
from bastion.border.patrols import categories, tracks
from bastion.border.patrols.models import (
    CheckIn,
    Observation,
    Patrol,
    PatrolMember,
    PatrolStatus,
    PatrolTarget,
    Period,
    PlannedCheckpoint,
    StatusChange,
    Transport,
)
from bastion.core.db import utcnow
from bastion.core.geo import haversine_m, line_length_m
from bastion.core.geo.metric import LocalMetric, local_metric
from bastion.core.marking import TLP, AreaAssignment, Distribution, MarkedMixin, RecordShare
from bastion.org.models import User

LINE_FILE = Path(__file__).resolve().parent / "data" / "napo-cn-vn.geojson"
ZONE = ZoneInfo("Asia/Shanghai")
SEED = 20261207
DAYS = 30  # full days of history before today
WINDOWS = [["08:30", "11:30"], ["13:30", "17:00"]]
SLOTS = [time(8, 30), time(10, 0), time(13, 30), time(15, 0)]  # local start times of patrols
FIX_S = 60.0  # a phone in battery-saving mode: one fix a minute
CHUNK = 200  # fixes a phone uploads at once
SYNTHETIC_NOTE = "SYNTHETIC：演示用虚构编号，非真实界桩号"  # the real series is not public

MARKERS = 34
FIRST_NUMBER = 1018  # so that the demo notice's "1047号界碑" stands on Pingmeng's last segment
# segment boundaries as marker indexes, and the post of each segment (west to east)
CUTS = [0, 4, 8, 11, 15, 19, 23, 28, 33]
SEGMENT_POSTS = ["NP-JDC-BN"] * 3 + ["NP-JDC-BD"] * 2 + ["NP-JDC-PM"] * 3
CHIEFS = ["黄德明", "陆永光", "马建勇", "覃志新", "何广生", "农国庆", "赵立平", "梁春华"]

# post code: grade, staff, patrols planned a day, (lon, lat) approximate, roster
POSTS: dict[str, dict[str, Any]] = {
    "NP-JDC-BN": {"grade": 2, "staff": 9, "per_day": 4, "at": (105.523, 23.205),
                  "roster": ["陆春梅", "农建华", "黄秋菊", "马光辉", "李卫东", "黄文杰"]},
    "NP-JDC-BD": {"grade": 2, "staff": 8, "per_day": 4, "at": (105.690, 23.070),
                  "roster": ["覃国庆", "何秀英", "黄春生", "韦建新", "梁小兰", "陆德胜"]},
    "NP-JDC-PM": {"grade": 1, "staff": 14, "per_day": 6, "at": (105.884, 22.957),
                  "roster": ["农文光", "何海龙", "黄志明", "韦丽萍", "梁德军", "赵永强", "陆海峰"]},
}
# users of the demo who patrol under their own name (roster name -> username)
ROSTER_USERS = {"农文光": "nong.post", "何海龙": "he.auxiliary", "陆春梅": "lu.auxiliary",
                "韦国平": "wei.police", "梁永": "liang.army"}
POLICE = ["韦国平", "罗文斌", "杨光"]
ARMY = ["梁永", "张磊", "王浩", "刘洋"]

# (kind, name, chainage km, metres to the Chinese side, post, extra properties)
PLACES: list[tuple[PlaceKind, str, float, float, str | None, dict[str, Any]]] = [
    (PlaceKind.CROSSING, "平孟口岸", 64.6, 0.0, "NP-JDC-PM",
     {"name_en": "Pingmeng port (to Sóc Giang, Cao Bằng, Viet Nam)", "crossing": "port",
      "note": "真实口岸，位置为近似值（置于 Natural Earth 边境线上）"}),
    (PlaceKind.CROSSING, "百都临时通道（SYNTHETIC）", 38.0, 0.0, "NP-JDC-BD",
     {"crossing": "temporary", "note": "SYNTHETIC"}),
    (PlaceKind.VILLAGE, "百南村", 12.0, 2600.0, "NP-JDC-BN", {"note": "位置为近似值"}),
    (PlaceKind.VILLAGE, "那隆屯（SYNTHETIC）", 21.5, 900.0, "NP-JDC-BN", {"note": "SYNTHETIC"}),
    (PlaceKind.VILLAGE, "百都村", 36.0, 2400.0, "NP-JDC-BD", {"note": "位置为近似值"}),
    (PlaceKind.VILLAGE, "弄腊屯（SYNTHETIC）", 44.0, 800.0, "NP-JDC-BD", {"note": "SYNTHETIC"}),
    (PlaceKind.VILLAGE, "平孟村", 63.0, 2500.0, "NP-JDC-PM", {"note": "位置为近似值"}),
    (PlaceKind.VILLAGE, "念井村", 71.0, 1200.0, "NP-JDC-PM",
     {"note": "位置为近似值", "committee": "NP-VC-NJ"}),
    (PlaceKind.BRIDGE, "百都河便桥（SYNTHETIC）", 37.2, 350.0, "NP-JDC-BD", {"note": "SYNTHETIC"}),
    (PlaceKind.BRIDGE, "平孟口岸桥（SYNTHETIC）", 64.2, 250.0, "NP-JDC-PM", {"note": "SYNTHETIC"}),
    (PlaceKind.PIER, "百都河渡口（SYNTHETIC）", 38.6, 150.0, "NP-JDC-BD", {"note": "SYNTHETIC"}),
    (PlaceKind.BARRIER, "拦阻桩 BN-1（SYNTHETIC）", 17.3, 60.0, "NP-JDC-BN", {"note": "SYNTHETIC"}),
    (PlaceKind.BARRIER, "拦阻桩 BD-1（SYNTHETIC）", 41.1, 70.0, "NP-JDC-BD", {"note": "SYNTHETIC"}),
    (PlaceKind.BARRIER, "拦阻桩 PM-1（SYNTHETIC）", 58.4, 60.0, "NP-JDC-PM", {"note": "SYNTHETIC"}),
    (PlaceKind.BARRIER, "拦阻桩 PM-2（SYNTHETIC）", 72.0, 80.0, "NP-JDC-PM", {"note": "SYNTHETIC"}),
    (PlaceKind.CAMERA, "摄像头 BN-C1（SYNTHETIC）", 9.5, 120.0, "NP-JDC-BN", {"note": "SYNTHETIC"}),
    (PlaceKind.CAMERA, "摄像头 BD-C1（SYNTHETIC）", 38.1, 100.0, "NP-JDC-BD", {"note": "SYNTHETIC"}),
    (PlaceKind.CAMERA, "摄像头 PM-C1 口岸（SYNTHETIC）", 64.5, 80.0, "NP-JDC-PM",
     {"note": "SYNTHETIC"}),
    (PlaceKind.CAMERA, "摄像头 PM-C2（SYNTHETIC）", 75.8, 140.0, "NP-JDC-PM", {"note": "SYNTHETIC"}),
]

# (category code, attributes, note) — what auxiliaries report on the trail, made up
OBSERVATIONS: list[tuple[str, dict[str, Any], str]] = [
    ("smuggling_trail", {"signs": ["footprints"], "width_m": 0.6}, "界桩东侧新踩出便道"),
    ("smuggling_trail", {"signs": ["footprints", "packaging"]}, "便道旁有丢弃的包装袋"),
    ("damaged_fence", {"marker_number": "1047", "severity": "minor", "length_m": 12},
     "护栏被雨水冲歪"),
    ("damaged_fence", {"marker_number": "1036", "severity": "breach", "length_m": 3},
     "护栏被剪开一个缺口"),
    ("illegal_crossing", {"count": 2, "direction": "inbound", "marker_number": "1029"},
     "两人由越方一侧进入后折返"),
    ("loitering", {"count": 1, "description": "陌生男子在界桩附近徘徊"}, ""),
    ("smuggled_goods", {"goods": ["frozen_meat"], "quantity": 40, "seized": True},
     "查获冻品，已移交边境管理大队"),
    ("landslide", {"severity": "low", "road_blocked": False}, "小面积塌方，不影响通行"),
    ("camera_fault", {"camera": "摄像头 PM-C2（SYNTHETIC）"}, "画面中断"),
    ("marker_damage", {"marker_number": "1024"}, "界桩漆面脱落"),
]


@dataclass
class Loaded:
    """What the demo made, for the CLI's summary and the tests."""

    line: BorderLine
    markers: list[BoundaryMarker]
    segments: list[DefenceSegment]
    checkpoints: list[Checkpoint]
    places: list[BorderPlace]
    posts: dict[str, BorderPost]
    patrols: list[Patrol] = field(default_factory=list)
    under_way: Patrol | None = None


class _Line:
    """The border in a local metric plane: points and the side of China at any chainage."""

    def __init__(self, coords: list[list[float]]) -> None:
        self.lonlat = LineString(coords)
        self.plane: LocalMetric = local_metric(self.lonlat)
        self.metric: LineString = self.plane.to_metric(self.lonlat)
        self.length = float(self.metric.length)
        self.grid = np.arange(0.0, self.length + 10.0, 10.0)
        xy = shapely.get_coordinates(shapely.line_interpolate_point(self.metric, self.grid))
        self.x, self.y = xy[:, 0], xy[:, 1]
        # China lies to the left walking west to east; normals smoothed over +-250 m so
        # that an offset walk rounds the line's corners instead of folding over them
        tx, ty = np.gradient(self.x), np.gradient(self.y)
        kernel = np.ones(51) / 51
        tx = np.convolve(np.pad(tx, 25, mode="edge"), kernel, mode="valid")
        ty = np.convolve(np.pad(ty, 25, mode="edge"), kernel, mode="valid")
        norm = np.hypot(tx, ty)
        self.nx, self.ny = -ty / norm, tx / norm

    def at(self, s: np.ndarray | float, offset: np.ndarray | float) -> np.ndarray:
        """Metric x, y at chainage ``s`` and ``offset`` metres to the Chinese side."""
        s = np.clip(np.asarray(s, dtype=float), 0.0, self.length)
        x = np.interp(s, self.grid, self.x) + np.interp(s, self.grid, self.nx) * offset
        y = np.interp(s, self.grid, self.y) + np.interp(s, self.grid, self.ny) * offset
        return np.column_stack((np.atleast_1d(x), np.atleast_1d(y)))

    def to_lonlat(self, xy: np.ndarray) -> np.ndarray:
        if len(xy) == 1:
            xy = np.vstack((xy, xy))
            return shapely.get_coordinates(self.plane.to_lonlat(LineString(xy)))[:1]
        return shapely.get_coordinates(self.plane.to_lonlat(LineString(xy)))

    def point(self, s: float, offset: float = 0.0) -> tuple[float, float]:
        lon, lat = self.to_lonlat(self.at(s, offset))[0]
        return round(float(lon), 6), round(float(lat), 6)

    def cut(self, s0: float, s1: float) -> LineString:
        return self.plane.to_lonlat(substring(self.metric, s0, s1))


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _bbox(geometry: Any) -> dict[str, float]:
    west, south, east, north = geometry.bounds
    return {"min_lon": west, "min_lat": south, "max_lon": east, "max_lat": north}


def _rounded(geometry: LineString) -> dict[str, Any]:
    return {"type": "LineString",
            "coordinates": [[round(x, 6), round(y, 6)] for x, y in geometry.coords]}


def _share(session: Session, records: Iterable[MarkedMixin], tlp: TLP,
           org_ids: Iterable[int]) -> None:
    """The marking of flushed records, shared by name with organisations (what
    ``org.sharing.apply_marking`` writes, in one insert for many records)."""
    orgs = sorted(set(org_ids))
    rows = []
    for record in records:
        record.tlp = tlp
        record.distribution = Distribution.NAMED if orgs else Distribution.OWN
        record_id = record.id  # type: ignore[attr-defined]
        rows += [{"record_kind": record.record_kind, "record_id": record_id, "agency_id": org}
                 for org in orgs]
    if rows:
        session.execute(insert(RecordShare), rows)


def _at_local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, ZONE).astimezone(UTC)


def load(session: Session, *, users: dict[str, User], agencies: dict[str, int],
         now: datetime | None = None) -> Loaded:
    """Fill the land-border half of the demo. ``users`` by username, ``agencies`` (ids) by
    code, as ``bastion.demo`` made them; ``now`` for tests (default: the clock)."""
    now = now or utcnow()
    rng = random.Random(SEED)
    command = users["huang.command"]
    owner = agencies["NP-JDC"]
    partners = [agencies["NP-POL"], agencies["NP-ARMY"]]
    public = [*partners, agencies["NP-VC-NJ"]]
    doc = json.loads(LINE_FILE.read_text(encoding="utf-8"))
    feature = doc["features"][0]
    line = _Line(feature["geometry"]["coordinates"])

    def marked(record: Any) -> Any:
        record.owner_org_id = owner
        record.created_by_id = command.id
        return record

    border = marked(BorderLine(
        name="中越边境那坡段", source="Natural Earth 1:10m",
        geometry=feature["geometry"], length_m=line_length_m(line.lonlat),
        **_bbox(line.lonlat)))
    session.add(border)
    session.flush()

    # markers every ~2.5 km, the spacing varied so they do not look machine-made
    step = line.length / (MARKERS - 1)
    chainages = [0.0] + [i * step + rng.uniform(-0.15, 0.15) * step
                         for i in range(1, MARKERS - 1)] + [line.length]
    markers = []
    for index, s in enumerate(chainages):
        offset = rng.uniform(-15.0, 15.0) if 0 < index < MARKERS - 1 else 0.0
        lon, lat = line.point(s, offset)
        markers.append(marked(BoundaryMarker(
            number=str(FIRST_NUMBER + index), lon=lon, lat=lat, line_id=border.id,
            kind=MarkerKind.MONUMENT if index % 5 == 0 else MarkerKind.PILLAR,
            chainage_m=round(s, 1), offset_m=round(abs(offset), 1), note=SYNTHETIC_NOTE)))
    session.add_all(markers)
    session.flush()

    segments = []
    for n, (a, b) in enumerate(itertools.pairwise(CUTS)):
        piece = line.cut(chainages[a], chainages[b])
        segments.append(marked(DefenceSegment(
            code=f"NP-D{n + 1:02d}",
            name=f"{FIRST_NUMBER + a}—{FIRST_NUMBER + b}号界桩段（SYNTHETIC 编号）",
            line_id=border.id, from_marker_id=markers[a].id, to_marker_id=markers[b].id,
            geometry=_rounded(piece), length_m=round(line_length_m(piece), 1),
            chief_name=CHIEFS[n], post_agency_id=agencies[SEGMENT_POSTS[n]], **_bbox(piece))))
    session.add_all(segments)
    session.flush()
    starts = [chainages[a] for a in CUTS]  # segment n runs from starts[n] to starts[n + 1]

    def segment_at(s: float) -> int:
        return max(n for n in range(len(segments)) if starts[n] <= s)

    posts = {}
    for code, spec in POSTS.items():
        posts[code] = marked(BorderPost(agency_id=agencies[code], grade=spec["grade"],
                                        staff=spec["staff"], lon=spec["at"][0],
                                        lat=spec["at"][1]))
    session.add_all(posts.values())

    places = []
    for kind, name, km, offset, post, props in PLACES:
        s = min(km * 1000.0, line.length)
        lon, lat = line.point(s, offset)
        places.append(marked(BorderPlace(kind=kind, name=name, lon=lon, lat=lat,
                                         segment_id=segments[segment_at(s)].id,
                                         properties={**props, "post": post})))
    session.add_all(places)

    # checkpoints: three a segment, at 1/6, 3/6 and 5/6 of it, 70-180 m into China
    checkpoints, cp_at = [], {}
    for n, segment in enumerate(segments):
        for k, share in enumerate((1 / 6, 3 / 6, 5 / 6)):
            s = starts[n] + (starts[n + 1] - starts[n]) * share
            offset = round(rng.uniform(70.0, 180.0))
            lon, lat = line.point(s, offset)
            near = min(range(MARKERS), key=lambda i, s=s: abs(chainages[i] - s))
            cp = marked(Checkpoint(
                code=f"{segment.code}-K{k + 1}", name=f"{FIRST_NUMBER + near}号界桩附近卡点",
                lon=lon, lat=lat, radius_m=50.0 if k != 1 else 80.0, segment_id=segment.id,
                post_agency_id=segment.post_agency_id, qr_token=secrets.token_urlsafe(24),
                windows=WINDOWS, active=True))
            checkpoints.append(cp)
            cp_at[id(cp)] = (s, offset)
    session.add_all(checkpoints)
    session.flush()

    for post_code, spec in POSTS.items():
        mine = [p for p in places if p.kind == PlaceKind.VILLAGE
                and p.properties["post"] == post_code]
        session.add_all(PostVillage(post_id=posts[post_code].id, place_id=v.id) for v in mine)
    cameras = [p for p in places if p.kind == PlaceKind.CAMERA]
    _share(session, [border, *markers, *segments, *posts.values(),
                     *(p for p in places if p.kind != PlaceKind.CAMERA)], TLP.GREEN, public)
    _share(session, checkpoints, TLP.GREEN, partners)
    _share(session, cameras, TLP.AMBER, partners)
    session.execute(insert(AreaAssignment), [
        {"agency_id": s.post_agency_id, "area_kind": "segment", "area_id": s.id}
        for s in segments])
    # targets: each post so many patrols a day of 90 min; each segment three times a week
    session.add_all(PatrolTarget(owner_org_id=owner, post_agency_id=agencies[code],
                                 period=Period.DAY, min_patrols=spec["per_day"], min_minutes=90)
                    for code, spec in POSTS.items())
    session.add_all(PatrolTarget(owner_org_id=owner, post_agency_id=s.post_agency_id,
                                 segment_id=s.id, period=Period.WEEK, min_patrols=3)
                    for s in segments)
    session.flush()

    loaded = Loaded(line=border, markers=markers, segments=segments, checkpoints=checkpoints,
                    places=places, posts=posts)
    _patrols(session, rng=rng, line=line, now=now, loaded=loaded, users=users,
             agencies=agencies, starts=starts, cp_at=cp_at)
    return loaded


@dataclass
class _Plan:
    post: str
    segment: int
    planned_start: datetime
    planned_end: datetime
    transport: Transport
    checkpoints: list[Checkpoint]
    stretch: tuple[float, float]  # chainage from, to (to < from: walking west)
    members: list[tuple[str, int, bool]]  # name, agency id, leader
    fate: str  # on_time | late | skip | not_started | planned | under_way


def _patrols(session: Session, *, rng: random.Random, line: _Line, now: datetime,
             loaded: Loaded, users: dict[str, User], agencies: dict[str, int],
             starts: list[float], cp_at: dict[int, tuple[float, float]]) -> None:
    partners = {agencies["NP-POL"], agencies["NP-ARMY"]}
    by_segment: dict[int, list[Checkpoint]] = {}
    for cp in loaded.checkpoints:
        by_segment.setdefault(cp.segment_id or 0, []).append(cp)
    seg_ids = [s.id for s in loaded.segments]
    post_segments = {code: [n for n, s in enumerate(loaded.segments)
                            if s.post_agency_id == agencies[code]] for code in POSTS}
    today = now.astimezone(ZONE).date()

    def plan(post: str, n: int, start: datetime, fate: str, r: random.Random) -> _Plan:
        cps = by_segment[seg_ids[n]]
        transport = Transport.MOTORBIKE if r.random() < 0.15 else Transport.FOOT
        if transport == Transport.MOTORBIKE:  # the patrol road, out and back, every checkpoint
            chosen = list(cps)
            stretch = (starts[n] + 100.0, starts[n + 1] - 100.0)
        else:  # on foot: two neighbouring checkpoints and the trail between them
            k = r.randrange(2)
            chosen = cps[k:k + 2]
            a, b = cp_at[id(chosen[0])][0] - 350.0, cp_at[id(chosen[1])][0] + 300.0
            stretch = (a, b) if r.random() < 0.5 else (b, a)
            if stretch[0] > stretch[1]:
                chosen = chosen[::-1]
        roster = POSTS[post]["roster"]
        team = r.sample(roster, 2 + (r.random() < 0.4))
        members = [(name, agencies[post], i == 0) for i, name in enumerate(team)]
        if r.random() < 0.3:  # 军警民联巡: with the border police, the army, or both
            if r.random() < 0.7:
                members.append((r.choice(POLICE), agencies["NP-POL"], False))
            if r.random() < 0.6 or len(members) == len(team):
                members.append((r.choice(ARMY), agencies["NP-ARMY"], False))
        return _Plan(post=post, segment=n, planned_start=start,
                     planned_end=start + timedelta(minutes=90), transport=transport,
                     checkpoints=chosen, stretch=stretch, members=members, fate=fate)

    plans: list[_Plan] = []
    for offset in range(-DAYS, 2):  # a month back, today and tomorrow
        day = today + timedelta(days=offset)
        for post, spec in POSTS.items():
            r = random.Random(f"{SEED}:{offset}:{post}")  # the same day the same patrols
            segs = post_segments[post]
            for i in range(spec["per_day"]):
                start = _at_local(day, SLOTS[i % len(SLOTS)]) + timedelta(
                    minutes=10 * (i // len(SLOTS)))
                n = segs[(i + offset) % len(segs)]
                if start + timedelta(minutes=100) > now:
                    fate = "planned"
                else:
                    roll = r.random()
                    fate = ("not_started" if roll < 0.03 else "late" if roll < 0.12
                            else "skip" if roll < 0.22 else "on_time")
                plans.append(plan(post, n, start, fate, r))
    r = random.Random(f"{SEED}:now")
    port = next(p for p in loaded.places if p.kind == PlaceKind.CROSSING)
    n_port = next(n for n, s in enumerate(loaded.segments) if s.id == port.segment_id)
    live = plan("NP-JDC-PM", n_port, now - timedelta(minutes=42), "under_way", r)
    live.transport = Transport.FOOT
    live.members = [("农文光", agencies["NP-JDC-PM"], True), ("何海龙", agencies["NP-JDC-PM"], False),
                    ("韦国平", agencies["NP-POL"], False)]
    chosen = by_segment[seg_ids[n_port]][:2]
    live.checkpoints = chosen
    live.stretch = (cp_at[id(chosen[0])][0] - 350.0, cp_at[id(chosen[1])][0] + 300.0)
    plans.append(live)

    # the patrols, then everything hanging on them
    patrols = []
    for p in plans:
        segment = loaded.segments[p.segment]
        joint = len({agency for _n, agency, _l in p.members}) > 1
        patrol = Patrol(
            client_id=_uuid(rng), post_agency_id=agencies[p.post], segment_id=segment.id,
            status=PatrolStatus.PLANNED, transport=p.transport, joint=joint,
            objective=f"SYNTHETIC 演示巡逻：{segment.name} 巡查界桩、便道",
            planned_start=p.planned_start, planned_end=p.planned_end,
            route=_rounded(line.cut(min(p.stretch), max(p.stretch))), synthetic=True,
            owner_org_id=loaded.line.owner_org_id, created_by_id=loaded.line.created_by_id,
            tlp=TLP.GREEN, distribution=Distribution.OWN, area_kind="segment",
            area_id=segment.id, created_at=p.planned_start - timedelta(days=1, hours=3))
        patrols.append(patrol)
    session.add_all(patrols)
    session.flush()
    shares = []
    rows: dict[type, list[dict[str, Any]]] = {PatrolMember: [], PlannedCheckpoint: [],
                                              StatusChange: [], CheckIn: []}
    for patrol, p in zip(patrols, plans, strict=True):
        if patrol.joint:  # GREEN, shared by name with the partners that patrolled (as
            # patrols.service.mark shares a joint patrol: the command and the partners)
            patrol.distribution = Distribution.NAMED
            shares += [{"record_kind": Patrol.record_kind, "record_id": patrol.id,
                        "agency_id": agency} for agency in sorted(
                            {patrol.owner_org_id} | {a for _n, a, _l in p.members
                                                     if a in partners})]
        rows[PatrolMember] += [{
            "patrol_id": patrol.id, "name": name, "agency_id": agency, "is_leader": leader,
            "user_id": users[ROSTER_USERS[name]].id if name in ROSTER_USERS else None,
            "is_pilot": not leader and p.transport == Transport.MOTORBIKE and i == 1}
            for i, (name, agency, leader) in enumerate(p.members)]
        rows[PlannedCheckpoint] += [{
            "patrol_id": patrol.id, "checkpoint_id": cp.id, "position": position,
            "window_start": p.planned_start - timedelta(minutes=15),
            "window_end": _window_end(p.planned_start)}
            for position, cp in enumerate(p.checkpoints)]
    session.execute(insert(RecordShare), shares)
    walked = []
    for patrol, p in zip(patrols, plans, strict=True):
        if p.fate in ("planned", "not_started"):
            continue
        walked.append((patrol, p, _walk(rows, line=line, now=now, patrol=patrol,
                                        plan=p, cp_at=cp_at, users=users)))
    for model, made in rows.items():  # in one insert each: the demo loads in seconds
        if made:
            session.execute(insert(model), made)
    session.flush()
    # the track chunks last, patrol by patrol (each chunk is cleaned against the one before)
    for patrol, p, (points, upload_delay, _good) in walked:
        # uploaded when the phone next has a network: mostly at the end; live, every 10 min
        size = 10 if p.fate == "under_way" else CHUNK
        for index, start in enumerate(range(0, len(points), size)):
            chunk, _new = tracks.add_chunk(session, patrol=patrol,
                                           client_id=f"{patrol.client_id}-{index}",
                                           points=points[start:start + size])
            chunk.received_at = (chunk.last_at or now) + timedelta(seconds=upload_delay)
            chunk.received_at = min(chunk.received_at, now)
    _observations(session, rng=rng, now=now, walked=walked, loaded=loaded, users=users)
    loaded.patrols = patrols
    loaded.under_way = patrols[-1]


def _observations(session: Session, *, rng: random.Random, now: datetime,
                  walked: list[Any], loaded: Loaded, users: dict[str, User]) -> None:
    """A few findings on the trail, from the command's category tree (seeded with the shipped
    one), their attributes checked as the field API checks them, each at a fix of the track."""
    owner = loaded.line.owner_org_id
    tree = categories.seed_defaults(session, owner_org_id=owner)
    numbers = {m.id: int(m.number) for m in loaded.markers}
    segments = {s.id: s for s in loaded.segments}
    ended = [w for w in walked if w[0].status == PatrolStatus.ENDED]
    # each finding three times over the month, and a trail found by the patrol under way
    chosen = rng.sample(ended, 3 * len(OBSERVATIONS)) + [walked[-1]]
    found = 3 * OBSERVATIONS + [OBSERVATIONS[0]]
    rows = []
    for (patrol, plan, (points, _delay, good)), (code, attributes, note) in zip(
            chosen, found, strict=True):
        segment = segments[patrol.segment_id]
        if "marker_number" in attributes:  # a marker of the patrol's own segment
            attributes = {**attributes, "marker_number": str(rng.randint(
                numbers[segment.from_marker_id], numbers[segment.to_marker_id]))}
        category = tree[code]
        fix = points[rng.choice(good[len(good) // 5:])]
        device_at = datetime.fromtimestamp(fix[0], UTC)
        leader = next((users[ROSTER_USERS[name]] for name, _a, lead in plan.members
                       if lead and name in ROSTER_USERS), None)
        rows.append({"client_id": _uuid(rng), "patrol_id": patrol.id,
                     "category_id": category.id,
                     "attributes": categories.validate(category, attributes),
                     "note": f"SYNTHETIC {note}".strip(), "device_at": device_at,
                     "received_at": min(now, device_at + timedelta(minutes=rng.uniform(1, 60))),
                     "lon": fix[1], "lat": fix[2], "by_user_id": leader.id if leader else None})
    session.execute(insert(Observation), rows)


def _window_end(planned_start: datetime) -> datetime:
    """The end of the checkpoint window (08:30-11:30 or 13:30-17:00) the patrol starts in."""
    local = planned_start.astimezone(ZONE)
    for begin, end in WINDOWS:
        if time.fromisoformat(begin) <= local.time() < time.fromisoformat(end):
            return datetime.combine(local.date(), time.fromisoformat(end), ZONE).astimezone(UTC)
    return planned_start + timedelta(hours=2)


def _walk(rows: dict[type, list[dict[str, Any]]], *, line: _Line, now: datetime, patrol: Patrol,
          plan: _Plan, cp_at: dict[int, tuple[float, float]],
          users: dict[str, User]) -> tuple[list[list[float]], float, list[int]]:
    """Walk one patrol: the status changes and check-ins as ORM rows, and the track's fixes
    (returned, stored afterwards through ``tracks.add_chunk``)."""
    r = random.Random(patrol.client_id)
    gen = np.random.default_rng(r.getrandbits(32))
    late = timedelta(minutes=r.uniform(8, 35)) if plan.fate == "late" else timedelta(
        seconds=r.uniform(-240, 240))
    started = plan.planned_start + late
    if plan.fate == "under_way":
        started = now - timedelta(minutes=40)
    leader = next((users[ROSTER_USERS[n]] for n, _a, lead in plan.members
                   if lead and n in ROSTER_USERS), None)
    by_user = leader.id if leader else None
    a, b = plan.stretch
    foot = plan.transport == Transport.FOOT
    speed = r.uniform(0.75, 1.0) if foot else r.uniform(4.0, 6.0)
    base = r.uniform(60.0, 180.0) if foot else r.uniform(150.0, 280.0)
    skipped = plan.checkpoints[-1 if r.random() < 0.5 else 0] if plan.fate == "skip" else None
    # along the line: out (and, on the patrol road, back) at the patrol's speed with stops
    legs = [(a, b)] if foot else [(a, b), (b, a)]
    s_list: list[float] = []
    t_list: list[float] = []
    leg_list: list[int] = []
    t = started.timestamp()
    stop_until = now.timestamp() - 20 if plan.fate == "under_way" else math.inf
    phase = [r.uniform(0, 2 * math.pi) for _ in range(2)]
    visits = [cp_at[id(cp)][0] for cp in plan.checkpoints if cp is not skipped]

    for leg, (s0, s1) in enumerate(legs):
        direction = 1.0 if s1 >= s0 else -1.0
        s = s0
        while t < stop_until:
            s_list.append(s)
            t_list.append(t)
            leg_list.append(leg)
            if leg == 0 and s in visits:  # a few minutes at the checkpoint
                for _ in range(r.randint(4, 9)):
                    t += FIX_S + r.uniform(-2, 2)
                    s_list.append(s)
                    t_list.append(t)
                    leg_list.append(leg)
            if s == s1:
                t += FIX_S + r.uniform(-2, 2)
                break
            step = direction * speed * FIX_S * r.uniform(0.6, 1.3)
            ahead = [cs for cs in visits if 0 < (cs - s) * direction <= abs(step)]
            s = min(ahead, key=lambda cs, s=s: abs(cs - s)) if leg == 0 and ahead else s + step
            if (s1 - s) * direction <= 0:
                s = s1
            t += FIX_S + r.uniform(-2, 2)
    # 50-300 m into China, wandering; turning in to each checkpoint (or walking past one)
    along, legs_at = np.array(s_list), np.array(leg_list)
    offsets = np.clip(base + 45.0 * np.sin(along / 900.0 + phase[0]) + 25.0 * np.sin(
        along / 310.0 + phase[1]) + legs_at * 60.0, 50.0, 300.0)
    for cp in plan.checkpoints:
        cs, co = cp_at[id(cp)]
        target = co if cp is not skipped else co + (140.0 if co < 160 else -140.0)
        near = (np.abs(along - cs) < 250.0) & (legs_at == 0)
        w = np.cos(np.abs(along - cs) / 250.0 * math.pi / 2) ** 2
        offsets = np.where(near, (1 - w) * offsets + w * target, offsets)
    xy = line.at(along, offsets)
    noise = gen.normal(0.0, 5.0, xy.shape)
    accuracy = gen.uniform(4.0, 16.0, len(xy))
    # wild fixes (multipath in the valleys, a cell-network fix): dropped by the cleaning
    wild = [i for i in range(5, len(xy) - 1) if r.random() < 0.006]
    for i in wild:
        angle = r.uniform(0, 2 * math.pi)
        jump = r.uniform(400.0, 900.0) if foot else r.uniform(2500.0, 4000.0)
        noise[i] += (jump * math.cos(angle), jump * math.sin(angle))
    poor = [i for i in range(5, len(xy) - 1) if r.random() < 0.004]
    for i in poor:
        accuracy[i] = r.uniform(150.0, 400.0)
        noise[i] += gen.normal(0.0, 120.0, 2)
    lonlat = line.to_lonlat(xy + noise)
    points = np.column_stack((np.round(np.array(t_list), 1), np.round(lonlat, 6),
                              np.round(accuracy, 1))).tolist()
    ended_ts = t_list[-1] + r.uniform(20, 90)
    upload_delay = r.uniform(5, 600)
    device_skew = timedelta(seconds=r.uniform(-20, 20))

    def change(action: str, at: datetime, where: list[float]) -> None:
        rows[StatusChange].append({
            "client_id": _uuid(r), "patrol_id": patrol.id, "action": action,
            "device_at": at + device_skew,
            "received_at": min(now, at + timedelta(seconds=upload_delay)), "lon": where[1],
            "lat": where[2], "by_user_id": by_user})

    patrol.started_at = started
    patrol.started_device_at = started + device_skew
    change("start", started, points[0])
    if plan.fate == "under_way":
        patrol.status = PatrolStatus.UNDER_WAY
        patrol.moving_s = now.timestamp() - started.timestamp()
    else:
        patrol.status = PatrolStatus.ENDED
        patrol.ended_at = datetime.fromtimestamp(ended_ts, UTC)
        patrol.ended_device_at = patrol.ended_at + device_skew
        patrol.moving_s = ended_ts - started.timestamp()
        change("end", patrol.ended_at, points[-1])
    # check-ins: at the fix nearest each checkpoint visited (by geofence, sometimes the QR)
    track = xy + noise
    track[wild + poor] = np.inf  # never the fix a check-in is made at
    for cp in plan.checkpoints:
        if cp is skipped:
            continue
        here = line.at(cp_at[id(cp)][0], cp_at[id(cp)][1])[0]
        best = int(np.argmin(np.hypot(track[:, 0] - here[0], track[:, 1] - here[1])))
        distance = haversine_m(cp.lat, cp.lon, points[best][2], points[best][1])
        if distance > cp.radius_m:
            continue  # an under-way patrol that has not reached it yet
        device_at = datetime.fromtimestamp(points[best][0], UTC) + device_skew
        window_end = _window_end(plan.planned_start)
        rows[CheckIn].append({
            "client_id": _uuid(r), "patrol_id": patrol.id, "checkpoint_id": cp.id,
            "method": "qr" if r.random() < 0.2 else "geofence", "device_at": device_at,
            "received_at": min(now, device_at + timedelta(seconds=r.uniform(2, 300))),
            "lon": points[best][1], "lat": points[best][2], "accuracy_m": points[best][3],
            "distance_m": round(distance, 1), "within_radius": True,
            "within_window": plan.planned_start - timedelta(minutes=15) <= device_at <= window_end,
            "by_user_id": by_user})
    return points, upload_delay, [i for i in range(len(points)) if i not in wild + poor]
