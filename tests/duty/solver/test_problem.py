"""parse_problem: the issue's PROBLEM.json and its extensions; every malformed field named."""

from __future__ import annotations

from datetime import date, time

import pytest

from bastion.core.errors import Invalid
from bastion.duty.solver import Demand, ProblemErrors, Rules, Shift, parse_problem


def errors(document) -> dict[str, str]:
    with pytest.raises(ProblemErrors) as caught:
        parse_problem(document)
    assert isinstance(caught.value, Invalid) and caught.value.status_code == 422
    return dict(caught.value.problems)


def test_the_small_problem_reads(doc):
    problem = parse_problem(doc)
    assert problem.start == date(2026, 3, 2) and problem.days == 14
    assert problem.shifts[1] == Shift("N", time(20), time(8)) and problem.shifts[1].night
    assert problem.shifts[0].hours == 12 and not problem.shifts[0].night
    assert problem.person("a6").off == frozenset({date(2026, 3, 4)})
    assert problem.rules == Rules(12, 2, 3, 5, 2, 1)
    assert [len(w) for w in problem.weeks()] == [7, 7]
    assert problem.posts() == ["A", "B"]


def test_a_24_hour_shift_is_not_empty(doc):
    doc["shifts"] = [{"code": "H24", "start": "08:00", "end": "08:00"}]
    doc["demand"] = [{"post": "A", "shift": "H24", "role": "duty_officer", "count": 1}]
    shift = parse_problem(doc).shifts[0]
    assert shift.hours == 24 and shift.night


def test_every_problem_is_named_by_its_field(doc):
    doc["start"] = "2026-02-30"
    doc["days"] = 400
    doc["shifts"].append({"code": "D", "start": "25:00", "end": "7:00"})
    doc["people"][0]["off"] = ["2027-01-01"]
    doc["people"][1]["id"] = "a1"
    doc["demand"][0]["shift"] = "X"
    doc["demand"][1]["count"] = -1
    doc["rules"]["max_nights"] = 3
    doc["rules"]["min_rest_hours"] = "twelve"
    doc["colour"] = "red"
    found = errors(doc)
    assert found["start"] == "'2026-02-30' is not a date"
    assert found["days"] == "must be between 1 and 366, not 400"
    assert "not a time of day" in found["shifts[2].start"]
    assert found["shifts[2].end"] == "must be a time HH:MM"
    assert found["people[1].id"] == "duplicate person id 'a1'"
    assert found["demand[0].shift"] == "unknown shift 'X'"
    assert found["demand[1].count"] == "must be between 0 and 1000, not -1"
    assert found["rules.max_nights"] == "unknown field"
    assert found["rules.min_rest_hours"] == "must be a number"
    assert found["colour"] == "unknown field"


@pytest.mark.parametrize(("change", "path", "words"), [
    (lambda d: d["people"][5].update(off=["2026-03-16"]), "people[5].off[0]", "outside the horizon"),
    (lambda d: d["people"][5].update(off=["2026-03-01"]), "people[5].off[0]", "outside the horizon"),
    (lambda d: d["people"][0].update(prefer_off=["x"]), "people[0].prefer_off[0]", "YYYY-MM-DD"),
    (lambda d: d["shifts"].append({"code": "D", "start": "01:00", "end": "02:00"}),
     "shifts[2].code", "duplicate shift code 'D'"),
    (lambda d: d.update(days=0), "days", "between 1 and 366"),
    (lambda d: d.update(days=2.5), "days", "whole number"),
    (lambda d: d.update(days=True), "days", "whole number"),
    (lambda d: d.pop("people"), "people", "is required"),
    (lambda d: d["people"][0].pop("post"), "people[0].post", "is required"),
    (lambda d: d["people"][0].update(roles="duty_officer"), "people[0].roles", "must be a list"),
    (lambda d: d.update(posts=["A"]), "people[6].post", "unknown post 'B'"),
    (lambda d: d.update(roles=["duty_officer"]), "people[0].roles[0]", "unknown role"),
    (lambda d: d.update(posts=["A", "B"]) or d["demand"].append(
        {"post": "C", "shift": "D", "role": "duty_officer", "count": 1}),
     "demand[5].post", "unknown post 'C'"),
    (lambda d: d["demand"][0].update(weekdays=[7]), "demand[0].weekdays[0]", "between 0 and 6"),
    (lambda d: d["demand"][0].update(day_kind="holiday"), "demand[0].day_kind", "workday"),
    (lambda d: d["demand"].append(dict(d["demand"][0])), "demand[5]", "repeats demand[0]"),
    (lambda d: d.update(holidays=["2026-03-03"], workdays=["2026-03-03"]), "workdays",
     "also a holiday"),
    (lambda d: d.update(pins=[{"date": "2026-03-02", "shift": "D", "post": "A",
                               "role": "duty_leader", "person": "zz"}]),
     "pins[0].person", "unknown person 'zz'"),
    (lambda d: d.update(previous=[{"date": "2026-04-02", "shift": "D", "post": "A",
                                   "role": "duty_leader", "person": "a1"}]),
     "previous[0].date", "outside the horizon"),
    (lambda d: d.update(time_limit_s=0), "time_limit_s", "between"),
    (lambda d: d.update(workers=0), "workers", "between 1 and 16"),
    (lambda d: d["rules"].update(max_nights_per_week=8), "rules.max_nights_per_week", "0 and 7"),
])
def test_one_problem_one_field(doc, change, path, words):
    change(doc)
    found = errors(doc)
    assert path in found, found
    assert words in found[path]


