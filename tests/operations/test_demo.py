"""The SYNTHETIC demo: one festival-period operation planned by the Napo command with the
police, the army, the Pingmeng post and the Nianjing village committee; tasks (two done), a
patrol and a roster linked; and the acknowledged-notifications demo at Yangjiang."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from bastion import demo
from bastion.core.figures import by_key, collect
from bastion.notifications import service as notifications
from bastion.operations import service
from bastion.operations.models import LinkKind, Operation
from bastion.org.models import User
from tests.web_helpers import api_token


def test_the_demo_operation(client, session):
    demo.load(session, residents=False)
    session.commit()
    users = {u.username: u for u in session.scalars(select(User))}
    operation = session.scalar(select(Operation))
    assert "SYNTHETIC" in operation.name and not operation.exercise
    detail = service.detail(session, user=users["huang.command"], operation=operation)
    assert detail.phase == "under_way" and len(detail.participants) == 4
    assert (detail.tasks, detail.tasks_done) == (5, 2) and len(detail.posts) == 3
    assert {link.kind for link in detail.links} == {LinkKind.PATROL, LinkKind.ROSTER}
    today = datetime.now(UTC).date()
    figures = by_key(collect(session=session, user=users["huang.command"],
                             start=date(today.year, 1, 1), end=date(today.year + 1, 1, 1)))
    assert figures["operations.count"] == 1 and figures["operations.tasks_done"] >= 2
    # Who sees it: the command, the police and the village; not the station or the agent.
    for username, status in (("nong.post", 200), ("wei.police", 200), ("ma.village", 200),
                             ("liang.army", 200), ("chen.supervisor", 404),
                             ("agent.yj", 403)):
        headers = api_token(client, username, demo.DEMO_PASSWORD)
        got = client.get(f"/api/v1/operations/{operation.id}", headers=headers)
        assert got.status_code == status, username
    # The acknowledged notifications: one acknowledged by the agency, one waiting.
    sent = list(session.scalars(notifications.sent_query(users["chen.supervisor"])))
    states = {n.id: notifications.follow_up(session, n) for n in sent}
    acknowledged = sorted(sum(1 for a in s if a.acknowledged_at) for s in states.values())
    assert acknowledged == [0, 1]


def test_extra_duty_goes_on_a_roster_through_duty(client, session):
    """On the demo: the command adds an extra duty for the operation to its roster (duty's
    own rules decide), and the roster is linked; a participant cannot."""
    demo.load(session, residents=False)
    session.commit()
    operation = session.scalar(select(Operation))
    headers = api_token(client, "huang.command", demo.DEMO_PASSWORD)
    rosters = client.get("/api/v1/duty/rosters", headers=headers).json()["items"]
    cells, roster = [], None
    for listed in rosters:
        roster = client.get(f"/api/v1/duty/rosters/{listed['id']}", headers=headers).json()
        cells = roster["assignments"]
        if cells:
            break
    days = sorted({c["day"] for c in cells})
    made, last = None, ""
    for cell in cells[:40]:
        busy = {c["day"] for c in cells if c["person_id"] == cell["person_id"]}
        for day in days:
            if day in busy:
                continue
            response = client.post(f"/api/v1/operations/{operation.id}/duty", headers=headers,
                                   json={**{k: cell[k] for k in ("shift_code", "unit_id",
                                                                 "role_code", "person_id")},
                                         "day": day, "roster_id": roster["id"],
                                         "note": "节日加强值守"})
            if response.status_code == 201:
                made = response.json()
                break
            assert response.status_code == 422, response.text
            last = response.text
        if made:
            break
    assert made, (len(cells), last)  # duty's rules refused every candidate
    assert made["kind"] == "roster" and made["ref_id"] == roster["id"]
    police = api_token(client, "wei.police", demo.DEMO_PASSWORD)
    refused = client.post(f"/api/v1/operations/{operation.id}/duty", headers=police, json={
        **{k: cells[0][k] for k in ("shift_code", "unit_id", "role_code", "person_id")},
        "day": days[0], "roster_id": roster["id"]})
    assert refused.status_code == 403
