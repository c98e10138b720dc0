"""gpsd's AIS JSON beside Bastion's decode: the whole translation, field by field.

gpsd writes each message twice in its golden files: scaled (``.js.chk``: degrees, knots, text
for some codes) and unscaled (``.ju.chk`` and the six-bit log: the integers on the air). Every
field gpsd prints falls in exactly one class:

* **compared**: mapped to a Bastion field (same name unless ``NAMES`` says otherwise, or built
  by ``BUILT``) and compared, in the unscaled record through ``RAW`` (raw integer to Bastion's
  unit) and in the scaled one to gpsd's printed precision;
* **rendering**: gpsd's English words for a code that is itself compared (``status_text``);
* **not decoded**: a field of an application message (type 6/8 DAC/FID) Bastion keeps as
  ``data`` only: the list is asserted, so a newly decoded one shows;
* **gpsd does not decode it**: type 26 ``radio`` is printed as 0 but never read
  (driver_ais.c, case 26); Bastion reads it.
"""

from __future__ import annotations

import json
from decimal import Decimal
from math import copysign
from pathlib import Path

RENDERINGS = {"status_text", "epfd_text", "shiptype_text", "aid_type_text", "stationtype_text",
              "racon_text", "light_text", "preciptype_text", "ice_text", "hazard_text",
              "loaded_text"}
GPSD_UNSET = {(26, "radio")}
IGNORED = {"class", "device", "scaled"}  # gpsd's envelope, not message fields

# gpsd name -> Bastion (pyais) name, by message type ("*" for all).
NAMES: dict[int | str, dict[str, str]] = {
    5: {"shiptype": "ship_type"}, 19: {"shiptype": "ship_type", "reserved": "reserved_1",
                                      "regional": "reserved_2"},
    23: {"shiptype": "ship_type", "stationtype": "station_type"},
    24: {"shiptype": "ship_type"}, 18: {"reserved": "reserved_1", "regional": "reserved_2"},
    9: {"regional": "reserved_1"}, 21: {"regional": "reserved_1"},
    6: {"portname": "port_name"},
}
# gpsd's dac 1 fid 16 blob is pyais's target_data (gpsd decodes persons only at 72/136 bits).
BLOB_NAMES = {(8, 1, 16): "target_data"}


def _eta(m: dict) -> str:
    return f"{m['month']:02d}-{m['day']:02d}T{m['hour']:02d}:{m['minute']:02d}Z"


# Fields gpsd prints as one string that Bastion keeps as numbers (gpsd's formats).
BUILT = {
    (4, "timestamp"): lambda m: (f"{m['year']:04d}-{m['month']:02d}-{m['day']:02d}T"
                                 f"{m['hour']:02d}:{m['minute']:02d}:{m['second']:02d}Z"),
    (11, "timestamp"): lambda m: BUILT[(4, "timestamp")](m),
    (5, "eta"): _eta, (6, "arrival"): _eta,
    (8, "timestamp"): lambda m: f"{m['day']:02d}T{m['hour']:02d}:{m['minute']:02d}Z",
}
# gpsd's side of a field read under another edition of M.1371: gpsd prints type 24's vendor
# id as 7 characters (M.1371-3, 42 bits); M.1371-5 splits them into a 3-character
# manufacturer id, a model (4 bits) and a serial (20 bits), which gpsd also prints.
GPSD_SIDE = {(24, "vendorid"): lambda v: v[:3]}


def _turn(raw: int) -> float | None:
    """gpsd's raw ROT to degrees/minute as gpsd prints it scaled (and Bastion gives it)."""
    if raw == -128:
        return None
    return float(raw) if raw in (0, 127, -127) else copysign(round((raw / 4.733) ** 2), raw)


def _per(scale: float):
    return lambda raw: raw / scale


_POS = {"lat": _per(600000), "lon": _per(600000)}
_KNOTS = {"speed": _per(10), "course": _per(10)}
_TENTH_MINUTE = {"lat": _per(600), "lon": _per(600)}
_CORNERS = {k: _per(600) for k in ("ne_lat", "ne_lon", "sw_lat", "sw_lon")}
# Raw (unscaled) integer -> Bastion's unit, by type; identity when not listed.
RAW = {
    1: _POS | _KNOTS | {"turn": _turn}, 2: _POS | _KNOTS | {"turn": _turn},
    3: _POS | _KNOTS | {"turn": _turn}, 4: _POS, 11: _POS, 9: _POS | {"course": _per(10)},
    18: _POS | _KNOTS, 19: _POS | _KNOTS, 21: _POS, 5: {"draught": _per(10)},
    17: _TENTH_MINUTE, 27: _TENTH_MINUTE, 22: _CORNERS, 23: _CORNERS,
    6: {"lat": _per(60000), "lon": _per(60000)},  # IMO236/289: 1/1000 minute
    8: {"lat": _per(60000), "lon": _per(60000)},
}
# Inland AIS (dac 200 fid 10) length and beam in decimetres, draught in centimetres: gpsd
# prints them raw even when scaled; Bastion gives metres.
INLAND = {"length": _per(10), "beam": _per(10), "draught": _per(100)}
# "Not available" as Bastion reports it (None) and gpsd prints it (the value, in Bastion units).
NOT_AVAILABLE = {"lat": {91.0}, "lon": {181.0}, "heading": {511}, "speed": {102.3, 1023, 63},
                 "course": {360.0, 511}, "alt": {4095}, "turn": {None}}
