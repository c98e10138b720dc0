"""solve(): valid plans, fairness, pins, re-solving with few changes, explained infeasibility."""

from __future__ import annotations

import dataclasses
from datetime import date
from itertools import pairwise

from bastion.core.i18n import translations
from bastion.duty.check import violations
from bastion.duty.solver import Cell, Plan, explain, parse_problem, solve
from tests.duty.solver.rules import broken, spread


def solved(problem, **options) -> Plan:
    plan = solve(problem, **options)
    assert plan.status in ("optimal", "feasible"), [r.text() for r in plan.explanation]
    assert broken(problem, plan.assignments) == []
    return plan


def test_a_small_month_is_solved_valid_and_fair(doc):
    problem = parse_problem(doc)
    notes: list[tuple[float, str]] = []
    plan = solved(problem, progress=lambda f, note: notes.append((f, note)))
    assert plan.spread == spread(problem, plan.assignments)
    assert plan.bound is not None and plan.bound <= plan.spread
    assert plan.status != "optimal" or plan.bound == plan.spread
    assert plan.changes is None and plan.explanation == []
    fractions = [f for f, _ in notes]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any("solution 1, spread" in note for _, note in notes)
    # the independent checker (helper C's, written apart from the solver) agrees
    assert violations(problem, plan.assignments) == []
    document = plan.to_json()
    assert document["status"] == plan.status and len(document["assignments"]) == len(
        plan.assignments)
    assert set(document["assignments"][0]) == {"date", "shift", "post", "role", "person"}


def test_the_plain_model_finds_a_valid_plan_too(doc):
    problem = parse_problem(doc)
    plain = solved(problem, decompose=False, tricks=False)
    ours = solved(problem)
    if plain.status == ours.status == "optimal":
        assert plain.spread == ours.spread


def test_a_24_hour_duty_and_its_rest(doc):
    doc["shifts"] = [{"code": "H", "start": "08:00", "end": "08:00"}]
    doc["demand"] = [{"post": "B", "shift": "H", "role": "duty_officer", "count": 1}]
    doc["rules"].update(min_rest_hours=24, max_consecutive_nights=7, max_nights_per_week=7)
    problem = parse_problem(doc)
    plan = solved(problem)
    days = {}
    for c in plan.assignments:
        days.setdefault(c.person, []).append(c.date)
    for mine in days.values():  # 24 h on, then at least 24 h off: never two days running
        assert all((b - a).days >= 2 for a, b in pairwise(mine))


def test_pins_are_kept(doc):
    pins = [{"date": "2026-03-03", "shift": "N", "post": "A", "role": "duty_officer",
             "person": "a1"},
            {"date": "2026-03-10", "shift": "D", "post": "B", "role": "duty_officer",
             "person": "b3"}]
    doc["pins"] = pins
    problem = parse_problem(doc)
    plan = solved(problem)
    for pin in problem.pins:
        assert pin in plan.assignments


def test_preferences_are_met_when_they_cost_no_fairness(doc):
    doc["people"][6]["prefer_off"] = ["2026-03-05"]
    doc["people"][7]["prefer_on"] = ["2026-03-05"]
    plan = solved(parse_problem(doc))
    on = {c.person for c in plan.assignments if c.date == date(2026, 3, 5)}
    assert "b1" not in on and "b2" in on


def test_re_solve_after_a_change_moves_few_cells(doc):
    problem = parse_problem(doc)
    first = solved(problem)
    # Zhao (a4) now cannot come on a day the plan had him: re-solve from the plan
    taken = next(c for c in first.assignments if c.person == "a4")
    people = tuple(dataclasses.replace(p, off=p.off | {taken.date}) if p.id == "a4" else p
                   for p in problem.people)
    again = dataclasses.replace(problem, people=people, previous=tuple(first.assignments))
    second = solved(again)
    moved = set(first.assignments) - set(second.assignments)
    assert second.changes == len(moved)
    assert taken in moved and 1 <= len(moved) <= 6, sorted(moved)


def test_a_day_nobody_can_staff_is_named(doc):
    for person in doc["people"]:
        if person["post"] == "B":
            person["off"] = ["2026-03-05"]
    plan = solve(parse_problem(doc))
    assert plan.status == "infeasible" and plan.assignments == []
    reason = plan.explanation[0]
    assert reason.message == explain.DAY_SHORT
    assert reason.params == {"date": "2026-03-05", "post": "B", "needed": 2,
                             "roles": "duty_officer", "available": 0}
    assert reason.text() == ("On 2026-03-05 post B needs 2 people as duty_officer but only 0 "
                             "who hold those roles are not off that day.")
    document = plan.to_json()
    assert document["status"] == "infeasible" and document["explanation"] == [reason.text()]
    assert document["reasons"][0]["params"]["post"] == "B"


