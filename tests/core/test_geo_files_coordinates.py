"""The floor's geometry readers refuse what is no coordinate and no line, naming the place.

Python's json reads ``NaN``, ``Infinity`` and ``1e999`` (an overflow to infinity); XML
attributes can say ``nan``/``inf``. None is a coordinate: each is refused naming the file, the
feature and the coordinate's index. A "line" of one point, or of one point repeated, is refused
naming the line, in our words (not GEOS' "IllegalArgumentException")."""

from __future__ import annotations

import re

import pytest

from bastion.core import context
from bastion.core.geo.files import (
    GeoFileError,
    read_features,
    read_geojson,
    read_gpx,
    read_gpx_segments,
    read_kml,
)


@pytest.fixture(autouse=True)
def english():
    token = context.set_current(context.RequestContext(language="en"))
    yield
    context.reset(token)


def _line(coords: str) -> bytes:
    return ('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
            '"geometry": {"type": "LineString", "coordinates": [[105.1, 23.1], [105.2, 23.2]]}},'
            ' {"type": "Feature", "properties": {"name": "b"}, "geometry": {"type": "LineString",'
            f' "coordinates": {coords}}}}}]}}').encode()


@pytest.mark.parametrize("coords,where,value", [
    ("[[105, 23], [NaN, 23.1]]", "features[1] 'b'.geometry.coordinates[1][0]", "nan"),
    ("[[105, 23], [105.1, Infinity]]", "features[1] 'b'.geometry.coordinates[1][1]", "inf"),
    ("[[-Infinity, 23], [105.1, 23.1]]", "features[1] 'b'.geometry.coordinates[0][0]", "-inf"),
    ("[[105, 23], [105.1, 1e999]]", "features[1] 'b'.geometry.coordinates[1][1]", "inf"),
    ("[[105, 23, 0], [105.1, 23.1, NaN]]", "features[1] 'b'.geometry.coordinates[1][2]", "nan"),
])
def test_geojson_non_finite_coordinates_are_refused_by_index(coords, where, value):
    with pytest.raises(GeoFileError) as caught:
        read_features("line.geojson", _line(coords))
    message = str(caught.value)
    assert message.startswith(f"line.geojson: {where} is not a finite number ({value})"), message


@pytest.mark.parametrize("geometry,where", [
    ('{"type": "Point", "coordinates": [NaN, 23]}', "geometry.coordinates[0]"),
    ('{"type": "MultiPoint", "coordinates": [[105, 23], [105, Infinity]]}',
     "geometry.coordinates[1][1]"),
    (('{"type": "MultiLineString", "coordinates": [[[105, 23], [105.1, 23]], '
     '[[105.1, 23], [NaN, 23]]]}'), "geometry.coordinates[1][1][0]"),
    ('{"type": "Polygon", "coordinates": [[[105, 23], [105.1, 23], [105.1, NaN], [105, 23]]]}',
     "geometry.coordinates[0][2][1]"),
    (('{"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [105, 23]},'
     ' {"type": "LineString", "coordinates": [[105, 23], [Infinity, 23]]}]}'),
     "geometry.geometries[1].coordinates[1][0]"),
])
def test_every_geojson_geometry_kind_is_checked(geometry, where):
    with pytest.raises(GeoFileError, match=re.escape(f"g.geojson: {where} is not a finite")):
        read_geojson(geometry.encode(), "g.geojson")


@pytest.mark.parametrize("coords,where", [
    ("[[105, 23]]", "features[1] 'b'.geometry"),
    ("[[105, 23], [105, 23], [105.0, 23.0]]", "features[1] 'b'.geometry"),
    ("[]", "features[1] 'b'.geometry"),
])
def test_a_geojson_line_needs_two_distinct_points(coords, where):
    with pytest.raises(GeoFileError) as caught:
        read_features("line.geojson", _line(coords))
    message = str(caught.value)
    assert message == (f"line.geojson: {where} has fewer than two distinct points: a line needs "
                       "at least two"), message
    assert "IllegalArgument" not in message


def test_a_one_point_part_of_a_multilinestring_is_named():
    data = (b'{"type": "MultiLineString", "coordinates": [[[105, 23], [105.1, 23]], '
            b'[[105.2, 23]]]}')
    with pytest.raises(GeoFileError, match=re.escape(
            "m.geojson: geometry.coordinates[1] has fewer than two distinct points")):
        read_geojson(data, "m.geojson")


