"""The ``tides`` typer sub-app through typer's CliRunner: CSV output and usage errors."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import numpy as np
import pytest
from typer.testing import CliRunner

from bastion.tides.cli import app
from bastion.tides.stations import get_station
from bastion.tides.windows import UKCPolicy, tide_windows

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200", "TERMINAL_WIDTH": "200"})


def flat(text: str) -> str:
    """Error panels wrap and box their text; compare on single-spaced words."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def test_predict_prints_csv_heights_above_msl():
    res = run("predict", "--station", "zhapo", "--start", "2024-03-01T00:00",
              "--end", "2024-03-01T06:00", "--step", "30m")
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len(rows) == 13
    assert rows[0]["time"] == "2024-03-01T00:00:00Z" and rows[-1]["time"] == "2024-03-01T06:00:00Z"
    times = np.datetime64("2024-03-01") + np.arange(13) * np.timedelta64(30, "m")
    expected = get_station("zhapo").heights(times)
    assert [float(r["height_m"]) for r in rows] == pytest.approx(expected, abs=6e-4)


def test_predict_with_datum_and_timezone_offset():
    res = run("predict", "--station", "zhapo", "--start", "2024-03-01T08:00+08:00",
              "--end", "2024-03-01T09:00+08:00", "--step", "1h", "--datum", "LAT")
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert rows[0]["time"] == "2024-03-01T00:00:00Z"
    msl = get_station("zhapo").heights(np.datetime64("2024-03-01T00:00"))[0]
    assert float(rows[0]["height_m"]) == pytest.approx(msl + 1.899, abs=6e-4)


def test_windows_matches_the_library():
    res = run("windows", "--station", "zhapo", "--start", "2024-03-01", "--end", "2024-03-04",
              "--depth", "8", "--draught", "9", "--ukc", "0.5", "--ukc-percent", "10")
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    utc = UTC
    lib = tide_windows(get_station("zhapo"), datetime(2024, 3, 1, tzinfo=utc),
                       datetime(2024, 3, 4, tzinfo=utc), depth_m=8, draught_m=9,
                       ukc=UKCPolicy(0.5, 10))
    assert len(rows) == len(lib) > 0
    for row, w in zip(rows, lib):
        start = datetime.fromisoformat(row["start"])
        assert abs((start - w.start).total_seconds()) < 1


def test_windows_min_duration_and_datum_offset_for_station_without_chart_datum():
    base = ["windows", "--station", "hong-kong-329b-hkg-uhslc-rq", "--start", "2024-03-01",
            "--end", "2024-03-03", "--depth", "10", "--draught", "11", "--ukc", "0.5",
            "--datum-offset", "1.4"]
    every = list(csv.DictReader(io.StringIO(run(*base).stdout)))
    long_only = list(csv.DictReader(io.StringIO(run(*base, "--min-duration", "6h").stdout)))
    assert len(every) > len(long_only) >= 1


def test_stations_lists_ids_sources_and_datums():
    res = run("stations")
    assert res.exit_code == 0
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(res.stdout))}
    assert len(rows) == 19
    assert rows["zhapo-635a-chn-uhslc-rq"]["chart_datum"] == "LAT"
    assert "LAT=-1.899" in rows["zhapo-635a-chn-uhslc-rq"]["datums"]
    assert rows["us-ny-new-york-the-battery"]["license"] == "public domain"


@pytest.mark.parametrize("args, option, problem", [
    (["predict", "--station", "atlantis", "--start", "2024-03-01", "--end", "2024-03-02"],
     "--station", "unknown station 'atlantis'"),
    (["predict", "--station", "zhapo", "--start", "yesterday", "--end", "2024-03-02"],
     "--start", "'yesterday' is not an ISO-8601 time"),
    (["predict", "--station", "zhapo", "--start", "2024-03-02", "--end", "2024-03-01"],
     "--end", "is not after --start"),
    (["predict", "--station", "zhapo", "--start", "2024-03-01", "--end", "2024-03-02",
      "--step", "ten"], "--step", "'ten' is not a duration"),
    (["predict", "--station", "zhapo", "--start", "2024-03-01", "--end", "2024-03-02",
      "--datum", "NAVD88"], "--datum", "has no datum 'NAVD88'"),
    (["windows", "--station", "zhapo", "--start", "2024-03-01", "--end", "2024-03-02",
      "--depth", "8", "--draught", "0", "--ukc", "0.5"], "--draught", "not a positive draught"),
    (["windows", "--station", "zhapo", "--start", "2024-03-01", "--end", "2024-03-02",
      "--depth", "8", "--draught", "9", "--ukc", "-1"], "--ukc", "is negative"),
    (["windows", "--station", "hong-kong-329b-hkg-uhslc-rq", "--start", "2024-03-01",
      "--end", "2024-03-02", "--depth", "8", "--draught", "9", "--ukc", "0.5"],
     "--datum-offset", "has no chart datum"),
    (["windows", "--station", "zhapo", "--start", "2024-03-01", "--end", "2024-03-02",
      "--depth", "eight", "--draught", "9", "--ukc", "0.5"], "--depth", "valid number"),
])
def test_bad_input_is_a_usage_error_naming_the_option(args, option, problem):
    res = run(*args)
    assert res.exit_code == 2
    text = flat(res.output)
    assert option in text and problem in text, text
    assert "Traceback" not in res.output
