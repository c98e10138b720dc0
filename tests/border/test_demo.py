"""The land-border demo: Napo County's command on the real China–Vietnam line, its markers,
segments, posts and places, a month of SYNTHETIC patrols, one under way; need-to-know as the
contract of issue 12 says; the dashboard tile that shows each land-border user their area."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from datetime import timedelta

import pytest
import shapely
from shapely.geometry import shape
from sqlalchemy import func, select

from bastion import demo
from bastion.border import demo as border_demo
from bastion.border import tiles
from bastion.border.geo.models import (
    BorderLine,
    BorderPlace,
    BorderPost,
    BoundaryMarker,
    Checkpoint,
    DefenceSegment,
    PlaceKind,
    PostVillage,
)
from bastion.border.patrols import categories, tracks
from bastion.border.patrols.models import (
    CheckIn,
    Observation,
    ObservationCategory,
    Patrol,
    PatrolMember,
    PatrolStatus,
    PatrolTarget,
    PlannedCheckpoint,
    TrackChunk,
)
from bastion.core.db import utcnow
from bastion.core.geo.metric import local_metric
from bastion.core.marking import TLP, AreaAssignment, Distribution, RecordShare, visible_to
from bastion.org.capabilities import can
from bastion.org.models import Agency, User
from tests.web_helpers import api_token, login


@pytest.fixture
def loaded(session):
    before = utcnow()
    demo.load(session)
    session.flush()
    users = {u.username: u for u in session.scalars(select(User))}
    agencies = {a.code: a for a in session.scalars(select(Agency))}
    return users, agencies, before


def _count(session, model, *where):
    return session.scalar(select(func.count()).select_from(model).where(*where))


def _visible(session, model, user):
    return session.scalars(select(model).where(visible_to(model, user))).all()


def test_the_map_on_the_real_line(session, loaded):
    _users, agencies, _before = loaded
    line = session.scalars(select(BorderLine)).one()
    assert 60_000 < line.length_m < 100_000
    geometry = shape(line.geometry)
    west, south, east, north = geometry.bounds  # Napo county's stretch of the CN-VN line
    assert 105.4 < west < east < 106.1 and 22.85 < south < north < 23.30

    markers = session.scalars(select(BoundaryMarker).order_by(BoundaryMarker.chainage_m)).all()
    assert len(markers) == border_demo.MARKERS
    gaps = [b.chainage_m - a.chainage_m for a, b in itertools.pairwise(markers)]
    assert all(1_800 < gap < 3_200 for gap in gaps), gaps
    assert all("SYNTHETIC" in m.note and m.line_id == line.id for m in markers)
    assert markers[0].number == "1018" and "1047" in {m.number for m in markers}

    segments = session.scalars(select(DefenceSegment).order_by(DefenceSegment.code)).all()
    assert 6 <= len(segments) <= 9
    assert sum(s.length_m for s in segments) == pytest.approx(line.length_m, rel=0.002)
    posts = {agencies[c].id: c for c in ("NP-JDC-PM", "NP-JDC-BN", "NP-JDC-BD")}
    assert {s.post_agency_id for s in segments} == set(posts)
    assert all(s.chief_name and "SYNTHETIC" in s.name for s in segments)
    for a, b in itertools.pairwise(segments):  # end to end along the line
        assert a.to_marker_id == b.from_marker_id
    given = session.execute(select(AreaAssignment.agency_id, AreaAssignment.area_id).where(
        AreaAssignment.area_kind == "segment")).all()
    assert sorted(given) == sorted((s.post_agency_id, s.id) for s in segments)

    assert {posts[p.agency_id]: p.grade for p in session.scalars(select(BorderPost))} == {
        "NP-JDC-PM": 1, "NP-JDC-BN": 2, "NP-JDC-BD": 2}
    assert _count(session, PostVillage) == 6
    kinds = Counter(p.kind for p in session.scalars(select(BorderPlace)))
    assert kinds[PlaceKind.CROSSING] == 2 and kinds[PlaceKind.VILLAGE] == 6
    assert kinds[PlaceKind.CAMERA] >= 3 and kinds[PlaceKind.BRIDGE] and kinds[PlaceKind.PIER]
    assert kinds[PlaceKind.BARRIER]
    port = session.scalars(select(BorderPlace).where(BorderPlace.name == "平孟口岸")).one()
    assert "Sóc Giang" in port.properties["name_en"]
    assert posts[session.get(DefenceSegment, port.segment_id).post_agency_id] == "NP-JDC-PM"

    checkpoints = session.scalars(select(Checkpoint)).all()
    assert len(checkpoints) == 3 * len(segments)
    assert all(c.windows == [["08:30", "11:30"], ["13:30", "17:00"]] and c.radius_m >= 50
               and len(c.qr_token) >= 24 for c in checkpoints)
    plane = local_metric(geometry)
    metric = plane.to_metric(geometry)
    for c in checkpoints:  # on the Chinese side, near the line
        assert 50 < metric.distance(plane.to_metric(shapely.Point(c.lon, c.lat))) < 250

    assert _count(session, PatrolTarget, PatrolTarget.segment_id.is_(None)) == 3
    assert _count(session, PatrolTarget, PatrolTarget.segment_id.is_not(None)) == len(segments)


def test_a_month_of_synthetic_patrols_and_one_under_way(session, loaded):
    users, agencies, before = loaded
    patrols = session.scalars(select(Patrol)).all()
    per_day = sum(spec["per_day"] for spec in border_demo.POSTS.values())
    assert len(patrols) == (border_demo.DAYS + 2) * per_day + 1
    assert all(p.synthetic and p.objective.startswith("SYNTHETIC") for p in patrols)
    assert all(p.area_kind == "segment" and p.area_id == p.segment_id for p in patrols)
    status = Counter(p.status for p in patrols)
    assert status[PatrolStatus.UNDER_WAY] == 1
    assert status[PatrolStatus.ENDED] > 350

    live = session.scalars(select(Patrol).where(Patrol.status == PatrolStatus.UNDER_WAY)).one()
    now = utcnow()
    assert timedelta(minutes=38) < now - live.started_at < timedelta(minutes=45)
    assert live.ended_at is None and before - live.last_fix_at < timedelta(minutes=2)
    assert live.joint and _count(session, TrackChunk, TrackChunk.patrol_id == live.id) >= 3
    assert _count(session, CheckIn, CheckIn.patrol_id == live.id) == 1
    assert {m.user_id for m in session.scalars(select(PatrolMember).where(
        PatrolMember.patrol_id == live.id))} >= {users["nong.post"].id, users["he.auxiliary"].id}

    ended = [p for p in patrols if p.status == PatrolStatus.ENDED]
    late = [p for p in ended if p.started_at - p.planned_start > timedelta(minutes=5)]
    assert 0.03 * len(ended) < len(late) < 0.2 * len(ended)  # missed: not started in time
    planned = Counter(session.scalars(select(PlannedCheckpoint.patrol_id)))
    visited = Counter(session.scalars(select(CheckIn.patrol_id)))
    incomplete = [p for p in ended if visited[p.id] < planned[p.id]]
    assert 0.03 * len(ended) < len(incomplete) < 0.2 * len(ended)
    hours = [(p.ended_at - p.started_at).total_seconds() / 3600 for p in ended]
    assert 1.0 < sum(hours) / len(hours) < 2.0
    assert all(1_000 < p.distance_m < 40_000 for p in ended)  # walking, or the patrol road
    check_ins = session.scalars(select(CheckIn)).all()
    assert all(c.within_radius and c.distance_m <= 80 for c in check_ins)
    assert sum(c.within_window for c in check_ins) > 0.8 * len(check_ins)

    joint = [p for p in patrols if p.joint]
    assert 0.15 * len(patrols) < len(joint) < 0.5 * len(patrols)
    partners = {agencies["NP-POL"].id, agencies["NP-ARMY"].id}
    shares = session.execute(select(RecordShare.record_id, RecordShare.agency_id).where(
        RecordShare.record_kind == "patrol")).all()
    assert {agency for _id, agency in shares} == partners | {agencies["NP-JDC"].id}
    assert {record for record, _a in shares} == {p.id for p in joint}
    assert all(p.tlp == TLP.GREEN and p.distribution == (
        Distribution.NAMED if p.joint else Distribution.OWN) for p in patrols)

    observations = session.scalars(select(Observation)).all()
    assert len(observations) == 3 * len(border_demo.OBSERVATIONS) + 1
    assert all(o.note.startswith("SYNTHETIC") for o in observations)
    assert _count(session, Observation, Observation.patrol_id == live.id) == 1
    codes = {c.id: c.code for c in session.scalars(select(ObservationCategory))}
    assert {codes[o.category_id] for o in observations} == {
        code for code, _a, _n in border_demo.OBSERVATIONS}
    for o in observations:  # the attributes as the field API would have taken them
        category = session.get(ObservationCategory, o.category_id)
        assert categories.validate(category, o.attributes) == o.attributes


def test_tracks_follow_the_line_and_cleaning_drops_the_wild_fixes(session, loaded):
    line = shape(session.scalars(select(BorderLine)).one().geometry)
    plane = local_metric(line)
    metric = plane.to_metric(line)
    chunks = session.scalars(select(TrackChunk)).all()
    reasons = Counter(reason for c in chunks for _i, reason in c.removed)
    assert reasons["speed"] > 50 and reasons["accuracy"] > 50 and not reasons["time"]
    kept = [p for c in chunks for p in tracks.kept_lines([c])[0]]
    assert len(kept) > 20_000
    distances = shapely.distance(metric, shapely.points(
        shapely.get_coordinates(plane.to_metric(shapely.MultiPoint(kept)))))
    assert (distances < 330).all()
    assert ((distances > 40) & (distances < 310)).mean() > 0.98
    dropped = [c.points[i] for c in chunks for i, _r in c.removed]
    far = shapely.distance(metric, shapely.points(
        shapely.get_coordinates(plane.to_metric(shapely.MultiPoint(
            [(p[1], p[2]) for p in dropped])))))
    assert (far > 330).mean() > 0.2  # much of what was dropped was off the trail
    steps = [(b[0] - a[0]) for c in chunks for a, b in zip(c.points, c.points[1:], strict=False)]
    assert 50 < sum(steps) / len(steps) < 70  # one fix a minute


def test_need_to_know_posts_partners_and_the_village_committee(session, loaded):
    users, agencies, _before = loaded
    segments = session.scalars(select(DefenceSegment)).all()
    post_of = {s.id: s.post_agency_id for s in segments}
    total = _count(session, Patrol)
    assert len(_visible(session, Patrol, users["huang.command"])) == total
    for username, post in (("nong.post", "NP-JDC-PM"), ("he.auxiliary", "NP-JDC-PM"),
                           ("lu.auxiliary", "NP-JDC-BN")):
        seen = _visible(session, Patrol, users[username])
        assert seen and all(post_of[p.segment_id] == agencies[post].id for p in seen), username
        assert len(seen) == _count(session, Patrol, Patrol.post_agency_id == agencies[post].id)
    for username, code in (("wei.police", "NP-POL"), ("liang.army", "NP-ARMY")):
        seen = {p.id for p in _visible(session, Patrol, users[username])}
        joint_with = set(session.scalars(select(RecordShare.record_id).where(
            RecordShare.record_kind == "patrol", RecordShare.agency_id == agencies[code].id)))
        assert seen == joint_with and seen, username
    village = users["ma.village"]
    assert not _visible(session, Patrol, village)
    assert not _visible(session, Checkpoint, village)
    assert not [p for p in _visible(session, BorderPlace, village) if p.kind == PlaceKind.CAMERA]
    assert len(_visible(session, DefenceSegment, village)) == len(segments)
    assert len(_visible(session, BoundaryMarker, village)) == border_demo.MARKERS
    assert {p.kind for p in _visible(session, BorderPlace, village)} == {
        PlaceKind.CROSSING, PlaceKind.VILLAGE, PlaceKind.BRIDGE, PlaceKind.PIER, PlaceKind.BARRIER}
    cameras = _count(session, BorderPlace, BorderPlace.kind == PlaceKind.CAMERA)
    for username, sees_cameras in (("liang.army", True), ("wei.police", True),
                                   ("nong.post", True), ("he.auxiliary", False),
                                   ("lu.auxiliary", False)):
        user = users[username]
        seen = [p for p in _visible(session, BorderPlace, user) if p.kind == PlaceKind.CAMERA]
        assert len(seen) == (cameras if sees_cameras else 0), username
        assert len(_visible(session, Checkpoint, user)) == 3 * len(segments), username
    assert not _visible(session, DefenceSegment, users["chen.supervisor"])  # a port station


TILE = re.compile(r'<section class="card" id="tile-border-area">(.*?)</section>', re.DOTALL)


def _tile(client, username):
    login(client, username, demo.DEMO_PASSWORD)
    match = TILE.search(client.get("/dashboard").text)
    return match.group(1) if match else None


def _figures(tile):
    return [float(v) for v in re.findall(r'<td class="num">([\d.]+)</td>', tile)]


def test_land_border_users_land_on_their_own_area(client, session, loaded):
    users, agencies, _before = loaded
    session.commit()
    segments = session.scalars(select(DefenceSegment)).all()
    pm = [s for s in segments if s.post_agency_id == agencies["NP-JDC-PM"].id]
    tile = _tile(client, "he.auxiliary")  # a Pingmeng auxiliary: his post's segments
    figures = _figures(tile)
    assert figures[0] == len(pm)
    assert figures[1] == pytest.approx(sum(s.length_m for s in pm) / 1000, abs=0.05)
    assert figures[3] == 1  # the patrol under way is Pingmeng's
    for username in ("he.auxiliary", "huang.command", "wei.police", "ma.village"):
        links = _tile(client, username)  # the pages the user may go on to, and only those
        for capability, _label, url in tiles.LINKS:
            assert (f'href="{url}"' in links) == can(users[username], capability), username
    assert 'href="/patrols/field"' in tile and 'href="/border/map"' in tile
    command = _figures(_tile(client, "huang.command"))
    assert command[0] == len(segments) and command[3] == 1 and command[2] >= figures[2]
    village = _tile(client, "ma.village")  # the map, no patrols
    assert len(_figures(village)) == 2 and "/patrols/" not in village
    assert _tile(client, "li.officer") is None  # a port officer: no land border


def test_the_patrol_api_as_each_land_border_user(client, session, loaded):
    _users, agencies, _before = loaded
    session.commit()
    live = session.scalars(select(Patrol).where(Patrol.status == PatrolStatus.UNDER_WAY)).one()
    other = session.scalars(select(Patrol).where(
        Patrol.post_agency_id == agencies["NP-JDC-BN"].id).limit(1)).one()
    total = _count(session, Patrol)
    expected = {
        "huang.command": total,
        "nong.post": _count(session, Patrol, Patrol.post_agency_id == agencies["NP-JDC-PM"].id),
        "he.auxiliary": _count(session, Patrol,
                               Patrol.post_agency_id == agencies["NP-JDC-PM"].id),
        "lu.auxiliary": _count(session, Patrol,
                               Patrol.post_agency_id == agencies["NP-JDC-BN"].id),
        "wei.police": _count(session, RecordShare, RecordShare.record_kind == "patrol",
                             RecordShare.agency_id == agencies["NP-POL"].id),
        "liang.army": _count(session, RecordShare, RecordShare.record_kind == "patrol",
                             RecordShare.agency_id == agencies["NP-ARMY"].id)}
    for username, count in expected.items():
        headers = api_token(client, username, demo.DEMO_PASSWORD)
        page = client.get("/api/v1/patrols", params={"limit": 1}, headers=headers)
        assert page.status_code == 200 and page.json()["total"] == count > 0, username
    for username in ("ma.village", "li.officer"):  # no patrols.read: refused
        headers = api_token(client, username, demo.DEMO_PASSWORD)
        assert client.get("/api/v1/patrols", headers=headers).status_code == 403, username

    pingmeng = api_token(client, "he.auxiliary", demo.DEMO_PASSWORD)
    assert client.get(f"/api/v1/patrols/{other.id}", headers=pingmeng).status_code == 404
    detail = client.get(f"/api/v1/patrols/{live.id}", headers=pingmeng).json()
    assert detail["status"] == "under_way" and detail["objective"].startswith("SYNTHETIC")
    assert len(detail["track"]["geometry"]["coordinates"]) >= 3
    assert len(detail["check_ins"]) == 1 and len(detail["observations"]) == 1
    kit = client.get("/api/v1/patrols/field-kit", headers=pingmeng).json()
    pm = {s.id for s in session.scalars(select(DefenceSegment).where(
        DefenceSegment.post_agency_id == agencies["NP-JDC-PM"].id))}
    assert {f["id"] for f in kit["segments"]["features"]} == pm
    assert len(kit["checkpoints"]) == 3 * len(pm)
    assert kit["planned"] and all(p["segment_id"] in pm and p["checkpoints"]
                                  for p in kit["planned"])


def test_the_map_api_shows_each_user_the_layers_they_may_see(client, session, loaded):
    _users, agencies, _before = loaded
    session.commit()
    everything = {"line", "markers", "segments", "posts", "checkpoints", "cameras", "bridges",
                  "piers", "barriers", "villages", "crossings"}
    expected = {"huang.command": everything, "wei.police": everything,
                "liang.army": everything, "nong.post": everything,
                "he.auxiliary": everything - {"cameras"},  # AMBER: not for viewers
                "ma.village": everything - {"cameras", "checkpoints"}}
    for username, layers in expected.items():
        headers = api_token(client, username, demo.DEMO_PASSWORD)
        answer = client.get("/api/v1/border/map", headers=headers).json()
        shown = {name for name, layer in answer["layers"].items() if layer["features"]}
        assert shown == layers, username
    pm = session.scalars(select(DefenceSegment).where(
        DefenceSegment.post_agency_id == agencies["NP-JDC-PM"].id)).all()
    pingmeng = client.get("/api/v1/border/map", headers=api_token(
        client, "he.auxiliary", demo.DEMO_PASSWORD)).json()
    bounds = [min(s.min_lon for s in pm), min(s.min_lat for s in pm),
              max(s.max_lon for s in pm), max(s.max_lat for s in pm)]
    assert pingmeng["bounds"] == pytest.approx(bounds, abs=1e-6)  # opens on the post's area
    port = api_token(client, "li.officer", demo.DEMO_PASSWORD)
    assert client.get("/api/v1/border/map", headers=port).status_code == 403


def test_demo_load_without_the_border(tmp_path, monkeypatch):
    """``bastion demo load --no-border`` leaves the land border empty, for tests that
    import their own line into the demo's command."""
    from typer.testing import CliRunner

    from bastion.cli import app
    from bastion.core import migrate
    from bastion.core.config import get_settings
    from bastion.core.db import make_engine, make_sessionmaker

    url = f"sqlite:///{tmp_path / 'plain.db'}"
    monkeypatch.setenv("BASTION_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        migrate.upgrade(url)
        result = CliRunner().invoke(app, ["demo", "load", "--no-border", "--no-maritime"])
        assert result.exit_code == 0 and "he.auxiliary" in result.output, result.output
        with make_sessionmaker(make_engine(url))() as session:
            assert _count(session, BorderLine) == _count(session, Patrol) == 0
            assert _count(session, AreaAssignment) == 0
    finally:
        get_settings.cache_clear()
