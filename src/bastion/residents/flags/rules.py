"""The risk-flag rules as data: ``residents/data/rules.json`` names, for each flag kind, its rule
code, its law article and its parameters; the settings (``settings.residents``) override the
parameters that name one (the frequent-crossing limit, the lodging hours).

``why`` items are ``{"message": <English message id>, "params": {...}}``: stored as data, shown
in the reader's language by :func:`render_why`. The message ids live in the JSON; the tuple
below marks the same texts for the catalogue (``scripts/i18n.py extract`` reads code, not
JSON) and a test keeps the two equal.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from bastion.core.i18n import gettext, lazy
from bastion.core.labels import register_labels

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "rules.json"

KINDS = ("overstay", "expired_document", "no_lodging_registration", "undesignated_crossing",
         "frequent_crossing", "work_without_permit", "unregistered_marriage")

MESSAGES = (  # every "messages" text of rules.json, for the catalogue
    lazy("Entered %(entered)s with %(document)s %(number)s, valid through %(expires)s; no exit "
         "recorded since: %(days)s days over"),
    lazy("Entered %(entered)s with %(document)s %(number)s, which permits a stay of "
         "%(stay_days)s days (until %(until)s); no exit recorded since: %(days)s days over"),
    lazy("%(document)s %(number)s, used for the latest entry on %(entered)s, expired on "
         "%(expires)s"),
    lazy("Entered %(entered)s and stayed past %(hours)s h without a lodging registration "
         "within them"),
    lazy("Entered %(entered)s; lodging registered only on %(registered)s, after %(hours)s h"),
    lazy("Entered %(at)s at \"%(place)s\", not a designated crossing point"),
    lazy("Left %(at)s at \"%(place)s\", not a designated crossing point"),
    lazy("%(count)s crossings in %(month)s, more than %(limit)s"),
    lazy("Employed by %(employer)s since %(since)s with no valid work permit"),
    lazy("Holds a residence permit valid through %(valid_to)s: a residence permit is not a "
         "work permit"),
    lazy("Married to or living with %(spouse)s since %(since)s with no marriage registration"),
)

FLAG_LABELS = {
    "overstay": lazy("Overstay"),
    "expired_document": lazy("Expired document"),
    "no_lodging_registration": lazy("No lodging registration"),
    "undesignated_crossing": lazy("Crossing at a non-designated point"),
    "frequent_crossing": lazy("Frequent crossing"),
    "work_without_permit": lazy("Work without a permit"),
    "unregistered_marriage": lazy("Unregistered marriage"),
}


register_labels(namespace="resident_flag", labels=FLAG_LABELS)


@dataclass(frozen=True)
class Rule:
    flag: str
    rule: str
    article: str  # as stored with the flag (Chinese, as the law is cited)
    article_en: str
    params: dict[str, Any] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)
    source: str = ""


@dataclass(frozen=True)
class Rules:
    by_flag: dict[str, Rule]
    frequent_crossings: int = 8  # more than this many crossings in a calendar month
    lodging_hours: float = 24.0

    def __getitem__(self, flag: str) -> Rule:
        return self.by_flag[flag]

    def message(self, flag: str, key: str) -> str:
        return self.by_flag[flag].messages[key]


def _read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def parse(data: dict[str, Any]) -> Rules:
    """Rules from the JSON document; ValueError naming what is wrong (a test reads the file)."""
    found: dict[str, Rule] = {}
    for item in data.get("rules", []):
        flag = item["flag"]
        if flag not in KINDS:
            raise ValueError(f"rules.json: unknown flag kind {flag!r}")
        if flag in found:
            raise ValueError(f"rules.json: {flag!r} twice")
        if len(item["article"]) > 64:
            raise ValueError(f"rules.json: the article of {flag!r} is longer than 64 characters")
        found[flag] = Rule(flag=flag, rule=item["rule"], article=item["article"],
                           article_en=item.get("article_en", ""), params=item.get("params", {}),
                           messages=item.get("messages", {}), source=item.get("source", ""))
    missing = [k for k in KINDS if k not in found]
    if missing:
        raise ValueError(f"rules.json: no rule for {', '.join(missing)}")
    limit = found["frequent_crossing"].params.get("limit", {}).get("value", 8)
    hours = found["no_lodging_registration"].params.get("hours", {}).get("value", 24)
    return Rules(by_flag=found, frequent_crossings=int(limit), lodging_hours=float(hours))


@lru_cache(maxsize=1)
def shipped() -> Rules:
    return parse(_read(RULES_FILE))


def load(settings: Any = None) -> Rules:
    """The shipped rules with the parameters the settings name (``settings.residents`` or a
    ``ResidentSettings``) put in."""
    rules = shipped()
    if settings is None:
        return rules
    residents = getattr(settings, "residents", settings)
    return replace(rules, frequent_crossings=int(residents.frequent_crossings),
                   lodging_hours=float(residents.lodging_hours))


def render_why(why: list[dict[str, Any]]) -> list[str]:
    """The ``why`` items in the current language; an unknown or broken message is shown as
    stored rather than failing a page."""
    lines = []
    for item in why or []:
        message = str(item.get("message", ""))
        params = item.get("params") or {}
        try:
            lines.append(gettext(message) % params if params else gettext(message))
        except (KeyError, TypeError, ValueError):
            lines.append(message)
    return lines


def article_for(flag: str, article: str, language: str) -> str:
    """The article in the reader's language: English readers get ``article_en``."""
    rule = shipped().by_flag.get(flag)
    if language == "en" and rule is not None and rule.article_en:
        return rule.article_en
    return article


def label(flag: str) -> str:
    return gettext(FLAG_LABELS[flag]) if flag in FLAG_LABELS else flag
