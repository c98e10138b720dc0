"""Boundary markers from CSV, xlsx and GeoJSON: placed on the line by chainage; any problem
refuses the whole file by file/sheet/row/column (GeoJSON: feature and property)."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from tests.border.geo.land import LINE_FILE, form, markers_csv, on_line


@pytest.fixture
def lined(client, land):
    response = client.post("/api/v1/border/lines", headers=land.headers["command"],
                           data=form(land.public),
                           files={"file": ("cn-vn.geojson", LINE_FILE.read_bytes())})
    assert response.status_code == 201
    return land


def _import(client, land, filename, data):
    return client.post("/api/v1/border/markers/import", headers=land.headers["command"],
                       data=form(land.public), files={"file": (filename, data)})


def _stored(client, land) -> int:
    return client.get("/api/v1/border/markers", headers=land.headers["command"]).json()["total"]


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "界碑"
    sheet.append(["Number", "Kind", "Longitude", "Latitude", "Elevation (m)"])
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_csv_markers_get_their_chainage_and_offset(client, lined):
    response = _import(client, lined, "markers.csv", markers_csv())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["created"] == 4 and body["unchanged"] == 0
    by_number = {m["number"]: m for m in body["markers"]}
    assert by_number["T580"]["kind"] == "monument" and by_number["T590"]["kind"] == "pillar"
    for km in (580, 590, 600, 610):
        marker = by_number[f"T{km}"]
        assert marker["chainage_m"] == pytest.approx(km * 1000, abs=50)
        assert marker["offset_m"] == pytest.approx(30, abs=10)  # 30 m north of the line
    again = _import(client, lined, "markers.csv", markers_csv())  # a retry changes nothing
    assert again.status_code == 200 and again.json()["created"] == 0
    assert again.json()["unchanged"] == 4 and _stored(client, lined) == 4


def test_xlsx_markers(client, lined):
    rows = [(f"X{km}", "pillar", *on_line(km), 812) for km in (700, 720)]
    response = _import(client, lined, "markers.xlsx", _xlsx(rows))
    assert response.status_code == 200, response.text
    assert [m["elevation_m"] for m in response.json()["markers"]] == [812, 812]


def test_xlsx_errors_by_row_and_column_store_nothing(client, lined):
    lon, lat = on_line(700)
    rows = [("X1", "pillar", lon, lat, 100),
            ("X2", "pillar", "east", lat, 100),         # row 3: not a number
            ("X3", "tower", lon, lat, 100),             # row 4: bad kind
            ("X4", "pillar", lon, 123.0, 100),          # row 5: latitude out of range
            ("X1", "pillar", lon, lat, 100),            # row 6: duplicate number
            ("X5", "pillar", lon + 0.5, lat + 0.5, 0)]  # row 7: far from the line
    response = _import(client, lined, "markers.xlsx", _xlsx(rows))
    assert response.status_code == 422, response.text
    errors = {(e["row"], e["column"], e["code"]) for e in response.json()["errors"]}
    assert errors == {(3, "Longitude", "BAD_NUMBER"), (4, "Kind", "BAD_KIND"),
                      (5, "Latitude", "OUT_OF_RANGE"), (6, "Number", "DUPLICATE_NUMBER"),
                      (7, "Longitude", "FAR_FROM_LINE")}
    assert all(e["file"] == "markers.xlsx" and e["sheet"] == "界碑"
               for e in response.json()["errors"])
    far = next(e for e in response.json()["errors"] if e["code"] == "FAR_FROM_LINE")
    assert "X5" in far["message"] and "km" in far["message"]
    assert _stored(client, lined) == 0


def test_a_number_stored_with_other_data_is_refused(client, lined):
    assert _import(client, lined, "a.csv", markers_csv()).status_code == 200
    lon, lat = on_line(581)
    moved = markers_csv([("T580", "界碑", f"{lon:.6f}", f"{lat:.6f}"),
                         ("T999", "界桩", f"{lon:.6f}", f"{lat:.6f}")])
    response = _import(client, lined, "b.csv", moved)
    assert response.status_code == 422
    assert [(e["row"], e["code"]) for e in response.json()["errors"]] == [(2, "NUMBER_EXISTS")]
    assert _stored(client, lined) == 4  # T999 was not stored either


def _features(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def _point(lon, lat, **properties):
    return {"type": "Feature", "properties": properties,
            "geometry": {"type": "Point", "coordinates": [lon, lat]}}


def test_geojson_markers_and_their_errors_by_feature_and_property(client, lined):
    lon, lat = on_line(650)
    good = _import(client, lined, "m.geojson", _features(_point(lon, lat, number="G1",
                                                                kind="monument")))
    assert good.status_code == 200 and good.json()["markers"][0]["number"] == "G1"
    bad = _import(client, lined, "m.geojson", _features(
        _point(lon, lat, number="G2"),
        _point(lon, lat, kind="pillar"),                      # 1: no number
        _point(lon, lat, number="G3", elevation="high"),      # 2: elevation not a number
        {"type": "Feature", "properties": {"number": "G4"},
         "geometry": {"type": "LineString", "coordinates": [[lon, lat], [lon, lat + 0.1]]}},
        _point(lon + 1, lat, number="G5"),                    # 4: far
        _point(lon, lat, number="G2")))                       # 5: duplicate
    assert bad.status_code == 422, bad.text
    errors = {(e["column"], e["code"]) for e in bad.json()["errors"]}
    assert errors == {("features[1].properties.number", "BAD_NUMBER"),
                      ("features[2].properties.elevation", "BAD_NUMBER"),
                      ("features[3].geometry", "NOT_A_POINT"),
                      ("features[4].geometry", "FAR_FROM_LINE"),
                      ("features[5].properties.number", "DUPLICATE_NUMBER")}
    assert _stored(client, lined) == 1


def test_a_malformed_geojson_file_is_refused(client, lined):
    response = _import(client, lined, "m.geojson", b'{"type": "FeatureCollection", "features": [')
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "BAD_FILE"
    coords = _import(client, lined, "m.geojson", _features(_point(200, 23, number="Z")))
    assert coords.status_code == 422 and "features[0]" in coords.json()["errors"][0]["message"]
    assert _stored(client, lined) == 0


def test_markers_need_a_line(client, land):
    response = _import(client, land, "markers.csv", markers_csv())
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body",
                                                                                    "line_id"]


def test_only_the_command_imports_markers(client, lined):
    for who in ("post_officer", "police", "village", "station"):
        response = client.post("/api/v1/border/markers/import", headers=lined.headers[who],
                               data=form(lined.public),
                               files={"file": ("markers.csv", markers_csv())})
        assert response.status_code == 403, who
    assert _stored(client, lined) == 0
