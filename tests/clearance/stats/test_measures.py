"""The pure computation: which event a measure belongs to, fallbacks, periods, last year."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bastion.clearance.stats.measures import (
    Call,
    Event,
    bucket,
    buckets,
    call_facts,
    facts,
    one_year_earlier,
    report,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _by_what(items):
    return {f.what: f.value for f in items}


def test_a_call_from_submission_to_departure():
    call = Call(id=1, terminal="COAL", eta=utc(2026, 1, 20), ata=utc(2026, 1, 12, 6),
                atd=utc(2026, 1, 20))
    events = [
        Event(1, "depart", utc(2026, 1, 14, 10), {"atd": "2026-01-14T09:00:00+00:00"}),
        Event(1, "submit", utc(2026, 1, 10), {"eta": "2026-01-12T00:00:00Z"}),
        Event(1, "submit", utc(2026, 1, 11), {"eta": "2026-01-30T00:00:00Z"}),  # resubmitted
        Event(1, "arrive", utc(2026, 1, 12, 2), {"ata": "2026-01-12T01:00:00+00:00"}),
        Event(1, "clear_in", utc(2026, 1, 12, 3), {"from": "inspecting", "to": "inspecting",
                                                   "persons": 20}),
        Event(1, "clear_in", utc(2026, 1, 12, 5), {"from": "inspecting", "to": "cleared_in",
                                                   "persons": 20}),
        Event(1, "clear_out", utc(2026, 1, 14, 8), {"from": "departure_declared",
                                                    "to": "cleared_out", "persons": 19}),
    ]
    found = call_facts(call, events)
    assert _by_what(found) == {"lead_time": 48.0, "vessels_in": 1, "persons_in": 20,
                               "clearance": 4.0, "vessels_out": 1, "persons_out": 19,
                               "in_port": 56.0}
    at = {f.what: f.at for f in found}
    assert at["lead_time"] == utc(2026, 1, 10)      # the first submit
    assert at["clearance"] == utc(2026, 1, 12, 5)   # the clear_in that moved the call
    assert at["in_port"] == utc(2026, 1, 14, 10)    # the depart event


def test_times_fall_back_to_the_call_then_to_the_event():
    # No ETA in the payload: the call's; no ATA anywhere but the arrive event: its time.
    call = Call(id=2, eta=utc(2026, 2, 2, 12))
    events = [Event(2, "submit", utc(2026, 2, 1), {}),
              Event(2, "arrive", utc(2026, 2, 2, 14), {}),
              Event(2, "clear_in", utc(2026, 2, 2, 19), {"from": "inspecting",
                                                         "to": "cleared_in"}),
              Event(2, "depart", utc(2026, 2, 3, 14), {"from": "cleared_out", "to": "departed"})]
    assert _by_what(call_facts(call, events)) == {
        "lead_time": 36.0, "vessels_in": 1, "persons_in": 0, "clearance": 5.0, "in_port": 24.0}
    # The call's ATA column comes before the arrive event's own time.
    with_ata = Call(id=2, eta=utc(2026, 2, 2, 12), ata=utc(2026, 2, 2, 13))
    assert _by_what(call_facts(with_ata, events))["clearance"] == 6.0


def test_no_eta_no_lead_time_and_late_declarations_are_negative():
    assert call_facts(Call(id=3), [Event(3, "submit", utc(2026, 1, 1))]) == []
    late = call_facts(Call(id=3), [Event(3, "submit", utc(2026, 1, 2),
                                         {"eta": "2026-01-01T18:00:00+00:00"})])
    assert _by_what(late) == {"lead_time": -6.0}


@pytest.mark.parametrize(("mode", "payload", "column", "expected"), [
    ("tide_window", {"tide_wait_minutes": 90}, None, 1.5),
    ("tide_window", {"tide_wait_minutes": 0}, None, 0.0),   # a tide call that did not wait
    ("tide_window", {}, 45, 0.75),                          # the call's column
    ("tide_window", {}, None, None),                        # never recorded: left out
    ("normal", {"tide_wait_minutes": 0}, None, None),       # not a tide call
    ("normal", {}, None, None),
    ("normal", {"tide_wait_minutes": 120}, None, 2.0),      # waited anyway
])
def test_waiting_for_tide(mode, payload, column, expected):
    call = Call(id=4, mode=mode, tide_wait_minutes=column)
    events = [Event(4, "approve_arrival", utc(2026, 1, 1), {"tide_wait_minutes": 600}),
              Event(4, "approve_arrival", utc(2026, 1, 2), payload)]  # the last one counts
    assert _by_what(call_facts(call, events)).get("tide_wait") == expected


def test_buckets_and_the_same_day_last_year():
    day = date(2026, 3, 31)
    assert [bucket(day, p) for p in ("day", "week", "month", "quarter", "year")] == [
        "2026-03-31", "2026-W14", "2026-03", "2026-Q1", "2026"]
    assert bucket(date(2027, 1, 1), "week") == "2026-W53"  # ISO weeks belong to ISO years
    assert one_year_earlier(date(2028, 2, 29)) == date(2027, 2, 28)
    assert buckets(date(2026, 1, 30), date(2026, 4, 2), "month") == [
        "2026-01", "2026-02", "2026-03", "2026-04"]


def test_periods_are_the_users_and_compared_with_last_year():
    calls = [Call(id=1, terminal="COAL"), Call(id=2, terminal="CONT", mode="24h")]
    moved = {"from": "inspecting", "to": "cleared_in", "persons": 5}
    events = [Event(1, "clear_in", utc(2026, 3, 31, 17, 30), moved),   # 1 April in Shanghai
              Event(2, "clear_in", utc(2025, 4, 15), {**moved, "persons": 4})]
    shanghai = report(facts(calls, events), start=date(2026, 1, 1), end=date(2026, 6, 30),
                      timezone="Asia/Shanghai")
    months = {r.key: r for r in shanghai.groups["period"]}
    assert list(months) == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    april = months["2026-04"]
    assert april.last_year_key == "2025-04"
    assert vars(april.cells["persons_in"]) == {"value": 5, "last_year": 4, "change": 1,
                                               "change_pct": 25.0}
    assert months["2026-03"].cells["vessels_in"].value == 0
    assert vars(months["2026-05"].cells["vessels_in"]) == {
        "value": 0, "last_year": 0, "change": 0, "change_pct": None}  # n/a
    utc_months = {r.key: r for r in report(
        facts(calls, events), start=date(2026, 1, 1), end=date(2026, 6, 30),
        timezone="UTC").groups["period"]}
    assert utc_months["2026-03"].cells["vessels_in"].value == 1
    assert utc_months["2026-04"].cells["vessels_in"].value == 0
    assert [r.key for r in shanghai.groups["terminal"]] == ["COAL", "CONT"]
    assert [r.key for r in shanghai.groups["mode"]] == ["normal", "24h"]
    coal = shanghai.groups["terminal"][0].cells["vessels_in"]
    assert (coal.value, coal.last_year, coal.change_pct) == (1, 0, None)


def test_a_range_longer_than_a_year_overlaps_its_comparison():
    calls = [Call(id=1)]
    events = [Event(1, "clear_in", utc(2025, 6, 1), {"from": "x", "to": "cleared_in"})]
    both = report(facts(calls, events), start=date(2025, 1, 1), end=date(2026, 6, 30),
                  period="year", timezone="UTC")
    assert (both.total.cells["vessels_in"].value, both.total.cells["vessels_in"].last_year) == (
        1, 1)
    assert [r.key for r in both.groups["period"]] == ["2025", "2026"]
    assert both.groups["period"][0].cells["vessels_in"].value == 1
    assert both.groups["period"][1].cells["vessels_in"].last_year == 1  # 2025 seen from 2026


def test_durations_are_averaged_and_medians_taken():
    calls = [Call(id=i, mode="tide_window") for i in (1, 2, 3, 4)]
    events = [Event(i, "approve_arrival", utc(2026, 2, 1), {"tide_wait_minutes": m})
              for i, m in ((1, 90), (2, 150), (3, 360))]
    events.append(Event(4, "approve_arrival", utc(2025, 2, 1), {"tide_wait_minutes": 60}))
    result = report(facts(calls, events), start=date(2026, 1, 1), end=date(2026, 3, 31),
                    by=(), timezone="UTC")
    assert result.groups == {}
    mean, median = result.total.cells["tide_wait_mean"], result.total.cells["tide_wait_median"]
    assert vars(mean) == {"value": 3.33, "last_year": 1.0, "change": 2.33, "change_pct": 233.3}
    assert vars(median) == {"value": 2.5, "last_year": 1.0, "change": 1.5, "change_pct": 150.0}
    lead = result.total.cells["lead_time_mean"]
    assert vars(lead) == {"value": None, "last_year": None, "change": None, "change_pct": None}