def test_good_geojson_still_reads():
    [_first, second] = read_features("line.geojson", _line("[[105, 23, 0], [105.1, 23.1, 300]]"))
    assert second.name == "b" and second.geometry.length > 0


def test_the_line_message_in_chinese():
    token = context.set_current(context.RequestContext(language="zh-CN"))
    try:
        with pytest.raises(GeoFileError, match=re.escape(
                "line.geojson：features[1] 'b'.geometry 的不同点少于两个")):
            read_features("line.geojson", _line("[[105, 23]]"))
        with pytest.raises(GeoFileError, match=re.escape(
                "line.geojson：features[1] 'b'.geometry.coordinates[1][0] 不是有限数值（nan）")):
            read_features("line.geojson", _line("[[105, 23], [NaN, 23]]"))
    finally:
        context.reset(token)


def _kml(geometry: str) -> bytes:
    return (f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>a</name>'
            f"<Point><coordinates>105,23</coordinates></Point></Placemark><Placemark>"
            f"<name>平孟</name>{geometry}</Placemark></Document></kml>").encode()


@pytest.mark.parametrize("coordinates,spot,what", [
    ("105,23 nan,23.1", "coordinates[1]", "lon"),
    ("105,23 105.1,inf", "coordinates[1]", "lat"),
    ("-Infinity,23 105.1,23.1", "coordinates[0]", "lon"),
    ("105,23 105.1,1e999", "coordinates[1]", "lat"),
])
def test_kml_non_finite_coordinates_are_refused_by_index(coordinates, spot, what):
    data = _kml(f"<LineString><coordinates>{coordinates}</coordinates></LineString>")
    with pytest.raises(GeoFileError, match=re.escape(
            f"b.kml: Placemark[1] '平孟'/LineString/{spot} has no valid {what}")):
        read_kml(data, "b.kml")


@pytest.mark.parametrize("coordinates", ["105,23", "105,23,0 105,23,10"])
def test_a_kml_line_needs_two_distinct_points(coordinates):
    data = _kml(f"<LineString><coordinates>{coordinates}</coordinates></LineString>")
    with pytest.raises(GeoFileError, match=re.escape(
            "b.kml: Placemark[1] '平孟'/LineString has fewer than two distinct points")):
        read_kml(data, "b.kml")


def _gpx(points: str, *, timed: bool = False) -> bytes:
    stamp = "<time>2026-11-30T01:00:00Z</time>" if timed else ""
    body = "".join(f'<trkpt lat="{lat}" lon="{lon}">{stamp}</trkpt>'
                   for lon, lat in (p.split(",") for p in points.split()))
    return (f'<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
            f'<trkpt lat="23" lon="105">{stamp}</trkpt></trkseg><trkseg>{body}</trkseg></trk>'
            "</gpx>").encode()


@pytest.mark.parametrize("points,index,what", [
    ("105,23 105.1,NaN", 1, "lat"),
    ("inf,23 105.1,23.1", 0, "lon"),
    ("105,23 -Infinity,23.1", 1, "lon"),
    ("105,23 105.1,1e999", 1, "lat"),
])
@pytest.mark.parametrize("timed", [False, True])
def test_gpx_non_finite_points_are_refused_by_both_readers(points, index, what, timed):
    data = _gpx(points, timed=timed)
    expected = re.escape(f"t.gpx: trk[0]/trkseg[1]/trkpt[{index}] has no valid {what}")
    with pytest.raises(GeoFileError, match=expected):
        read_gpx(data, "t.gpx")
    with pytest.raises(GeoFileError, match=expected):  # the patrol import's reader
        read_gpx_segments(data, "t.gpx")


def test_gpx_segments_of_one_point_are_no_line_but_kept_for_patrols():
    data = _gpx("105.1,23.1 105.1,23.1", timed=True)  # a unit standing still
    assert read_gpx(data, "t.gpx") == []  # neither segment is a line: no feature
    segments = read_gpx_segments(data, "t.gpx")
    assert [(s.where, s.points) for s in segments] == [
        ("trk[0]/trkseg[0]", [(105.0, 23.0)]),
        ("trk[0]/trkseg[1]", [(105.1, 23.1), (105.1, 23.1)])]
