"""The demo's year of legal outreach reproduces the seed report: 680 visits to the linked
villages reaching 40,000 people, counted from the records by ``figures()`` (the drill's visit
left out); every linked village has at least 2 visits every past month, and the compliance
board shows two villages behind this month."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bastion import demo
from bastion.core.config import get_settings
from bastion.core.figures import by_key, collect
from bastion.org.models import User
from bastion.outreach import figures, service
from bastion.outreach.demo import attendees, plan


def test_the_plan_keeps_its_promises():
    import random

    for months in (1, 2, 7, 12):
        rows = plan(6, months)
        assert sum(map(sum, rows)) == 680
        assert all(c >= 2 for row in rows[:-1] for c in row)
        assert sorted(rows[-1])[:2] == [0, 1]
    people = attendees(680, 40_000, random.Random(1))
    assert sum(people) == 40_000 and min(people) > 0


def test_the_demo_year(session):
    demo.load(session, duty=False, residents=False, evaluations=False)
    users = {u.username: u for u in session.scalars(select(User))}
    command = users["huang.command"]
    year = date.today().year
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    found = {f.key: f.value for f in figures.figures(session=session, user=command,
                                                     start=start, end=end)}
    assert found == {"outreach.visits": 680, "outreach.people_reached": 40_000,
                     "outreach.villages": 6}
    assert by_key(collect(session=session, user=command, start=start, end=end))[
        "outreach.visits"] == 680
    minimum = get_settings().outreach.min_visits_per_month
    board = service.board(session, user=command, month=date.today(), minimum=minimum,
                          months=date.today().month)
    assert board["behind"] == 2 and len(board["rows"]) == 6
    assert all(not c["behind"] for r in board["rows"] for c in r["cells"][:-1])
    # a post sees its own part, a village committee its village's visits only, others nothing
    post = figures.figures(session=session, user=users["nong.post"], start=start, end=end)
    assert 0 < next(f.value for f in post if f.key == "outreach.visits") < 680
    village = figures.figures(session=session, user=users["ma.village"], start=start, end=end)
    assert next(f.value for f in village if f.key == "outreach.villages") <= 1
    for who in ("agent.yj", "chen.supervisor", "wei.police"):
        assert figures.figures(session=session, user=users[who], start=start, end=end) is None
