"""MarineCadastre and DMA CSV rows come out as the same dicts as decoded NMEA."""

from __future__ import annotations

import pytest
from tests.maritime.ais.conftest import DATA

from bastion.maritime.ais.csv_readers import read_csv
from bastion.maritime.ais.pipeline import Stats


def test_marinecadastre_rows():
    stats = Stats()
    rows = list(read_csv(DATA / "marinecadastre-2022-01-03-head399.csv", stats=stats))
    assert len(rows) == 399 and stats.skipped == {}
    eagle = rows[1]  # 367379190,2022-01-03T00:00:00,30.3706,-88.56408,0.0,336.2,511,EAGLE,...
    assert eagle == {
        "type": 1, "mmsi": 367379190, "time": "2022-01-03T00:00:00Z", "lat": 30.3706,
        "lon": -88.56408, "speed": 0.0, "course": 336.2, "heading": None, "status": 0,
        "shipname": "EAGLE", "callsign": "WTD4583", "imo": 8207721, "ship_type": 31,
        "draught": 3.3, "length": 28.0, "width": 11.0, "cargo": 52}
    assert rows[0]["type"] == 18 and rows[0]["imo"] is None  # class B, no IMO


def test_dma_rows():
    stats = Stats()
    rows = list(read_csv(DATA / "dma-aisdk-style-sample.csv", stats=stats))
    assert stats.skipped == {"bad_row": 1}  # the row with MMSI "not-an-mmsi"
    first = rows[0]
    assert first["type"] == 1 and first["time"] == "2022-01-03T00:00:00Z"
    assert (first["lat"], first["lon"], first["speed"], first["course"]) == (
        56.99091, 10.304543, 11.2, 30.2)
    assert (first["status"], first["ship_type"], first["imo"]) == (0, 70, 9123456)
    assert (first["to_bow"], first["to_stern"], first["eta"]) == (120, 20, "2022-01-03T06:30:00Z")
    assert rows[1]["imo"] is None and rows[1]["callsign"] is None and rows[1]["status"] == 5
    assert rows[2]["type"] == 4 and rows[3]["type"] == 18 and rows[3]["ship_type"] == 37
    assert rows[4]["lat"] is None and rows[4]["lon"] is None and rows[4]["heading"] is None
    assert rows[4]["status"] == 7 and rows[5]["type"] == 21


def test_unknown_header_is_refused(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(ValueError):
        list(read_csv(path))
