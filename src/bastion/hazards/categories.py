"""The hazard categories, kept as data (``hazards/data/categories.json``): each with the unit
its repairs are counted in (km of road, metres of fence, a count of landslides, water sources
and circuits; none for blind spots, trails and others), the annual-report figure it feeds and
its default TLP (a smuggling trail is intelligence: AMBER)."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from bastion.core.i18n import lazy
from bastion.core.labels import register_labels

DATA = Path(__file__).resolve().parent / "data" / "categories.json"

UNITS = {"km": lazy("km"), "m": lazy("m"), "count": lazy("count")}


@dataclass(frozen=True)
class Category:
    code: str
    zh: str
    en: str
    unit: str | None  # km | m | count | None (nothing to count)
    figure: str | None  # the annual-report key, e.g. "hazards.road_km"
    tlp: str

    def name(self, language: str) -> str:
        return self.zh if language.startswith("zh") else self.en


@functools.cache
def all_categories() -> dict[str, Category]:
    doc = json.loads(DATA.read_text(encoding="utf-8"))
    return {row["code"]: Category(row["code"], row["zh"], row["en"], row["unit"], row["figure"],
                                  row["tlp"]) for row in doc["categories"]}


def get(code: str) -> Category | None:
    return all_categories().get(code)


def codes() -> list[str]:
    return list(all_categories())


# Names for the label filter: lazy ids of the English names (translated in the catalogue).
NAMES = {
    "road": lazy("Water-damaged road"), "landslide": lazy("Landslide"),
    "water_source": lazy("Water source"), "circuit": lazy("Power circuit"),
    "fence": lazy("Fence"), "blind_spot": lazy("Camera blind spot"),
    "smuggling_trail": lazy("Smuggling trail"), "other": lazy("Other"),
}
register_labels(namespace="hazard_category", labels=NAMES)
register_labels(namespace="hazard_unit", labels=UNITS)


@functools.cache
def _from_observation() -> dict[str, str]:
    doc = json.loads(DATA.read_text(encoding="utf-8"))
    return {k: v for k, v in doc.get("from_observation", {}).items() if not k.startswith("_")}


def from_observation(code: str | None) -> str:
    """The hazard category a patrol observation's category suggests (``other`` if none)."""
    return _from_observation().get(code or "", "other")
