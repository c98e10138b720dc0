"""Field validators shared by the spreadsheet and FollowTheMoney readers.

Each takes the text as found and returns the stored value or raises ``FieldError`` with a
stable code and a translated message quoting the bad value, so a row can report every bad
cell at once. Decisions worth knowing:

- Dates are ISO only (YYYY, YYYY-MM, YYYY-MM-DD): "03/04/1975" is day-first in China and
  Europe but month-first in US-made lists, and guessing wrong puts a wrong birth date on a
  watchlist.
- Countries are stored as ISO 3166 alpha-3, upper case. Alpha-2 is accepted and converted
  (the two never collide, and FtM and many lists use it), as are the ICAO 9303 codes that
  appear on travel documents (D for Germany, XXA stateless, UNO, EUE, the GB variants...).
- Countries, gender, document types and the IMO check digit are the floor's reference
  vocabularies (``bastion.core.reference``), shared with clearance and the AIS detectors.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from bastion.core.i18n import gettext as _
from bastion.core.reference import countries, people, ships


class FieldError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def shown(value: str, limit: int = 40) -> str:
    """The value quoted in a message, shortened so one bad cell cannot flood the report."""
    value = value.replace("\n", " ")
    return value if len(value) <= limit else value[: limit - 1] + "…"


def clean(value: str | None) -> str:
    """Trim, NFC-normalise and collapse spaces.

    NFC because Excel on macOS writes decomposed accents and some lists use CJK compatibility
    ideographs; both are canonically the same name and must match the same way.
    """
    if not value:
        return ""
    return " ".join(unicodedata.normalize("NFC", value).split())


LIST_SEPARATORS = re.compile(r"[;；\n]")


def split_list(value: str | None) -> list[str]:
    """Split a ';'-separated cell (the full-width '；' of Chinese input methods too)."""
    out: list[str] = []
    for part in LIST_SEPARATORS.split(value or ""):
        part = clean(part)
        if part and part not in out:
            out.append(part)
    return out


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def partial_date(value: str) -> str:
    """A birth date with the precision the source gave: "1975", "1975-04" or "1975-04-03"."""
    text = value.strip()
    m = _DATE.match(text)
    if m:
        year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
        try:
            if year >= 1800 and date(year, month, day) <= date.today():
                return text
        except ValueError:
            pass
    raise FieldError("BAD_DATE", _("'%(value)s' is not a date: write YYYY-MM-DD, YYYY-MM or "
                                   "YYYY, no later than today") % {"value": shown(value)})


def full_date(value: str) -> date:
    """A validity bound: a whole day, since "valid until 1975" has no clear last day."""
    text = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise FieldError("BAD_DATE", _("'%(value)s' is not a date: write YYYY-MM-DD")
                     % {"value": shown(value)})


def lookup_country(value: str) -> str | None:
    return countries.country(value)


def country(value: str) -> str:
    code = lookup_country(value)
    if code is None:
        raise FieldError("BAD_COUNTRY", _("'%(value)s' is not an ISO 3166 country code: write "
                                          "the three-letter code, e.g. CHN") % {"value": shown(value)})
    return code


def gender(value: str) -> str | None:
    """``male`` or ``female`` (what a watchlist entry stores and the matcher compares)."""
    text = value.strip()
    if not text:
        return None
    found = people.GENDERS.parse(text)
    if found is not None and found.code in ("male", "female"):
        return found.code
    raise FieldError("BAD_GENDER", _("'%(value)s' is not a gender: write male or female, or "
                                     "leave it empty") % {"value": shown(value)})


def imo(value: str) -> int:
    """An IMO ship number, its 7th digit checked."""
    digits = ships.imo_digits(value)
    if digits is None:
        raise FieldError("BAD_IMO", _("'%(value)s' is not an IMO number (seven digits)")
                         % {"value": shown(value)})
    if not ships.imo_valid(digits):
        raise FieldError("BAD_IMO_CHECK_DIGIT", _("IMO number %(value)s fails its check digit")
                         % {"value": shown(value)})
    return int(digits)


def mmsi(value: str) -> int:
    text = value.strip()
    if re.fullmatch(r"\d{9}", text):
        return int(text)
    raise FieldError("BAD_MMSI", _("'%(value)s' is not an MMSI (nine digits)")
                     % {"value": shown(value)})


def callsign(value: str) -> str:
    text = re.sub(r"\s+", "", value).upper()
    if re.fullmatch(r"[A-Z0-9]{2,10}", text):
        return text
    raise FieldError("BAD_CALLSIGN", _("'%(value)s' is not a call sign (letters and digits)")
                     % {"value": shown(value)})


def document_type(value: str) -> str | None:
    """Any document type of the shared vocabulary, stored as its canonical code."""
    text = clean(value)
    if not text:
        return None
    code = people.document_type(text)
    if code is not None:
        return code
    raise FieldError("BAD_DOCUMENT_TYPE", _("'%(value)s' is not a document type: write "
                                            "passport, id, visa, residence permit, seafarer, "
                                            "border pass or other") % {"value": shown(value)})
