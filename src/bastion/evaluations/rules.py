"""Pure rules: an assessment's total from its scores, and the annual rating from a year's
monthly totals by a rule kept as data (``IndicatorSet.rating_rule``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bastion.evaluations.models import Rating

# The shipped rule: the mean of the year's monthly totals, with at least 10 months assessed.
DEFAULT_RULE: dict[str, Any] = {
    "min_months": 10,
    "bands": [{"rating": "excellent", "min": 90.0}, {"rating": "competent", "min": 75.0},
              {"rating": "basically_competent", "min": 60.0}],
    "otherwise": "incompetent",
}


def total(indicators: Iterable[Any], scores: dict[int, float]) -> float:
    """The weighted share of the maximum, 0-100, rounded to 0.1: ``100 * sum(w * s / max) /
    sum(w)`` over the set's indicators (a missing score counts 0)."""
    rows = list(indicators)
    weights = sum(i.weight for i in rows)
    if not weights:
        return 0.0
    got = sum(i.weight * min(scores.get(i.id, 0.0), i.max_score) / i.max_score for i in rows)
    return round(100.0 * got / weights, 1)


def mean(totals: Sequence[float]) -> float | None:
    return round(sum(totals) / len(totals), 1) if totals else None


def derive(rule: dict[str, Any], totals: Sequence[float]) -> Rating | None:
    """The rating the rule gives a year's monthly totals; None when too few months."""
    rule = rule or DEFAULT_RULE
    if len(totals) < int(rule.get("min_months", 1)):
        return None
    average = sum(totals) / len(totals)
    for band in sorted(rule.get("bands", []), key=lambda b: -float(b["min"])):
        if average >= float(band["min"]) - 1e-9:
            return Rating(band["rating"])
    return Rating(rule.get("otherwise", Rating.INCOMPETENT.value))
