"""Write the China–Vietnam border slice as GeoJSON, KML and GPX (the three readers' test files).

    python tests/data/geo/make.py [../shared/data/reference/geo/scs-prd-ne10m-clip-100E-120E-15N-26N.geojson]

Takes the vertices of Natural Earth's China–Vietnam land border between 105.3 E and 106.3 E
(Napo county, Guangxi, facing Cao Bang: the stretch of the demo's joint-defence command) and
writes the same coordinates, as printed in the source, in each format.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
SOURCE = (Path(__file__).resolve().parents[4] / "shared/data/reference/geo"
          / "scs-prd-ne10m-clip-100E-120E-15N-26N.geojson")
NAME = "China–Vietnam land border, Napo slice"
WEST, EAST = 105.3, 106.3


def main(source: Path) -> None:
    doc = json.loads(source.read_text(encoding="utf-8"))
    line = next(f for f in doc["features"] if f["properties"].get("name") == "China–Vietnam land border")
    points = [p for p in line["geometry"]["coordinates"] if WEST <= p[0] <= EAST]
    props = {"name": NAME, "source": "Natural Earth 4.1.0 1:10m via world-atlas 2.0.2 "
             f"(public domain), vertices between {WEST} E and {EAST} E"}
    (HERE / "cn-vn-border-napo.geojson").write_text(json.dumps(
        {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": props,
         "geometry": {"type": "LineString", "coordinates": points}}]}, ensure_ascii=False,
        indent=1) + "\n", encoding="utf-8")
    coords = "\n".join(f"{lon},{lat}" for lon, lat in points)
    (HERE / "cn-vn-border-napo.kml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>\n'
        f"<Placemark><name>{escape(NAME)}</name>\n"
        f"<description>{escape(props['source'])}</description>\n"
        f"<LineString><tessellate>1</tessellate><coordinates>\n{coords}\n</coordinates>"
        "</LineString></Placemark>\n</Document></kml>\n", encoding="utf-8")
    trkpts = "\n".join(f'<trkpt lat="{lat}" lon="{lon}"/>' for lon, lat in points)
    (HERE / "cn-vn-border-napo.gpx").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="bastion tests/data/geo/make.py" '
        'xmlns="http://www.topografix.com/GPX/1/1">\n'
        f"<trk><name>{escape(NAME)}</name><desc>{escape(props['source'])}</desc><trkseg>\n"
        f"{trkpts}\n</trkseg></trk>\n</gpx>\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)
