"""Translations (Babel catalogues, zh-CN and en) and locale-aware formatting.

Catalogues are read from the ``.po`` files at start-up, so a fresh clone needs no compile step
and a translator's edit shows on the next restart. English strings are the message ids.
"""

from __future__ import annotations

import gettext as _gettext
import io
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_datetime as _babel_format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bastion.core import context

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
# Our language tags (as users and HTTP see them) → Babel locale identifiers.
BABEL_LOCALES = {"zh-CN": "zh_CN", "en": "en"}


@cache
def translations(language: str) -> _gettext.NullTranslations:
    locale = BABEL_LOCALES.get(language, "en")
    po_path = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    if not po_path.exists():
        return _gettext.NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def gettext(message: str) -> str:
    return translations(context.current().language).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(context.current().language).ngettext(singular, plural, n)


def lazy(message: str) -> str:
    """Marks a string for extraction where it is defined; translate it with ``gettext`` later."""
    return message


def negotiate(accept_language: str | None, default: str) -> str:
    """Pick zh-CN or en from an Accept-Language header."""
    if not accept_language:
        return default
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh-CN"
        if tag.startswith("en"):
            return "en"
    return default


def local_time(value: datetime | None, fmt: str = "yyyy-MM-dd HH:mm") -> str:
    """A UTC instant shown in the user's time zone and language."""
    if value is None:
        return ""
    ctx = context.current()
    locale = BABEL_LOCALES.get(ctx.language, "en")
    return _babel_format_datetime(value, fmt, tzinfo=ZoneInfo(ctx.timezone), locale=locale)
