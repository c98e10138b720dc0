"""``bastion patrols coverage`` against an independent computation (tests/border/synth.py:
geodesic sampling with pyproj.Geod distances, no projection), on a case of our own making and
on the real 1:10m China–Vietnam line; and its refusals of bad input (exit 1, file and feature
or point named)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.border.synth import GEOD, beside, cut, reference_coverage
from tests.cli.helpers import bastion, clean_env

DATA = Path(__file__).resolve().parents[1] / "data" / "border"
D = 100.0  # METRES of the case of our own making
# A bent line of two edges near Napo (about 3.3 and 3.2 km) and a two-part segment further east
BENT = [(106.00, 22.90), (106.03, 22.91), (106.06, 22.90)]
PARTS = [[(106.10, 22.90), (106.12, 22.905)], [(106.13, 22.905), (106.15, 22.90)]]


def gpx(path: Path, *segments: np.ndarray, extra: str = "", times: bool = True) -> Path:
    """One <trk> with a <trkseg> per array; ``extra`` (waypoints, routes) goes first."""
    body = []
    for seg in segments:
        pts = "".join(
            f'<trkpt lat="{lat:.9f}" lon="{lon:.9f}">'
            + (f"<time>2026-03-01T{(k // 3600) % 24:02d}:{(k // 60) % 60:02d}:{k % 60:02d}Z</time>"
               if times else "") + "</trkpt>" for k, (lon, lat) in enumerate(seg))
        body.append(f"<trkseg>{pts}</trkseg>")
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="test" '
                    f'xmlns="http://www.topografix.com/GPX/1/1">{extra}<trk><name>t</name>'
                    f'{"".join(body)}</trk></gpx>\n', encoding="utf-8")
    return path


def geojson(path: Path, features: list[tuple[str | None, dict]]) -> Path:
    items = [{"type": "Feature", "properties": {} if name is None else {"name": name},
              "geometry": geometry} for name, geometry in features]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": items}), encoding="utf-8")
    return path


def run(tmp_path: Path, segments: Path, within: float, *tracks: Path, json_out: bool = True,
        language: str = "en"):
    args = ["patrols", "coverage", "--segments", str(segments), "--within", str(within),
            "--language", language]
    return bastion(*args, *(["--json"] if json_out else []), *map(str, tracks),
                   env=clean_env(), cwd=tmp_path)


def figures(result) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def own_case() -> dict[str, list[np.ndarray]]:
    """Tracks by kind; the bent line's first edge is ~3.3 km, its second ~3.2 km."""
    return {
        "following": [beside(BENT, 200, 1400, 0.0, jitter_m=40, seed=1)],
        "crossing": [np.array([GEOD.fwd(106.045, 22.905, 0, s)[:2] for s in (-400, -100, 150, 600)])],
        "inside": [beside(BENT, 4000, 5200, D - 1.0)],  # just inside, to the left
        "outside": [beside(BENT, 1500, 3100, -(D + 1.0))],  # just outside, to the right
        # along, back past the start, then forward again: overlapping passes count once
        "doubling": [np.concatenate([beside(BENT, 2600, 3600, 30.0),
                                     beside(BENT, 3600, 2300, -30.0),
                                     beside(BENT, 2300, 3000, 60.0)])],
        # two trksegs that end 300 m north and start 300 m south of the line: not joined
        "gap": [np.array([GEOD.fwd(106.11, 22.9025, 0, s)[:2] for s in (900, 300)]),
                np.array([GEOD.fwd(106.11, 22.9025, 180, s)[:2] for s in (300, 900)])],
        "multipart": [beside(PARTS[1], 300, 1500, 50.0), beside(PARTS[0], 0, 800, 0.0)],
        "standing": [np.array([[106.14, 22.9025]])],  # a one-point trkseg: a patrol that stood
    }


def segments_file(tmp_path: Path) -> Path:
    return geojson(tmp_path / "segments.geojson", [
        ("Bent 弯段", {"type": "LineString", "coordinates": BENT}),
        ("Two parts", {"type": "MultiLineString", "coordinates": PARTS})])


