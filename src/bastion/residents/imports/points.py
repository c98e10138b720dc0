"""Crossing points recognised with no database, for ``bastion residents check``: the shipped
``residents/data/crossing_points.json`` read directly, the names folded as the registry's
``residents.crossings.points.recognise`` folds them (code, Chinese or Vietnamese name or alias,
with or without 口岸 / cửa khẩu, any case, any diacritics). Anything else is non-designated.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "crossing_points.json"

_NOISE = re.compile(r"(口岸|关口|cua khau|quoc te|border gate|border crossing|crossing point|"
                    r"\bport\b|\bgate\b|\bck\b|\bckqt\b)")
_SPACE = re.compile(r"[\s\-_.,;:/()（）·'’\"]+")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return _SPACE.sub("", _NOISE.sub(" ", text))


def offline_recogniser(path: Path = DATA) -> Callable[[str], dict | None]:
    """A lookup text -> the shipped point (its JSON row) or None."""
    points = json.loads(path.read_text(encoding="utf-8"))["points"] if path.exists() else []
    table: dict[str, dict] = {}
    for point in points:
        if point.get("active", True) is False:
            continue
        for name in (point["code"], point.get("name_zh", ""), point.get("name_vi", ""),
                     point.get("name_en", ""), *point.get("aliases", [])):
            key = fold(name)
            if key:
                table.setdefault(key, point)
    for point in points:  # an own name wins over another point's alias
        for name in (point["code"], point.get("name_zh", ""), point.get("name_vi", "")):
            if fold(name):
                table[fold(name)] = point

    def find(text: str) -> dict | None:
        key = fold(text)
        return table.get(key) if key else None

    return find
