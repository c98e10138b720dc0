"""Crossing points recognised with no database, for ``bastion residents check``: the shipped
reference (``residents.crossings.points.reference()``, read from
``residents/data/crossing_points.json``) folded exactly as the registry's ``recognise`` folds
names (code, Chinese or Vietnamese name or alias, with or without 口岸 / cửa khẩu, any case,
any diacritics). Anything else is a non-designated crossing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bastion.residents.crossings.points import fold, reference


def offline_recogniser(points: list[dict[str, Any]] | None = None,
                       ) -> Callable[[str], dict[str, Any] | None]:
    """A lookup text -> the shipped point (its JSON row) or None; an own name wins over
    another point's alias, as in the registry's recogniser."""
    rows = [p for p in (reference() if points is None else points) if p.get("active", True)]
    table: dict[str, dict[str, Any]] = {}
    for point in rows:
        for name in (point["code"], point.get("name_zh", ""), point.get("name_vi", ""),
                     point.get("name_en", ""), *point.get("aliases", [])):
            if fold(name):
                table.setdefault(fold(name), point)
    for point in rows:
        for name in (point["code"], point.get("name_zh", ""), point.get("name_vi", "")):
            if fold(name):
                table[fold(name)] = point

    def find(text: str) -> dict[str, Any] | None:
        key = fold(text)
        return table.get(key) if key else None

    return find
