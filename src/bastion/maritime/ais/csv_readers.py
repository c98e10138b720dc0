"""Already-decoded AIS history as CSV: MarineCadastre (US) and the Danish Maritime Authority.

Both publish one row per position with the vessel's static data repeated. Rows come out as the
same dicts the NMEA pipeline yields (pyais field names, degrees, ``None`` for unavailable), so
tracks and detectors need not know where history came from. A row that cannot be read is
counted in ``stats.skipped`` and skipped, like a bad NMEA line.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from bastion.maritime.ais.pipeline import Stats

MARINECADASTRE_HEADER = ("MMSI", "BaseDateTime", "LAT", "LON", "SOG", "COG", "Heading")
DMA_HEADER = ("# Timestamp", "Type of mobile", "MMSI", "Latitude", "Longitude")

# DMA "Type of mobile" -> the AIS message type that carries such a station's position.
_DMA_TYPE = {"class a": 1, "class b": 18, "base station": 4, "aton": 21, "sar airborne": 9}
# DMA writes the ITU-R M.1371 navigational status texts (lower-cased prefixes are enough).
_DMA_STATUS = (
    ("under way using engine", 0), ("at anchor", 1), ("not under command", 2),
    ("restricted", 3), ("constrained", 4), ("moored", 5), ("aground", 6),
    ("engaged in fishing", 7), ("under way sailing", 8), ("reserved for future amendment [hsc]", 9),
    ("reserved for future amendment [wig]", 10), ("power-driven vessel towing astern", 11),
    ("power-driven vessel pushing", 12), ("ais-sart", 14), ("unknown", 15),
)
# DMA ship type texts -> ITU-R M.1371 table 53 codes. Categories spanning ten codes (cargo
# 70-79, ...) map to the category's "all ships of this type" code.
_DMA_SHIP_TYPE = {
    "wig": 20, "fishing": 30, "towing": 31, "towing long/wide": 32, "dredging": 33,
    "diving": 34, "military": 35, "sailing": 36, "pleasure": 37, "hsc": 40, "pilot": 50,
    "sar": 51, "tug": 52, "port tender": 53, "anti-pollution": 54, "law enforcement": 55,
    "medical": 58, "passenger": 60, "cargo": 70, "tanker": 80, "other": 90,
}
_UNKNOWN = {"", "unknown", "undefined", "unknown value"}


def _open_text(path: Path) -> io.TextIOBase:
    with path.open("rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    if gzipped:
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return path.open(encoding="utf-8", newline="")


def _num(text: str, unavailable: float | None = None) -> float | None:
    if not text or text.lower() in _UNKNOWN:
        return None
    value = float(text)
    return None if value == unavailable else value


def _int(text: str, unavailable: int | None = None) -> int | None:
    value = _num(text)
    return None if value is None or value == unavailable else int(value)


def _text(text: str) -> str | None:
    text = text.strip()
    return None if text.lower() in _UNKNOWN else text


def _position(lat: float | None, lon: float | None) -> tuple[float | None, float | None]:
    # 91 / 181 are AIS "not available" (M.1371); feeds copy them into CSV unchanged.
    return (None if lat is None or lat == 91 else lat, None if lon is None or lon == 181 else lon)


def _marinecadastre(row: dict) -> dict:
    lat, lon = _position(_num(row["LAT"]), _num(row["LON"]))
    imo = (row.get("IMO") or "").removeprefix("IMO")
    return {
        "type": 18 if row.get("TransceiverClass") == "B" else 1,
        "mmsi": int(row["MMSI"]),
        "time": datetime.fromisoformat(row["BaseDateTime"]).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "lat": lat, "lon": lon,
        "speed": _num(row["SOG"], 102.3), "course": _num(row["COG"], 360.0),
        "heading": _int(row["Heading"], 511), "status": _int(row.get("Status", "")),
        "shipname": _text(row.get("VesselName", "")), "callsign": _text(row.get("CallSign", "")),
        "imo": _int(imo), "ship_type": _int(row.get("VesselType", "")),
        "draught": _num(row.get("Draft", "")), "length": _num(row.get("Length", "")),
        "width": _num(row.get("Width", "")), "cargo": _int(row.get("Cargo", "")),
    }


def _dma_time(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    return datetime.strptime(text, "%d/%m/%Y %H:%M:%S").replace(tzinfo=UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def _dma_status(text: str) -> int | None:
    text = text.strip().lower()
    for prefix, code in _DMA_STATUS:
        if text.startswith(prefix):
            return code
    return None


def _dma(row: dict) -> dict:
    lat, lon = _position(_num(row["Latitude"]), _num(row["Longitude"]))
    ship_type = (row.get("Ship type") or "").strip().lower()
    return {
        "type": _DMA_TYPE.get(row["Type of mobile"].strip().lower()),
        "mmsi": int(row["MMSI"]),
        "time": _dma_time(row["# Timestamp"]),
        "lat": lat, "lon": lon,
        "speed": _num(row.get("SOG", "")), "course": _num(row.get("COG", "")),
        "heading": _int(row.get("Heading", ""), 511), "turn": _num(row.get("ROT", "")),
        "status": _dma_status(row.get("Navigational status", "")),
        "shipname": _text(row.get("Name", "")), "callsign": _text(row.get("Callsign", "")),
        "imo": _int(row.get("IMO", "")), "ship_type": _DMA_SHIP_TYPE.get(ship_type),
        "ship_type_text": _text(row.get("Ship type", "")),
        "draught": _num(row.get("Draught", "")), "destination": _text(row.get("Destination", "")),
        "eta": _dma_time(row.get("ETA", "")),
        "length": _num(row.get("Length", "")), "width": _num(row.get("Width", "")),
        "to_bow": _int(row.get("A", "")), "to_stern": _int(row.get("B", "")),
        "to_port": _int(row.get("C", "")), "to_starboard": _int(row.get("D", "")),
    }


def read_csv(path: str | Path, *, stats: Stats | None = None) -> Iterator[dict]:
    """Rows of a MarineCadastre or DMA CSV (told apart by the header) as message dicts."""
    stats = stats if stats is not None else Stats()
    with _open_text(Path(path)) as handle:
        reader = csv.DictReader(handle)
        header = tuple(reader.fieldnames or ())
        if header[:len(MARINECADASTRE_HEADER)] == MARINECADASTRE_HEADER:
            convert = _marinecadastre
        elif header[:len(DMA_HEADER)] == DMA_HEADER:
            convert = _dma
        else:
            raise ValueError(f"{path}: neither a MarineCadastre nor a DMA AIS header: {header[:5]}")
        for row in reader:
            stats.lines += 1
            try:
                message = convert(row)
            except (ValueError, TypeError, KeyError, AttributeError):
                stats.skipped["bad_row"] += 1
                continue
            stats.messages += 1
            yield message
