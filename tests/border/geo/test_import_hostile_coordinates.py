"""NaN/Infinity coordinates and one-point lines through every import that reads a geometry
file: the border line, the markers (GeoJSON) and a patrol's GPX. Each is a 422 naming the
file, the feature and the coordinate, never a 409 or a 500 or GEOS' words; nothing stored; a
retried upload is refused the same way."""

from __future__ import annotations

import json

import pytest

from tests.border.geo.land import LINE_FILE, form, on_line
from tests.border.patrols.test_gpx import Land as PatrolLand
from tests.border.patrols.test_gpx import chunks, upload, walk

STRETCH = json.loads(LINE_FILE.read_text())["features"][0]["geometry"]["coordinates"][180:190]


def _lines(client, land):
    return client.get("/api/v1/border/lines", headers=land.headers["command"]).json()["total"]


def _post_line(client, land, filename, data):
    return client.post("/api/v1/border/lines", headers=land.headers["command"],
                       data=form(land.public), files={"file": (filename, data)})


def _geojson_line(coords_text: str, name: str = "平孟段") -> bytes:
    good = json.dumps(STRETCH)
    return (f'{{"type": "FeatureCollection", "features": [{{"type": "Feature", '
            f'"properties": {{"name": "{name}"}}, "geometry": {{"type": "MultiLineString", '
            f'"coordinates": [{good}, {coords_text}]}}}}]}}').encode()


def _tail(text: str) -> str:
    """The stretch's last point, then ``text``: a second part that joins the first."""
    x, y = STRETCH[-1]
    return f"[[{x}, {y}], {text}]"


@pytest.mark.parametrize("name,data,says", [
    ("nan.geojson", _geojson_line(_tail("[NaN, 22.9]")),
     "nan.geojson: features[0] '平孟段'.geometry.coordinates[1][1][0] is not a finite number (nan)"),
    ("inf.geojson", _geojson_line(_tail("[105.9, Infinity]")),
     "inf.geojson: features[0] '平孟段'.geometry.coordinates[1][1][1] is not a finite number (inf)"),
    ("big.geojson", _geojson_line(_tail("[1e999, 22.9]")),
     "big.geojson: features[0] '平孟段'.geometry.coordinates[1][1][0] is not a finite number (inf)"),
    ("nan.kml", ('<kml><Document><Placemark><name>平孟段</name><LineString><coordinates>'
                 '105.8,22.9 nan,22.95</coordinates></LineString></Placemark></Document></kml>'
                 ).encode(),
     "nan.kml: Placemark[0] '平孟段'/LineString/coordinates[1] has no valid lon"),
    ("inf.gpx", (b'<gpx><trk><trkseg><trkpt lat="22.9" lon="105.8"/>'
                 b'<trkpt lat="Infinity" lon="105.9"/></trkseg></trk></gpx>'),
     "inf.gpx: trk[0]/trkseg[0]/trkpt[1] has no valid lat"),
])
def test_a_line_with_a_non_finite_coordinate_is_a_422_naming_it(client, land, name, data,
                                                                 says):
    for _attempt in range(2):  # a retried upload is refused the same way
        response = _post_line(client, land, name, data)
        assert response.status_code == 422, response.text
        [detail] = response.json()["detail"]
        assert detail["loc"] == ["body", "file"] and detail["msg"].startswith(says), detail
    assert _lines(client, land) == 0


@pytest.mark.parametrize("name,data,says", [
    ("one.geojson", json.dumps({"type": "Feature", "properties": {"name": "平孟段"},
                                "geometry": {"type": "LineString",
                                             "coordinates": [[105.8, 22.9]]}}).encode(),
     "one.geojson: Feature '平孟段'.geometry has fewer than two distinct points"),
    ("same.geojson", json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {},
         "geometry": {"type": "LineString", "coordinates": [[105.8, 22.9], [105.8, 22.9]]}}]}
    ).encode(), "same.geojson: features[0].geometry has fewer than two distinct points"),
    ("part.geojson", _geojson_line("[[105.8, 22.9]]"),
     "part.geojson: features[0] '平孟段'.geometry.coordinates[1] has fewer than two distinct points"),
    ("one.kml", (b"<kml><Document><Placemark><LineString><coordinates>105.8,22.9"
                 b"</coordinates></LineString></Placemark></Document></kml>"),
     "one.kml: Placemark[0]/LineString has fewer than two distinct points"),
    ("still.gpx", (b'<gpx><trk><trkseg><trkpt lat="22.9" lon="105.8"/>'
                   b'<trkpt lat="22.9" lon="105.8"/></trkseg></trk></gpx>'),
     "still.gpx has no line"),
])
def test_a_line_of_one_point_is_a_clear_422(client, land, name, data, says):
    response = _post_line(client, land, name, data)
    assert response.status_code == 422, response.text
    [detail] = response.json()["detail"]
    assert detail["loc"] == ["body", "file"] and detail["msg"].startswith(says), detail
    assert "IllegalArgument" not in detail["msg"] and "GEOS" not in detail["msg"]
    assert _lines(client, land) == 0


