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
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import cache

import pycountry
from stdnum import imo as stdnum_imo
from stdnum.exceptions import InvalidChecksum, ValidationError

from bastion.core.i18n import gettext as _


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


ICAO_CODES = {"D": "DEU", "XXA": "XXA", "XXB": "XXB", "XXC": "XXC", "XXX": "XXX",
              "UNO": "UNO", "UNA": "UNA", "UNK": "UNK", "EUE": "EUE", "XOM": "XOM",
              "XPO": "XPO", "XKX": "XKX", "GBD": "GBD", "GBN": "GBN", "GBO": "GBO",
              "GBP": "GBP", "GBS": "GBS"}


@cache
def _country_table() -> dict[str, str]:
    table = dict(ICAO_CODES)
    for c in pycountry.countries:
        table[c.alpha_2] = c.alpha_3
        table[c.alpha_3] = c.alpha_3
    # FtM writes dissolved states with their ISO 3166-3 four-letter code (suhh, csxx, yucs)
    # and Kosovo as xk, which travel documents of Schengen states write XKX.
    for h in pycountry.historic_countries:
        table[h.alpha_4] = h.alpha_3
    table["XK"] = "XKX"
    return table


def lookup_country(value: str) -> str | None:
    return _country_table().get(value.strip().upper())


def country(value: str) -> str:
    code = lookup_country(value)
    if code is None:
        raise FieldError("BAD_COUNTRY", _("'%(value)s' is not an ISO 3166 country code: write "
                                          "the three-letter code, e.g. CHN") % {"value": shown(value)})
    return code


GENDERS = {"male": "male", "m": "male", "男": "male", "男性": "male",
           "female": "female", "f": "female", "女": "female", "女性": "female"}


def gender(value: str) -> str | None:
    text = value.strip().casefold()
    if not text:
        return None
    if text in GENDERS:
        return GENDERS[text]
    raise FieldError("BAD_GENDER", _("'%(value)s' is not a gender: write male or female, or "
                                     "leave it empty") % {"value": shown(value)})


def imo(value: str) -> int:
    """An IMO ship number; python-stdnum checks the 7th-digit checksum."""
    text = re.sub(r"^\s*IMO[\s:.-]*", "", value.strip(), flags=re.IGNORECASE)
    try:
        return int(stdnum_imo.validate(text))
    except InvalidChecksum:
        raise FieldError("BAD_IMO_CHECK_DIGIT", _("IMO number %(value)s fails its check digit")
                         % {"value": shown(value)}) from None
    except ValidationError:
        raise FieldError("BAD_IMO", _("'%(value)s' is not an IMO number (seven digits)")
                         % {"value": shown(value)}) from None


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


DOCUMENT_TYPES = {"passport": "passport", "护照": "passport",
                  "id": "id", "id card": "id", "identity card": "id", "身份证": "id",
                  "visa": "visa", "签证": "visa",
                  "residence permit": "residence_permit", "居留许可": "residence_permit",
                  "seafarer": "seafarer", "seaman's book": "seafarer", "海员证": "seafarer",
                  "border pass": "border_pass", "边境通行证": "border_pass",
                  "other": "other", "其他": "other"}


def document_type(value: str) -> str | None:
    text = clean(value).casefold().replace("_", " ")
    if not text:
        return None
    if text in DOCUMENT_TYPES:
        return DOCUMENT_TYPES[text]
    raise FieldError("BAD_DOCUMENT_TYPE", _("'%(value)s' is not a document type: write "
                                            "passport, id, visa, residence permit, seafarer, "
                                            "border pass or other") % {"value": shown(value)})
