"""Station registry: unit normalisation, datums, lookup, and datum consistency with the data."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bastion.tides.stations import (
    DATA_DIR,
    DatumError,
    StationError,
    detect_amplitude_unit,
    get_station,
    list_stations,
    load_file,
)
from tests.tides.conftest import DATA

T = np.datetime64("2024-03-01") + np.arange(0, 48 * 60, 10).astype("timedelta64[m]")


def test_ticon_single_station_file_is_centimetres_and_converted():
    """tests/data/tides/zhapo-635a-...json (neaps per-station TICON-4 file) says metres but
    carries cm; after loading it equals the bundle's metres record of the same station."""
    [raw] = load_file(DATA / "zhapo-635a-chn-uhslc-rq.json")
    assert raw.amplitude_unit_in_file == "cm"
    bundle = get_station("zhapo-635a-chn-uhslc-rq")
    assert bundle.amplitude_unit_in_file == "m"
    assert raw.id == bundle.id
    ours = {c.name: c for c in raw.constituents}
    for c in bundle.constituents:
        assert ours[c.name].amplitude == pytest.approx(c.amplitude, abs=1e-9)
        assert (ours[c.name].phase - c.phase + 180) % 360 - 180 == pytest.approx(0, abs=1e-6)
    m2 = ours["M2"].amplitude
    assert 0.6 < m2 < 0.7  # 64.83 in the file
    assert np.allclose(raw.heights(T), bundle.heights(T), atol=1e-9)


def test_shipped_hong_kong_329b_is_in_metres():
    st = get_station("hong-kong-329b-hkg-uhslc-rq")
    assert st.amplitude_unit_in_file == "cm"
    m2 = next(c for c in st.constituents if c.name == "M2")
    assert m2.amplitude == pytest.approx(0.38936133)
    # Same gauge as the 329/329a analyses, which the bundle gives in metres.
    m2_329 = next(c for c in get_station("hong-kong-329-hkg-uhslc-fd").constituents
                  if c.name == "M2")
    assert m2.amplitude == pytest.approx(m2_329.amplitude, rel=0.02)


def test_detect_amplitude_unit_and_override():
    assert detect_amplitude_unit([0.67, 0.15, 0.1]) == "m"
    assert detect_amplitude_unit([38.9, 15.5, 35.9]) == "cm"
    rec = json.loads((DATA / "zhapo-635a-chn-uhslc-rq.json").read_text())
    rec["harmonic_constituents"] = [dict(c, amplitude=c["amplitude"] / 100)
                                    for c in rec["harmonic_constituents"]]
    from bastion.tides.stations import parse_record
    assert parse_record(rec).amplitude_unit_in_file == "m"
    forced = parse_record(rec, amplitude_unit="cm")
    assert forced.constituents[0].amplitude == pytest.approx(rec["harmonic_constituents"][0]
                                                             ["amplitude"] / 100)


def test_registry_lists_all_shipped_stations_once():
    stations = list_stations()
    ids = [s.id for s in stations]
    assert len(ids) == len(set(ids)) == 19  # 16 bundle + Hong Kong 329b + 2 NOAA
    for s in stations:
        assert s.license in ("cc-by-4.0", "public domain")
        assert -90 <= s.latitude <= 90 and -180 <= s.longitude <= 180
    scs = [s for s in stations if s.source == "TICON-4" and s.datums]
    assert len(scs) == 16 and all(100 <= s.longitude <= 122 and 15 <= s.latitude <= 26
                                  for s in scs)


def test_lookup_by_id_noaa_number_and_unique_name():
    assert get_station("8518750").id == "us-ny-new-york-the-battery"
    assert get_station("Zhapo").id == "zhapo-635a-chn-uhslc-rq"
    assert get_station("zhapo_635a_chn_uhslc_rq").id == "zhapo-635a-chn-uhslc-rq"
    with pytest.raises(StationError, match="ambiguous"):
        get_station("Hong Kong")
    with pytest.raises(StationError, match="unknown"):
        get_station("atlantis")


def test_datums_relative_to_msl_and_chart_datum():
    zhapo = get_station("zhapo")
    assert zhapo.chart_datum == "LAT"
    assert zhapo.datum_level("LAT") == pytest.approx(-1.899)
    assert zhapo.datum_level("CD") == zhapo.datum_level("LAT")
    msl = zhapo.heights(T)
    assert np.allclose(zhapo.heights(T, datum="LAT"), msl + 1.899)
    assert np.allclose(zhapo.heights(T, datum="CD"), msl + 1.899)
    assert np.allclose(zhapo.heights(T, datum="LAT", datum_offset=2.5), msl + 2.5)
    # NOAA datums are given above the station datum; we re-reference them to MSL.
    ny = get_station("8518750")
    assert ny.chart_datum == "MLLW"
    assert ny.datum_level("MLLW") == pytest.approx(1.002 - 1.785)
    assert "GT" not in ny.datums and "HWI" not in ny.datums  # ranges/intervals, not levels
    assert np.allclose(ny.heights(T, datum="CD"), ny.heights(T) + 0.783)


def test_station_without_datums_needs_an_explicit_offset():
    hk = get_station("hong-kong-329b-hkg-uhslc-rq")
    with pytest.raises(DatumError, match="chart datum"):
        hk.heights(T, datum="CD")
    with pytest.raises(DatumError, match="LAT"):
        hk.datum_level("LAT")
    assert np.allclose(hk.heights(T, datum_offset=1.4), hk.heights(T) + 1.4)


@pytest.mark.parametrize("key, tol_low, tol_high", [
    ("8518750", 0.03, 0.03), ("9414290", 0.03, 0.03), ("zhapo", 0.06, None),
])
def test_19_year_extremes_reproduce_published_lat_and_hat(key, tol_low, tol_high):
    """LAT/HAT are the extremes of the predicted tide over a nodal cycle; NOAA computed theirs
    from NOAA predictions, neaps computed Zhapo's from TICON-4. Ours land within a few cm."""
    st = get_station(key)
    t = np.arange(np.datetime64("2020-01-01"), np.datetime64("2039-01-01"),
                  np.timedelta64(30, "m"))
    h = st.heights(t)
    assert h.min() == pytest.approx(st.datums["LAT"], abs=tol_low)
    if tol_high is not None:
        assert h.max() == pytest.approx(st.datums["HAT"], abs=tol_high)


def test_licenses_file_names_every_shipped_record():
    text = (DATA_DIR / "LICENSES.md").read_text()
    for s in list_stations():
        assert s.source_id in text, s.id
