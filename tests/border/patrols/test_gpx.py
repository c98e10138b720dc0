"""GPX import for a patrol through the REST API, as each kind of user that matters: who may
(capability patrols.record), who sees (404 otherwise), bad files refused naming the point,
nothing half-stored, a retried upload changes nothing, GCJ-02 converted when asked."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from shapely.geometry import LineString
from sqlalchemy import select

from bastion.border.geo.models import BorderLine
from bastion.border.patrols.models import Patrol, TrackChunk, Transport
from bastion.core.geo import geodesic_m, line_length_m
from bastion.core.geo.gcj02 import wgs84_to_gcj02
from bastion.core.marking import TLP, AreaAssignment, Distribution
from bastion.org.models import AgencyKind, Role
from bastion.org.sharing import MarkingIn, apply_marking
from tests.border import synth
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token

LINE = json.loads((Path(__file__).parents[2] / "data" / "border" / "cn-vn-border.geojson")
                  .read_text(encoding="utf-8"))["features"][0]["geometry"]["coordinates"]
T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
SEGMENT_A, SEGMENT_B = 101, 102


class Land:
    """A joint-defence command with two posts (each given its own segment), its partners, and
    people who must not reach patrols."""

    def __init__(self, session):
        self.session = session
        self.command = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_COMMAND)
        self.post_a = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_POST, parent=self.command)
        self.post_b = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_POST, parent=self.command)
        self.police = make_agency(session, kind=AgencyKind.BORDER_POLICE)
        self.army = make_agency(session, kind=AgencyKind.ARMY)
        self.village = make_agency(session, kind=AgencyKind.VILLAGE_COMMITTEE)
        self.port = make_agency(session, kind=AgencyKind.BORDER_INSPECTION)
        self.shipping = make_agency(session, kind=AgencyKind.SHIPPING_AGENCY)
        session.add_all([AreaAssignment(agency_id=self.post_a.id, area_kind="segment",
                                        area_id=SEGMENT_A),
                         AreaAssignment(agency_id=self.post_b.id, area_kind="segment",
                                        area_id=SEGMENT_B)])
        user = {"language": "en"}
        self.commander = make_user(session, agency=self.command, role=Role.OFFICER, **user)
        self.command_viewer = make_user(session, agency=self.command, role=Role.VIEWER, **user)
        self.post_officer = make_user(session, agency=self.post_a, role=Role.OFFICER, **user)
        self.auxiliary = make_user(session, agency=self.post_a, role=Role.VIEWER, **user)
        self.other_auxiliary = make_user(session, agency=self.post_b, role=Role.VIEWER, **user)
        self.police_officer = make_user(session, agency=self.police, role=Role.OFFICER, **user)
        self.army_officer = make_user(session, agency=self.army, role=Role.OFFICER, **user)
        self.village_viewer = make_user(session, agency=self.village, role=Role.VIEWER, **user)
        self.village_officer = make_user(session, agency=self.village, role=Role.OFFICER, **user)
        self.port_officer = make_user(session, agency=self.port, role=Role.OFFICER, **user)
        self.shipping_agent = make_user(session, agency=self.shipping, role=Role.OFFICER, **user)
        session.flush()

    def patrol(self, *, joint: bool = True, segment: int = SEGMENT_A,
               transport: Transport = Transport.FOOT) -> Patrol:
        patrol = Patrol(client_id=str(uuid.uuid4()), post_agency_id=self.post_a.id,
                        transport=transport, joint=joint, owner_org_id=self.command.id,
                        created_by_id=self.commander.id)
        self.session.add(patrol)
        self.session.flush()
        apply_marking(self.session, patrol, MarkingIn(
            tlp=TLP.GREEN, distribution=Distribution.NAMED if joint else Distribution.OWN,
            agency_ids=[self.police.id, self.army.id] if joint else [],
            area_kind="segment", area_id=segment))
        return patrol

    def border_line(self, owner=None) -> BorderLine:
        geometry = LineString(LINE)
        west, south, east, north = geometry.bounds
        line = BorderLine(name="CN-VN", source="Natural Earth", owner_org_id=(owner or
                                                                             self.command).id,
                          created_by_id=self.commander.id,
                          geometry={"type": "LineString", "coordinates": LINE},
                          length_m=line_length_m(geometry), min_lon=west, min_lat=south,
                          max_lon=east, max_lat=north)
        self.session.add(line)
        self.session.flush()
        apply_marking(self.session, line, MarkingIn(
            tlp=TLP.GREEN, distribution=Distribution.NAMED,
            agency_ids=[self.police.id, self.army.id, self.village.id]))
        return line


@pytest.fixture
def land(session) -> Land:
    return Land(session)


def walk(start_m=20_000.0, end_m=21_500.0, offset_m=40.0, every_s=10.0, seed=1):
    track = synth.beside(LINE, start_m, end_m, offset_m, step=1.2 * every_s, jitter_m=3.0,
                         seed=seed)
    return [(float(lon), float(lat)) for lon, lat in track]


def gpx(*segments, times=True, start=T0, every_s=10.0, extra="") -> bytes:
    """A GPX 1.1 file as a Garmin unit writes it; ``segments`` are lists of (lon, lat) or of
    (lon, lat, time)."""
    body = []
    at = start
    for segment in segments:
        points = []
        for point in segment:
            lon, lat = point[0], point[1]
            when = point[2] if len(point) > 2 else at
            at = when + timedelta(seconds=every_s)
            stamp = f"<time>{when.strftime('%Y-%m-%dT%H:%M:%SZ')}</time>" if times else ""
            points.append(f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>412.0</ele>{stamp}'
                          "</trkpt>")
        body.append("<trkseg>" + "".join(points) + "</trkseg>")
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<gpx version="1.1" creator="eTrex 32x" xmlns="http://www.topografix.com/GPX/1/1">'
            f'{extra}<trk><name>Patrol</name>{"".join(body)}</trk></gpx>').encode()


def upload(client, user, patrol, data: bytes, *, gcj02=None, name="patrol.gpx", ref=None):
    form = {} if gcj02 is None else {"gcj02": "true" if gcj02 else "false"}
    return client.post(f"/api/v1/patrols/{ref or patrol.client_id}/gpx",
                       files={"file": (name, data, "application/gpx+xml")}, data=form,
                       headers=api_token(client, user.username))


def chunks(session, patrol) -> list[TrackChunk]:
    session.expire_all()
    return list(session.scalars(select(TrackChunk).where(TrackChunk.patrol_id == patrol.id)
                                .order_by(TrackChunk.id)))


def test_a_two_segment_file_is_two_chunks_with_what_was_removed(client, session, land):
    patrol = land.patrol()
    first, second = walk(20_000, 21_500), walk(22_000, 23_000, seed=2)
    first[40] = (first[40][0], first[40][1] + 500 / 111_195)  # one fix 500 m off
    response = upload(client, land.auxiliary, patrol, gpx(first, second))
    assert response.status_code == 200, response.text
    out = response.json()
    assert out["duplicate"] is False and out["chunks_stored"] == 2
    assert out["points"] == len(first) + len(second)
    assert out["kept"] == out["points"] - 1
    assert [(r["segment"], r["index"], r["reason"]) for r in out["removed"]] == [
        ("trk[0]/trkseg[0]", 40, "speed")]
    assert out["removed"][0]["lat"] == pytest.approx(first[40][1])
    stored = chunks(session, patrol)
    assert [c.source for c in stored] == ["gpx", "gpx"]
    assert [c.client_id for c in stored] == [s["client_id"] for s in out["segments"]]
    assert stored[0].removed == [[40, "speed"]]
    assert stored[0].first_at == T0
    # the patrol's running totals: the kept fixes' length, the last fix
    session.refresh(patrol)
    assert 1_400 < patrol.distance_m < 3_000
    assert patrol.last_fix_at == stored[1].last_at
    assert (patrol.last_lon, patrol.last_lat) == pytest.approx(second[-1], abs=1e-7)


def test_a_retried_upload_changes_nothing(client, session, land):
    patrol = land.patrol()
    data = gpx(walk(), walk(22_000, 22_600, seed=3))
    assert upload(client, land.post_officer, patrol, data).json()["duplicate"] is False
    session.refresh(patrol)
    before = (patrol.distance_m, patrol.last_fix_at, [c.id for c in chunks(session, patrol)])
    again = upload(client, land.auxiliary, patrol, data)
    assert again.status_code == 200, again.text
    assert again.json()["duplicate"] is True and again.json()["chunks_stored"] == 0
    assert all(s["duplicate"] for s in again.json()["segments"])
    session.refresh(patrol)
    assert (patrol.distance_m, patrol.last_fix_at,
            [c.id for c in chunks(session, patrol)]) == before


def test_the_same_file_read_another_way_or_on_another_patrol_is_a_conflict(client, session,
                                                                           land):
    patrol, other = land.patrol(), land.patrol()
    data = gpx(walk())
    assert upload(client, land.auxiliary, patrol, data).status_code == 200
    assert upload(client, land.auxiliary, patrol, data, gcj02=True).status_code == 409
    response = upload(client, land.auxiliary, other, data)
    assert response.status_code == 409
    assert "patrol.gpx" in response.json()["detail"]
    assert chunks(session, other) == [] and len(chunks(session, patrol)) == 1


def test_gcj02_is_converted_when_the_user_says_so(client, session, land):
    patrol = land.patrol()
    wgs = walk()
    mars = [wgs84_to_gcj02(lon, lat) for lon, lat in wgs]
    assert geodesic_m(wgs[0][1], wgs[0][0], mars[0][1], mars[0][0]) > 100  # a real shift
    response = upload(client, land.commander, patrol, gpx(mars), gcj02=True)
    assert response.status_code == 200, response.text
    assert response.json()["converted_from"] == "gcj02"
    [chunk] = chunks(session, patrol)
    assert chunk.converted_from == "gcj02"
    for (lon, lat), point in zip(wgs, chunk.points, strict=True):
        assert geodesic_m(lat, lon, point[2], point[1]) < 0.02  # 7 decimals in the file
    # without the flag the file is taken as WGS-84, as written
    other = land.patrol()
    upload(client, land.commander, other, gpx(wgs))
    assert chunks(session, other)[0].converted_from is None


@pytest.mark.parametrize(("who", "status"), [
    ("commander", 200), ("post_officer", 200), ("auxiliary", 200),
    ("police_officer", 200), ("army_officer", 200),  # joint patrol: shared with them by name
    ("other_auxiliary", 404),  # the other post's segment
    ("command_viewer", 403),  # sees patrols, does not record them
    ("village_viewer", 403), ("village_officer", 403), ("port_officer", 403),
    ("shipping_agent", 403),
])
def test_who_may_import(client, session, land, who, status):
    patrol = land.patrol()
    response = upload(client, getattr(land, who), patrol, gpx(walk()))
    assert response.status_code == status, response.text
    assert len(chunks(session, patrol)) == (1 if status == 200 else 0)


@pytest.mark.parametrize("who", ["police_officer", "army_officer"])
def test_partners_do_not_see_a_patrol_that_is_not_joint(client, session, land, who):
    patrol = land.patrol(joint=False)
    assert upload(client, getattr(land, who), patrol, gpx(walk())).status_code == 404
    assert upload(client, land.auxiliary, patrol, gpx(walk())).status_code == 200


def test_the_patrol_by_number_and_unknown_ones(client, land):
    patrol = land.patrol()
    assert upload(client, land.auxiliary, patrol, gpx(walk()), ref=str(patrol.id)).status_code \
        == 200
    for ref in (str(uuid.uuid4()), "999999", "not-a-patrol"):
        assert upload(client, land.auxiliary, patrol, gpx(walk()), ref=ref).status_code == 404


def _pt(lon, lat, when=None):
    stamp = f"<time>{when}</time>" if when else ""
    return f'<trkpt lat="{lat}" lon="{lon}">{stamp}</trkpt>'


def _doc(*segments, head=""):
    body = "".join("<trkseg>" + "".join(s) + "</trkseg>" for s in segments)
    return (f'<?xml version="1.0"?>{head}<gpx version="1.1" creator="t" '
            f'xmlns="http://www.topografix.com/GPX/1/1"><trk>{body}</trk></gpx>').encode()


GOOD = [_pt(102.2, 22.41 + k * 1e-4, f"2026-11-30T01:00:{k:02d}Z") for k in range(5)]
BAD_FILES = {
    "not well-formed": (b"<gpx><trk><trkseg><trkpt lat='22' lon='102'>", "not well-formed"),
    "not gpx": (b'<?xml version="1.0"?><kml></kml>', "<kml>"),
    "empty file": (b"", "patrol.gpx"),
    "no track, only a waypoint": (
        b'<?xml version="1.0"?><gpx version="1.1"><wpt lat="22.4" lon="102.2"/></gpx>',
        "no track points"),
    "no times at all": (_doc([_pt(102.2, 22.41), _pt(102.2, 22.4101)]), "trkseg[0]/trkpt[0]"),
    "one point without time": (_doc(GOOD[:3] + [_pt(102.2, 22.4104)] + GOOD[4:]),
                               "trkseg[0]/trkpt[3]"),
    "latitude out of range": (_doc(GOOD[:2] + [_pt(102.2, 95.0, "2026-11-30T01:00:02Z")]),
                              "trkseg[0]/trkpt[2]"),
    "longitude not a number": (_doc(GOOD[:1] + [_pt("abc", 22.4, "2026-11-30T01:00:01Z")]),
                               "trkseg[0]/trkpt[1]"),
    "time running backwards": (
        _doc(GOOD, GOOD[:2] + [_pt(102.2, 22.4102, "2026-11-30T00:59:00Z")]),
        "trkseg[1]/trkpt[2]"),
    "a time that is not a time": (_doc(GOOD[:2] + [_pt(102.2, 22.4102, "yesterday")]),
                                  "trkseg[0]/trkpt[2]"),
    "an entity bomb": (
        (b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa">'
         b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><gpx>&b;</gpx>'), "DTD"),
    # the second segment is only found bad when its chunk is stored (1999: a GPS week
    # rollover), after the first was: the transaction stores neither
    "a bad second segment": (
        _doc(GOOD, [_pt(102.2, 22.41, "1999-04-07T01:00:00Z"),
                    _pt(102.2, 22.4101, "1999-04-07T01:00:10Z")]),
        "file.trk[0]/trkseg[1]/trkpt[0][0] 1999-04-07T01:00:00Z"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_files_are_refused_naming_the_point_and_nothing_is_stored(client, session, land,
                                                                      case):
    patrol = land.patrol()
    data, words = BAD_FILES[case]
    response = upload(client, land.auxiliary, patrol, data)
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"][:2] == ["body", "file"] or error["loc"][1].startswith("file.")
    said = " ".join(map(str, error["loc"][1:])) + " " + error["msg"]
    assert all(word in said for word in words.split()), said
    assert chunks(session, patrol) == []
    session.refresh(patrol)
    assert patrol.distance_m == 0 and patrol.last_fix_at is None


def test_a_track_far_from_the_border_is_refused_with_its_distance(client, session, land):
    patrol = land.patrol()
    # Kunming, some 250 km north of the line: the wrong file
    far = [(102.71 + k * 1e-4, 25.04) for k in range(30)]
    # with no border line on the map yet, nothing is measured
    assert upload(client, land.auxiliary, land.patrol(), gpx(far)).status_code == 200
    land.border_line()
    response = upload(client, land.auxiliary, patrol, gpx(walk(), far))
    assert response.status_code == 422, response.text
    message = response.json()["detail"][0]["msg"]
    assert "trk[0]/trkseg[1]" in message and " km from the border" in message
    km = float(message.split(" is ")[1].split(" km")[0])
    assert 200 < km < 320
    assert chunks(session, patrol) == []
    # beside the line: accepted
    assert upload(client, land.auxiliary, patrol, gpx(walk())).status_code == 200


def test_only_lines_the_user_sees_are_measured_against(client, session, land):
    # a line of another organisation, not shared with this command: as if there were none
    stranger = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_COMMAND)
    line = land.border_line(owner=stranger)
    apply_marking(session, line, MarkingIn(tlp=TLP.GREEN, distribution=Distribution.OWN))
    far = [(102.71 + k * 1e-4, 25.04) for k in range(30)]
    assert upload(client, land.auxiliary, land.patrol(), gpx(far)).status_code == 200


def test_repeated_times_are_removed_as_time_not_refused(client, session, land):
    patrol = land.patrol()
    track = walk()
    points = [(lon, lat, T0 + timedelta(seconds=10 * k)) for k, (lon, lat) in enumerate(track)]
    points[20] = (points[20][0], points[20][1], points[19][2])  # logged twice in a second
    response = upload(client, land.auxiliary, patrol, gpx(points))
    assert response.status_code == 200, response.text
    assert [(r["index"], r["reason"]) for r in response.json()["removed"]] == [(20, "time")]


def test_an_oversized_file_is_413_unread(client, land, monkeypatch):
    from bastion.border.patrols import api_gpx

    monkeypatch.setattr(api_gpx, "MAX_BYTES", 1000)
    response = upload(client, land.auxiliary, land.patrol(), gpx(walk()))
    assert response.status_code == 413



def test_a_morning_file_after_the_afternoon_one_is_kept_whole(client, session, land):
    """Chunks are judged against the chunk before them in time, not the newest one."""
    patrol = land.patrol()
    afternoon = gpx(walk(22_000, 23_000, seed=4), start=T0 + timedelta(hours=5))
    morning = gpx(walk(20_000, 21_000, seed=5), start=T0)
    assert upload(client, land.auxiliary, patrol, afternoon).json()["removed"] == []
    out = upload(client, land.auxiliary, patrol, morning, name="morning.gpx").json()
    assert out["removed"] == [] and out["kept"] == out["points"]
    session.refresh(patrol)
    assert patrol.last_fix_at == T0 + timedelta(hours=5) + timedelta(
        seconds=10 * (len(walk(22_000, 23_000, seed=4)) - 1))


def test_a_segment_longer_than_one_chunk_is_stored_in_parts(client, session, land,
                                                           monkeypatch):
    from bastion.border.patrols import tracks

    monkeypatch.setattr(tracks, "MAX_POINTS", 50)  # as a 6-hour log at one fix a second
    patrol = land.patrol()
    track = walk(20_000, 21_500)
    track[70] = (track[70][0], track[70][1] + 500 / 111_195)
    data = gpx(track)
    out = upload(client, land.auxiliary, patrol, data).json()
    parts = -(-len(track) // 50)
    assert [s["where"] for s in out["segments"]] == ["trk[0]/trkseg[0]"] * parts
    assert len({s["client_id"] for s in out["segments"]}) == parts
    assert out["points"] == len(track) and out["kept"] == len(track) - 1
    assert [(r["index"], r["reason"]) for r in out["removed"]] == [(70, "speed")]
    assert upload(client, land.auxiliary, patrol, data).json()["duplicate"] is True
    assert len(chunks(session, patrol)) == parts
