"""The independent checker: a valid hand-made plan passes; each rule broken on its own is
found, named and explained (in English and Chinese)."""

from __future__ import annotations

import ast
import dataclasses
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from bastion.core.i18n import translations
from bastion.duty import check
from bastion.duty.check import Violation, violations
from bastion.duty.solver.problem import Cell, Demand, Person, Problem, Rules, Shift

MON = date(2026, 3, 2)  # a Monday
D = Shift("D", time(8), time(20))
N = Shift("N", time(20), time(8))  # ends the next day: a night shift


def day(i: int) -> date:
    return MON + timedelta(days=i)


def people(**changes) -> tuple[Person, ...]:
    base = {
        "a": Person("a", "Alice", "P1", ("officer",)),
        "b": Person("b", "Bo", "P1", ("officer",)),
        "c": Person("c", "Chen", "P1", ("officer", "leader")),
        "d": Person("d", "Du", "P1", ("officer",)),
        "e": Person("e", "Er", "P2", ("officer",)),      # another post
        "f": Person("f", "Fang", "P1", ("leader",)),     # not an officer
    }
    base.update(changes)
    return tuple(base.values())


def problem(*, rules: Rules | None = None, days: int = 7, pins: tuple[Cell, ...] = (),
            demand: tuple[Demand, ...] | None = None, holidays=frozenset(), **who) -> Problem:
    return Problem(start=MON, days=days, shifts=(D, N), people=people(**who),
                   demand=demand or (Demand("P1", "D", "officer", 1),
                                     Demand("P1", "N", "officer", 1)),
                   rules=rules or Rules(), holidays=holidays, pins=pins)


def valid_plan() -> list[Cell]:
    """Alice days 0-3, Chen days 4-6; Bo nights 0-2 and 6, Du nights 3-5."""
    plan = [Cell(day(i), "D", "P1", "officer", "a") for i in range(4)]
    plan += [Cell(day(i), "D", "P1", "officer", "c") for i in range(4, 7)]
    plan += [Cell(day(i), "N", "P1", "officer", "b") for i in (0, 1, 2, 6)]
    plan += [Cell(day(i), "N", "P1", "officer", "d") for i in (3, 4, 5)]
    return plan


def swap(plan: list[Cell], i: int, shift: str, **change) -> list[Cell]:
    """The plan with the cell of day i and shift changed."""
    return [dataclasses.replace(c, **change) if (c.date, c.shift) == (day(i), shift) else c
            for c in plan]


def rules_of(found: list[Violation]) -> set[str]:
    return {v.rule for v in found}


def test_the_valid_plan_keeps_every_rule():
    assert violations(problem(), valid_plan()) == []
    assert violations(problem(), valid_plan(), partial=True) == []


def test_demand_short_and_over():
    short = [c for c in valid_plan() if (c.date, c.shift) != (day(2), "N")]
    found = violations(problem(), short)
    assert rules_of(found) == {"demand"}
    (v,) = found
    assert v.params == {"date": "2026-03-04", "post": "P1", "shift": "N", "role": "officer",
                        "limit": 1, "count": 0}
    assert v.text() == ("P1 needs 1 officer on the N shift of 2026-03-04; the plan has 0.")
    # an edit in a half-filled roster is not held to the demand
    assert violations(problem(), short, partial=True) == []

    over = [*valid_plan(), Cell(day(0), "D", "P1", "leader", "f")]
    found = violations(problem(), over)
    assert rules_of(found) == {"demand"}
    assert found[0].params["role"] == "leader" and found[0].params["limit"] == 0


def test_demand_differs_on_holidays():
    demand = (Demand("P1", "D", "officer", 1), Demand("P1", "N", "officer", 1),
              Demand("P1", "D", "officer", 2, day_kind="rest"))
    holiday = problem(demand=demand, holidays=frozenset({day(2)}))
    found = violations(holiday, valid_plan())
    # 2 officers on the day shift of the holiday, and of Saturday and Sunday
    assert [(v.rule, v.params["date"], v.params["limit"], v.params["count"]) for v in found] == [
        ("demand", "2026-03-04", 2, 1), ("demand", "2026-03-07", 2, 1),
        ("demand", "2026-03-08", 2, 1)]


