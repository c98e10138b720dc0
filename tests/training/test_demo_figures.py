"""The demo's year reproduces the seed report's counts from its records: 1 skills training
(certificates for a cook, a welder and an excavator operator), 4 military-civil joint meetings,
4 quarterly border-control meetings, 3 military-police-civil tactical drills (one in exercise
mode, with injects that count nowhere), a Monday meeting and a study day every week. The
figures are recomputed here from the rows, and must equal what ``figures()`` says."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bastion import demo
from bastion.core import figures as core_figures
from bastion.org.models import User
from bastion.training import figures as training_figures
from bastion.training import service
from bastion.training.models import (
    Attendance,
    Certificate,
    EventStatus,
    Inject,
    TrainingEvent,
)


@pytest.fixture
def loaded(session):
    demo.load(session, border=False, duty=False, residents=False)
    session.commit()
    return {u.username: u for u in session.scalars(select(User))}


def _weekdays(year: int, weekday: int) -> int:
    day, n = date(year, 1, 1), 0
    while day.year == year:
        n += day.weekday() == weekday
        day += timedelta(days=1)
    return n


def test_the_demo_year_gives_the_seed_report_s_counts(session, loaded):
    command = loaded["huang.command"]
    year = service.utcnow().astimezone(service.zone()).year
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    got = {f.key: f.value for f in training_figures.figures(
        session=session, user=command, start=start, end=end)}
    # recomputed from the rows the command's organisation holds
    rows = session.scalars(select(TrainingEvent).where(
        TrainingEvent.owner_org_id == command.organisation_id,
        TrainingEvent.status != EventStatus.CANCELLED)).all()
    by_kind: dict[str, int] = {}
    for row in rows:
        by_kind[row.kind] = by_kind.get(row.kind, 0) + 1
    ids = [r.id for r in rows]
    assert got["training.skills_trainings"] == by_kind["skills_training"] == 1
    assert got["training.meetings_military_civil"] == by_kind["meeting_military_civil"] == 4
    assert got["training.meetings_quarterly"] == by_kind["meeting_quarterly"] == 4
    assert got["training.drills_tactical"] == by_kind["drill_tactical"] == 3
    assert got["training.drills"] == sum(v for k, v in by_kind.items() if k.startswith("drill"))
    assert got["training.meetings_weekly"] == by_kind["meeting_weekly"] == _weekdays(year, 0)
    assert got["training.study_days"] == by_kind["study_day"] == _weekdays(year, 3)
    certificates = session.scalars(select(Certificate.skill).where(
        Certificate.event_id.in_(ids))).all()
    assert got["training.certificates"] == len(certificates)
    assert got["training.attendance"] == session.scalar(select(func.count()).select_from(
        Attendance).where(Attendance.event_id.in_(ids), Attendance.present.is_(True)))
    if date(year, 10, 21) < date.today():  # the demo's dates lie behind us
        assert sorted(certificates) == ["cook", "excavator_operator", "welder"]
        exercise = [r for r in rows if r.exercise_mode]
        assert len(exercise) == 1 and exercise[0].kind == "drill_tactical"
        injects = session.scalars(select(Inject).where(Inject.event_id == exercise[0].id)).all()
        assert len(injects) == 3 and all(i.exercise for i in injects)
        assert got["training.attendance"] > 0
    # the annual report gathers the same section
    sections = core_figures.collect(session=session, user=command, start=start, end=end)
    assert {k: v for k, v in core_figures.by_key(sections).items()
            if k.startswith("training.")} == got
    # the port station counts its own drill only; a village committee sees no section
    station = {f.key: f.value for f in training_figures.figures(
        session=session, user=loaded["li.officer"], start=start, end=end)}
    assert station["training.drills"] == 1 and station["training.meetings_weekly"] == 0
    assert training_figures.figures(session=session, user=loaded["ma.village"], start=start,
                                    end=end) is None
    assert training_figures.figures(session=session, user=loaded["agent.yj"], start=start,
                                    end=end) is None
    # the police take part in the joint meetings and drills, not in the weekly ones
    police = {f.key: f.value for f in training_figures.figures(
        session=session, user=loaded["wei.police"], start=start, end=end)}
    assert police["training.meetings_quarterly"] == 4 and police["training.meetings_weekly"] == 0
