"""Reference checks for single values: countries, UN/LOCODE, ship identifiers, dangerous-goods
codes. Each returns a normalised value or None, so the row validator decides the rule code.

The UN/LOCODE table ships as data (``data/unlocode.csv.gz``, see ``data/LICENSES.md``);
countries come from pycountry; the IMO number check from python-stdnum; MMSI MIDs from the
maritime risk package's ITU-R M.585 table, so both packages agree on what is allocated.
"""

from __future__ import annotations

import csv
import gzip
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources

import pycountry
from stdnum import imo as stdnum_imo

from bastion.maritime.risk.reference import mid_table, mmsi_mid

# ICAO 9303 part 3 codes that are not ISO 3166 countries but appear on travel documents.
ICAO_SPECIAL = {"D": "DEU", "GBD": "GBD", "GBN": "GBN", "GBO": "GBO", "GBP": "GBP", "GBS": "GBS",
                "UNO": "UNO", "UNA": "UNA", "UNK": "UNK", "XBA": "XBA", "XIM": "XIM",
                "XCC": "XCC", "XCE": "XCE", "XCO": "XCO", "XEC": "XEC", "XPO": "XPO",
                "XES": "XES", "XMP": "XMP", "XOM": "XOM", "XDC": "XDC", "XXA": "XXA",
                "XXB": "XXB", "XXC": "XXC", "XXX": "XXX", "EUE": "EUE", "RKS": "RKS"}


def country(value: str) -> str | None:
    """ISO 3166 alpha-3 (any case), or an ICAO 9303 document code (XXA stateless, ...)."""
    code = value.strip().upper()
    if code in ICAO_SPECIAL:
        return ICAO_SPECIAL[code]
    if len(code) == 3 and pycountry.countries.get(alpha_3=code) is not None:
        return code
    return None


def alpha2(alpha3: str) -> str | None:
    found = pycountry.countries.get(alpha_3=alpha3)
    return found.alpha_2 if found else None


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
    text = re.sub(r"^IMO\s*", "", value.strip().upper())
    return text if re.fullmatch(r"\d{7}", text) else None


def imo_check_ok(digits: str) -> bool:
    return stdnum_imo.is_valid(digits)


def mmsi_problem(value: str) -> str | None:
    """None for a 9-digit ship MMSI with an allocated MID, else "BAD_MMSI" or "UNALLOCATED_MID"."""
    text = value.strip()
    if not re.fullmatch(r"\d{9}", text) or text[0] not in "234567":
        return "BAD_MMSI"  # ship stations are MIDxxxxxx, MID starting 2-7 (ITU-R M.585 annex 1)
    mid = mmsi_mid(int(text))
    return None if mid in mid_table() else "UNALLOCATED_MID"


def mmsi_flag(value: str) -> str | None:
    """ISO alpha-2 of the state that owns the MMSI's MID."""
    mid = mmsi_mid(int(value.strip()))
    found = mid_table().get(mid) if mid is not None else None
    return found[0] if found else None


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


GENDERS = {"M": "M", "MALE": "M", "男": "M", "F": "F", "FEMALE": "F", "女": "F",
           "X": "X", "<": "X"}


def gender(value: str) -> str | None:
    """FAL 5/6 gender as the MRZ writes it: M, F, or X (unspecified, ICAO 9303)."""
    return GENDERS.get(value.strip().upper())


DOCUMENT_TYPES = {
    "passport": ("P", "PASSPORT", "护照"),
    "seafarer_id": ("S", "SID", "SEAFARER'S IDENTITY DOCUMENT", "SEAFARERS IDENTITY DOCUMENT",
                    "SEAFARER ID", "海员证", "海员身份证件"),
    "seamans_book": ("B", "SEAMAN'S BOOK", "SEAMANS BOOK", "SEAMAN BOOK", "海员手册"),
    "identity_card": ("I", "ID", "ID CARD", "IDENTITY CARD", "身份证"),
    "travel_permit": ("C", "TRAVEL PERMIT", "通行证", "往来港澳通行证", "台湾居民来往大陆通行证"),
    "other": ("O", "OTHER", "其他"),
}


def document_type(value: str) -> str | None:
    """FAL 5/6 "nature of identity document" as one of DOCUMENT_TYPES' keys."""
    text = value.strip().upper()
    return next((key for key, names in DOCUMENT_TYPES.items() if text in names), None)


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
    """YYYY-MM-DD, optionally with a local time "HH:MM[:SS]" after a space or a T."""
    text = value.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?", text):
        return None
    try:
        return datetime.fromisoformat(text)
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
