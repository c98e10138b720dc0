"""A border of our own making for the measures and the live picture, written with the ORM
(the field API is built in parallel): a command with posts A and B, partners (police, army, a
village committee) and a port station; two straight segments near Napo, three checkpoints,
and patrols whose measures are known by hand (see ``build_scene``'s docstring).
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shapely.geometry import LineString
from sqlalchemy.orm import Session

from bastion.border.geo.models import BorderLine, BoundaryMarker, Checkpoint, DefenceSegment
from bastion.border.patrols import tracks
from bastion.border.patrols.models import (
    CheckIn,
    Observation,
    ObservationCategory,
    Patrol,
    PatrolMember,
    PatrolStatus,
    PatrolTarget,
    Period,
    PlannedCheckpoint,
    Sos,
    Transport,
)
from bastion.core.geo import line_length_m
from bastion.core.marking import TLP, Distribution
from bastion.org.models import Agency, AgencyKind, Role, User
from bastion.org.sharing import MarkingIn, apply_marking
from tests.border.synth import beside
from tests.factories import make_agency, make_user

ZONE = ZoneInfo("Asia/Shanghai")
S1 = [(106.00, 22.90), (106.03, 22.90)]  # ~3.08 km, post A
S2 = [(106.05, 22.90), (106.08, 22.90)]  # ~3.08 km, post B
_n = itertools.count(1)


def local(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=ZONE).astimezone(UTC)


@dataclass
class Scene:
    day: date
    command: Agency
    post_a: Agency
    post_b: Agency
    police: Agency
    army: Agency
    village: Agency
    station: Agency
    users: dict[str, User]
    s1: DefenceSegment
    s2: DefenceSegment
    c1: Checkpoint
    c2: Checkpoint
    c3: Checkpoint
    patrols: dict[str, Patrol] = field(default_factory=dict)
    sos: dict[str, Sos] = field(default_factory=dict)


def _marked(session: Session, record: Any, author: User, *, org: Agency,
            named: list[Agency] = (), area: int | None = None) -> None:
    record.owner_org_id = org.id
    record.created_by_id = author.id
    session.add(record)
    session.flush()
    apply_marking(session, record, MarkingIn(
        tlp=TLP.GREEN, distribution=Distribution.NAMED if named else Distribution.OWN,
        agency_ids=[a.id for a in named], area_kind="segment" if area else None, area_id=area))


def segment(session: Session, author: User, org: Agency, line: BorderLine, code: str,
            coords: list[tuple[float, float]], post: Agency | None,
            partners: list[Agency]) -> DefenceSegment:
    ends = []
    for lon, lat in (coords[0], coords[-1]):
        marker = BoundaryMarker(number=f"{code}-{next(_n)}", lon=lon, lat=lat, line_id=line.id)
        _marked(session, marker, author, org=org, named=partners)
        ends.append(marker)
    geometry = LineString(coords)
    lons, lats = [c[0] for c in coords], [c[1] for c in coords]
    seg = DefenceSegment(code=code, name=f"{code} 段", line_id=line.id, from_marker_id=ends[0].id,
                         to_marker_id=ends[1].id,
                         geometry={"type": "LineString", "coordinates": [list(c) for c in coords]},
                         length_m=line_length_m(geometry), post_agency_id=post.id if post else None,
                         min_lon=min(lons), min_lat=min(lats), max_lon=max(lons),
                         max_lat=max(lats))
    _marked(session, seg, author, org=org, named=partners)
    return seg


def checkpoint(session: Session, author: User, org: Agency, seg: DefenceSegment, code: str,
               lon: float, lat: float, post: Agency, partners: list[Agency]) -> Checkpoint:
    point = Checkpoint(code=code, name=f"卡点 {code}", lon=lon, lat=lat, radius_m=50.0,
                       segment_id=seg.id, post_agency_id=post.id, qr_token=uuid.uuid4().hex)
    _marked(session, point, author, org=org, named=partners)
    return point


def patrol(session: Session, scene: Scene, *, post: Agency, seg: DefenceSegment,
           planned: datetime | None = None, planned_minutes: int = 120,
           started: datetime | None = None, ended: datetime | None = None,
           status: PatrolStatus | None = None, members: list[tuple[str, Agency, User | None]] = (),
           checkpoints: list[tuple[Checkpoint, datetime | None, datetime | None]] = (),
           named: list[Agency] = (), synthetic: bool = False,
           transport: Transport = Transport.FOOT) -> Patrol:
    author = scene.users["command_officer"]
    if status is None:
        status = (PatrolStatus.ENDED if ended else PatrolStatus.UNDER_WAY if started
                  else PatrolStatus.PLANNED)
    p = Patrol(client_id=str(uuid.uuid4()), post_agency_id=post.id, segment_id=seg.id,
               status=status, transport=transport, joint=bool(named), planned_start=planned,
               planned_end=planned + timedelta(minutes=planned_minutes) if planned else None,
               started_at=started, started_device_at=started, ended_at=ended,
               ended_device_at=ended, synthetic=synthetic,
               moving_s=(ended - started).total_seconds() if started and ended else 0.0)
    _marked(session, p, author, org=scene.command, named=list(named), area=seg.id)
    for index, (name, agency, user) in enumerate(members):
        session.add(PatrolMember(patrol_id=p.id, name=name, agency_id=agency.id,
                                 user_id=user.id if user else None, is_leader=index == 0))
    for index, (point, start, end) in enumerate(checkpoints):
        session.add(PlannedCheckpoint(patrol_id=p.id, checkpoint_id=point.id, position=index,
                                      window_start=start, window_end=end))
    session.flush()
    return p


def check_in(session: Session, p: Patrol, point: Checkpoint, at: datetime, *,
             method: str = "geofence", within_radius: bool = True) -> CheckIn:
    row = CheckIn(client_id=str(uuid.uuid4()), patrol_id=p.id, checkpoint_id=point.id,
                  method=method, device_at=at, lon=point.lon, lat=point.lat,
                  within_radius=within_radius, within_window=True,
                  distance_m=5.0 if within_radius else 400.0)
    session.add(row)
    session.flush()
    return row


def walk(session: Session, p: Patrol, coords, *, start_m: float, end_m: float, offset_m: float,
         at: datetime) -> None:
    """A kept track beside the line, one fix every 20 m and 10 s (2 m/s: a brisk walk)."""
    line = beside(coords, start_m, end_m, offset_m)
    t0 = at.timestamp()
    points = [[t0 + 10 * k, float(lon), float(lat), 5.0] for k, (lon, lat) in enumerate(line)]
    tracks.add_chunk(session, patrol=p, client_id=str(uuid.uuid4()), points=points)


def observe(session: Session, p: Patrol, category: ObservationCategory, at: datetime) -> None:
    session.add(Observation(client_id=str(uuid.uuid4()), patrol_id=p.id,
                            category_id=category.id, device_at=at, attributes={}))
    session.flush()


def build_scene(session: Session, *, day: date | None = None, tag: str = "") -> Scene:
    """People of every kind that matters, and on ``day`` (three days ago in Shanghai):

    ======  ====  ==========  =========  ==========================================  =========
    patrol  post  planned     started    checkpoints (window)                        verdict
    ======  ====  ==========  =========  ==========================================  =========
    P1      A     09:00       09:02      C1 09:00-10:00 at 09:30, C2 10-11 QR 10:30  completed
    P2      A     14:00       14:10      C1 14:00-15:00 at 14:30                     missed
    P3      A     16:00       16:01      C1 at 16:30, C2 skipped                     incomplete
    P4      A     18:00       never      C1                                          missed
    P5      B     09:00       09:00      C3 geofence 400 m away                      incomplete
    P6      A     —           20:00      — (joint with police, SYNTHETIC)            effort
    P7      A     12:00       cancelled  —                                           not counted
    ======  ====  ==========  =========  ==========================================  =========

    Planned 5, on time 3, completed 1 (20 %), missed 2, incomplete 2; checkpoints 4 of 7.
    P1 walks all of S1 150 m to its side; nothing comes near S2. Observations: two smuggling
    trails (P1) and a damaged fence (P6). Targets: post A three patrols a day (met on ``day``:
    P1, P2, P3, P6), segment S2 two a week (not met).
    """
    day = day or (datetime.now(ZONE).date() - timedelta(days=3))
    ctag = tag.upper().replace(".", "-")
    command = make_agency(session, code="JD-CMD" + ctag, name="那坡联防指挥部",
                          kind=AgencyKind.JOINT_DEFENCE_COMMAND)
    post_a = make_agency(session, code="JD-A" + ctag, name="甲联防所", kind=AgencyKind.JOINT_DEFENCE_POST,
                         parent=command)
    post_b = make_agency(session, code="JD-B" + ctag, name="乙联防所", kind=AgencyKind.JOINT_DEFENCE_POST,
                         parent=command)
    police = make_agency(session, code="BP-1" + ctag, name="边境派出所", kind=AgencyKind.BORDER_POLICE)
    army = make_agency(session, code="ARMY-1" + ctag, name="边防连", kind=AgencyKind.ARMY)
    village = make_agency(session, code="VC-1" + ctag, name="村委会", kind=AgencyKind.VILLAGE_COMMITTEE)
    station = make_agency(session, code="BI-1" + ctag, name="口岸边检站", kind=AgencyKind.BORDER_INSPECTION)
    users = {
        "command_officer": make_user(session, agency=command, role=Role.OFFICER,
                                     username="cmd.officer" + tag),
        "command_viewer": make_user(session, agency=command, role=Role.VIEWER,
                                    username="cmd.viewer" + tag),
        "post_a": make_user(session, agency=post_a, role=Role.OFFICER, username="posta.officer" + tag),
        "post_a_viewer": make_user(session, agency=post_a, role=Role.VIEWER,
                                   username="posta.aux" + tag),
        "post_b": make_user(session, agency=post_b, role=Role.OFFICER, username="postb.officer" + tag),
        "police": make_user(session, agency=police, role=Role.OFFICER, username="police.officer" + tag),
        "army": make_user(session, agency=army, role=Role.OFFICER, username="army.officer" + tag),
        "village": make_user(session, agency=village, role=Role.VIEWER, username="village.viewer" + tag),
        "station": make_user(session, agency=station, role=Role.OFFICER,
                             username="station.officer" + tag),
    }
    author = users["command_officer"]
    partners = [police, army, village]
    line = BorderLine(name="中越边境（测试）", source="test",
                      geometry={"type": "LineString", "coordinates": [[106.0, 22.9], [106.08, 22.9]]},
                      length_m=8200.0, min_lon=106.0, min_lat=22.9, max_lon=106.08, max_lat=22.9)
    _marked(session, line, author, org=command, named=partners)
    s1 = segment(session, author, command, line, "D-01", S1, post_a, partners)
    s2 = segment(session, author, command, line, "D-02", S2, post_b, partners)
    c1 = checkpoint(session, author, command, s1, "K-01", 106.005, 22.9, post_a, [police, army])
    c2 = checkpoint(session, author, command, s1, "K-02", 106.025, 22.9, post_a, [police, army])
    c3 = checkpoint(session, author, command, s2, "K-03", 106.065, 22.9, post_b, [police, army])
    scene = Scene(day=day, command=command, post_a=post_a, post_b=post_b, police=police,
                  army=army, village=village, station=station, users=users, s1=s1, s2=s2,
                  c1=c1, c2=c2, c3=c3)
    ua, ub = users["post_a"], users["post_b"]
    d = day
    p1 = patrol(session, scene, post=post_a, seg=s1, planned=local(d, 9), started=local(d, 9, 2),
                ended=local(d, 11, 32),
                members=[("甲所长", post_a, ua), ("联防员王", post_a, users["post_a_viewer"]),
                         ("战士李", army, None)],
                checkpoints=[(c1, local(d, 9), local(d, 10)), (c2, local(d, 10), local(d, 11))],
                named=[army])
    check_in(session, p1, c1, local(d, 9, 30))
    check_in(session, p1, c2, local(d, 10, 30), method="qr", within_radius=False)
    walk(session, p1, S1, start_m=0, end_m=3500, offset_m=150, at=local(d, 9, 5))
    p2 = patrol(session, scene, post=post_a, seg=s1, planned=local(d, 14), started=local(d, 14, 10),
                ended=local(d, 15, 10), members=[("甲所长", post_a, ua)],
                checkpoints=[(c1, local(d, 14), local(d, 15))])
    check_in(session, p2, c1, local(d, 14, 30))
    p3 = patrol(session, scene, post=post_a, seg=s1, planned=local(d, 16), started=local(d, 16, 1),
                ended=local(d, 17, 1), members=[("甲所长", post_a, ua)],
                checkpoints=[(c1, local(d, 16), local(d, 17)), (c2, local(d, 16), local(d, 17))])
    check_in(session, p3, c1, local(d, 16, 30))
    p4 = patrol(session, scene, post=post_a, seg=s1, planned=local(d, 18),
                checkpoints=[(c1, local(d, 18), local(d, 19))])
    p5 = patrol(session, scene, post=post_b, seg=s2, planned=local(d, 9), started=local(d, 9),
                ended=local(d, 10), members=[("乙所长", post_b, ub)],
                checkpoints=[(c3, local(d, 9), local(d, 10))])
    check_in(session, p5, c3, local(d, 9, 30), within_radius=False)
    p6 = patrol(session, scene, post=post_a, seg=s1, started=local(d, 20), ended=local(d, 21),
                members=[("甲所长", post_a, ua), ("民警赵", police, users["police"])],
                named=[police], synthetic=True)
    p7 = patrol(session, scene, post=post_a, seg=s1, planned=local(d, 12),
                status=PatrolStatus.CANCELLED)
    for p, km in ((p2, 2.0), (p3, 2.5), (p5, 3.0), (p6, 1.5)):
        p.distance_m = km * 1000.0
    trail = ObservationCategory(owner_org_id=command.id, code="smuggling_trail",
                                label_zh="走私便道", label_en="Smuggling trail")
    fence = ObservationCategory(owner_org_id=command.id, code="damaged_fence",
                                label_zh="护栏损坏", label_en="Damaged fence")
    session.add_all([trail, fence])
    session.flush()
    observe(session, p1, trail, local(d, 9, 40))
    observe(session, p1, trail, local(d, 10, 40))
    observe(session, p6, fence, local(d, 20, 30))
    session.add_all([
        PatrolTarget(owner_org_id=command.id, post_agency_id=post_a.id, period=Period.DAY,
                     min_patrols=3),
        PatrolTarget(owner_org_id=command.id, post_agency_id=post_b.id, segment_id=s2.id,
                     period=Period.WEEK, min_patrols=2)])
    session.flush()
    scene.patrols = {"P1": p1, "P2": p2, "P3": p3, "P4": p4, "P5": p5, "P6": p6, "P7": p7}
    return scene


def add_live(session: Session, scene: Scene, now: datetime | None = None) -> None:
    """P8 under way on S1 (post A, last fix 2 min ago, one of two check-ins, an open SOS) and
    P9 paused on S2 (post B, last fix 30 min ago: stale, its SOS acknowledged)."""
    now = now or datetime.now(UTC)
    ua, ub = scene.users["post_a"], scene.users["post_b"]
    p8 = patrol(session, scene, post=scene.post_a, seg=scene.s1, started=now - timedelta(hours=1),
                members=[("甲所长", scene.post_a, ua), ("战士李", scene.army, None)],
                checkpoints=[(scene.c1, None, None), (scene.c2, None, None)],
                named=[scene.army], transport=Transport.MOTORBIKE)
    p8.last_lon, p8.last_lat, p8.last_fix_at = 106.01, 22.901, now - timedelta(minutes=2)
    check_in(session, p8, scene.c1, now - timedelta(minutes=20))
    p9 = patrol(session, scene, post=scene.post_b, seg=scene.s2, started=now - timedelta(hours=2),
                status=PatrolStatus.PAUSED, members=[("乙所长", scene.post_b, ub)])
    p9.last_lon, p9.last_lat, p9.last_fix_at = 106.06, 22.899, now - timedelta(minutes=30)
    open_sos = Sos(client_id=str(uuid.uuid4()), patrol_id=p8.id, owner_org_id=scene.command.id,
                   post_agency_id=scene.post_a.id, message="摔伤，需要支援",
                   device_at=now - timedelta(minutes=3), lon=106.011, lat=22.9011)
    done_sos = Sos(client_id=str(uuid.uuid4()), patrol_id=p9.id, owner_org_id=scene.command.id,
                   post_agency_id=scene.post_b.id, message="车辆故障",
                   device_at=now - timedelta(minutes=40), lon=106.06, lat=22.899,
                   acknowledged_at=now - timedelta(minutes=35),
                   acknowledged_by_id=scene.users["command_officer"].id)
    session.add_all([open_sos, done_sos])
    session.flush()
    scene.patrols.update({"P8": p8, "P9": p9})
    scene.sos = {"open": open_sos, "done": done_sos}
