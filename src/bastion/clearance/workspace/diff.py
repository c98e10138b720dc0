"""What changed between two versions of a declaration, row by row: pure.

Rows are matched by what identifies them in their form (a person by the identity document,
a store by its article, a dangerous good by UN number and name, a one-row form by itself),
not by their position, so a list re-sorted or with one row inserted shows only that row.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

# Fields that say where a row stood in its file, not what it declares.
PLACE = ("sheet", "row", "no")
KEYS = {"crew": ("issuing_state", "document_number"), "stores": ("article", "unit"),
        "effects": ("family_name", "given_names", "description"),
        "dg": ("un_number", "shipping_name"), "health_ill": ("name", "date_joined"),
        "general": (), "health": ()}
KEYS["passengers"] = KEYS["crew_out"] = KEYS["passengers_out"] = KEYS["crew"]


def _norm(value: Any) -> str:
    return "".join(str(value or "").split()).upper()


def row_keys(form: str, rows: list[dict[str, Any]]) -> list[str]:
    """One key a row; a key seen twice gets its occurrence (#2) so none is lost."""
    fields = KEYS.get(form, ())
    seen: Counter[str] = Counter()
    keys = []
    for row in rows:
        base = "|".join(_norm(row.get(f)) for f in fields) or "1"
        seen[base] += 1
        keys.append(base if seen[base] == 1 else f"{base}#{seen[base]}")
    return keys


def compare(form: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> dict[str, Any]:
    """``added`` and ``removed`` rows, ``changed`` rows with each changed field as
    ``[before, after]``, and how many rows stayed as they were."""
    before = dict(zip(row_keys(form, old), old, strict=True))
    after = dict(zip(row_keys(form, new), new, strict=True))
    changed = []
    for key in before.keys() & after.keys():
        fields = {f: [before[key].get(f), after[key].get(f)]
                  for f in sorted(before[key].keys() | after[key].keys())
                  if f not in PLACE and before[key].get(f) != after[key].get(f)}
        if fields:
            changed.append({"key": key, "row": after[key].get("row"), "fields": fields,
                            "values": after[key]})
    changed.sort(key=lambda c: c["row"] or 0)
    return {"added": [after[k] for k in after if k not in before],
            "removed": [before[k] for k in before if k not in after],
            "changed": changed,
            "unchanged": len(before.keys() & after.keys()) - len(changed)}
