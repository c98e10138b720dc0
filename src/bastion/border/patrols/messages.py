"""The compact text form of a check-in, an SOS or a position: at most 100 ASCII bytes, so it
travels by Beidou short message (BDS-2 carries 120 characters; BDS-3 more) or by SMS (160)
from where there is no mobile data. ``POST /api/v1/patrols/messages`` turns it into the same
records the field API makes, idempotently.

Format (fields separated by one space; case kept; version ``BX1``)::

    BX1 C <patrol> <checkpoint> <time> <lat> <lon> <seq> <check>   check-in at a checkpoint
    BX1 S <patrol> <time> <lat> <lon> <seq> <check>                SOS
    BX1 P <patrol> <time> <lat> <lon> <seq> <check>                a position (one fix)

- ``patrol``: the patrol's client UUID written in base 36 (at most 25 characters, no dashes);
  ``-`` for an SOS sent outside any patrol.
- ``checkpoint``: the checkpoint's code as printed on its plate (1-32 of ``A-Z a-z 0-9 . _ / -``).
- ``time``: when it happened, whole seconds since 2020-01-01T00:00:00Z in base 36 (six
  characters reach 2088).
- ``lat`` ``lon``: WGS-84 degrees with at most 5 decimals (~1 m), or ``-`` ``-`` without a fix
  (not for ``P``).
- ``seq``: the phone's running number of the operation in base 36 (1-4 characters), so two
  check-ins in the same second stay apart.
- ``check``: CRC-8 (polynomial 0x07, initial 0, the SMBus/ATM HEC CRC) of everything before it
  — the canonical text, fields joined by single spaces — as two hex digits. It catches every
  single-character error, every swap of two neighbours and all but 1 in 256 of the rest; a
  Luhn mod-36 digit would miss more (1 in 36).

Examples (patrol 3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b, 2026-12-07T03:15:42Z)::

    BX1 C 3QMT6WCFB8TOKQ2NV7WCXO3U3 K-017 3M9526 22.01534 106.75752 1J 81   (69 bytes)
    BX1 S 3QMT6WCFB8TOKQ2NV7WCXO3U3 3M9526 22.01534 106.75752 1K 64         (63 bytes)

The longest possible message (a 32-character checkpoint code, southern and western
hemispheres) is exactly 100 bytes.

Decoding refuses a garbled message with what is wrong (the field, its position, the checksum
it computed). ``op_id`` is a UUID derived from the decoded content (uuid5), so the same text
sent twice (an SMS gateway retrying, a Beidou resend) is the same operation and is stored once.
Runs of white space and surrounding space are forgiven (gateways add them); case is not
changed (checkpoint codes are case-sensitive).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy

VERSION = "BX1"
MAX_BYTES = 100
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
MAX_SECONDS = 36**6 - 1  # six base-36 characters: until December 2088
MAX_SEQ = 36**4 - 1
KINDS = {"C": "check_in", "S": "sos", "P": "position"}
LETTERS = {kind: letter for letter, kind in KINDS.items()}
# Fixed namespace for op ids: uuid5(NAMESPACE, canonical content)
NAMESPACE = uuid.UUID("6f0c1a6e-3b0e-5a8e-9d1c-b1a5e0000001")

_CODE = re.compile(r"[A-Za-z0-9._/-]{1,32}")
_B36 = re.compile(r"[0-9A-Za-z]+")
_DEGREES = re.compile(r"-?\d{1,3}(?:\.\d{1,5})?")
_HEX2 = re.compile(r"[0-9A-Fa-f]{2}")

HELP = (
    lazy("A short message is one line of at most 100 letters and digits (ASCII), for Beidou "
         "short messages or SMS when there is no mobile data."),
    lazy("Check-in: BX1 C <patrol> <checkpoint code> <time> <latitude> <longitude> <number> "
         "<check>"),
    lazy("SOS: BX1 S <patrol or -> <time> <latitude> <longitude> <number> <check>; write - - "
         "for latitude and longitude without a position."),
    lazy("Position: BX1 P <patrol> <time> <latitude> <longitude> <number> <check>"),
    lazy("The patrol app writes these messages for you; the last two characters are a "
         "checksum, so a message changed on the way is refused, never stored wrong."),
)


@dataclass(frozen=True)
class Message:
    kind: str  # check_in | sos | position
    patrol_ref: str | None  # the patrol's client UUID (canonical, with dashes)
    checkpoint_code: str | None
    at: datetime  # UTC, whole seconds
    lat: float | None
    lon: float | None
    seq: int
    op_id: str  # uuid5 of the content: the same text is the same operation

    def text(self) -> str:
        return encode(kind=self.kind, patrol_ref=self.patrol_ref,
                      checkpoint_code=self.checkpoint_code, at=self.at, lat=self.lat,
                      lon=self.lon, seq=self.seq)


def help_lines() -> list[str]:
    """The format explained in the user's language (for the field page and the gateway)."""
    return [_(line) for line in HELP]


