"""Small roster problems (SYNTHETIC) shared by the solver tests."""

from __future__ import annotations

import copy
from typing import Any

import pytest

BASE: dict[str, Any] = {
    "start": "2026-03-02",  # a Monday
    "days": 14,
    "shifts": [{"code": "D", "start": "08:00", "end": "20:00"},
               {"code": "N", "start": "20:00", "end": "08:00"}],
    "people": [
        {"id": "a1", "name": "Chen", "post": "A", "roles": ["duty_leader", "duty_officer"]},
        {"id": "a2", "name": "Li", "post": "A", "roles": ["duty_leader", "duty_officer"]},
        {"id": "a3", "name": "Wang", "post": "A", "roles": ["duty_leader", "duty_officer"]},
        {"id": "a4", "name": "Zhao", "post": "A", "roles": ["duty_officer"]},
        {"id": "a5", "name": "Sun", "post": "A", "roles": ["duty_officer"]},
        {"id": "a6", "name": "Zhou", "post": "A", "roles": ["duty_officer"],
         "off": ["2026-03-04"]},
        {"id": "b1", "name": "Wu", "post": "B", "roles": ["duty_officer"]},
        {"id": "b2", "name": "Zheng", "post": "B", "roles": ["duty_officer"]},
        {"id": "b3", "name": "Feng", "post": "B", "roles": ["duty_officer"]},
    ],
    "demand": [
        {"post": "A", "shift": "D", "role": "duty_leader", "count": 1},
        {"post": "A", "shift": "D", "role": "duty_officer", "count": 1},
        {"post": "A", "shift": "N", "role": "duty_officer", "count": 1},
        {"post": "B", "shift": "D", "role": "duty_officer", "count": 1},
        {"post": "B", "shift": "N", "role": "duty_officer", "count": 1, "day_kind": "workday"},
    ],
    "rules": {"min_rest_hours": 12, "max_consecutive_nights": 2, "max_nights_per_week": 3,
              "max_consecutive_days": 5, "min_days_off_per_week": 2},
    "time_limit_s": 5,
    "workers": 2,
}


@pytest.fixture
def doc() -> dict[str, Any]:
    """A fresh copy of the small problem (two posts, 9 people, 14 days) to change per test."""
    return copy.deepcopy(BASE)