def test_a_role_nobody_holds_and_a_post_nobody_works_at(doc):
    doc["posts"] = ["A", "B", "C"]  # declared: C is a post, with nobody there this month
    doc["demand"] += [{"post": "B", "shift": "D", "role": "duty_leader", "count": 1},
                      {"post": "C", "shift": "N", "role": "duty_officer", "count": 2}]
    plan = solve(parse_problem(doc))
    assert plan.status == "infeasible"
    assert [(r.message, r.params["post"]) for r in plan.explanation] == [
        (explain.NO_ROLE, "B"), (explain.NO_PEOPLE, "C")]


def test_too_few_nights_allowed_in_a_week(doc):
    doc["rules"]["max_nights_per_week"] = 1  # post B: 5 nights a week, 3 people
    plan = solve(parse_problem(doc))
    assert plan.status == "infeasible"
    at_b = [r for r in plan.explanation if r.params["post"] == "B"]
    assert at_b[0].message == explain.NIGHTS_SHORT
    assert at_b[0].params == {"start": "2026-03-02", "post": "B", "roles": "duty_officer",
                              "people": 3, "needed": 5, "available": 3}


def test_rules_that_cannot_hold_together_are_named(doc):
    # 30 h rest: after a day shift no shift the next day, after a night only the night after
    # next; post B's 3 people cannot cover 12 shifts a week (counting alone does not see it)
    doc["rules"]["min_rest_hours"] = 30
    problem = parse_problem(doc)
    assert explain.precheck(problem) == []
    plan = solve(problem)
    assert plan.status == "infeasible"
    headers = [r for r in plan.explanation if r.message == explain.CORE]
    assert "B" in {r.params["post"] for r in headers}
    assert explain.rule_reason(problem, "min_rest_hours") in plan.explanation
    assert any(text.startswith("Rule: at least 30 hours of rest between")
               for text in plan.to_json()["explanation"])


def test_a_pin_at_another_post_is_explained(doc):
    doc["pins"] = [{"date": "2026-03-03", "shift": "D", "post": "B", "role": "duty_officer",
                    "person": "a4"}]
    plan = solve(parse_problem(doc))
    assert plan.status == "infeasible"
    assert plan.explanation[0].message == explain.PIN_POST
    assert plan.explanation[0].params["person"] == "Zhao"


def test_no_plan_in_time_is_unknown(doc):
    doc["people"] = [{"id": f"p{i}", "post": "A", "roles": ["duty_officer"]} for i in range(60)]
    doc["demand"] = [{"post": "A", "shift": s, "role": "duty_officer", "count": 20}
                     for s in ("D", "N")]
    doc["days"] = 60
    problem = dataclasses.replace(parse_problem(doc), time_limit_s=0.001)
    plan = solve(problem)
    assert plan.status == "unknown" and plan.assignments == []
    assert plan.explanation[0].message == explain.NO_PLAN_IN_TIME


def test_reasons_read_in_chinese(doc):
    doc["rules"]["max_nights_per_week"] = 1
    plan = solve(parse_problem(doc))
    text = plan.explanation[0].text(translations("zh-CN").gettext)
    assert "2026-03-02" in text and text != plan.explanation[0].text()
    assert all(explain.RULE_TEXT[r] for r in explain.RULE_TEXT)


def test_cells_order_and_json_round_trip():
    cell = Cell(date(2026, 3, 2), "D", "A", "duty_officer", "a1")
    assert cell.to_json() == {"date": "2026-03-02", "shift": "D", "post": "A",
                              "role": "duty_officer", "person": "a1"}


def test_a_problem_built_in_code_with_stray_pins_is_explained_not_crashed(doc):
    problem = parse_problem(doc)
    stray = (Cell(date(2026, 3, 3), "D", "A", "duty_officer", "ghost"),
             Cell(date(2026, 4, 3), "D", "A", "duty_officer", "a4"))
    plan = solve(dataclasses.replace(problem, pins=stray, previous=stray))
    assert plan.status == "infeasible"
    assert [r.message for r in plan.explanation] == [explain.PIN_UNKNOWN] * 2
    assert plan.explanation[0].params["person"] == "ghost"


def test_the_plain_model_explains_too(doc):
    doc["rules"]["min_rest_hours"] = 30
    plan = solve(parse_problem(doc), decompose=False, tricks=False)
    assert plan.status == "infeasible"
    assert {r.params["post"] for r in plan.explanation if r.message == explain.CORE} <= {"A", "B"}
    assert any(r.message == explain.RULE_TEXT["min_rest_hours"] for r in plan.explanation)
