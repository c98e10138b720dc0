"""AIS payload to a plain dict: pyais field names, degrees, plain ints, ``None`` for "not available".

Every message type goes through pyais's layouts (``decode_generic``), with the departures from
ITU-R M.1371 that gpsd's golden logs showed put right in ``conventions.py``. Position reports of types 1, 2, 3,
18 and 27 are four in five messages on a live feed (AISHub sample: 70,900 of 82,744), so they
have a shift-and-mask path of their own that builds the dict directly instead of a pyais object
and then a dict from it. ``tests/maritime/ais/test_fast_path.py`` proves both paths agree on
every message of the sample files; ``bench/ais_throughput.py --no-fast-path`` shows the gain.
"""

from __future__ import annotations

import enum
from binascii import Error as Base64Error
from binascii import a2b_base64
from math import copysign

from pyais.bit_vector import bit_vector
from pyais.messages import MSG_CLASS

from bastion.maritime.ais.conventions import binary_message, pyais_message, repair
from bastion.maritime.ais.plans import run_plan

BAD_PAYLOAD = "bad_payload"
UNSUPPORTED_TYPE = "unsupported_type"

# Six-bit armouring (ITU-R M.1371 Annex 8 / IEC 61162-1): '0'..'W' and '`'..'w' carry 0..63.
_VALID = bytes(range(48, 88)) + bytes(range(96, 120))
_B64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_ARMOR_TO_B64 = bytes(
    _B64[(c - 56 if c >= 96 else c - 48)] if c in _VALID else 65 for c in range(256))
_FIRST_TYPE = {c: (c - 56 if c >= 96 else c - 48) for c in _VALID}

# "Not available" sentinels, ITU-R M.1371-5 Annex 2 tables 45-50 and the type 27 table.
_NA_KNOTS = {1: 102.3, 2: 102.3, 3: 102.3, 18: 102.3, 19: 102.3, 9: 1023, 27: 63.0}
_NA_COURSE = {1: 360.0, 2: 360.0, 3: 360.0, 18: 360.0, 19: 360.0, 9: 360.0, 27: 511.0}
_TURN_NA = -128  # ROT field 0x80


def _turn(raw: int) -> float | None:
    """ROT field to degrees/minute as pyais's ``to_turn`` (ROT_AIS = 4.733 sqrt(ROT), M.1371).

    +-127 (turning, no turn indicator) stay +-127.0; -128 (no information) is None.
    """
    if not raw:
        return 0.0
    if raw == 127 or raw == -127:
        return float(raw)
    if raw == _TURN_NA:
        return None
    return copysign(round((raw / 4.733) ** 2), raw)


def _signed(value: int, bits: int) -> int:
    return value - (1 << bits) if value >> (bits - 1) else value


def normalise(raw: dict) -> dict | str:
    """A pyais ``asdict(enum_as_int=True)`` dict to Bastion's shape (mutates and returns it)."""
    kind = raw.pop("msg_type")
    if not kind or raw.get("mmsi") is None:
        return BAD_PAYLOAD
    out = {"type": kind, "mmsi": raw.pop("mmsi"), "time": None}
    for key, value in raw.items():
        if type(value) not in (int, float, str, bool) and value is not None:
            if isinstance(value, enum.Enum):
                value = value.value
            elif isinstance(value, bytes):
                value = value.hex()
        out[key] = value
    if kind == 17 and out.get("lon") is not None and out.get("lat") is not None:
        # pyais leaves type 17 in unsigned 1/10 minutes; the field is signed (gpsd AIVDM).
        out["lon"] = _signed(round(out["lon"] * 10), 18) / 600.0
        out["lat"] = _signed(round(out["lat"] * 10), 17) / 600.0
    if kind == 22 or kind == 23:
        # pyais gives the corners in minutes (1/10 minute / 10); Bastion speaks degrees.
        for key in ("ne_lon", "ne_lat", "sw_lon", "sw_lat"):
            if out.get(key) is not None:
                out[key] = round(out[key] * 10) / 600.0
    if "turn" in out and out["turn"] is not None:
        turn = out["turn"]
        out["turn"] = None if turn == _TURN_NA else float(turn)
    if out.get("lat") == 91.0:
        out["lat"] = None
    if out.get("lon") == 181.0:
        out["lon"] = None
    if out.get("heading") == 511:
        out["heading"] = None
    if kind in _NA_KNOTS and out.get("speed") == _NA_KNOTS[kind]:
        out["speed"] = None
    if kind in _NA_COURSE and out.get("course") == _NA_COURSE[kind]:
        out["course"] = None
    if kind == 9 and out.get("alt") == 4095:
        out["alt"] = None
    return out


def decode_generic(payload: bytes, fill: int, planned: bool = True) -> dict | str:
    """Decode any type with pyais's layouts; a reason string when the payload is not a message.

    ``planned=False`` builds pyais's message objects (``Payload.from_vector``) for every type:
    the reference the faster paths are tested against.
    """
    if not payload or payload.translate(None, _VALID):
        return BAD_PAYLOAD
    kind = _FIRST_TYPE[payload[0]]
    cls = MSG_CLASS.get(kind)
    if cls is None or kind == 0:
        return UNSUPPORTED_TYPE
    try:
        value, length = _bits_with_length(payload, fill)
        if kind == 25 or kind == 26:
            raw = binary_message(kind, value, length)
            if raw is None:
                return BAD_PAYLOAD
        else:
            raw = run_plan(kind, value, length) if planned else None
            if raw is None:
                message = pyais_message(kind, cls, bit_vector(payload, fill), length)
                raw = repair(type(message), message.asdict(enum_as_int=True), value, length)
    except Exception:  # noqa: BLE001 - pyais raises many kinds on truncated or odd payloads
        return BAD_PAYLOAD
    return normalise(raw)


