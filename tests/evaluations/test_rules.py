"""The annual rating's rule, kept as data: the mean of the year's monthly totals against
descending minimums, not rated with too few months; the total is the weighted share."""

from __future__ import annotations

from types import SimpleNamespace

from bastion.evaluations.models import Rating
from bastion.evaluations.rules import DEFAULT_RULE, derive, total


def test_the_shipped_rule():
    assert derive(DEFAULT_RULE, [90.0] * 10) == Rating.EXCELLENT
    assert derive(DEFAULT_RULE, [89.9] * 12) == Rating.COMPETENT
    assert derive(DEFAULT_RULE, [75.0] * 12) == Rating.COMPETENT
    assert derive(DEFAULT_RULE, [60.0] * 12) == Rating.BASIC
    assert derive(DEFAULT_RULE, [59.9] * 12) == Rating.INCOMPETENT
    assert derive(DEFAULT_RULE, [100.0] * 9) is None


def test_a_rule_of_ones_own():
    rule = {"min_months": 3, "bands": [{"rating": "competent", "min": 50},
                                       {"rating": "excellent", "min": 80}],
            "otherwise": "basically_competent"}
    assert derive(rule, [85, 80, 75]) == Rating.EXCELLENT  # bands in any order
    assert derive(rule, [10, 10, 10]) == Rating.BASIC


def test_total_is_the_weighted_share():
    a = SimpleNamespace(id=1, weight=3.0, max_score=10.0)
    b = SimpleNamespace(id=2, weight=1.0, max_score=100.0)
    assert total([a, b], {1: 10, 2: 0}) == 75.0
    assert total([a, b], {1: 5, 2: 100}) == 62.5
    assert total([], {}) == 0.0
