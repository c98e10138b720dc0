"""The hotline's SYNTHETIC demo at the Yangjiang station: a month of calls in zh, en and vi,
most closed on time, a few late, two open (one past its deadline); the station sees them on
its board, marked SYNTHETIC."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from bastion import demo
from bastion.core.db import utcnow
from bastion.duty.hotline import deadlines
from bastion.duty.hotline import demo as hotline_demo
from bastion.duty.hotline.models import CallAction, CallStatus, HotlineCall
from bastion.org.models import Agency, User
from tests.web_helpers import login


def test_the_demo_month(client, session):
    demo.load(session, border=False, duty=False)
    users = {u.username: u for u in session.scalars(select(User))}
    now = utcnow()
    hotline_demo.load(session, users=users, now=now)
    session.commit()
    calls = session.scalars(select(HotlineCall)).all()
    station = session.scalar(select(Agency).where(Agency.code == "YJ-BIS"))
    assert len(calls) == 38 and all(c.synthetic and c.owner_org_id == station.id for c in calls)
    assert set(Counter(c.language.value for c in calls)) == {"zh", "en", "vi"}
    assert all(now - c.received_at <= timedelta(days=30) for c in calls)
    still_open = [c for c in calls if c.status != CallStatus.CLOSED]
    assert len(still_open) == 2
    assert sum(deadlines.overdue(c, now) for c in still_open) == 1
    rate = deadlines.closure_rate(calls, now)
    assert rate.late >= 2 and rate.rate is not None and 0.8 <= rate.rate < 1
    assert session.scalar(select(CallAction).where(CallAction.action == "callback"))
    login(client, "chen.supervisor", demo.DEMO_PASSWORD)
    board = client.get("/duty/hotline")
    assert board.status_code == 200
    assert board.text.count('class="overdue-row"') == 1 and "模拟数据" in board.text
    assert client.get("/duty/stats").status_code == 200


def test_the_demo_pages_read_in_chinese(client, session):
    """The crawl's heuristic (tests/web/test_zh_cn_complete.py) on the hotline's and the
    statistics' pages with the demo loaded: no English interface words; what callers said
    and the outcomes typed are data."""
    from tests.web.test_zh_cn_complete import WORD, _Reader, english_words

    demo.load(session, border=False, duty=False)
    users = {u.username: u for u in session.scalars(select(User))}
    hotline_demo.load(session, users=users)
    session.commit()
    calls = session.scalars(select(HotlineCall)).all()
    data = {w for c in calls for text in (c.summary, c.caller_name, c.outcome)
            for w in WORD.findall(text)}
    data |= {w for a in session.scalars(select(CallAction)) for w in WORD.findall(a.note)}
    data |= {w for u in users.values() for w in WORD.findall(u.username)}
    login(client, "li.officer", demo.DEMO_PASSWORD)
    client.cookies.set("bastion_lang", "zh-CN")
    mine = [c for c in calls if c.unit_id == users["li.officer"].agency_id]  # the team's
    for path in ("/duty/hotline", f"/duty/hotline/{mine[0].id}", f"/duty/hotline/{mine[-1].id}",
                 "/duty/hotline/print", "/duty/stats"):
        page = client.get(path)
        if path == "/duty/stats":  # a team's officer: no statistics
            assert page.status_code == 403
            login(client, "chen.supervisor", demo.DEMO_PASSWORD)
            client.cookies.set("bastion_lang", "zh-CN")
            page = client.get(path)
        assert page.status_code == 200, path
        reader = _Reader()
        reader.feed(page.text)
        leaked = [w for text in reader.texts for w in english_words(text, data)]
        assert leaked == [], (path, leaked)