def test_the_line_messages_in_chinese(client, session, land):
    land.users["command"].language = "zh-CN"  # the user's own language
    session.flush()
    for data, says in [(_geojson_line(_tail("[NaN, 22.9]")),
                        "x.geojson：features[0] '平孟段'.geometry.coordinates[1][1][0] 不是有限数值（nan）"),
                       (_geojson_line("[[105.8, 22.9]]"),
                        "x.geojson：features[0] '平孟段'.geometry.coordinates[1] 的不同点少于两个")]:
        response = _post_line(client, land, "x.geojson", data)
        assert response.status_code == 422
        message = response.json()["detail"][0]["msg"]
        assert message.startswith(says), message


# --- markers ----------------------------------------------------------------------------------

@pytest.fixture
def lined(client, land):
    response = client.post("/api/v1/border/lines", headers=land.headers["command"],
                           data=form(land.public),
                           files={"file": ("cn-vn.geojson", LINE_FILE.read_bytes())})
    assert response.status_code == 201
    return land


def _markers(lon_text: str, lat_text: str) -> bytes:
    lon, lat = on_line(600)
    return ('{"type": "FeatureCollection", "features": ['
            f'{{"type": "Feature", "properties": {{"number": "N1", "kind": "界碑"}}, '
            f'"geometry": {{"type": "Point", "coordinates": [{lon}, {lat}]}}}}, '
            f'{{"type": "Feature", "properties": {{"number": "N2", "kind": "界桩"}}, '
            f'"geometry": {{"type": "Point", "coordinates": [{lon_text}, {lat_text}]}}}}'
            ']}').encode()


@pytest.mark.parametrize("lon,lat,spot,value", [
    ("NaN", "22.9", "features[1].geometry.coordinates[0]", "nan"),
    ("105.8", "-Infinity", "features[1].geometry.coordinates[1]", "-inf"),
])
def test_a_marker_with_a_non_finite_coordinate_is_refused_naming_it(client, lined, lon, lat,
                                                                    spot, value):
    for _attempt in range(2):
        response = client.post("/api/v1/border/markers/import", headers=lined.headers["command"],
                               data=form(lined.public),
                               files={"file": ("m.geojson", _markers(lon, lat))})
        assert response.status_code == 422, response.text
        [error] = response.json()["errors"]
        assert error["code"] == "BAD_FILE"
        assert error["message"].startswith(f"m.geojson: {spot} is not a finite number ({value})")
    stored = client.get("/api/v1/border/markers", headers=lined.headers["command"]).json()
    assert stored["total"] == 0  # the good first marker is not half-stored either


# --- a patrol's GPX (border/patrols/gpx.py reads through read_gpx_segments) ------------------

@pytest.fixture
def patrols(session) -> PatrolLand:
    return PatrolLand(session)


def _patrol_gpx(points: list[tuple[str, str]]) -> bytes:
    body = "".join(f'<trkpt lat="{lat}" lon="{lon}"><time>2026-11-30T01:00:{k:02d}Z</time>'
                   "</trkpt>" for k, (lon, lat) in enumerate(points))
    return ('<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="t" '
            'xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
            f"{body}</trkseg></trk></gpx>").encode()


@pytest.mark.parametrize("bad,what", [(("NaN", None), "lon"), ((None, "inf"), "lat"),
                                      ((None, "1e999"), "lat")])
def test_a_patrol_gpx_with_a_non_finite_point_is_refused_naming_it(client, session, patrols,
                                                                   bad, what):
    patrol = patrols.patrol()
    points = [(f"{lon:.7f}", f"{lat:.7f}") for lon, lat in walk()[:5]]
    points[3] = (bad[0] or points[3][0], bad[1] or points[3][1])
    for _attempt in range(2):
        response = upload(client, patrols.auxiliary, patrol, _patrol_gpx(points))
        assert response.status_code == 422, response.text
        detail = response.json()["detail"]
        message = detail if isinstance(detail, str) else detail[0]["msg"]
        assert f"patrol.gpx: trk[0]/trkseg[0]/trkpt[3] has no valid {what}" in message
    assert chunks(session, patrol) == []


def test_a_patrol_gpx_of_one_point_is_no_geos_error(client, session, patrols):
    patrol = patrols.patrol()
    lon, lat = walk()[0]
    response = upload(client, patrols.auxiliary, patrol,
                      _patrol_gpx([(f"{lon:.7f}", f"{lat:.7f}")]))
    assert response.status_code == 200, response.text  # one fix is a position, kept as such
    assert response.json()["points"] == 1 and len(chunks(session, patrol)) == 1
