"""Six-bit text padding on real sentences gpsd's golden logs do not cover.

The sentences are from AISHub's public 3-minute sample (gpsd ``contrib/ais-samples``,
BSD-2-Clause, see ``tests/data/ais/gpsd-COPYING``). ``maritime/ais/conventions.py`` says why.
"""

from __future__ import annotations

from bastion.maritime.ais.conventions import _armoured
from bastion.maritime.ais.decode import _bits_with_length
from bastion.maritime.ais.pipeline import Pipeline

# type 5, MMSI 1329614: call sign sent as "@@K780A"
LEFT_PADDED = [b"!AIVDM,2,1,3,1,501A9kT0000000gOS058uE`4pB0EQ18E=>0000003hB52toB000PAiiDQC`5,0*3B",
               b"!AIVDM,2,2,3,1,PT`4hj2ADP0,2*62"]
# type 5, MMSI 440002350: name sent as "HAN KANG NO3@@@@@@B-"
GARBAGE_AFTER = [b"!AIVDM,2,1,4,B,56SWW;P000033C;K?<0P4r0d4pN0pw<000000:o`1@K46400000000000000,0*53",
                 b"!AIVDM,2,2,4,B,00000000008,2*2B"]
# type 5, MMSI 234639000: name sent as " WARSHIP SUTHERLAND"
LEADING_SPACE = [b"!AIVDM,2,1,6,A,53Oi>V028StdL<ub2221L59<PU21=E@PE8h4pB0S4aP9700Ht>h00000,0*75",
                 b"!AIVDM,2,2,6,A,000000000000000,2*22"]


def _one(lines: list[bytes]) -> dict:
    (message,) = Pipeline().run(lines)
    return message


def _sent(lines: list[bytes], start: int, chars: int) -> bytes:
    """The characters as sent (no trimming), read straight from the payload bits."""
    payload = b"".join(line.split(b",")[5] for line in lines)
    value, length = _bits_with_length(payload, 2)
    width = 6 * chars
    return _armoured((value >> (length - start - width)) & ((1 << width) - 1), width)


def test_text_ends_at_the_first_at_sign():
    assert _sent(LEFT_PADDED, 70, 7) == b"@@K780A"
    message = _one(LEFT_PADDED)
    assert message["callsign"] == ""  # "not available", as gpsd reads it
    assert message["shipname"] == "ROUZAND EXPRESS"
    assert _sent(GARBAGE_AFTER, 112, 20) == b"HAN KANG NO3@@@@@@B-"
    assert _one(GARBAGE_AFTER)["shipname"] == "HAN KANG NO3"


def test_leading_spaces_are_dropped():
    assert _sent(LEADING_SPACE, 112, 20).startswith(b" WARSHIP SUTHERLAND")
    assert _one(LEADING_SPACE)["shipname"] == "WARSHIP SUTHERLAND"
