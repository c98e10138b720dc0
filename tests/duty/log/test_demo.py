"""The duty-log demo: SYNTHETIC entries at the command and the post, one pending handover."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bastion.duty.log import demo
from bastion.duty.log.models import Handover, LogEntry
from bastion.org.models import AgencyKind, Role
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