def test_own_post():
    found = violations(problem(), swap(valid_plan(), 0, "D", person="e"))
    assert rules_of(found) == {"own_post"}
    assert found[0].params["own_post"] == "P2" and found[0].params["person"] == "Er"


def test_role_held():
    found = violations(problem(), swap(valid_plan(), 0, "D", person="f"))
    assert rules_of(found) == {"role"}
    assert found[0].params["role"] == "officer" and found[0].params["person"] == "Fang"


def test_one_shift_a_day():
    # no rest rule in the way: Alice takes the night of day 0 too
    plan = swap(valid_plan(), 0, "N", person="a")
    found = violations(problem(rules=Rules(min_rest_hours=0)), plan)
    assert rules_of(found) == {"one_shift_a_day"}
    assert found[0].params["count"] == 2 and found[0].params["date"] == "2026-03-02"


def test_day_off():
    alice = Person("a", "Alice", "P1", ("officer",), off=frozenset({day(1)}))
    found = violations(problem(a=alice), valid_plan())
    assert rules_of(found) == {"day_off"}
    assert found[0].params["date"] == "2026-03-03"


def test_pinned_cell_must_stay():
    pin = Cell(day(1), "N", "P1", "officer", "d")
    found = violations(problem(pins=(pin,)), valid_plan())
    assert rules_of(found) == {"pinned"}
    assert violations(problem(pins=(pin,)), valid_plan(), partial=True)[0].rule == "pinned"
    kept = Cell(day(1), "N", "P1", "officer", "b")
    assert violations(problem(pins=(kept,)), valid_plan()) == []


def test_min_rest_across_midnight():
    # Chen's night of day 3 ends at 08:00 on day 4, when her day shift begins: no rest
    plan = swap(valid_plan(), 3, "N", person="c")
    found = violations(problem(), plan)
    assert rules_of(found) == {"min_rest_hours"}
    (v,) = found
    assert v.params["hours"] == "0" and v.params["limit"] == "12"
    assert v.params["previous_date"] == "2026-03-05" and v.params["date"] == "2026-03-06"
    # a day shift the day after a day shift rests 12 hours: fine at 12, not at 13
    assert violations(problem(rules=Rules(min_rest_hours=12)), valid_plan()) == []
    late = violations(problem(rules=Rules(min_rest_hours=13)), valid_plan())
    assert rules_of(late) == {"min_rest_hours"}


def test_max_consecutive_nights():
    found = violations(problem(rules=Rules(max_consecutive_nights=2)), valid_plan())
    assert rules_of(found) == {"max_consecutive_nights"}
    assert {(v.params["person"], v.params["date"], v.params["count"]) for v in found} == {
        ("Bo", "2026-03-02", 3), ("Du", "2026-03-05", 3)}


def test_max_nights_per_week():
    found = violations(problem(rules=Rules(max_nights_per_week=3)), valid_plan())
    assert rules_of(found) == {"max_nights_per_week"}
    (v,) = found
    assert (v.params["person"], v.params["count"], v.params["limit"]) == ("Bo", 4, 3)


def test_weekly_rules_only_for_full_blocks():
    # 10 days: the last 3 are no full week, so 3 more nights there break no weekly rule
    plan = valid_plan() + [Cell(day(i), "N", "P1", "officer", "d") for i in (7, 8, 9)]
    strict = Rules(max_nights_per_week=3, max_consecutive_nights=3)
    found = violations(problem(rules=strict, days=10), plan, partial=True)
    assert [(v.rule, v.params["person"]) for v in found] == [("max_nights_per_week", "Bo")]