# Types whose length decides how many slots or fields are present (M.1371 tables for 7, 13,
# 15, 16, 20; a truncated IMO message in 6): gpsd prints 0 or "" for what is not there.
# Types 25/26 carry a destination only when addressed and an application id only when
# structured; gpsd prints 0 for the one that is not there, Bastion leaves it out.
OPTIONAL_TYPES = {6, 7, 13, 15, 16, 20, 25, 26}
SLOT_TYPES = OPTIONAL_TYPES - {6}  # the field is left out (type 16, 25, 26) or None


def load_json(path: Path) -> list[dict]:
    return [load_json_line(line) for line in path.open() if line.strip()]


def load_json_line(line: str | bytes) -> dict:
    """One gpsd record; decimals kept as printed, for the printed precision."""
    return json.loads(line, parse_float=Decimal)


def bastion_name(kind: int, record: dict, field: str) -> str:
    if field == "data" and (kind, record.get("dac"), record.get("fid")) in BLOB_NAMES:
        return BLOB_NAMES[(kind, record["dac"], record["fid"])]
    return NAMES.get(kind, {}).get(field, field)


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float, Decimal)):
        return float(value)
    if isinstance(value, str):
        try:
            number = Decimal(value)
        except ArithmeticError:
            return None
        return None if number.is_nan() else float(number)  # "nan" is gpsd's word for -128
    return None


def _same_bits(ours: object, theirs: str) -> bool:
    """gpsd's ``"<bits>:<hex>"`` against Bastion's hex: the same ``bits`` bits. gpsd copies
    whole bytes, so the pad bits of its last byte may hold what follows (type 26: the
    communication state); Bastion pads with zeros."""
    bits, hexdata = theirs.split(":", 1)
    pad = len(hexdata) * 4 - int(bits)
    return (isinstance(ours, str) and len(ours) == len(hexdata)
            and int(ours or "0", 16) >> pad == int(hexdata or "0", 16) >> pad)


def _printed_tolerance(value: object) -> float:
    """Half a unit of the last digit gpsd printed (``53.2949`` -> 0.00005)."""
    text = str(value) if not isinstance(value, str) else value
    decimals = len(text.split(".", 1)[1]) if "." in text else 0
    return 0.5 * 10 ** -decimals + 1e-9


def compared_in_raw(kind: int, field: str, twin: object) -> bool:
    """Whether an unscaled field with a scaled ``twin`` is compared there too: the ones with
    a known raw unit (exact), and codes the scaled record prints as words."""
    return field in RAW.get(kind, {}) or (isinstance(twin, str) and _number(twin) is None
                                          and field != "data")


def agrees(kind: int, record: dict, field: str, ours: object, scaled: bool) -> bool | None:
    """Does Bastion's ``ours`` say what gpsd's ``record[field]`` says? None when this record
    cannot tell (a scaled record's words for a code: the unscaled one has the code)."""
    theirs = record[field]
    if (kind, field) in GPSD_SIDE:
        theirs = GPSD_SIDE[(kind, field)](theirs)
    if isinstance(theirs, str) and field == "data":
        return _same_bits(ours, theirs)
    convert = (INLAND.get(field) if (kind, record.get("dac"), record.get("fid")) == (8, 200, 10)
               else None) or (None if scaled else RAW.get(kind, {}).get(field))
    if scaled and isinstance(theirs, str) and _number(theirs) is None and not isinstance(
            ours, str):
        return None  # "fastleft", "decreasing", "N/A": words for a code
    if convert is not None:
        if ours is None and kind in OPTIONAL_TYPES and theirs == 0:
            return True
        theirs = convert(int(theirs))
        if ours is None or theirs is None:
            return ours is None and (theirs is None or theirs in NOT_AVAILABLE.get(field, ()))
        return abs(float(ours) - theirs) <= 0.5e-6 + 1e-9
    if ours is None:
        number = _number(theirs)
        if number is not None and number in NOT_AVAILABLE.get(field, ()):
            return True
        return kind in OPTIONAL_TYPES and theirs in (0, "")
    if isinstance(ours, str) or isinstance(theirs, str) and _number(theirs) is None:
        return ours == theirs
    if isinstance(ours, float) or isinstance(theirs, Decimal):
        return abs(float(ours) - float(_number(theirs))) <= _printed_tolerance(record[field])
    return int(ours) == int(theirs)


def classify(kind: int, record: dict, ours: dict, field: str) -> str:
    """'rendering', 'unset', 'not_decoded' or 'compared' for gpsd's ``field``."""
    if field in RENDERINGS:
        return "rendering"
    if (kind, field) in GPSD_UNSET:
        return "unset"
    if (kind, field) in BUILT:
        return "compared"
    if bastion_name(kind, record, field) in ours or (
            kind in SLOT_TYPES and record[field] == 0):  # a slot the message does not carry
        return "compared"
    return "not_decoded"


def bastion_value(kind: int, record: dict, ours: dict, field: str) -> object:
    if (kind, field) in BUILT:
        return BUILT[(kind, field)](ours)
    return ours.get(bastion_name(kind, record, field))
