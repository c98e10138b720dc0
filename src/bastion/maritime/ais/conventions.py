"""Where pyais departs from ITU-R M.1371 (and from gpsd), read the field again from the bits.

gpsd's golden logs (``tests/maritime/ais/test_golden_gpsd.py``, every field of every message)
showed these departures; each is fixed here, once, for both the planned and the pyais path:

* **Six-bit text** ends at the first ``@``, and trailing spaces are padding (M.1371 Annex 8
  table 47: ``@`` is "not available", unused characters at the end are ``@``; gpsd
  ``from_sixbit``). pyais only stripped ``@`` at the end, so ``IBC G BUOY@?????????`` kept its
  garbage and a call sign ``@@K780A`` was given as such; it is "not available" (``""``), as in
  gpsd: in AISHub's 3 minutes the text after leading ``@`` is as often a torn remnant
  (``@@@@@@@@@C``, ``@@@@@ASTOWN NEVIS``) as a plausible word. One choice is ours, not gpsd's
  (none of its golden messages has the case): leading spaces are dropped, as pyais dropped
  them (gpsd keeps them; 47 texts in those 3 minutes begin with one: 27 destinations, 11
  names, 8 call signs, which would otherwise differ from the same text typed without it).
* **Codes** are kept as sent: pyais maps a code it has no name for to a default (ship type 38,
  "reserved", became 0 "not available"; EPFD 14 became 0).
* **An MMSI cut by the end of the payload** (a type 7 of 128 bits has 24 of the third MMSI's
  30 bits): the bits present are its most significant ones, as gpsd, noaadata and the Maritec
  decoder read them; pyais right-aligned them (836359488 read as 13068117). Other cut fields
  keep pyais's reading, which is gpsd's too (a 163-bit type 1's radio: ``UBITS(149, bitlen -
  149)`` in gpsd's driver_ais.c).
* **Type 21**: the name extension continues the 20-character name (M.1371 table 74: "combined
  with the parameter Name ... at the end"); pyais stripped the space that ends the first part
  (``FORT PIERCE INLET LB`` + `` 6`` became ``...LB6``). ``name`` is the whole name, as in gpsd.
* **Types 25 and 26** are decoded here: pyais gives an unstructured addressed type 26 an
  application id and reads its 20-bit communication state as data.
* **Types 6 and 8**: an application layout is not used for a payload more than 64 bits
  (8 bytes) longer than it: that is another message with the same DAC/FID, given as ``dac``,
  ``fid`` and ``data`` (gpsd: an Inland static report must be 168 bits; the 368-bit one in its
  sample has "garbage in the shiptype, vin"). Shorter excesses are padding: gpsd's own sample
  has IMO289 weather reports 10 and 18 bits longer than the layout, AISHub's has IMO236 ones
  48 bits longer, with plausible positions and readings.
"""

from __future__ import annotations

import enum
from binascii import b2a_base64
from functools import cache

from pyais.messages import STR, MessageType6Default, MessageType8Default, Payload, from_mmsi

_B64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
# Six-bit AIS text (ITU-R M.1371 table 47): values 0-31 are '@', 'A'..'_', 32-63 are ' '..'?'.
_B64_TO_TEXT = bytes.maketrans(_B64, bytes(v + 64 if v < 32 else v for v in range(64)))
_TEXT, _CODE, _CUT = 0, 1, 2
_DEFAULT = {6: MessageType6Default, 8: MessageType8Default}
_MAX_EXCESS = 64  # bits beyond an application layout still taken as padding (see above)
_TYPE21_NAME_END = 163  # 20 characters from bit 43; the extension starts at bit 272


def text(value: int, width: int) -> str:
    """``width`` bits (whole characters) of six-bit text, without its padding (see above).

    One base64 round trip in C instead of one shift per character.
    """
    raw = _armoured(value, width)
    cut = raw.find(b"@")
    return (raw if cut < 0 else raw[:cut]).strip(b" ").decode("ascii")


