"""The duty-log demo: SYNTHETIC entries at the command and the post, one pending handover."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bastion.duty.log import demo
from bastion.duty.log.models import Handover, LogEntry
from bastion.duty.rosters.models import Assignment, DutyPerson, Roster, RosterStatus
from bastion.org.models import AgencyKind, Role, User
from tests.factories import make_agency, make_user


def test_demo_loads_synthetic_entries_and_a_pending_handover(session):
    command = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_COMMAND)
    post = make_agency(session, kind=AgencyKind.JOINT_DEFENCE_POST, parent=command)
    police = make_agency(session, kind=AgencyKind.BORDER_POLICE)
    users = {"huang.command": make_user(session, agency=command, role=Role.SUPERVISOR),
             "nong.post": make_user(session, agency=post, role=Role.OFFICER),
             "he.auxiliary": make_user(session, agency=post, role=Role.VIEWER),
             "wei.police": make_user(session, agency=police, role=Role.OFFICER)}
    demo.load(session, users=users, now=datetime.now(UTC))
    entries = list(session.scalars(select(LogEntry)))
    assert len(entries) == len(demo.ENTRIES) and all(e.synthetic for e in entries)
    assert {e.unit_id for e in entries} == {command.id, post.id}
    handovers = list(session.scalars(select(Handover)))
    assert len(handovers) == 1 and handovers[0].confirmed_at is None
    assert "SYNTHETIC" in handovers[0].situation and handovers[0].open_items


@pytest.mark.parametrize("now", [
    datetime(2026, 12, 7, 2, 0, tzinfo=UTC),  # mid-month: the last shift nong.post began
    datetime(2026, 11, 30, 16, 30, tzinfo=UTC),  # 00:30 on the 1st: before any of this month
])
def test_the_demo_handover_is_of_the_outgoing_officer_s_shift(session, now):
    """The whole duty demo (rosters first): the handover names the day, shift and roster of a
    published duty of the outgoing officer, the one begun last before it was given (or, before
    the month's first, the first to come)."""
    from bastion import demo as base_demo
    from bastion.duty import demo as duty_demo

    base_demo.load(session, border=False, duty=False)
    users = {u.username: u for u in session.scalars(select(User))}
    duty_demo.load(session, users=users, now=now)
    session.flush()
    given = session.scalars(select(Handover)).one()
    assert given.outgoing_user_id == users["nong.post"].id
    assert given.shift_day and given.shift_code and given.roster_id is not None
    duty = session.scalars(select(Assignment).join(
        DutyPerson, DutyPerson.id == Assignment.person_id).where(
        DutyPerson.user_id == users["nong.post"].id, Assignment.roster_id == given.roster_id,
        Assignment.day == date.fromisoformat(given.shift_day),
        Assignment.shift_code == given.shift_code)).one()
    assert session.get(Roster, given.roster_id).status == RosterStatus.PUBLISHED
    mine = session.scalars(select(Assignment).join(
        DutyPerson, DutyPerson.id == Assignment.person_id).where(
        DutyPerson.user_id == users["nong.post"].id, Assignment.roster_id == given.roster_id)
        .order_by(Assignment.starts_at)).all()
    begun = [a for a in mine if a.starts_at <= given.created_at]
    assert duty == (begun[-1] if begun else mine[0])
    assert "SYNTHETIC" in given.situation