def test_not_an_object():
    assert errors([1, 2]) == {"(file)": "must be an object"}


def test_demand_the_most_specific_row_wins(doc):
    doc["holidays"] = ["2026-03-04"]          # a Wednesday off
    doc["workdays"] = ["2026-03-07"]          # a Saturday worked (调休)
    doc["demand"] = [
        {"post": "A", "shift": "D", "role": "duty_officer", "count": 1},
        {"post": "A", "shift": "D", "role": "duty_officer", "count": 2, "day_kind": "rest"},
        {"post": "A", "shift": "D", "role": "duty_officer", "count": 3, "weekdays": [0]},
        {"post": "A", "shift": "D", "role": "duty_officer", "count": 4, "weekdays": [0],
         "day_kind": "rest"},
    ]
    problem = parse_problem(doc)
    counts = {d: [r.count for r in problem.demand_on(d)] for d in problem.dates()}
    assert problem.day_kind(date(2026, 3, 4)) == "rest"
    assert problem.day_kind(date(2026, 3, 7)) == "workday"
    assert counts[date(2026, 3, 3)] == [1]   # Tuesday: plain
    assert counts[date(2026, 3, 4)] == [2]   # holiday: rest
    assert counts[date(2026, 3, 7)] == [1]   # adjusted working Saturday: plain
    assert counts[date(2026, 3, 8)] == [2]   # Sunday: rest
    assert counts[date(2026, 3, 2)] == [3]   # Monday: weekday beats day kind
    doc["holidays"] = ["2026-03-09"]
    assert [r.count for r in parse_problem(doc).demand_on(date(2026, 3, 9))] == [4]


def test_two_rows_equally_specific_on_one_day_are_refused(doc):
    doc["demand"] = [
        {"post": "A", "shift": "D", "role": "duty_officer", "count": 1, "weekdays": [0, 1]},
        {"post": "A", "shift": "D", "role": "duty_officer", "count": 2, "weekdays": [1, 2]},
    ]
    found = errors(doc)
    assert "applies on 2026-03-03 together with demand[0]" in found["demand[1]"]


def test_demand_for_a_declared_post_nobody_works_at_is_not_malformed(doc):
    doc["posts"] = ["A", "B", "Z"]
    doc["demand"].append({"post": "Z", "shift": "D", "role": "duty_officer", "count": 1})
    assert Demand("Z", "D", "duty_officer", 1) in parse_problem(doc).demand


@pytest.mark.parametrize(("change", "path", "words"), [
    (lambda d: d["demand"].append({"post": "Z", "shift": "D", "role": "duty_officer",
                                   "count": 1}),
     "demand[5].post", ("unknown post 'Z': no person works there and \"posts\" does not "
                       "declare it")),
    (lambda d: d["demand"][0].update(role="duty_leadr"),
     "demand[0].role", ("unknown role 'duty_leadr': no person holds it and \"roles\" does not "
                       "declare it (did you mean 'duty_leader'?)")),
    (lambda d: d.update(posts=["A", "B"]) or d["demand"][4].update(role="interpreter"),
     "demand[4].role", "unknown role 'interpreter': no person holds it"),  # posts declared
])
def test_an_undeclared_post_or_role_nobody_has_is_an_error(doc, change, path, words):
    change(doc)
    found = errors(doc)
    assert path in found, found
    assert found[path].startswith(words), found[path]


def test_a_person_s_role_or_post_no_demand_names_is_a_warning(doc):
    doc["people"][4]["roles"] = ["duty_oficer"]  # a typo: Sun would never be rostered
    doc["people"].append({"id": "c1", "post": "C", "roles": ["duty_officer"]})
    doc["demand"] = [row for row in doc["demand"] if row["role"] != "duty_leader"]
    problem = parse_problem(doc)
    assert dict(problem.warnings) == {
        "people[4].roles[0]": "role 'duty_oficer' is named by no demand row: it changes "
                              "nothing (did you mean 'duty_officer'?)",
        "people[9].post": "post 'C' is named by no demand row: it changes nothing",
        **{f"people[{i}].roles[0]": "role 'duty_leader' is named by no demand row: it "
                                    "changes nothing" for i in (0, 1, 2)}}
    doc["roles"] = ["duty_leader", "duty_officer", "duty_oficer"]
    doc["posts"] = ["A", "B", "C"]
    assert parse_problem(doc).warnings == ()  # declared: said on purpose


def test_a_problem_too_big_to_solve_is_refused(doc):
    doc["days"] = 366
    doc["people"] = [{"id": f"p{i}", "post": "A", "roles": [f"r{j}" for j in range(10)]}
                     for i in range(1000)]
    doc["demand"] = [{"post": "A", "shift": s, "role": f"r{j}", "count": 1}
                     for s in ("D", "N") for j in range(10)]
    assert "choices" in errors(doc)["people"]


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value[:2]):
            yield from _paths(item, (*path, i))


@pytest.mark.parametrize("junk", [None, True, -1, 1.5, float("inf"), "", "x" * 300, [], {},
                                  [None], {"a": 1}])
def test_any_value_anywhere_is_a_named_error_or_fine(doc, junk):
    import copy

    for path in list(_paths(doc))[1:]:
        mutated = copy.deepcopy(doc)
        holder = mutated
        for key in path[:-1]:
            holder = holder[key]
        holder[path[-1]] = junk
        try:
            parse_problem(mutated)
        except ProblemErrors as exc:
            assert all(isinstance(p, str) and p for p, _ in exc.problems), exc.problems
