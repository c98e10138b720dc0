"""The SYNTHETIC demo: a published roster of the current month for the Napo command and the
Yangjiang station, keeping every rule (the independent checker says so), loaded fast; each
demo user sees what they should."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from sqlalchemy import select

from bastion import demo as base_demo
from bastion.duty import check
from bastion.duty.rosters import demo
from bastion.duty.rosters import problem_of as po
from bastion.duty.rosters.models import Assignment, Roster, RosterStatus, SwapRequest
from bastion.org.models import User
from tests.web_helpers import api_token

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


def test_demo_rosters(client, session):
    base_demo.load(session, border=False, duty=False)
    users = {u.username: u for u in session.scalars(select(User))}
    started = time.perf_counter()
    demo.load(session, users=users, now=NOW)
    session.commit()
    assert time.perf_counter() - started < 5
    published = session.scalars(select(Roster).where(
        Roster.status == RosterStatus.PUBLISHED)).all()
    assert len(published) == 2 and all(r.synthetic and r.start.isoformat() == "2026-12-01"
                                       and r.days == 31 for r in published)
    for r in published:
        rows = session.scalars(select(Assignment).where(Assignment.roster_id == r.id)).all()
        cells = po.cells_of(po.unit_codes(session, r.unit_ids), rows)
        assert check.violations(po.problem_of(session, r), cells) == []
    assert session.scalar(select(SwapRequest)) is not None
    seen = {}
    for who in ("huang.command", "he.auxiliary", "wei.police", "chen.supervisor", "li.officer",
                "ma.village", "agent.yj", "zhou.customs"):
        got = client.get("/api/v1/duty/rosters",
                         headers=api_token(client, who, base_demo.DEMO_PASSWORD))
        seen[who] = got.json()["total"] if got.status_code == 200 else got.status_code
    assert seen == {"huang.command": 2, "he.auxiliary": 1, "wei.police": 1,
                    "chen.supervisor": 2, "li.officer": 1, "ma.village": 403,
                    "agent.yj": 403, "zhou.customs": 403}
