"""The observation tree, kept as data per organisation (SMART's ``dm_category`` with its
typed ``dm_attribute``s), and the check of an observation's attributes against it.

The shipped tree is ``data/categories.json``; :func:`seed_defaults` copies it into an
organisation's rows (adding what is missing, never changing what the unit edited), so a unit
may later add its own categories. Attribute types: numeric (min/max), text (max length,
regex), list (one option code), multi_list (option codes, each once), boolean, date
(``YYYY-MM-DD``, min/max as dates); any of them may be ``required``.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.border.patrols.models import ObservationCategory
from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _

DATA = Path(__file__).resolve().parent / "data" / "categories.json"
TYPES = ("numeric", "text", "list", "multi_list", "boolean", "date")
TEXT_MAX = 2000


@cache
def defaults() -> list[dict[str, Any]]:
    """The shipped tree: nodes ``{code, zh, en, attributes, children}``."""
    return json.loads(DATA.read_text(encoding="utf-8"))


def _walk(nodes: list[dict[str, Any]], parent: str | None = None):
    for node in nodes:
        yield node, parent
        yield from _walk(node.get("children", []), node["code"])


def seed_defaults(session: Session, *, owner_org_id: int) -> dict[str, ObservationCategory]:
    """The organisation's categories by code, the shipped ones added where missing."""
    have = {c.code: c for c in session.scalars(
        select(ObservationCategory).where(ObservationCategory.owner_org_id == owner_org_id))}
    for node, parent in _walk(defaults()):
        if node["code"] in have:
            continue
        row = ObservationCategory(
            owner_org_id=owner_org_id, code=node["code"], label_zh=node["zh"],
            label_en=node["en"], attributes=node.get("attributes", []),
            parent_id=have[parent].id if parent else None)
        session.add(row)
        session.flush()
        have[row.code] = row
    return have


def find(session: Session, *, owner_org_id: int, code: str) -> ObservationCategory:
    """An active category of the organisation (seeded on first use); 422 naming
    ``category_code`` when there is none by that code."""
    found = seed_defaults(session, owner_org_id=owner_org_id).get(code)
    if found is None or not found.active:
        raise Invalid(_("There is no observation category %(code)s.") % {"code": code},
                      field="category_code")
    return found


def tree(session: Session, *, owner_org_id: int | None) -> list[dict[str, Any]]:
    """The tree for a phone or a page: the organisation's rows, or the shipped tree when it
    has none yet (reading never writes)."""
    rows = [] if owner_org_id is None else list(session.scalars(
        select(ObservationCategory).where(ObservationCategory.owner_org_id == owner_org_id,
                                          ObservationCategory.active)
        .order_by(ObservationCategory.id)))
    if not rows:
        return defaults()
    nodes = {r.id: {"code": r.code, "zh": r.label_zh, "en": r.label_en,
                    "attributes": r.attributes, "children": []} for r in rows}
    roots = []
    for r in rows:
        if r.parent_id in nodes:
            nodes[r.parent_id]["children"].append(nodes[r.id])
        else:
            roots.append(nodes[r.id])
    return roots


def _bad(key: str, message: str) -> Invalid:
    return Invalid(message, field=f"attributes.{key}")


def _check_one(spec: dict[str, Any], value: Any) -> Any:
    key, kind = spec["key"], spec.get("type")
    options = [o["code"] for o in spec.get("options", [])]
    if kind == "numeric":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _bad(key, _("%(key)s must be a number.") % {"key": key})
        if spec.get("min") is not None and value < spec["min"]:
            raise _bad(key, _("%(key)s must be at least %(min)s.") % {"key": key,
                                                                      "min": spec["min"]})
        if spec.get("max") is not None and value > spec["max"]:
            raise _bad(key, _("%(key)s must be at most %(max)s.") % {"key": key,
                                                                     "max": spec["max"]})
        return value
    if kind == "text":
        if not isinstance(value, str):
            raise _bad(key, _("%(key)s must be text.") % {"key": key})
        if len(value) > int(spec.get("max") or TEXT_MAX):
            raise _bad(key, _("%(key)s is too long.") % {"key": key})
        if spec.get("regex") and not re.fullmatch(spec["regex"], value):
            raise _bad(key, _("%(key)s is not in the expected form.") % {"key": key})
        return value
    if kind == "list":
        if value not in options:
            raise _bad(key, _("%(key)s must be one of: %(options)s.")
                       % {"key": key, "options": ", ".join(options)})
        return value
    if kind == "multi_list":
        if (not isinstance(value, list) or len(set(map(str, value))) != len(value)
                or any(v not in options for v in value)):
            raise _bad(key, _("%(key)s must be a list of distinct options from: %(options)s.")
                       % {"key": key, "options": ", ".join(options)})
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise _bad(key, _("%(key)s must be true or false.") % {"key": key})
        return value
    if kind == "date":
        try:
            day = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 \
                else None
        except ValueError:
            day = None
        if day is None:
            raise _bad(key, _("%(key)s must be a date (YYYY-MM-DD).") % {"key": key})
        text = day.isoformat()
        if ((spec.get("min") and text < str(spec["min"]))
                or (spec.get("max") and text > str(spec["max"]))):
            raise _bad(key, _("%(key)s is outside the allowed dates.") % {"key": key})
        return value
    raise _bad(key, _("%(key)s has a type this server does not know.") % {"key": key})


def validate(category: ObservationCategory, attributes: dict[str, Any]) -> dict[str, Any]:
    """The attributes checked against the category: unknown keys, missing required ones and
    wrong values are a 422 naming ``attributes.<key>``. Empty values of optional attributes
    are dropped."""
    specs = {spec["key"]: spec for spec in category.attributes}
    for key in attributes:
        if key not in specs:
            raise _bad(key, _("%(category)s has no attribute %(key)s.")
                       % {"category": category.code, "key": key})
    clean: dict[str, Any] = {}
    for key, spec in specs.items():
        value = attributes.get(key)
        if value is None or value == "" or value == []:
            if spec.get("required"):
                raise _bad(key, _("%(key)s is required.") % {"key": key})
            continue
        clean[key] = _check_one(spec, value)
    return clean
