"""Reference checks for single values: countries, UN/LOCODE, ship identifiers, dangerous-goods
codes. Each returns a normalised value or None, so the row validator decides the rule code.

The UN/LOCODE table ships as data (``data/unlocode.csv.gz``, see ``data/LICENSES.md``).
Countries, gender, document types, the IMO check digit and MMSI MIDs are the floor's reference
vocabularies (``bastion.core.reference``), shared with screening and the AIS detectors; the
functions here keep what a FAL list accepts (three-letter countries, the six FAL document types).
"""

from __future__ import annotations

import csv
import gzip
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources

from bastion.core.reference import countries, people, ships
from bastion.core.reference.countries import alpha2  # noqa: F401  (rules.py: MID vs flag)


def country(value: str) -> str | None:
    """ISO 3166 alpha-3 (any case), or an ICAO 9303 document code (XXA stateless, ...)."""
    return countries.country(value, alpha2=False)


@dataclass(frozen=True)
class Locode:
    code: str
    name: str
    functions: str  # UN/LOCODE function classifiers present: "1" port, "4" airport, "8" inland water ...
    status: str


@cache
def locode_table() -> dict[str, Locode]:
    raw = resources.files("bastion.clearance").joinpath("data/unlocode.csv.gz").read_bytes()
    reader = csv.reader(gzip.decompress(raw).decode("utf-8").splitlines())
    next(reader)
    return {row[0]: Locode(*row) for row in reader}


def locode(value: str) -> Locode | None:
    """A UN/LOCODE written "CNSHG", "CN SHG" or "cn-shg", if it is in the code list."""
    code = re.sub(r"[\s\-]", "", value).upper()
    if not re.fullmatch(r"[A-Z]{2}[A-Z2-9]{3}", code):
        return None
    return locode_table().get(code)


def imo_digits(value: str) -> str | None:
    """Seven digits from "9074729" or "IMO 9074729"; None when it is not that shape."""
    return ships.imo_digits(value)


def imo_check_ok(digits: str) -> bool:
    return ships.imo_valid(digits)


def mmsi_problem(value: str) -> str | None:
    """None for a 9-digit ship MMSI with an allocated MID, else "BAD_MMSI" or "UNALLOCATED_MID"."""
    text = value.strip()
    if not re.fullmatch(r"\d{9}", text) or text[0] not in "234567":
        return "BAD_MMSI"  # ship stations are MIDxxxxxx, MID starting 2-7 (ITU-R M.585 annex 1)
    return None if ships.mmsi_mid(int(text)) in ships.mid_table() else "UNALLOCATED_MID"


def mmsi_flag(value: str) -> str | None:
    """ISO alpha-2 of the state that owns the MMSI's MID."""
    return ships.mmsi_flag(int(value.strip()))


# ITU Radio Regulations art. 19: a ship call sign is the nationality prefix (1-2 characters,
# at least one a letter) and letters/digits, 4 to 7 characters in all.
_CALLSIGN = re.compile(r"^(?=.*[A-Z])[A-Z0-9]{3,7}$")


def callsign(value: str) -> str | None:
    text = value.strip().upper().replace(" ", "")
    return text if _CALLSIGN.match(text) else None


def un_number(value: str) -> str | None:
    """"UN1203", "UN 1203" or "1203" -> "1203"; UN numbers run from 0004 to 3599 (and 9xxx
    for NA/ID numbers, not accepted here: FAL 7 is international)."""
    text = re.sub(r"^UN\s*", "", value.strip().upper())
    return text if re.fullmatch(r"\d{4}", text) and 4 <= int(text) <= 3599 else None


_CLASS = re.compile(r"^(1\.[1-6][A-HJKLNS]?|2\.[1-3]|3|4\.[1-3]|5\.[12]|6\.[12]|7|8|9)$")


def dg_class(value: str) -> str | None:
    """IMDG class or division: 1.1-1.6 (with compatibility group), 2.1-2.3, 3, 4.1-4.3, ... 9."""
    text = value.strip().upper().replace(" ", "")
    return text if _CLASS.match(text) else None


def packing_group(value: str) -> str | None:
    text = value.strip().upper()
    return {"I": "I", "II": "II", "III": "III", "1": "I", "2": "II", "3": "III"}.get(text)


def gender(value: str) -> str | None:
    """FAL 5/6 gender as the MRZ writes it: M, F, or X (unspecified, ICAO 9303)."""
    return people.gender_mrz(value)


def document_type(value: str) -> str | None:
    """FAL 5/6 "nature of identity document" as one of ``people.CLEARANCE_DOCUMENTS``."""
    return people.document_type(value, people.CLEARANCE_DOCUMENTS)


def boolean(value: str) -> bool | None:
    text = value.strip().upper()
    if text in ("Y", "YES", "TRUE", "1", "是", "过境"):
        return True
    if text in ("N", "NO", "FALSE", "0", "否"):
        return False
    return None


def iso_date(value: str) -> date | None:
    text = value.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def iso_datetime(value: str) -> datetime | None:
    """YYYY-MM-DD, optionally with a local time "HH:MM[:SS[.fff]]" after a space or a T, and
    then optionally a zone, as ISO 8601 writes it (``Z``, ``+08:00``, ``+0800``): a time with
    a zone is an instant (kept aware), one without is the port's local time (naive)."""
    text = value.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?"
                        r"([zZ]|[+-]\d{2}:?\d{2})?)?", text):
        return None
    try:
        return datetime.fromisoformat(text[:-1] + "+00:00" if text[-1] in "zZ" else text)
    except ValueError:
        return None


def count(value: str) -> int | None:
    text = value.strip()
    return int(text) if re.fullmatch(r"\d{1,6}", text) else None


def quantity(value: str) -> float | None:
    text = value.strip().replace(",", "")
    if not re.fullmatch(r"\d{1,12}(\.\d{1,6})?", text):
        return None
    number = float(text)
    return number if number > 0 else None