ROUTE_AND_WAYPOINT = ('<wpt lat="22.9" lon="106.01"><name>ignored</name></wpt>'
                      '<rte><rtept lat="22.9" lon="106.0"/><rtept lat="22.91" lon="106.03"/></rte>')


@pytest.mark.parametrize("kind", [*own_case(), "all"])
def test_agrees_with_an_independent_computation_on_our_own_case(tmp_path, kind):
    case = own_case()
    tracks = [t for ts in case.values() for t in ts] if kind == "all" else case[kind]
    files = [gpx(tmp_path / "a.gpx", *tracks[: len(tracks) // 2 + 1], extra=ROUTE_AND_WAYPOINT)]
    if tracks[len(tracks) // 2 + 1:]:
        files.append(gpx(tmp_path / "b.gpx", *tracks[len(tracks) // 2 + 1:], times=False))
    out = figures(run(tmp_path, segments_file(tmp_path), D, *files))
    named = {s["name"]: s for s in out["segments"]}
    assert list(named) == ["Bent 弯段", "Two parts"]
    for name, coords in (("Bent 弯段", BENT), ("Two parts", PARTS)):
        length, covered = reference_coverage(coords, tracks, D)
        assert named[name]["length_m"] == pytest.approx(length, abs=0.01)
        # the sampling stands each 0.5 m sample for its stretch: ~0.25 m off at each end of
        # each covered stretch
        assert named[name]["covered_m"] == pytest.approx(covered, abs=2.0), name
        assert named[name]["coverage"] == pytest.approx(named[name]["covered_m"] / length,
                                                        abs=1e-6)
    assert out["length_m"] == pytest.approx(sum(s["length_m"] for s in out["segments"]), abs=0.01)
    assert out["covered_m"] == pytest.approx(sum(s["covered_m"] for s in out["segments"]),
                                             abs=0.01)
    assert out["coverage"] == pytest.approx(out["covered_m"] / out["length_m"], abs=1e-6)


def test_each_kind_covers_what_it_was_made_to(tmp_path):
    """What the case was built to show, in figures one can check by hand."""
    seg = segments_file(tmp_path)

    def covered(kind: str) -> dict[str, float]:
        out = figures(run(tmp_path, seg, D, gpx(tmp_path / f"{kind}.gpx", *own_case()[kind])))
        return {s["name"]: s["covered_m"] for s in out["segments"]}

    assert covered("outside") == {"Bent 弯段": 0.0, "Two parts": 0.0}  # 101 m off: nothing
    # 99 m beside for 1,200 m, plus sqrt(100^2 - 99^2) = 14.1 m beyond each end
    assert covered("inside")["Bent 弯段"] == pytest.approx(1200 + 2 * 14.1, abs=0.5)
    # a crossing due north: 2 d across, lengthened by the angle it makes with the edge
    edge_azimuth = GEOD.inv(*BENT[1], *BENT[2])[0]
    crossing = 2 * D / abs(np.sin(np.radians(edge_azimuth)))
    assert covered("crossing")["Bent 弯段"] == pytest.approx(crossing, abs=1.0)
    # 2300 m to 3600 m along the line, passed three times, counted once
    assert covered("doubling")["Bent 弯段"] == pytest.approx(1300 + 2 * 100, abs=25)
    # the gap between the two trksegs crosses the line, but segments are not joined
    assert covered("gap") == {"Bent 弯段": 0.0, "Two parts": 0.0}
    assert covered("standing")["Two parts"] == pytest.approx(200, abs=1.0)


def test_the_real_china_vietnam_line(tmp_path):
    """The 1:10m CN–VN border (421 vertices over 6 degrees of longitude, tests/data/border):
    its length on WGS 84; the line itself as a track covers it whole across every local plane;
    a jittered patrol along a 30 km stretch near Napo agrees with the independent check."""
    line = json.loads((DATA / "cn-vn-border.geojson").read_text(encoding="utf-8"))
    coords = [tuple(p) for p in line["features"][0]["geometry"]["coordinates"]]
    from shapely.geometry import LineString

    whole = GEOD.geometry_length(LineString(coords))
    assert 1_000_000 < whole < 1_100_000
    out = figures(run(tmp_path, DATA / "cn-vn-border.geojson", 1.0,
                      gpx(tmp_path / "line.gpx", np.array(coords))))
    assert out["length_m"] == pytest.approx(whole, rel=1e-9)
    assert out["coverage"] == pytest.approx(1.0, abs=1e-6)

    stretch = cut(coords, 600_000, 630_000)
    seg = geojson(tmp_path / "stretch.geojson", [("CN-VN 600-630 km", {
        "type": "LineString", "coordinates": stretch})])
    tracks = [beside(stretch, 1_000, 12_000, 80.0, jitter_m=120, seed=7),
              beside(stretch, 14_000, 9_000, -150.0, jitter_m=60, seed=8),
              beside(stretch, 20_000, 29_000, 260.0, jitter_m=80, seed=9)]
    out = figures(run(tmp_path, seg, 200.0, gpx(tmp_path / "p.gpx", *tracks)))
    length, covered = reference_coverage(stretch, tracks, 200.0)
    assert out["length_m"] == pytest.approx(length, rel=1e-9)
    assert out["covered_m"] == pytest.approx(covered, rel=1e-3)  # issue 12: within 0.1 %
    assert 0.3 < out["coverage"] < 0.7


def test_without_json_a_table(tmp_path):
    case = own_case()
    result = run(tmp_path, segments_file(tmp_path), D,
                 gpx(tmp_path / "a.gpx", *case["inside"]), json_out=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 5  # heading, two segments, total, the figures' basis
    bent = lines[1].split()
    assert bent[:2] == ["Bent", "弯段"] and bent[-1] == f"{100 * 1228.2 / 6542.0:.1f}"
    assert lines[0].split()[0] == "Segment" and lines[3].split()[0] == "Total"
    chinese = run(tmp_path, segments_file(tmp_path), D, gpx(tmp_path / "a.gpx", *case["inside"]),
                  json_out=False, language="zh-CN")
    assert chinese.stdout.splitlines()[3].split()[0] == "合计"
    assert [x.split() for x in chinese.stdout.splitlines()[1:3]] == [x.split() for x in lines[1:3]]


# --- bad input --------------------------------------------------------------------------------

GOOD_GPX = ('<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">'
            '<trk><trkseg><trkpt lat="22.9" lon="106.0"/><trkpt lat="22.91" lon="106.01"/>'
            '</trkseg></trk></gpx>')
BOMB = ('<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        '<gpx version="1.1"><trk><name>&c;</name></trk></gpx>')


def _pt(lat, lon, time=None):
    return f'<trkpt lat="{lat}" lon="{lon}">' + (f"<time>{time}</time>" if time else "") + \
        "</trkpt>"


def _gpx_text(*points: str) -> str:
    return ('<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">'
            f'<trk><trkseg>{_pt(22.9, 106.0)}</trkseg><trkseg>{"".join(points)}</trkseg></trk>'
            "</gpx>")


BAD_GPX = {
    "malformed": ("<gpx><trk><trkseg><trkpt lat='1' lon='2'></trkseg></gpx>",
                  ["is not well-formed XML"]),
    "empty": ("", ["is empty"]),
    "latitude out of range": (_gpx_text(_pt(22.9, 106.0), _pt(95.0, 106.0)),
                              ["trk[0]/trkseg[1]/trkpt[1]", "lat", "95"]),
    "longitude missing": (_gpx_text('<trkpt lat="22.9"/>'), ["trk[0]/trkseg[1]/trkpt[0]", "lon"]),
    "time backwards": (_gpx_text(_pt(22.9, 106.0, "2026-03-01T08:00:00Z"),
                                 _pt(22.91, 106.0, "2026-03-01T07:59:00Z")),
                       ["trk[0]/trkseg[1]/trkpt[1]", "time runs backwards"]),
    "bad time": (_gpx_text(_pt(22.9, 106.0, "yesterday")), ["trk[0]/trkseg[1]/trkpt[0]", "time"]),
    "entity bomb": (BOMB, ["DTDs and entities are not accepted"]),
    "not gpx": ('<?xml version="1.0"?><kml></kml>', ["not <gpx>"]),
}


@pytest.mark.parametrize("case", BAD_GPX)
def test_bad_gpx_exits_1_naming_the_file_and_point(tmp_path, case):
    text, words = BAD_GPX[case]
    good = gpx(tmp_path / "good.gpx", np.array([[106.0, 22.9], [106.01, 22.9]]))
    (tmp_path / "bad track.gpx").write_text(text, encoding="utf-8")
    result = run(tmp_path, segments_file(tmp_path), D, good, tmp_path / "bad track.gpx")
    _refused(result, ["bad track.gpx", *words])


LINE = {"type": "LineString", "coordinates": [[106.0, 22.9], [106.01, 22.9]]}
BAD_GEOJSON = {
    "malformed": ('{"type": "FeatureCollection", "features": [', ["is not valid JSON"]),
    "empty": ("  \n", ["is empty"]),
    "no features": ('{"type": "FeatureCollection", "features": []}', ["has no features"]),
    "not a collection": (json.dumps(LINE), ["not a GeoJSON FeatureCollection"]),
    "latitude out of range": ([("A", LINE), ("B", {"type": "LineString",
                                                   "coordinates": [[106.0, 22.9], [106.0, 92.0]]})],
                              ["features[1]", "latitude"]),
    "swapped": ([("A", {"type": "LineString", "coordinates": [[22.9, 106.0], [22.9, 106.1]]})],
                ["features[0]", "swapped"]),
    "duplicate names": ([("A", LINE), ("B", LINE), ("A", LINE)],
                        ["features[2] 'A'", "features[0]"]),
    "missing name": ([("A", LINE), (None, LINE)], ["features[1]", "no name"]),
    "blank name": ([("  ", LINE)], ["features[0]", "no name"]),
    "a point": ([("P", {"type": "Point", "coordinates": [106.0, 22.9]})],
                ["features[0] 'P'", "Point"]),
    "one point line": ([("L", {"type": "LineString", "coordinates": [[106.0, 22.9], [106.0, 22.9]]})],
                       ["features[0] 'L'", "two distinct points"]),
    "no geometry": ([("G", {"type": "LineString"})], ["features[0]", "geometry"]),
}


@pytest.mark.parametrize("case", BAD_GEOJSON)
def test_bad_segments_exit_1_naming_the_file_and_feature(tmp_path, case):
    content, words = BAD_GEOJSON[case]
    path = tmp_path / "bad segments.geojson"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        geojson(path, content)
    (tmp_path / "t.gpx").write_text(GOOD_GPX, encoding="utf-8")
    _refused(run(tmp_path, path, D, tmp_path / "t.gpx"), ["bad segments.geojson", *words])


def test_a_file_over_the_size_limit_exits_1_unread(tmp_path):
    from bastion.core.geo.files import MAX_BYTES

    with (tmp_path / "huge.gpx").open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: the size is checked before anything is read
    _refused(run(tmp_path, segments_file(tmp_path), D, tmp_path / "huge.gpx"),
             ["huge.gpx", "larger than 20 MB"])


def test_a_missing_file_and_a_negative_distance_exit_1(tmp_path):
    (tmp_path / "t.gpx").write_text(GOOD_GPX, encoding="utf-8")
    _refused(run(tmp_path, segments_file(tmp_path), D, tmp_path / "t.gpx", tmp_path / "gone.gpx"),
             ["gone.gpx"])
    _refused(run(tmp_path, segments_file(tmp_path), -5, tmp_path / "t.gpx"), ["--within"])


def _refused(result, words: list[str]) -> None:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1"])
def test_an_entity_bomb_in_another_encoding_is_still_refused(tmp_path, encoding):
    """Plain UTF-8 files without '<!' take the fast XML parser; anything else, defusedxml."""
    declared = BOMB.replace('<?xml version="1.0"?>',
                           f'<?xml version="1.0" encoding="{encoding}"?>')
    (tmp_path / "bomb.gpx").write_bytes(declared.encode(encoding))
    _refused(run(tmp_path, segments_file(tmp_path), D, tmp_path / "bomb.gpx"),
             ["bomb.gpx", "DTDs and entities are not accepted"])
