"""The geometry kit against pyproj's geodesic (Karney) on real places, and the three file
readers on the same real border slice (Natural Earth, see tests/data/geo/LICENSES.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyproj import Geod
from shapely.geometry import LineString, Point

from bastion.core import context
from bastion.core.geo import bearing_deg, fast_m, geodesic_m, haversine_m, line_length_m
from bastion.core.geo.files import GeoFileError, read_features, read_gpx, read_kml
from bastion.core.geo.metric import area_m2, buffer_m, local_metric, simplify_m

DATA = Path(__file__).resolve().parents[1] / "data" / "geo"
GEOD = Geod(ellps="WGS84")


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English (the message ids); zh-CN has its own catalogue test."""
    token = context.set_current(context.RequestContext(language="en"))
    yield
    context.reset(token)

# (lat, lon): Zhapo port (Yangjiang), Hong Kong (Victoria Harbour), Haiphong, Pingmeng port
# (Napo, on the China–Vietnam border), Beijing, and Sydney for a long southern leg.
ZHAPO = (21.58, 111.82)
HONG_KONG = (22.29, 114.17)
HAIPHONG = (20.86, 106.68)
PINGMENG = (22.96, 105.87)
BEIJING = (39.90, 116.40)
SYDNEY = (-33.87, 151.21)
PAIRS = [(ZHAPO, HONG_KONG), (ZHAPO, HAIPHONG), (PINGMENG, HAIPHONG), (BEIJING, SYDNEY),
         (HONG_KONG, PINGMENG)]


def _geod(a, b):
    azimuth, _back, distance = GEOD.inv(a[1], a[0], b[1], b[0])
    return azimuth % 360, distance


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_haversine_within_half_a_percent_of_the_ellipsoid(a, b):
    # the sphere differs from WGS 84 by at most ~0.5 % (flattening 1/298.257)
    assert haversine_m(*a, *b) == pytest.approx(_geod(a, b)[1], rel=0.005)


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_geodesic_is_pyproj(a, b):
    assert geodesic_m(*a, *b) == pytest.approx(_geod(a, b)[1], abs=1e-6)


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_bearing_matches_the_geodesic_azimuth(a, b):
    # spherical vs ellipsoidal initial azimuth: a few tenths of a degree at most
    difference = (bearing_deg(*a, *b) - _geod(a, b)[0] + 180) % 360 - 180
    assert abs(difference) < 0.3


def test_bearing_cardinal_directions():
    assert bearing_deg(21.0, 111.0, 22.0, 111.0) == pytest.approx(0.0)
    assert bearing_deg(0.0, 111.0, 0.0, 112.0) == pytest.approx(90.0)
    assert bearing_deg(22.0, 111.0, 21.0, 111.0) == pytest.approx(180.0)


def test_fast_distance_close_and_across_the_antimeridian():
    assert fast_m(21.50, 111.90, 21.52, 111.93) == pytest.approx(
        geodesic_m(21.50, 111.90, 21.52, 111.93), rel=0.005)
    assert fast_m(10.0, 179.9, 10.0, -179.9) == pytest.approx(
        geodesic_m(10.0, 179.9, 10.0, -179.9), rel=0.005)
    assert fast_m(*ZHAPO, *HAIPHONG) == haversine_m(*ZHAPO, *HAIPHONG)  # beyond 1 degree


def test_line_length_is_the_sum_of_geodesics():
    line = LineString([(lon, lat) for lat, lon in (PINGMENG, HAIPHONG, ZHAPO)])
    expected = _geod(PINGMENG, HAIPHONG)[1] + _geod(HAIPHONG, ZHAPO)[1]
    assert line_length_m(line) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize("suffix", [".geojson", ".kml", ".gpx"])
def test_each_format_reads_the_same_border(suffix):
    features = read_features(DATA / f"cn-vn-border-napo{suffix}")
    assert len(features) == 1
    border = features[0]
    assert border.name == "China–Vietnam land border, Napo slice"
    assert border.geometry.geom_type == "LineString"
    assert len(border.geometry.coords) == 59
    # the slice runs from 106.30 E back west to 105.31 E, a winding 160-odd km of border
    assert 140_000 < line_length_m(border.geometry) < 200_000


def test_the_three_formats_give_the_same_length_within_a_metre():
    lengths = [line_length_m(read_features(DATA / f"cn-vn-border-napo{s}")[0].geometry)
               for s in (".geojson", ".kml", ".gpx")]
    assert max(lengths) - min(lengths) < 1.0


def test_local_metric_length_agrees_with_the_ellipsoid():
    border = read_features(DATA / "cn-vn-border-napo.geojson")[0].geometry
    plane = local_metric(border)
    assert plane.to_metric(border).length == pytest.approx(line_length_m(border), rel=1e-4)
    back = plane.to_lonlat(plane.to_metric(border))
    assert back.equals_exact(border, tolerance=1e-9)


def test_simplify_in_metres_keeps_the_line_within_tolerance():
    border = read_features(DATA / "cn-vn-border-napo.geojson")[0].geometry
    simple = simplify_m(border, 500)
    assert 2 <= len(simple.coords) < len(border.coords)
    plane = local_metric(border)
    assert plane.to_metric(border).hausdorff_distance(plane.to_metric(simple)) <= 500 + 1


def test_buffer_and_area_in_metres():
    circle = buffer_m(Point(PINGMENG[1], PINGMENG[0]), 1000)
    assert area_m2(circle) == pytest.approx(3.14159e6, rel=0.01)  # pi r^2, r = 1 km


