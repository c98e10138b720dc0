"""Figures: the counts a command reports for a period (the annual report), each computed from
the records when asked, never stored.

A domain contributes its figures by naming a function in its manifest,
``extra={"figures": "bastion.hazards.figures:figures"}``, called as
``function(*, session, user, start, end) -> list[Figure] | None`` with ``start`` inclusive and
``end`` exclusive (dates, days in the command's zone). It counts only what ``user`` may see
and only operational records (``core.exercise.operational``); None leaves the section out
(the user may not see it). ``collect`` gathers every domain's section in registry order, for
the annual report page and its xlsx.

Why a registry of functions rather than a table of totals: a total kept beside the records
drifts from them; the seed report's figures must come from the records that say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bastion.core import domains


@dataclass(frozen=True)
class Figure:
    """One reported number. ``label`` and ``unit`` are English message ids (mark them with
    ``lazy``), translated when shown; ``key`` is stable (``"hazards.road_km"``) for tests,
    exports and year-on-year comparison."""

    key: str
    label: str
    value: float | int
    unit: str = ""
    link: str | None = None  # a page listing the records counted


@dataclass(frozen=True)
class Section:
    domain: str
    title: str  # English message id
    figures: tuple[Figure, ...]


def collect(*, session: Any, user: Any, start: date, end: date) -> list[Section]:
    """Every registered domain's figures for [start, end) that ``user`` may see."""
    sections = []
    for domain in domains.registered():
        target = domain.extra.get("figures")
        if not target:
            continue
        found = domains.load(target)(session=session, user=user, start=start, end=end)
        if found:
            title = domain.extra.get("figures_title", domain.name)
            sections.append(Section(domain.name, str(title), tuple(found)))
    return sections


def by_key(sections: list[Section]) -> dict[str, float | int]:
    """{key: value} across sections (tests and the xlsx use it)."""
    return {f.key: f.value for s in sections for f in s.figures}