def _armoured(value: int, width: int) -> bytes:
    pad = -width % 24  # base64 works on 24-bit groups
    raw = b2a_base64((value << pad).to_bytes((width + pad) >> 3, "big"), newline=False)
    return raw[:width // 6].translate(_B64_TO_TEXT)


def is_code(converter: object) -> bool:
    """A pyais ``Enum.from_value`` converter (lossy for codes the enum does not name)."""
    owner = getattr(converter, "__self__", None)
    return (getattr(converter, "__name__", "") == "from_value" and isinstance(owner, type)
            and issubclass(owner, enum.Enum))


@cache
def _repairs(cls: type[Payload]) -> tuple[tuple, ...]:
    """(name, offset, width, variable, signed, what) for the fields pyais may have misread."""
    steps = []
    for (name, offset, width, signed, kind, converter), field in zip(
            cls.decoder_plan(), cls.fields(), strict=True):
        md = field.metadata
        if md["is_spare"]:
            continue
        if kind == STR:
            steps.append((name, offset, width, md["variable_length"], False, _TEXT))
        elif is_code(converter):
            steps.append((name, offset, width, False, False, _CODE))
        elif md.get("from_converter") is from_mmsi and not md["variable_length"]:
            steps.append((name, offset, width, False, signed, _CUT))
    return tuple(steps)


@cache
def _fixed_length(cls: type[Payload]) -> int | None:
    """The layout's length in bits, or None when a field's length varies."""
    fields = cls.fields()
    if any(f.metadata["variable_length"] for f in fields):
        return None
    _name, offset, width, *_ = cls.decoder_plan()[-1]
    return offset + width


def pyais_message(kind: int, cls: type[Payload], bits: object, length: int) -> Payload:
    """pyais's message object, with an application layout only where the length allows it."""
    message = cls.from_vector(bits)
    if kind in _DEFAULT and type(message) is not _DEFAULT[kind]:
        total = _fixed_length(type(message))
        if total is not None and length > total + _MAX_EXCESS:
            message = _DEFAULT[kind].from_vector(bits)
    return message


def repair(cls: type[Payload], raw: dict, value: int, length: int) -> dict:
    """Put back, from the payload bits, the fields pyais's ``cls`` decode got wrong (see above)."""
    for name, offset, width, variable, signed, what in _repairs(cls):
        if offset >= length:
            continue
        have = min(length - offset, width) if not variable else length - offset
        if what == _TEXT:
            have -= have % 6
            if have:
                raw[name] = text((value >> (length - offset - have)) & ((1 << have) - 1), have)
        elif have < width or what == _CODE:
            # left-aligned: the missing low bits are zeros (gpsd's zero-filled buffer)
            val = ((value >> (length - offset - have)) & ((1 << have) - 1)) << (width - have)
            if signed and val >> (width - 1):
                val -= 1 << width
            raw[name] = val
    if raw.get("msg_type") == 21 and length > _TYPE21_NAME_END:
        raw["name"] = raw["full_name"] = _aid_name(value, length)
    return raw


def _aid_name(value: int, length: int) -> str:
    """Type 21 name: 20 characters, continued by the extension when all 20 are used (gpsd)."""
    name = _armoured((value >> (length - _TYPE21_NAME_END)) & ((1 << 120) - 1), 120)
    cut = name.find(b"@")
    if cut >= 0:
        name = name[:cut]
    elif length >= 278:
        ext = (length - 272) // 6 * 6
        name += _armoured((value >> (length - 272 - ext)) & ((1 << ext) - 1), ext)
        cut = name.find(b"@")
        if cut >= 0:
            name = name[:cut]
    return name.strip(b" ").decode("ascii")


def binary_message(kind: int, value: int, length: int) -> dict | None:
    """Type 25 (single slot) or 26 (multiple slot) binary message, M.1371 tables 88-89.

    Header 40 bits, then a destination MMSI (30) when addressed and an application id (16)
    when structured, then data; a type 26 ends with its 20-bit communication state. ``data``
    is the data bits left-aligned in whole bytes (hex once normalised), as gpsd gives it.
    """
    addressed = bool((value >> (length - 39)) & 1)
    structured = bool((value >> (length - 40)) & 1)
    start = 40 + 30 * addressed + 16 * structured
    end = length - 20 if kind == 26 else length
    if end < start or length < 40:
        return None
    out: dict = {"msg_type": kind, "repeat": (value >> (length - 8)) & 3,
                 "mmsi": (value >> (length - 38)) & 0x3FFFFFFF,
                 "addressed": addressed, "structured": structured}
    if addressed:
        out["dest_mmsi"] = (value >> (length - 70)) & 0x3FFFFFFF
    if structured:
        out["app_id"] = (value >> (length - start)) & 0xFFFF
    bits = end - start
    size = (bits + 7) >> 3
    data = (value >> (length - end)) & ((1 << bits) - 1)
    out["data"] = (data << (size * 8 - bits)).to_bytes(size, "big")
    if kind == 26:
        out["radio"] = value & 0xFFFFF
    return out