def test_kml_multigeometry_polygon_and_extended_data():
    kml = b"""<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder>
    <Placemark><name>Post 12</name><ExtendedData><Data name="code"><value>P12</value></Data>
    </ExtendedData><Point><coordinates>105.87,22.96,310</coordinates></Point></Placemark>
    <Placemark><name>Patrol area</name><MultiGeometry>
      <Polygon><outerBoundaryIs><LinearRing><coordinates>105.8,22.9 105.9,22.9 105.9,23.0
      105.8,22.9</coordinates></LinearRing></outerBoundaryIs></Polygon>
      <LineString><coordinates>105.8,22.9 105.9,23.0</coordinates></LineString>
    </MultiGeometry></Placemark></Folder></Document></kml>"""
    post, area = read_kml(kml, "posts.kml")
    assert (post.name, post.properties, post.geometry.coords[0]) == ("Post 12", {"code": "P12"},
                                                                     (105.87, 22.96))
    assert area.geometry.geom_type == "GeometryCollection"


def test_gpx_real_route_and_track_with_an_empty_segment():
    # gpxpy's test files (Apache-2.0): a GPX 1.0 route of 55 points; a Garmin track whose
    # second segment is empty
    (route,) = read_features(DATA / "route.gpx")
    assert (route.geometry.geom_type, len(route.geometry.coords)) == ("LineString", 55)
    assert line_length_m(route.geometry) == pytest.approx(sum(
        _geod(a[::-1], b[::-1])[1] for a, b in zip(route.geometry.coords,
                                                   route.geometry.coords[1:])), abs=0.01)
    (track,) = read_features(DATA / "track-with-empty-segment.gpx")
    assert (track.name, track.geometry.geom_type) == ("2013-07-06T14:59:00Z", "LineString")


def test_gpx_waypoints_and_segments():
    features = read_gpx(b"""<gpx xmlns="http://www.topografix.com/GPX/1/0" version="1.0">
      <wpt lat="22.96" lon="105.87"><name>Pingmeng</name><desc>port</desc></wpt>
      <trk><name>t</name><trkseg><trkpt lat="22.9" lon="105.8"/></trkseg>
      <trkseg><trkpt lat="22.9" lon="105.8"/><trkpt lat="22.95" lon="105.85"/></trkseg>
      <trkseg><trkpt lat="22.95" lon="105.85"/><trkpt lat="23.0" lon="105.9"/></trkseg></trk>
    </gpx>""", "walk.gpx")
    assert [f.geometry.geom_type for f in features] == ["Point", "MultiLineString"]
    assert features[0].properties == {"desc": "port"}
    assert len(features[1].geometry.geoms) == 2  # the one-point segment is no line


def test_hostile_xml_is_refused_before_expansion():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><kml>&b;</kml>')
    with pytest.raises(GeoFileError, match="bomb.kml: DTDs and entities"):
        read_kml(bomb, "bomb.kml")
    external = (b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                b'<gpx>&x;</gpx>')
    with pytest.raises(GeoFileError, match="x.gpx"):
        read_gpx(external, "x.gpx")


def test_size_limit(tmp_path):
    path = tmp_path / "big.geojson"
    path.write_bytes(b" " * (1024 * 1024 + 1))
    with pytest.raises(GeoFileError, match="big.geojson is larger than 1 MB"):
        read_features(path, max_bytes=1024 * 1024)
    with pytest.raises(GeoFileError, match="big.geojson is larger than 1 MB"):
        read_features("big.geojson", path.read_bytes(), max_bytes=1024 * 1024)


@pytest.mark.parametrize(("name", "data", "message"), [
    ("a.kml", (b"<kml><Placemark><name>M7</name><Point><coordinates>abc,22</coordinates>"
              b"</Point></Placemark></kml>"),
     r"a.kml: Placemark\[0\] 'M7'/Point/coordinates\[0\] has no valid lon: 'abc'"),
    ("b.gpx", b'<gpx><trk><trkseg><trkpt lat="95" lon="105"/></trkseg></trk></gpx>',
     r"b.gpx: trk\[0\]/trkseg\[0\]/trkpt\[0\] has no valid lat: '95'"),
    ("c.kml", (b"<kml><Placemark><LineString><coordinates>105,22</coordinates></LineString>"
              b"</Placemark></kml>"), "c.kml: Placemark\\[0\\]/LineString has fewer than two"),
    ("d.gpx", b"<kml/>", "d.gpx: the root element is <kml>, not <gpx>"),
    ("e.kml", b"<kml><unclosed></kml>", "e.kml is not well-formed XML"),
    ("f.geojson", (b'{"type": "FeatureCollection", "features": [{"type": "Feature", '
                  b'"geometry": {"type": "Point", "coordinates": [22.9, 105.8]}}]}'),
     r"f.geojson: features\[0\].geometry has coordinates outside .* swapped"),
    ("g.geojson", b'{"type": "Feature", "geometry": {"type": "Blob"}}',
     "g.geojson: Feature.geometry is not a GeoJSON geometry"),
    ("h.geojson", b"{nope", "h.geojson is not valid JSON"),
    ("i.shp", b"", "i.shp: unknown geometry format"),
])
def test_errors_name_the_file_and_the_element(name, data, message):
    with pytest.raises(GeoFileError, match=message):
        read_features(name, data)


def test_errors_in_chinese():
    token = context.set_current(context.RequestContext(language="zh-CN"))
    try:
        with pytest.raises(GeoFileError, match="d.gpx：根元素是 <kml>，不是 <gpx>"):
            read_features("d.gpx", b"<kml/>")
    finally:
        context.reset(token)
