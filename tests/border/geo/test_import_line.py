"""Importing the border line as GeoJSON, KML or GPX; bad files refused naming the file and
the feature, nothing stored; a retried upload changes nothing."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import shape

from bastion.core.geo import line_length_m
from tests.border.geo.land import LINE, LINE_FILE, form

STRETCH = LINE["coordinates"][180:200]


def _kml(coords) -> bytes:
    text = " ".join(f"{x},{y},0" for x, y in coords)
    return (f'<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">'
            f"<Document><Placemark><name>平孟段</name><LineString><coordinates>{text}"
            f"</coordinates></LineString></Placemark></Document></kml>").encode()


def _gpx(coords) -> bytes:
    points = "".join(f'<trkpt lat="{y}" lon="{x}"/>' for x, y in coords)
    return (f'<?xml version="1.0"?><gpx version="1.1" creator="t" '
            f'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>survey</name><trkseg>{points}'
            f"</trkseg></trk></gpx>").encode()


def _post(client, land, filename, data, **extra):
    return client.post("/api/v1/border/lines", headers=land.headers["command"],
                       data={**form(land.public), **extra}, files={"file": (filename, data)})


def _count(client, land) -> int:
    return client.get("/api/v1/border/lines", headers=land.headers["command"]).json()["total"]


@pytest.mark.parametrize("name,data", [
    ("line.geojson", json.dumps({"type": "Feature", "properties": {"name": "平孟段"},
                                 "geometry": {"type": "LineString",
                                              "coordinates": STRETCH}}).encode()),
    ("line.kml", _kml(STRETCH)),
    ("line.gpx", _gpx(STRETCH)),
])
def test_a_line_in_each_format_has_its_geodesic_length(client, land, name, data):
    response = _post(client, land, name, data)
    assert response.status_code == 201, response.text
    line = response.json()
    expected = line_length_m(shape({"type": "LineString", "coordinates": STRETCH}))
    assert line["length_m"] == pytest.approx(expected, rel=1e-9)
    assert 30_000 < line["length_m"] < 80_000
    again = _post(client, land, name, data)  # a retried upload: the same line, nothing new
    assert again.status_code == 200 and again.json()["id"] == line["id"]
    assert _count(client, land) == 1


def test_the_whole_cn_vn_line(client, land):
    response = _post(client, land, "cn-vn.geojson", LINE_FILE.read_bytes())
    assert response.status_code == 201
    assert response.json()["length_m"] == pytest.approx(1_050_488, abs=1)
    assert response.json()["name"] == "CN-VN border"


@pytest.mark.parametrize("name,data,says", [
    ("bad.geojson", b'{"type": "FeatureCollection", "features": [', "not valid JSON"),
    ("bad.geojson", json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "LineString",
                                                          "coordinates": [[105, 23], [195, 23]]}}
    ]}).encode(), "features[0].geometry"),
    ("bad.geojson", json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "LineString",
                                                          "coordinates": [[23.1, 105.5], [23.2, 105.6]]}}
    ]}).encode(), "longitude -180..180"),
    ("bad.kml", (b"<kml><Document><Placemark><LineString><coordinates>105,23 x,y"
                 b"</coordinates></LineString></Placemark></Document></kml>"),
     "Placemark[0]/LineString/coordinates[1]"),
    ("bad.kml", b"<kml><Document><Placemark>", "bad.kml"),
    ("bad.gpx", (b'<gpx><trk><trkseg><trkpt lat="95" lon="105"/><trkpt lat="23" lon="105"/>'
                 b"</trkseg></trk></gpx>"), "trk[0]/trkseg[0]/trkpt[0]"),
    ("points.geojson", json.dumps({"type": "Feature", "properties": {}, "geometry": {
        "type": "Point", "coordinates": [105, 23]}}).encode(), "has no line"),
    ("two.geojson", json.dumps({"type": "Feature", "properties": {}, "geometry": {
        "type": "MultiLineString", "coordinates": [[[105, 23], [105.1, 23]],
                                                   [[106, 23], [106.1, 23]]]}}).encode(),
     "do not join"),
    ("line.shp", b"whatever", "unknown geometry format"),
])
def test_bad_files_are_refused_naming_file_and_feature(client, land, name, data, says):
    response = _post(client, land, name, data)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"][0]
    assert detail["loc"] == ["body", "file"] and says in detail["msg"], detail
    assert name in detail["msg"]
    assert _count(client, land) == 0


def test_the_same_name_with_another_geometry_is_a_conflict(client, land):
    first = _post(client, land, "a.geojson", json.dumps(
        {"type": "LineString", "coordinates": STRETCH}).encode(), name="段")
    assert first.status_code == 201
    other = _post(client, land, "b.geojson", json.dumps(
        {"type": "LineString", "coordinates": STRETCH[:5]}).encode(), name="段")
    assert other.status_code == 409 and _count(client, land) == 1
