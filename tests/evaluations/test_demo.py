"""The demo's year of monthly assessments: exactly 37 auxiliaries rated excellent by the rule
(the seed report's figure), counted from the assessments by ``figures()``; the station's
party members are its supervisors' alone."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bastion import demo
from bastion.evaluations import figures, service
from bastion.org.models import User


def test_the_demo_year(session):
    demo.load(session, border=False, residents=False, outreach=False)
    users = {u.username: u for u in session.scalars(select(User))}
    command = users["huang.command"]
    year = date.today().year
    found = {f.key: f.value for f in figures.figures(
        session=session, user=command, start=date(year, 1, 1), end=date(year + 1, 1, 1))}
    assert found == {"evaluations.excellent": 37, "evaluations.assessed": 60}
    rows = service.annual(session, user=command, year=year)
    assert len(rows) == 60 and all(r["months"] == 12 for r in rows)
    assert sum(1 for r in rows if r["override"]) == 1
    station = {f.key: f.value for f in figures.figures(
        session=session, user=users["chen.supervisor"], start=date(year, 1, 1),
        end=date(year + 1, 1, 1))}
    assert station["evaluations.assessed"] == 13 and station["evaluations.excellent"] == 4
    for who in ("ma.village", "agent.yj", "wei.police", "li.officer"):
        assert figures.figures(session=session, user=users[who], start=date(year, 1, 1),
                               end=date(year + 1, 1, 1)) is None
