"""Tide stations: harmonic constants and datums from the shipped neaps/TICON-4/NOAA files.

Why normalise on load: the per-station TICON-4 files from neaps' tide-database declare metres
but carry centimetres (Hong Kong M2 = 38.9 where the neaps npm bundle and TICON itself give
0.389 m). Every height we return is in metres, above mean sea level unless a datum is chosen.

Datums are stored as levels in metres relative to MSL (the bundle already is; NOAA files are
relative to the station datum STND, so we subtract their MSL). A height "above datum D" is the
predicted height above MSL minus the level of D.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from bastion.tides.harmonic import Constituent, HarmonicModel

DATA_DIR = Path(__file__).with_name("data")

# No tidal constituent anywhere exceeds ~6 m (M2 in the Bay of Fundy is the largest on Earth,
# about 5.5-6 m), so a largest amplitude above 7 is only possible in centimetres.
MAX_PLAUSIBLE_AMPLITUDE_M = 7.0

# NOAA publishes ranges (GT, MN, DHQ, DLQ) and lunitidal intervals in hours (HWI, LWI) next to
# the datums; only these are water levels.
LEVEL_DATUMS = {"HAT", "MHHW", "MHW", "DTL", "MTL", "MSL", "MLW", "MLLW", "LAT", "STND",
                "NAVD88"}
# US nautical charts are referred to MLLW (NOAA Chart No. 1 / tidal datums page).
NOAA_CHART_DATUM = "MLLW"


class StationError(LookupError):
    """Unknown or ambiguous station."""


class DatumError(ValueError):
    """The station has no such datum and the caller gave no explicit offset."""


def detect_amplitude_unit(amplitudes: Iterable[float]) -> str:
    """Return "cm" when the largest amplitude is physically impossible in metres, else "m"."""
    largest = max((abs(a) for a in amplitudes), default=0.0)
    return "cm" if largest > MAX_PLAUSIBLE_AMPLITUDE_M else "m"


@dataclass(frozen=True)
class Station:
    id: str
    name: str
    latitude: float
    longitude: float
    country: str
    source: str
    source_id: str
    source_url: str
    license: str
    constituents: tuple[Constituent, ...]
    datums: dict[str, float] = field(default_factory=dict)  # metres relative to MSL
    chart_datum: str | None = None
    amplitude_unit_in_file: str = "m"
    timezone: str | None = None
    region: str = ""

    @property
    def country_code(self) -> str | None:
        """ISO 3166 alpha-3 of ``country`` (the files write English names)."""
        return _COUNTRY_CODES.get(self.country) or _lookup_country(self.country)

    @property
    def gauge(self) -> str:
        """The tide gauge a record was analysed from ("340" for both Kaohsiung 340 and 340a:
        UHSLC's fast-delivery and research-quality series of one gauge), else the id."""
        match = _GAUGE.search(self.id)
        return f"{self.country}:{match.group(1)}" if match else self.id

    @property
    def model(self) -> HarmonicModel:
        return HarmonicModel.build(self.constituents)

    def datum_level(self, datum: str = "MSL") -> float:
        """Level of ``datum`` in metres relative to MSL ("CD" means the chart datum)."""
        key = datum.strip().upper()
        if key == "MSL":
            return 0.0
        if key in ("CD", "CHART", "CHART_DATUM"):
            if self.chart_datum is None:
                raise DatumError(f"station {self.id} has no chart datum; give an explicit "
                                 "datum offset (metres MSL lies above your datum)")
            key = self.chart_datum
        if key not in self.datums:
            have = ", ".join(["MSL", *sorted(self.datums)]) if self.datums else "MSL only"
            raise DatumError(f"station {self.id} has no datum {datum!r} ({have}); give an "
                             "explicit datum offset")
        return self.datums[key]

    def heights(self, times: Any, datum: str = "MSL",
                datum_offset: float | None = None) -> np.ndarray:
        """Predicted heights (m) above ``datum``, or above a datum lying ``datum_offset``
        metres below MSL when the caller gives one (it overrides ``datum``)."""
        shift = datum_offset if datum_offset is not None else -self.datum_level(datum)
        return self.model.predict(times) + shift


# Places are filed as Chinese usage has them: the Hong Kong and Macao special administrative
# regions and Taiwan are regions of China. The source files disagree among themselves (TICON-4
# codes Hong Kong "hkg", Macau "prt" with country "Portugal", and Kaohsiung and Keelung once as
# "twn"/"Taiwan" and once as "chn"/"China"), so the region is decided by where the gauge is.
# Boxes (lat min, lat max, lon min, lon max) around each region's coast and islands.
_REGIONS_OF_CHINA = (
    ("Hong Kong", (22.13, 22.57, 113.82, 114.45)),
    ("Macao", (22.10, 22.22, 113.52, 113.61)),
    ("Taiwan", (21.85, 25.35, 119.30, 122.10)),
)
_COUNTRY_CODES = {"China": "CHN", "Vietnam": "VNM", "United States": "USA",
                  "Philippines": "PHL"}
_GAUGE = re.compile(r"-(\d+)[a-z]?-[a-z]{3}-uhslc")


def place(country: str, region: str, lat: float, lon: float) -> tuple[str, str]:
    """(country, region) of a gauge as Bastion files it (see _REGIONS_OF_CHINA)."""
    for name, (lat0, lat1, lon0, lon1) in _REGIONS_OF_CHINA:
        if lat0 <= lat <= lat1 and lon0 <= lon <= lon1:
            return "China", name
    return country, region


def _lookup_country(name: str) -> str | None:
    import pycountry

    try:
        return pycountry.countries.lookup(name).alpha_3
    except LookupError:
        return None


def _slug(text: str) -> str:
    return text.strip().lower().replace("_", "-").replace(" ", "-")


def _display_name(rec: dict[str, Any]) -> str:
    """TICON single-station files carry the raw id as name ("hong_kong-329b-hkg-uhslc_rq")."""
    name = rec["name"]
    if "_" in name and "-" in name:
        place, _, rest = name.partition("-")
        return f"{place.replace('_', ' ').title()} ({rest.split('-')[0]})"
    return name


def parse_record(rec: dict[str, Any], amplitude_unit: str | None = None) -> Station:
    """Build a Station from one neaps-format record, converting amplitudes to metres."""
    raw = rec["harmonic_constituents"]
    unit = amplitude_unit or detect_amplitude_unit(c["amplitude"] for c in raw)
    if unit not in ("m", "cm"):
        raise ValueError(f"amplitude unit must be 'm' or 'cm', not {unit!r}")
    scale = 0.01 if unit == "cm" else 1.0
    cons = tuple(
        Constituent(c["name"], c["amplitude"] * scale,
                    float(c["phase_UTC"] if "phase_UTC" in c else c["phase"]) % 360.0)
        for c in raw)
    src = rec.get("source", {})
    lic = rec.get("license", {})
    is_noaa = "National Oceanic" in src.get("name", "")
    datums: dict[str, float] = {}
    raw_datums = {k: v for k, v in rec.get("datums", {}).items() if k in LEVEL_DATUMS}
    if raw_datums:
        msl = raw_datums.get("MSL", 0.0)
        datums = {k: round(float(v) - msl, 4) for k, v in raw_datums.items() if k != "MSL"}
    chart = rec.get("chart_datum") or (NOAA_CHART_DATUM if is_noaa and datums else None)
    sid = rec.get("id") or _slug(src.get("id", rec["name"]))
    lat, lon = float(rec["latitude"]), float(rec["longitude"])
    country, region = place(rec.get("country", ""), rec.get("region") or "", lat, lon)
    return Station(
        id=_slug(sid), name=_display_name(rec), latitude=lat,
        longitude=lon, country=country, region=region,
        source=src.get("name", ""), source_id=str(src.get("id", "")),
        source_url=src.get("url", ""), license=lic.get("type") or lic.get("name", ""),
        constituents=cons, datums=datums, chart_datum=chart,
        amplitude_unit_in_file=unit, timezone=rec.get("timezone"))


def load_file(path: Path | str, amplitude_unit: str | None = None) -> list[Station]:
    """Stations in a neaps JSON file (one record or a list of records)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    records = data if isinstance(data, list) else [data]
    return [parse_record(r, amplitude_unit) for r in records]


@lru_cache(maxsize=1)
def registry() -> dict[str, Station]:
    """All shipped stations by id; the bundle (with datums) wins over single-station files."""
    out: dict[str, Station] = {}
    files = sorted(DATA_DIR.glob("*.json"), key=lambda p: p.name != "south-china-sea-stations.json")
    for path in files:
        for st in load_file(path):
            out.setdefault(st.id, st)
    return out


def list_stations() -> list[Station]:
    return sorted(registry().values(), key=lambda s: (s.country, s.region, s.name, s.id))


def grouped_stations() -> list[tuple[str, str, list[Station]]]:
    """The stations by (country, region), one entry per gauge: the research-quality record
    where a gauge has several (the others stay reachable by id). For a station picker."""
    best: dict[str, Station] = {}
    for st in list_stations():
        kept = best.get(st.gauge)
        # "rq" (research quality) series are checked; prefer them, then the record with datums.
        rank = (st.id.endswith("-rq"), bool(st.datums))
        if kept is None or rank > (kept.id.endswith("-rq"), bool(kept.datums)):
            best[st.gauge] = st
    groups: dict[tuple[str, str], list[Station]] = {}
    for st in sorted(best.values(), key=lambda s: (s.country, s.region, s.name, s.id)):
        groups.setdefault((st.country, st.region), []).append(st)
    return [(country, region, items) for (country, region), items in groups.items()]


def get_station(key: str) -> Station:
    """Find a station by id, source id (e.g. NOAA 8518750) or unique case-insensitive name."""
    reg = registry()
    slug = _slug(key)
    if slug in reg:
        return reg[slug]
    hits = [s for s in reg.values() if _slug(s.source_id) == slug or _slug(s.name) == slug]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise StationError(f"station {key!r} is ambiguous: " + ", ".join(s.id for s in hits))
    raise StationError(f"unknown station {key!r}; run 'bastion tides stations' for the list")
