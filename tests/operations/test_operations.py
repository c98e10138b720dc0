"""Joint operations (#17.5) through the API as each kind of user: the command plans; the
participating agencies read, move their own tasks and write in the log; everyone else gets a
404; drills stay out of the figures; the export is a workbook."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from bastion.core.db import utcnow
from bastion.core.events import Event, may_see
from bastion.core.figures import by_key, collect
from tests.web_helpers import api_token

AREA = {"type": "Polygon", "coordinates": [[[105.80, 23.00], [105.90, 23.00], [105.90, 23.08],
                                            [105.80, 23.08], [105.80, 23.00]]]}


def _plan(client, cast, **extra):
    now = utcnow()
    body = {"name": "春节期间边境稳控联合行动 (SYNTHETIC)", "description": "test",
            "starts_at": (now - timedelta(days=1)).isoformat(),
            "ends_at": (now + timedelta(days=6)).isoformat(), "area": AREA,
            "participants": [{"agency_id": cast.police_ag.id, "role": "checkpoints"},
                             {"agency_id": cast.village_ag.id, "role": "information"}],
            "posts": [{"name": "平孟口岸卡点", "agency_id": cast.police_ag.id, "lat": 23.03,
                       "lon": 105.85, "staff": 4}]}
    body.update(extra)
    response = client.post("/api/v1/operations", json=body, headers=api_token(client, "op.planner"))
    assert response.status_code == 201, response.text
    return response.json()


def test_the_command_plans_and_participants_work(client, session, cast):
    op = _plan(client, cast)
    assert op["may_plan"] and op["phase"] == "under_way" and len(op["posts"]) == 1
    planner = api_token(client, "op.planner")
    task = client.post(f"/api/v1/operations/{op['id']}/tasks", headers=planner, json={
        "title": "Staff the port checkpoint", "owner_agency_id": cast.police_ag.id,
        "due_at": (utcnow() + timedelta(hours=4)).isoformat()})
    assert task.status_code == 201, task.text
    task_id = task.json()["id"]
    # The police officer was told of the task, sees the operation, and does it.
    police = api_token(client, "op.police")
    told = client.get("/api/v1/notifications", headers=police).json()["items"]
    assert told and told[0]["link"] == f"/operations/{op['id']}"
    seen = client.get(f"/api/v1/operations/{op['id']}", headers=police).json()
    assert not seen["may_plan"] and seen["tasks_list"][0]["may_work"]
    done = client.post(f"/api/v1/operations/{op['id']}/tasks/{task_id}/status", headers=police,
                       json={"status": "done"}).json()
    assert done["status"] == "done" and done["done_by"] == cast.police.display_name
    assert done["done_at"] is not None
    log = client.get(f"/api/v1/operations/{op['id']}/log", headers=police).json()
    assert log["total"] == 1 and "Staff the port checkpoint" in log["items"][0]["text"]
    wrote = client.post(f"/api/v1/operations/{op['id']}/log", headers=police,
                        json={"text": "卡点已到位"})
    assert wrote.status_code == 201
    # The planner's own post sees it too; participants cannot plan.
    post = api_token(client, "op.post")
    assert client.get(f"/api/v1/operations/{op['id']}", headers=post).status_code == 200
    assert client.post(f"/api/v1/operations/{op['id']}/tasks", headers=police, json={
        "title": "x", "owner_agency_id": cast.police_ag.id}).status_code == 403
    # The village committee's viewer reads but cannot move the police's task or write.
    villager = api_token(client, "op.villager")
    assert client.get(f"/api/v1/operations/{op['id']}", headers=villager).status_code == 200
    assert client.post(f"/api/v1/operations/{op['id']}/tasks/{task_id}/status",
                       headers=villager, json={"status": "todo"}).status_code == 403
    assert client.post(f"/api/v1/operations/{op['id']}/log", headers=villager,
                       json={"text": "x"}).status_code == 403
    # Everyone else: 404, and the list is empty.
    for username in ("op.army", "op.station"):
        headers = api_token(client, username)
        assert client.get(f"/api/v1/operations/{op['id']}", headers=headers).status_code == 404
        assert client.get(f"/api/v1/operations/{op['id']}/log",
                          headers=headers).status_code == 404
        assert client.get("/api/v1/operations", headers=headers).json()["total"] == 0
    agent = api_token(client, "op.agent")
    assert client.get(f"/api/v1/operations/{op['id']}", headers=agent).status_code in (403, 404)
    event = Event(id=0, kind="operation.task", at=utcnow(), record_kind="operation",
                  record_id=op["id"])
    assert may_see(session, cast.police, event) and may_see(session, cast.post, event)
    assert not may_see(session, cast.army, event) and not may_see(session, cast.agent, event)


def test_another_agency_s_task_is_not_yours_to_move(client, session, cast):
    op = _plan(client, cast, participants=[{"agency_id": cast.police_ag.id},
                                           {"agency_id": cast.army_ag.id}])
    planner = api_token(client, "op.planner")
    task = client.post(f"/api/v1/operations/{op['id']}/tasks", headers=planner, json={
        "title": "Ridge patrol", "owner_agency_id": cast.army_ag.id}).json()
    police = api_token(client, "op.police")
    assert client.post(f"/api/v1/operations/{op['id']}/tasks/{task['id']}/status",
                       headers=police, json={"status": "done"}).status_code == 403
    army = api_token(client, "op.army")
    assert client.post(f"/api/v1/operations/{op['id']}/tasks/{task['id']}/status",
                       headers=army, json={"status": "doing"}).json()["status"] == "doing"
    # A task for an agency not taking part is refused, naming the field.
    refused = client.post(f"/api/v1/operations/{op['id']}/tasks", headers=planner, json={
        "title": "x", "owner_agency_id": cast.station_ag.id})
    assert refused.status_code == 422 and "owner_agency_id" in refused.text


@pytest.mark.parametrize("bad, field", [
    ({"area": {"type": "LineString", "coordinates": [[105, 23], [106, 23]]}}, "area"),
    ({"area": {"type": "Polygon", "coordinates": [[[500, 23], [106, 23], [106, 24]]]}}, "area"),
    ({"ends_at": "2020-01-01T00:00:00Z"}, "ends_at"),
    ({"starts_at": "not a time"}, "starts_at"),
    ({"participants": [{"agency_id": 2147483647}]}, "participants"),
    ({"posts": [{"name": "p", "lat": 95, "lon": 105}]}, "posts"),
    ({"name": ""}, "name"),
])
def test_bad_plans_are_refused_naming_the_field(client, cast, bad, field):
    now = utcnow()
    body = {"name": "x", "starts_at": now.isoformat(),
            "ends_at": (now + timedelta(days=1)).isoformat(), **bad}
    response = client.post("/api/v1/operations", json=body,
                           headers=api_token(client, "op.planner"))
    assert response.status_code == 422, response.text
    assert field in response.text


def test_only_planners_plan(client, cast):
    now = utcnow()
    body = {"name": "x", "starts_at": now.isoformat(),
            "ends_at": (now + timedelta(days=1)).isoformat()}
    for username in ("op.police", "op.post", "op.villager", "op.agent"):
        assert client.post("/api/v1/operations", json=body, headers=api_token(
            client, username)).status_code == 403


def test_links_to_patrols_and_rosters_are_checked_in_their_domains(client, cast):
    op = _plan(client, cast)
    planner = api_token(client, "op.planner")
    for kind in ("patrol", "roster"):
        refused = client.post(f"/api/v1/operations/{op['id']}/links", headers=planner,
                              json={"kind": kind, "ref_id": 999999})
        assert refused.status_code == 422 and "ref_id" in refused.text


def test_figures_count_operational_operations_only(client, session, cast):
    op = _plan(client, cast)
    _plan(client, cast, name="Drill", exercise=True)
    planner = api_token(client, "op.planner")
    task = client.post(f"/api/v1/operations/{op['id']}/tasks", headers=planner, json={
        "title": "t", "owner_agency_id": cast.police_ag.id}).json()
    client.post(f"/api/v1/operations/{op['id']}/tasks/{task['id']}/status", headers=planner,
                json={"status": "done"})
    today = datetime.now(UTC).date()
    start, end = date(today.year - 1, 1, 1), date(today.year + 1, 12, 31)
    figures = by_key(collect(session=session, user=cast.planner, start=start, end=end))
    assert figures["operations.count"] == 1 and figures["operations.tasks_done"] == 1
    assert "operations.count" not in by_key(collect(session=session, user=cast.agent,
                                                    start=start, end=end))
    assert by_key(collect(session=session, user=cast.army, start=start,
                          end=end))["operations.count"] == 0


def test_the_export_is_a_workbook(client, cast):
    op = _plan(client, cast)
    response = client.get(f"/api/v1/operations/{op['id']}/export.xlsx",
                          headers=api_token(client, "op.police"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 6
    assert client.get(f"/api/v1/operations/{op['id']}/export.xlsx",
                      headers=api_token(client, "op.army")).status_code == 404


def test_pages_show_the_board_and_the_map(client, cast):
    from tests.web_helpers import login

    op = _plan(client, cast)
    login(client, "op.police")
    listing = client.get("/operations")
    assert listing.status_code == 200 and "operations-chart" in listing.text
    page = client.get(f"/operations/{op['id']}")
    assert page.status_code == 200 and "task-board" in page.text
    assert "operation-map" in page.text
    data = client.get(f"/operations/{op['id']}/map.json").json()
    assert data["area"]["geometry"]["type"] == "Polygon" and len(data["posts"]["features"]) == 1
    login(client, "op.army")
    assert client.get(f"/operations/{op['id']}").status_code == 404


def test_a_patrol_planned_for_the_operation_goes_through_border(client, cast):
    import uuid

    op = _plan(client, cast)
    planner = api_token(client, "op.planner")
    now = utcnow()
    made = client.post(f"/api/v1/operations/{op['id']}/patrols", headers=planner, json={
        "client_id": str(uuid.uuid4()), "post_agency_id": cast.post_ag.id,
        "planned_start": (now + timedelta(hours=1)).isoformat(),
        "planned_end": (now + timedelta(hours=4)).isoformat(),
        "members": [{"agency_id": cast.post_ag.id, "name": "农某", "is_leader": True},
                    {"agency_id": cast.police_ag.id, "name": "韦某"}]})
    assert made.status_code == 201, made.text
    link = made.json()
    assert link["kind"] == "patrol" and link["href"] == f"/border/patrols/{link['ref_id']}"
    patrol = client.get(f"/api/v1/patrols/{link['ref_id']}", headers=planner)
    assert patrol.status_code == 200
    # Linked again by id: the same link.
    again = client.post(f"/api/v1/operations/{op['id']}/links", headers=planner,
                        json={"kind": "patrol", "ref_id": link["ref_id"]})
    assert again.status_code == 201 and again.json()["id"] == link["id"]
    # A participant who may not see the patrol sees the link without its label.
    villager = api_token(client, "op.villager")
    links = client.get(f"/api/v1/operations/{op['id']}", headers=villager).json()["links"]
    assert links[0]["href"] is None
    # A planner's plan for another command's post is refused by border, naming the field.
    refused = client.post(f"/api/v1/operations/{op['id']}/patrols", headers=planner, json={
        "client_id": str(uuid.uuid4()), "post_agency_id": cast.police_ag.id,
        "planned_start": now.isoformat(), "planned_end": (now + timedelta(hours=1)).isoformat(),
        "members": [{"agency_id": cast.post_ag.id, "name": "x"}]})
    assert refused.status_code == 422 and "post_agency_id" in refused.text