def test_max_consecutive_days():
    found = violations(problem(rules=Rules(max_consecutive_days=3)), valid_plan())
    assert rules_of(found) == {"max_consecutive_days"}
    (v,) = found
    assert (v.params["person"], v.params["count"]) == ("Alice", 4)


def test_min_days_off_per_week():
    found = violations(problem(rules=Rules(min_days_off_per_week=4)), valid_plan())
    assert rules_of(found) == {"min_days_off_per_week"}
    assert {(v.params["person"], v.params["count"]) for v in found} == {("Alice", 3),
                                                                         ("Bo", 3)}


def test_unknown_person_shift_and_date():
    plan = [*valid_plan(), Cell(day(0), "D", "P1", "officer", "zz"),
            Cell(day(1), "X", "P1", "officer", "f"), Cell(day(9), "D", "P1", "officer", "f")]
    found = violations(problem(), plan, partial=True)
    assert [v.rule for v in found] == ["unknown"] * 3


def test_messages_translate_to_chinese():
    zh = translations("zh-CN").gettext
    plans = {
        "demand": (problem(), valid_plan()[1:]),
        "own_post": (problem(), swap(valid_plan(), 0, "D", person="e")),
        "role": (problem(), swap(valid_plan(), 0, "D", person="f")),
        "min_rest_hours": (problem(), swap(valid_plan(), 3, "N", person="c")),
        "max_consecutive_nights": (problem(rules=Rules(max_consecutive_nights=2)),
                                   valid_plan()),
        "max_nights_per_week": (problem(rules=Rules(max_nights_per_week=3)), valid_plan()),
        "max_consecutive_days": (problem(rules=Rules(max_consecutive_days=3)), valid_plan()),
        "min_days_off_per_week": (problem(rules=Rules(min_days_off_per_week=4)),
                                  valid_plan()),
        "pinned": (problem(pins=(Cell(day(1), "N", "P1", "officer", "d"),)), valid_plan()),
        "day_off": (problem(a=Person("a", "Alice", "P1", ("officer",),
                                     off=frozenset({day(1)}))), valid_plan()),
        "one_shift_a_day": (problem(rules=Rules(min_rest_hours=0)),
                            swap(valid_plan(), 0, "N", person="a")),
    }
    for rule, (prob, plan) in plans.items():
        found = violations(prob, plan)
        assert found and found[0].rule == rule
        english, chinese = found[0].text(), found[0].text(zh)
        assert english != chinese, rule
        assert found[0].rule_name(zh) != found[0].rule_name(), rule
        assert found[0].to_json()["params"] == found[0].params


@pytest.mark.parametrize("rule", check.RULES)
def test_every_rule_has_a_translated_name(rule):
    zh = translations("zh-CN").gettext
    assert zh(check.RULE_NAMES[rule]) != check.RULE_NAMES[rule]


def test_written_apart_from_the_solver():
    """check.py imports only the solver's data classes, never its model."""
    tree = ast.parse(Path(check.__file__).read_text(encoding="utf-8"))
    duty_imports = {node.module for node in ast.walk(tree)
                    if isinstance(node, ast.ImportFrom) and node.module
                    and node.module.startswith("bastion.duty")}
    duty_imports |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                     for alias in node.names if alias.name.startswith("bastion.duty")}
    assert duty_imports == {"bastion.duty.solver.problem"}


def test_a_24_hour_shift_ends_the_next_morning():
    h24 = Shift("H", time(8), time(8))  # the command post's 24-hour duty
    prob = Problem(start=MON, days=7, shifts=(h24,), people=people(),
                   demand=(Demand("P1", "H", "officer", 1),))
    every_other = [Cell(day(i), "H", "P1", "officer", "a" if i % 2 == 0 else "b")
                   for i in range(7)]
    assert violations(prob, every_other) == []
    back_to_back = swap(every_other, 1, "H", person="a")
    found = violations(prob, back_to_back)
    assert {v.rule for v in found} >= {"min_rest_hours"}
    assert found[[v.rule for v in found].index("min_rest_hours")].params["hours"] == "0"
