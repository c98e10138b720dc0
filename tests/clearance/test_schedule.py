"""The inspection scheduler, pure: served hours in the terminal's zone, tide windows, teams."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bastion.clearance.terminals.schedule import (
    Profile,
    arrival_window,
    first_slot,
    intersect,
    served,
)

OFFICE = Profile(service_hours="office", timezone="Asia/Shanghai", opens=time(8, 30),
                 closes=time(17, 30), working_days=frozenset({1, 2, 3, 4, 5}), teams=1)
H2 = timedelta(hours=2)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_office_hours_are_the_terminals_local_hours_on_working_days():
    # Friday 2026-12-04 to Monday 2026-12-07 (UTC); Shanghai is UTC+8.
    hours = served(OFFICE, utc(2026, 12, 4, 0), utc(2026, 12, 8, 0))
    assert hours == [(utc(2026, 12, 4, 0, 30), utc(2026, 12, 4, 9, 30)),
                     (utc(2026, 12, 7, 0, 30), utc(2026, 12, 7, 9, 30))]
    assert served(Profile(service_hours="24h"), utc(2026, 12, 5), utc(2026, 12, 6)) == [
        (utc(2026, 12, 5), utc(2026, 12, 6))]


def test_a_slot_never_straddles_closing_time_and_weekends_wait_for_monday():
    friday_late = utc(2026, 12, 4, 8, 0)  # 16:00 in Shanghai: 1.5 h before closing
    assert first_slot(OFFICE, earliest=friday_late, duration=H2, booked=[]) == (
        utc(2026, 12, 7, 0, 30), utc(2026, 12, 7, 2, 30))


def test_busy_teams_push_the_slot_to_the_first_free_gap():
    monday = utc(2026, 12, 7, 0, 30)
    booked = [(monday, monday + H2)]
    assert first_slot(OFFICE, earliest=monday, duration=H2, booked=booked)[0] == monday + H2
    two_teams = Profile(**{**OFFICE.__dict__, "teams": 2})
    assert first_slot(two_teams, earliest=monday, duration=H2, booked=booked)[0] == monday


def test_emergencies_may_be_booked_outside_hours_but_never_outside_the_tide():
    saturday_night = utc(2026, 12, 5, 15, 0)
    assert first_slot(OFFICE, earliest=saturday_night, duration=H2, booked=[],
                      outside_hours=True)[0] == saturday_night
    tide = [(utc(2026, 12, 5, 18, 0), utc(2026, 12, 5, 21, 0))]
    assert first_slot(OFFICE, earliest=saturday_night, duration=H2, booked=[], passable=tide,
                      outside_hours=True) == (utc(2026, 12, 5, 18, 0), utc(2026, 12, 5, 20, 0))
    short = [(utc(2026, 12, 5, 18, 0), utc(2026, 12, 5, 19, 0))]  # shorter than the inspection
    assert first_slot(OFFICE, earliest=saturday_night, duration=H2, booked=[], passable=short,
                      outside_hours=True, horizon=timedelta(days=1)) is None


def test_slots_lie_inside_both_served_hours_and_tide_windows():
    monday = utc(2026, 12, 7, 0, 0)
    tide = [(utc(2026, 12, 6, 22, 0), utc(2026, 12, 7, 1, 0)),   # closes 30 min after opening
            (utc(2026, 12, 7, 6, 0), utc(2026, 12, 7, 11, 0))]
    slot = first_slot(OFFICE, earliest=monday, duration=H2, booked=[], passable=tide)
    assert slot == (utc(2026, 12, 7, 6, 0), utc(2026, 12, 7, 8, 0))
    assert intersect([(monday, monday + H2)], [(monday + H2, monday + 2 * H2)]) == []


def test_the_arrival_window_is_the_open_one_or_the_next():
    windows = [(utc(2026, 12, 7, 1), utc(2026, 12, 7, 4)), (utc(2026, 12, 7, 13), utc(2026, 12, 7, 16))]
    assert arrival_window(windows, utc(2026, 12, 7, 2)) == (utc(2026, 12, 7, 2), utc(2026, 12, 7, 4))
    assert arrival_window(windows, utc(2026, 12, 7, 5)) == windows[1]
    assert arrival_window(windows, utc(2026, 12, 7, 17)) is None


def test_teams_count_inspections_running_at_the_same_moment_not_all_in_the_slot():
    monday = utc(2026, 12, 7, 0, 30)
    two_teams = Profile(**{**OFFICE.__dict__, "teams": 2})
    # one team busy for the first hour, another for the second: never both at once
    booked = [(monday, monday + timedelta(hours=1)),
              (monday + timedelta(hours=1), monday + H2)]
    assert first_slot(two_teams, earliest=monday, duration=H2, booked=booked)[0] == monday
    both = [*booked, (monday + timedelta(minutes=30), monday + timedelta(minutes=90))]
    assert first_slot(two_teams, earliest=monday, duration=H2, booked=both)[0] > monday