# --- checksum and base 36 -------------------------------------------------------------------

def crc8(data: bytes) -> int:
    """CRC-8, polynomial x^8 + x^2 + x + 1 (0x07), initial value 0, no reflection."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def _b36(number: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if number == 0:
            return out


def _degrees(value: float) -> str:
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# --- encode ---------------------------------------------------------------------------------

def encode(*, kind: str, patrol_ref: str | None, at: datetime, lat: float | None,
           lon: float | None, seq: int, checkpoint_code: str | None = None) -> str:
    """The message for a check-in, SOS or position; ``Invalid`` naming the argument when a
    value cannot be written in the form (the result is always at most 100 bytes)."""
    if kind not in LETTERS:
        raise Invalid(_("Unknown message kind %(kind)s.") % {"kind": kind}, field="kind")
    parts = [VERSION, LETTERS[kind]]
    if patrol_ref is None:
        if kind != "sos":
            raise Invalid(_("A check-in or position names its patrol."), field="patrol_ref")
        parts.append("-")
    else:
        try:
            parts.append(_b36(uuid.UUID(str(patrol_ref)).int))
        except ValueError:
            raise Invalid(_("The patrol is not a UUID."), field="patrol_ref") from None
    if kind == "check_in":
        if not checkpoint_code or not _CODE.fullmatch(checkpoint_code):
            raise Invalid(_("A checkpoint code is 1 to 32 of A-Z, a-z, 0-9, '.', '_', '/' "
                            "and '-'."), field="checkpoint_code")
        parts.append(checkpoint_code)
    if at.tzinfo is None:
        raise Invalid(_("The time needs a time zone."), field="at")
    seconds = int((at.astimezone(UTC) - EPOCH).total_seconds())
    if not 0 <= seconds <= MAX_SECONDS:
        raise Invalid(_("The time must lie between 2020 and 2088."), field="at")
    parts.append(_b36(seconds))
    if lat is None or lon is None:
        if kind == "position" or (lat is None) != (lon is None):
            raise Invalid(_("A position needs both latitude and longitude."), field="lat")
        parts += ["-", "-"]
    else:
        if not -90 <= lat <= 90:
            raise Invalid(_("Latitude %(value)s is out of range (-90 to 90).")
                          % {"value": lat}, field="lat")
        if not -180 <= lon <= 180:
            raise Invalid(_("Longitude %(value)s is out of range (-180 to 180).")
                          % {"value": lon}, field="lon")
        parts += [_degrees(lat), _degrees(lon)]
    if not 0 <= seq <= MAX_SEQ:
        raise Invalid(_("The operation number must lie between 0 and %(max)d.")
                      % {"max": MAX_SEQ}, field="seq")
    parts.append(_b36(seq))
    body = " ".join(parts)
    return f"{body} {crc8(body.encode('ascii')):02X}"


# --- decode ---------------------------------------------------------------------------------

def _refuse(message: str, part: str | None = None) -> Invalid:
    return Invalid(message, field=f"text.{part}" if part else "text")


def decode(text: str) -> Message:
    """Read a message; ``Invalid`` (422, field ``text`` or ``text.<part>``) saying what is
    wrong with a garbled, truncated or unknown one."""
    if not isinstance(text, str) or not text.strip():
        raise _refuse(_("The message is empty."))
    stripped = text.strip()
    for index, char in enumerate(stripped):
        if ord(char) > 126 or (ord(char) < 32 and not char.isspace()):
            raise _refuse(_("Character %(n)d (%(char)r) is not plain ASCII: the message was "
                            "garbled on the way.") % {"n": index + 1, "char": char})
    tokens = stripped.split()
    canonical = " ".join(tokens)
    if len(canonical) > MAX_BYTES:
        raise _refuse(_("The message is %(n)d bytes long; at most %(max)d.")
                      % {"n": len(canonical), "max": MAX_BYTES})
    if tokens[0] != VERSION:
        raise _refuse(_("The message does not start with %(version)s: not a patrol message, "
                        "or another version.") % {"version": VERSION}, "version")
    if len(tokens) < 2 or tokens[1] not in KINDS:
        raise _refuse(_("The kind must be C (check-in), S (SOS) or P (position)."), "kind")
    kind = KINDS[tokens[1]]
    names = ["version", "kind", "patrol"] + (["checkpoint"] if kind == "check_in" else []) + [
        "time", "lat", "lon", "seq", "check"]
    if len(tokens) != len(names):
        raise _refuse(_("A %(kind)s message has %(want)d fields, this one %(got)d: a field is "
                        "missing or split.")
                      % {"kind": tokens[1], "want": len(names), "got": len(tokens)})
    fields = dict(zip(names, tokens, strict=True))
    body = canonical[:canonical.rfind(" ")]
    if not _HEX2.fullmatch(fields["check"]):
        raise _refuse(_("The check must be two hexadecimal digits."), "check")
    computed = crc8(body.encode("ascii"))
    if int(fields["check"], 16) != computed:
        raise _refuse(_("The check is %(got)s but the message works out to %(want)02X: it "
                        "was changed on the way. Ask for it again.")
                      % {"got": fields["check"], "want": computed}, "check")
    # The checksum matched: what follows catches messages made wrong, not damaged ones.
    patrol_ref = _patrol(fields["patrol"], kind)
    checkpoint = fields.get("checkpoint")
    if checkpoint is not None and not _CODE.fullmatch(checkpoint):
        raise _refuse(_("The checkpoint code %(code)r has characters a code cannot have.")
                      % {"code": checkpoint}, "checkpoint")
    if not _B36.fullmatch(fields["time"]) or len(fields["time"]) > 6:
        raise _refuse(_("The time must be 1 to 6 base-36 digits."), "time")
    at = EPOCH + timedelta(seconds=int(fields["time"], 36))
    lat, lon = _position(fields["lat"], fields["lon"], kind)
    if not _B36.fullmatch(fields["seq"]) or len(fields["seq"]) > 4:
        raise _refuse(_("The operation number must be 1 to 4 base-36 digits."), "seq")
    seq = int(fields["seq"], 36)
    content = "|".join([VERSION, kind, patrol_ref or "-", checkpoint or "-",
                        at.isoformat(), _degrees(lat) if lat is not None else "-",
                        _degrees(lon) if lon is not None else "-", str(seq)])
    return Message(kind=kind, patrol_ref=patrol_ref, checkpoint_code=checkpoint, at=at,
                   lat=lat, lon=lon, seq=seq, op_id=str(uuid.uuid5(NAMESPACE, content)))


def _patrol(token: str, kind: str) -> str | None:
    if token == "-":
        if kind != "sos":
            raise _refuse(_("A check-in or position names its patrol."), "patrol")
        return None
    if not _B36.fullmatch(token) or len(token) > 25 or int(token, 36) >= 2**128:
        raise _refuse(_("The patrol must be its UUID in base 36 (at most 25 digits)."),
                      "patrol")
    return str(uuid.UUID(int=int(token, 36)))


def _position(lat_text: str, lon_text: str, kind: str) -> tuple[float | None, float | None]:
    if lat_text == "-" and lon_text == "-":
        if kind == "position":
            raise _refuse(_("A position message needs latitude and longitude."), "lat")
        return None, None
    for part, value, limit in (("lat", lat_text, 90), ("lon", lon_text, 180)):
        if not _DEGREES.fullmatch(value) or abs(float(value)) > limit:
            raise _refuse(_("%(part)s %(value)r is not degrees between -%(limit)d and "
                            "%(limit)d with at most 5 decimals.")
                          % {"part": part, "value": value, "limit": limit}, part)
    return float(lat_text), float(lon_text)


__all__ = ["HELP", "MAX_BYTES", "Message", "crc8", "decode", "encode", "help_lines"]
