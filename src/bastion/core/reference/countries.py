"""Countries as travel documents and lists write them: ISO 3166-1 plus the ICAO 9303 codes.

Stored form: ISO 3166-1 alpha-3, upper case, or the ICAO 9303 code where the document holder
has no ISO country (XXA stateless, UNO, the British nationality variants...). Two ways in:

- ``country(value)``: what a watchlist or a FollowTheMoney file may write: alpha-3, alpha-2
  (the two never collide), ICAO codes, ISO 3166-3 four-letter codes of dissolved states (FtM
  writes ``suhh``, ``yucs``) and Kosovo's ``XK``;
- ``country(value, alpha2=False)``: what a FAL crew or passenger list may write: alpha-3 and
  the ICAO codes only, since FAL and the MRZ use three letters and a two-letter code in such a
  list is a typing slip more often than a choice.

Names come from pycountry's translated ISO 3166 catalogue (Debian iso-codes) in the user's
language; the ICAO codes have labels of their own here.
"""

from __future__ import annotations

import gettext as _gettext
from functools import cache

import pycountry

from bastion.core import context
from bastion.core.i18n import gettext, lazy

# ICAO Doc 9303 part 3 (8th edition, 2021), section 5: nationality and issuing codes on travel
# documents that are not ISO 3166-1 alpha-3. D is Germany's one-letter code; Kosovo has no ISO
# code: its passports print RKS, Schengen states write the user-assigned XKX.
ICAO_CODES: dict[str, tuple[str, str]] = {
    "D": ("DEU", lazy("Germany")),
    "GBD": ("GBD", lazy("British Overseas Territories Citizen")),
    "GBN": ("GBN", lazy("British National (Overseas)")),
    "GBO": ("GBO", lazy("British Overseas Citizen")),
    "GBP": ("GBP", lazy("British Protected Person")),
    "GBS": ("GBS", lazy("British Subject")),
    "UNO": ("UNO", lazy("United Nations Organization or its official")),
    "UNA": ("UNA", lazy("Specialized agency of the United Nations or its official")),
    "UNK": ("UNK", lazy("Resident of Kosovo with a UNMIK travel document")),
    "XBA": ("XBA", lazy("African Development Bank")),
    "XIM": ("XIM", lazy("African Export-Import Bank")),
    "XCC": ("XCC", lazy("Caribbean Community (CARICOM)")),
    "XCE": ("XCE", lazy("Council of Europe")),
    "XCO": ("XCO", lazy("Common Market for Eastern and Southern Africa (COMESA)")),
    "XEC": ("XEC", lazy("Economic Community of West African States (ECOWAS)")),
    "XPO": ("XPO", lazy("International Criminal Police Organization (INTERPOL)")),
    "XES": ("XES", lazy("Organisation of Eastern Caribbean States")),
    "XMP": ("XMP", lazy("Parliamentary Assembly of the Mediterranean")),
    "XOM": ("XOM", lazy("Sovereign Military Order of Malta")),
    "XDC": ("XDC", lazy("Southern African Development Community")),
    "XXA": ("XXA", lazy("Stateless person")),
    "XXB": ("XXB", lazy("Refugee (1951 Convention)")),
    "XXC": ("XXC", lazy("Refugee (other)")),
    "XXX": ("XXX", lazy("Unspecified nationality")),
    "EUE": ("EUE", lazy("European Union")),
    "RKS": ("RKS", lazy("Kosovo")),
    "XKX": ("XKX", lazy("Kosovo")),
}


@cache
def _three_letter() -> dict[str, str]:
    table = {code: stored for code, (stored, _label) in ICAO_CODES.items()}
    for c in pycountry.countries:
        table[c.alpha_3] = c.alpha_3
    return table


@cache
def _any_form() -> dict[str, str]:
    table = dict(_three_letter())
    for c in pycountry.countries:
        table[c.alpha_2] = c.alpha_3
    for h in pycountry.historic_countries:
        table[h.alpha_4] = h.alpha_3
    table["XK"] = "XKX"
    return table


def country(value: str | None, *, alpha2: bool = True) -> str | None:
    """The stored code (alpha-3 or ICAO) of a country written as described above, else None."""
    if not value:
        return None
    code = value.strip().upper()
    return (_any_form() if alpha2 else _three_letter()).get(code)


def alpha2(code: str) -> str | None:
    """ISO 3166-1 alpha-2 of a stored alpha-3 code (None for ICAO-only codes)."""
    found = pycountry.countries.get(alpha_3=code)
    return found.alpha_2 if found else None


@cache
def _iso_names(language: str) -> _gettext.NullTranslations:
    locale = language.replace("-", "_")
    return _gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale],
                                fallback=True)


def country_name(code: str | None) -> str:
    """A stored code's name in the current language ("CHN" -> 中国 / China)."""
    if not code:
        return ""
    if code in ICAO_CODES and code != "D":
        return gettext(ICAO_CODES[code][1])
    found = pycountry.countries.get(alpha_3=code) or pycountry.countries.get(alpha_2=code)
    if found is None:
        return code
    language = context.current().language
    if language == "en":
        return getattr(found, "common_name", None) or found.name
    return _ZH_NAMES.get(found.alpha_3) or _iso_names(language).gettext(found.name)


# How Chinese official forms name these (iso-codes gives 香港, 澳门, 中国台湾省).
_ZH_NAMES = {"HKG": "中国香港", "MAC": "中国澳门", "TWN": "中国台湾"}
