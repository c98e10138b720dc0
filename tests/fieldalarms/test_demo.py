"""The SYNTHETIC demo: a dozen devices along the demo border's segments, each at its segment's
post, shared with the police and the army; a few past alarms (resolved, false, one
acknowledged, one exercise); the command sees them on its map page and in its figures."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bastion import demo
from bastion.core.db import utcnow
from bastion.fieldalarms import figures
from bastion.fieldalarms.models import AlarmDevice, FieldAlarm
from bastion.org.models import User
from tests.web_helpers import api_token, login


def test_the_demo(client, session):
    demo.load(session, duty=False, residents=False)
    session.commit()
    devices = session.scalars(select(AlarmDevice)).all()
    alarms = session.scalars(select(FieldAlarm)).all()
    assert len(devices) == 12 and all(d.synthetic and "SYNTHETIC" in d.name for d in devices)
    assert len({d.post_agency_id for d in devices}) == 3
    assert sum(d.silent for d in devices) == 1
    assert len(alarms) == 6 and sum(a.exercise for a in alarms) == 1
    assert {a.status.value for a in alarms} == {"resolved", "false_alarm", "acknowledged"}
    users = {u.username: u for u in session.scalars(select(User))}
    today = utcnow().date()
    got = {f.key: f.value for f in figures.figures(
        session=session, user=users["huang.command"], start=today - timedelta(days=40),
        end=today + timedelta(days=2))}  # local days: from 16:00 UTC Beijing is a day ahead
    assert got == {"fieldalarms.alarms": 5, "fieldalarms.false_alarms": 2}
    api = "/api/v1/field-alarms/alarms"
    assert client.get(api, headers=api_token(client, "wei.police", demo.DEMO_PASSWORD)).json()[
        "total"] == 6
    assert client.get(api, headers=api_token(client, "ma.village", demo.DEMO_PASSWORD)
                      ).status_code == 403
    assert client.get(api, headers=api_token(client, "agent.yj", demo.DEMO_PASSWORD)
                      ).status_code == 403
    login(client, "huang.command", demo.DEMO_PASSWORD)
    page = client.get("/field-alarms")
    assert page.status_code == 200 and "NP-FA-11" in page.text