def _bits(payload: bytes) -> int:
    return int.from_bytes(a2b_base64(payload.translate(_ARMOR_TO_B64)), "big")


def _bits_with_length(payload: bytes, fill: int) -> tuple[int, int]:
    """The payload as one integer without its fill bits, and its length in bits."""
    extra = -len(payload) % 4  # base64 needs whole 4-character groups: pad with 'A' (zeros)
    value = int.from_bytes(a2b_base64(payload.translate(_ARMOR_TO_B64) + b"A" * extra), "big")
    return value >> (6 * extra + fill), len(payload) * 6 - fill


def _class_a(v: int, kind: int) -> dict:
    # Bit offsets from the top of the 168-bit type 1/2/3 report (gpsd AIVDM, table 6).
    lon = (v >> 79) & 0xFFFFFFF
    lat = (v >> 52) & 0x7FFFFFF
    speed = (v >> 108) & 1023
    course = (v >> 40) & 4095
    heading = (v >> 31) & 511
    rot = (v >> 118) & 255
    return {
        "type": kind, "mmsi": (v >> 130) & 0x3FFFFFFF, "time": None,
        "repeat": (v >> 160) & 3, "status": (v >> 126) & 15,
        "turn": _turn(rot - 256 if rot > 127 else rot),
        "speed": None if speed == 1023 else speed / 10.0,
        "accuracy": bool((v >> 107) & 1),
        # +-180 deg in 1/10000 min; ((10 n + 3) // 6) / 1e6 is pyais's exact round(n / 600000, 6)
        "lon": None if lon == 108600000 else
        ((10 * (lon - 0x10000000 if lon & 0x8000000 else lon) + 3) // 6) / 1e6,
        "lat": None if lat == 54600000 else
        ((10 * (lat - 0x8000000 if lat & 0x4000000 else lat) + 3) // 6) / 1e6,
        "course": None if course == 3600 else course / 10.0,
        "heading": None if heading == 511 else heading,
        "second": (v >> 25) & 63, "maneuver": (v >> 23) & 3,
        "raim": bool((v >> 19) & 1), "radio": v & 0x7FFFF,
    }


def _class_b(v: int) -> dict:
    # Type 18, 168 bits (gpsd AIVDM, table "Standard Class B CS Position Report").
    lon = (v >> 83) & 0xFFFFFFF
    lat = (v >> 56) & 0x7FFFFFF
    speed = (v >> 112) & 1023
    course = (v >> 44) & 4095
    heading = (v >> 35) & 511
    return {
        "type": 18, "mmsi": (v >> 130) & 0x3FFFFFFF, "time": None,
        "repeat": (v >> 160) & 3, "reserved_1": (v >> 122) & 255,
        "speed": None if speed == 1023 else speed / 10.0,
        "accuracy": bool((v >> 111) & 1),
        "lon": None if lon == 108600000 else
        ((10 * (lon - 0x10000000 if lon & 0x8000000 else lon) + 3) // 6) / 1e6,
        "lat": None if lat == 54600000 else
        ((10 * (lat - 0x8000000 if lat & 0x4000000 else lat) + 3) // 6) / 1e6,
        "course": None if course == 3600 else course / 10.0,
        "heading": None if heading == 511 else heading,
        "second": (v >> 29) & 63, "reserved_2": (v >> 27) & 3,
        "cs": bool((v >> 26) & 1), "display": bool((v >> 25) & 1), "dsc": bool((v >> 24) & 1),
        "band": bool((v >> 23) & 1), "msg22": bool((v >> 22) & 1),
        "assigned": bool((v >> 21) & 1), "raim": bool((v >> 20) & 1), "radio": v & 0xFFFFF,
    }


def _long_range(v: int) -> dict:
    # Type 27, 96 bits; position in 1/10 minute (gpsd AIVDM, "Long Range AIS Broadcast").
    lon = (v >> 34) & 0x3FFFF
    lat = (v >> 17) & 0x1FFFF
    speed = (v >> 11) & 63
    course = (v >> 2) & 511
    return {
        "type": 27, "mmsi": (v >> 58) & 0x3FFFFFFF, "time": None,
        "repeat": (v >> 88) & 3, "accuracy": bool((v >> 57) & 1), "raim": bool((v >> 56) & 1),
        "status": (v >> 52) & 15,
        "lon": None if lon == 108600 else
        ((10000 * (lon - 0x40000 if lon & 0x20000 else lon) + 3) // 6) / 1e6,
        "lat": None if lat == 54600 else
        ((10000 * (lat - 0x20000 if lat & 0x10000 else lat) + 3) // 6) / 1e6,
        "speed": None if speed == 63 else float(speed),
        "course": None if course == 511 else float(course),
        "gnss": bool((v >> 1) & 1),
    }


def decode_payload(payload: bytes, fill: int) -> dict | str:
    """Decode one whole payload, through the fast path when the shape is the standard one."""
    n = len(payload)
    if fill == 0 and (n == 28 or n == 16) and not payload.translate(None, _VALID):
        first = payload[0]
        try:
            if n == 28:
                if 49 <= first <= 51:  # '1', '2', '3'
                    return _class_a(_bits(payload), first - 48)
                if first == 66:  # 'B' = 18
                    return _class_b(_bits(payload))
            elif first == 75:  # 'K' = 27
                return _long_range(_bits(payload))
        except Base64Error:  # unreachable: every byte maps into the alphabet
            return BAD_PAYLOAD
    return decode_generic(payload, fill)
