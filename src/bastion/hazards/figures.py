"""The hazards section of the annual report (``core.figures``), counted from the records by
``totals.compute``: the quantities repaired per category in the category's unit
(``hazards.road_km``, ``hazards.landslides``, ``hazards.water_sources``, ``hazards.circuits``,
``hazards.fence_m``), the reports of blind spots and smuggling trails, the repairs done and
verified, and the blind spots and camera points of the surveys made in the period. Repairs
count on the day they were done, verified or not (``totals.py``); exercises never."""

from __future__ import annotations

from datetime import date
from typing import Any

from bastion.core import context
from bastion.core.figures import Figure
from bastion.core.i18n import lazy
from bastion.hazards import categories, totals
from bastion.org import capabilities

LINK = "/hazards/totals"
EXTRA = {
    "hazards.repairs": (lazy("Repairs done"), ""),
    "hazards.repairs_verified": (lazy("Repairs verified by the command"), ""),
    "hazards.reports": (lazy("Hazards reported"), ""),
    "hazards.survey_blind_spots": (lazy("Blind spots found by surveys"), ""),
    "hazards.camera_points": (lazy("Camera points proposed by surveys"), ""),
}
LABELS = {
    "hazards.road_km": lazy("Water-damaged road repaired"),
    "hazards.landslides": lazy("Landslides cleared"),
    "hazards.water_sources": lazy("Water sources repaired"),
    "hazards.circuits": lazy("Power circuits repaired"),
    "hazards.fence_m": lazy("Fence mended"),
    "hazards.blind_spots_reported": lazy("Camera blind spots reported"),
    "hazards.trails_reported": lazy("Smuggling trails reported"),
}


def figures(*, session: Any, user: Any, start: date, end: date) -> list[Figure] | None:
    if not capabilities.can(user, "hazards.stats"):
        return None
    from zoneinfo import ZoneInfo

    t = totals.compute(session, user=user, start=start, end=end,
                       zone=ZoneInfo(context.current().timezone))
    out = []
    for row in t.rows:
        cat = categories.get(row.category)
        if cat is None or cat.figure is None:
            continue
        if cat.unit is None:
            value: float | int = row.reports
        elif cat.unit == "count":
            value = round(row.quantity)
        else:
            value = row.quantity
        out.append(Figure(cat.figure, str(LABELS.get(cat.figure, cat.en)), value,
                          unit=str(categories.UNITS[cat.unit]) if cat.unit else "", link=LINK))
    values = {"hazards.repairs": sum(r.repairs for r in t.rows),
              "hazards.repairs_verified": sum(r.verified_repairs for r in t.rows),
              "hazards.reports": sum(r.reports for r in t.rows),
              "hazards.survey_blind_spots": t.blind_spots,
              "hazards.camera_points": t.camera_points}
    out += [Figure(key, str(label), values[key], unit=unit, link=LINK)
            for key, (label, unit) in EXTRA.items()]
    return out
