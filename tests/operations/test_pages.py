"""The operations pages as each kind of user: the command's planner creates an operation in the
form (period on the wall clock, agencies ticked, the area drawn or pasted) and adds agencies and
posts on its page; officers of a participating agency without ``operations.plan``, the village
committee and shipping agents are refused (403, or 404 where they may not see the operation)
and are not offered the links. Bad input comes back as 422 with the error next to the field it
names, and nothing is stored."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bastion.audit import display
from bastion.audit.models import AuditEntry
from bastion.core import context
from bastion.core.db import utcnow
from bastion.operations.models import Operation, Participant, Post
from tests.web.test_zh_cn_complete import _Reader, english_words
from tests.web_helpers import api_token, login

AREA = {"type": "Polygon", "coordinates": [[[105.80, 23.00], [105.90, 23.00], [105.90, 23.08],
                                            [105.80, 23.08], [105.80, 23.00]]]}


def _count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def _form(cast, token, **extra):
    data = {"csrf_token": token, "name": "国庆期间边境联合稳控行动", "description": "测试",
            "starts_at": "2030-10-01T08:00", "ends_at": "2030-10-07T18:00",
            "participant_ids": [str(cast.police_ag.id), str(cast.village_ag.id)],
            "area": json.dumps(AREA), "exercise": "on"}
    data.update(extra)
    return data


def _error(html: str, field: str) -> str:
    found = re.search(rf'<span class="field-error" id="error-{re.escape(field)}">([^<]+)</span>',
                      html)
    assert found, f"no error shown for {field}"
    return found.group(1)


def test_the_planner_creates_an_operation_from_the_form(client, session, cast):
    token = login(client, "op.planner")
    listed = client.get("/operations")
    assert listed.status_code == 200 and 'id="new-operation"' in listed.text
    page = client.get("/operations/new")
    assert page.status_code == 200
    # The agencies that may take part are offered, the planner's own post among them; the
    # shipping agency and the planning command itself are not.
    assert f'value="{cast.police_ag.id}"' in page.text
    assert f'value="{cast.post_ag.id}"' in page.text
    assert f'name="participant_ids" value="{cast.shipping.id}"' not in page.text
    assert f'name="participant_ids" value="{cast.command.id}"' not in page.text
    assert 'id="operation-area-map"' in page.text and "/static/js/operations-plan.js" in page.text

    response = client.post("/operations/new", data=_form(cast, token), follow_redirects=False)
    assert response.status_code == 303, response.text
    operation_id = int(response.headers["location"].rsplit("/", 1)[1])
    session.expire_all()
    operation = session.get(Operation, operation_id)
    assert operation.name == "国庆期间边境联合稳控行动" and operation.exercise
    assert operation.owner_org_id == cast.command.id and operation.created_by_id == cast.planner.id
    # The wall clock is the user's (Asia/Shanghai, UTC+8); stored as UTC.
    assert operation.starts_at == datetime(2030, 10, 1, 0, 0, tzinfo=UTC)
    assert operation.ends_at == datetime(2030, 10, 7, 10, 0, tzinfo=UTC)
    assert operation.area == AREA
    taking_part = set(session.scalars(select(Participant.agency_id).where(
        Participant.operation_id == operation_id)))
    assert taking_part == {cast.police_ag.id, cast.village_ag.id}
    detail = client.get(f"/operations/{operation_id}")
    assert detail.status_code == 200
    assert cast.police_ag.name in detail.text and cast.village_ag.name in detail.text
    assert 'id="participant-form"' in detail.text and 'id="post-form"' in detail.text
    assert 'data-pick="post-lat,post-lon"' in detail.text
    area = client.get(f"/operations/{operation_id}/map.json").json()["area"]
    assert area["geometry"] == AREA
    # The police officer taking part sees it in their list, marked as an exercise.
    login(client, "op.police")
    mine = client.get("/operations").text
    assert f'data-operation-id="{operation_id}"' in mine and 'data-exercise="1"' in mine


def test_pasted_geojson_is_used_instead_of_the_drawing(client, session, cast):
    """What drawing tools save (a FeatureCollection of one polygon) pasted into the text field
    wins over the drawn area; no agency and no area at all is a valid plan too."""
    token = login(client, "op.planner")
    other = {"type": "Polygon", "coordinates": [[[106.0, 23.0], [106.1, 23.0], [106.1, 23.1],
                                                 [106.0, 23.0]]]}
    pasted = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": other}]}
    response = client.post("/operations/new", data=_form(cast, token, area_text=json.dumps(
        pasted)), follow_redirects=False)
    assert response.status_code == 303, response.text
    session.expire_all()
    made = session.get(Operation, int(response.headers["location"].rsplit("/", 1)[1]))
    assert made.area == other
    bare = _form(cast, token, area="", participant_ids=[])
    del bare["exercise"]
    response = client.post("/operations/new", data=bare, follow_redirects=False)
    assert response.status_code == 303, response.text
    session.expire_all()
    made = session.get(Operation, int(response.headers["location"].rsplit("/", 1)[1]))
    assert made.area is None and not made.exercise


@pytest.mark.parametrize("bad, field", [
    ({"ends_at": "2030-09-30T08:00"}, "ends_at"),            # the end before the start
    ({"ends_at": "2030-10-01T08:00"}, "ends_at"),            # the end at the start
    ({"starts_at": "yesterday"}, "starts_at"),
    ({"starts_at": ""}, "starts_at"),
    ({"name": ""}, "name"),
    ({"name": "   "}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"area": "{not json"}, "area"),
    ({"area": json.dumps({"type": "LineString", "coordinates": [[105, 23], [106, 23]]})},
     "area"),
    ({"area": json.dumps({"type": "Polygon", "coordinates": [  # a bow tie crosses itself
        [[105, 23], [106, 24], [106, 23], [105, 24], [105, 23]]]})}, "area"),
    ({"area": json.dumps({"type": "Polygon", "coordinates": [  # two corners clicked
        [[105, 23], [106, 24], [105, 23]]]})}, "area"),
    ({"area_text": "[1, 2]"}, "area"),
    ({"participant_ids": ["2147483647"]}, "participant_ids"),  # no such agency
    ({"participant_ids": ["abc"]}, "participant_ids"),
    ({"participant_ids": ["99999999999999999999"]}, "participant_ids"),  # beyond any id
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(client, session, cast,
                                                                     bad, field):
    token = login(client, "op.planner")
    before = (_count(session, Operation), _count(session, Participant))
    response = client.post("/operations/new", data=_form(cast, token, **bad))
    assert response.status_code == 422, response.text
    assert _error(response.text, field)
    assert 'id="operation-form"' in response.text
    # What was typed is kept for the next try.
    if "name" not in bad:
        assert 'value="国庆期间边境联合稳控行动"' in response.text
    assert (_count(session, Operation), _count(session, Participant)) == before


def test_every_error_comes_back_at_once(client, cast):
    token = login(client, "op.planner")
    response = client.post("/operations/new", data=_form(
        cast, token, name="", ends_at="2030-09-30T08:00", area="{", participant_ids=["x"]))
    assert response.status_code == 422
    assert _error(response.text, "ends_at") == "结束时间须晚于开始时间。"
    assert _error(response.text, "name") == "此项为必填项。"
    assert _error(response.text, "area") and _error(response.text, "participant_ids")


def test_an_unknown_agency_among_good_ones_leaves_nothing_behind(client, session, cast):
    """The police exist, the second agency does not: not even the operation is kept."""
    token = login(client, "op.planner")
    before = (_count(session, Operation), _count(session, Participant))
    response = client.post("/operations/new", data=_form(cast, token, participant_ids=[
        str(cast.police_ag.id), "2147483647"]))
    assert response.status_code == 422
    assert "2147483647" in _error(response.text, "participant_ids")
    assert (_count(session, Operation), _count(session, Participant)) == before
    # A shipping agency cannot take part either.
    response = client.post("/operations/new", data=_form(cast, token, participant_ids=[
        str(cast.shipping.id)]))
    assert response.status_code == 422 and _error(response.text, "participant_ids")
    assert (_count(session, Operation), _count(session, Participant)) == before


@pytest.mark.parametrize("username, allowed", [
    ("op.police", (403,)),      # an officer of a participating agency without operations.plan
    ("op.post", (403,)),        # the command's own post: works on tasks, does not plan
    ("op.villager", (403,)),    # the village committee
    ("op.agent", (403, 404)),   # a shipping agent, as in the rest of the domain
])
def test_only_planners_open_the_new_operation_page(client, session, cast, username, allowed):
    token = login(client, username)
    before = _count(session, Operation)
    assert client.get("/operations/new").status_code in allowed
    response = client.post("/operations/new", data=_form(cast, token), follow_redirects=False)
    assert response.status_code in allowed
    assert _count(session, Operation) == before
    listed = client.get("/operations")
    assert 'id="new-operation"' not in listed.text and "/operations/new" not in listed.text


@pytest.fixture
def operation(client, cast):
    now = utcnow()
    response = client.post("/api/v1/operations", headers=api_token(client, "op.planner"), json={
        "name": "节日稳控", "starts_at": now.isoformat(),
        "ends_at": (now + timedelta(days=2)).isoformat(), "area": AREA,
        "participants": [{"agency_id": cast.police_ag.id}]})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _participants(session, operation_id: int) -> dict[int, str]:
    session.expire_all()
    rows = session.execute(select(Participant.agency_id, Participant.role).where(
        Participant.operation_id == operation_id))
    return {agency_id: role for agency_id, role in rows}


def _posts(session, operation_id: int) -> list[Post]:
    session.expire_all()
    return list(session.scalars(select(Post).where(Post.operation_id == operation_id)))


def test_the_planner_adds_an_agency_on_the_operation_page(client, session, cast, operation):
    token = login(client, "op.planner")
    page = client.get(f"/operations/{operation}").text
    # Offered: agencies not yet taking part.
    joinable = re.search(r'<select id="participant-agency".*?</select>', page, re.DOTALL).group(0)
    assert f'value="{cast.army_ag.id}"' in joinable
    assert f'value="{cast.police_ag.id}"' not in joinable
    response = client.post(f"/operations/{operation}/participants", data={
        "csrf_token": token, "agency_id": str(cast.army_ag.id), "role": "一线巡逻"},
        follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/operations/{operation}#participants"
    assert _participants(session, operation) == {cast.police_ag.id: "", cast.army_ag.id: "一线巡逻"}
    # The army now sees the operation.
    login(client, "op.army")
    assert client.get(f"/operations/{operation}").status_code == 200


@pytest.mark.parametrize("bad", [{"agency_id": "2147483647"}, {"agency_id": ""},
                                 {"agency_id": "abc"}, {"role": "x" * 201}])
def test_a_bad_agency_is_refused_naming_the_field(client, session, cast, operation, bad):
    token = login(client, "op.planner")
    data = {"csrf_token": token, "agency_id": str(cast.army_ag.id), **bad}
    response = client.post(f"/operations/{operation}/participants", data=data)
    assert response.status_code == 422
    field = "participant_role" if "role" in bad else "participant_agency_id"
    assert _error(response.text, field)
    assert _participants(session, operation) == {cast.police_ag.id: ""}


def test_the_planner_adds_a_post_placed_on_the_map(client, session, cast, operation):
    token = login(client, "op.planner")
    page = client.get(f"/operations/{operation}").text
    choices = re.search(r'<select id="post-agency".*?</select>', page, re.DOTALL).group(0)
    # A post belongs to an agency taking part or to one of the planner's units.
    assert f'value="{cast.police_ag.id}"' in choices and f'value="{cast.post_ag.id}"' in choices
    assert f'value="{cast.army_ag.id}"' not in choices
    response = client.post(f"/operations/{operation}/posts", data={
        "csrf_token": token, "name": "平孟口岸联合卡点", "agency_id": str(cast.police_ag.id),
        "staff": "6", "note": "24小时值守", "lat": "23.031234", "lon": "105.851234"},
        follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/operations/{operation}#posts"
    [post] = _posts(session, operation)
    assert (post.name, post.agency_id, post.staff, post.note) == (
        "平孟口岸联合卡点", cast.police_ag.id, 6, "24小时值守")
    assert (post.lat, post.lon) == (23.031234, 105.851234)
    features = client.get(f"/operations/{operation}/map.json").json()["posts"]["features"]
    assert features[0]["geometry"]["coordinates"] == [105.851234, 23.031234]
    # Staff and agency may be left out.
    response = client.post(f"/operations/{operation}/posts", data={
        "csrf_token": token, "name": "临时观察点", "agency_id": "", "staff": "", "note": "",
        "lat": "23.05", "lon": "105.86"}, follow_redirects=False)
    assert response.status_code == 303
    assert [(p.name, p.agency_id, p.staff) for p in _posts(session, operation)][1] == (
        "临时观察点", None, 0)


@pytest.mark.parametrize("bad, field", [
    ({"name": ""}, "post_name"),
    ({"lat": ""}, "post_lat"),
    ({"lat": "95"}, "post_lat"),
    ({"lon": "east"}, "post_lon"),
    ({"lon": "-181"}, "post_lon"),
    ({"staff": "many"}, "post_staff"),
    ({"staff": "-1"}, "post_staff"),
    ({"agency_id": "2147483647"}, "post_agency_id"),
])
def test_a_bad_post_is_refused_naming_the_field(client, session, cast, operation, bad, field):
    token = login(client, "op.planner")
    data = {"csrf_token": token, "name": "卡点", "agency_id": str(cast.police_ag.id),
            "staff": "2", "lat": "23.03", "lon": "105.85", **bad}
    response = client.post(f"/operations/{operation}/posts", data=data)
    assert response.status_code == 422
    assert _error(response.text, field)
    assert 'id="post-form"' in response.text
    assert _posts(session, operation) == []


def test_people_who_do_not_plan_cannot_add_agencies_or_posts(client, session, cast, operation):
    post = {"name": "卡点", "lat": "23.03", "lon": "105.85"}
    joining = {"agency_id": str(cast.army_ag.id)}
    # The police take part: they see the page without the planner's forms, and are refused.
    token = login(client, "op.police")
    page = client.get(f"/operations/{operation}").text
    assert 'id="participant-form"' not in page and 'id="post-form"' not in page
    assert "data-pick" not in page
    assert client.post(f"/operations/{operation}/participants",
                       data={"csrf_token": token, **joining}).status_code == 403
    assert client.post(f"/operations/{operation}/posts",
                       data={"csrf_token": token, **post}).status_code == 403
    # Those who do not take part do not see it: 404; a shipping agent is refused outright.
    for username, refused in (("op.station", (404,)), ("op.army", (404,)),
                              ("op.agent", (403, 404))):
        token = login(client, username)
        for path, data in (("participants", joining), ("posts", post)):
            response = client.post(f"/operations/{operation}/{path}",
                                   data={"csrf_token": token, **data})
            assert response.status_code in refused, (username, path, response.status_code)
    assert _participants(session, operation) == {cast.police_ag.id: ""}
    assert _posts(session, operation) == []


def test_the_planner_s_pages_read_in_chinese(client, cast, operation):
    """The crawl of every page (tests/web/test_zh_cn_complete.py) logs in as no planner: the
    new page and the planner's forms are read here, with a refused form's errors too."""
    token = login(client, "op.planner")
    client.cookies.set("bastion_lang", "zh-CN")
    pages = [client.get("/operations"), client.get("/operations/new"),
             client.get(f"/operations/{operation}"),
             client.post("/operations/new", data=_form(cast, token, name="", area="{",
                                                       ends_at="2030-09-01T00:00")),
             client.post(f"/operations/{operation}/posts", data={"csrf_token": token,
                                                                 "lat": "91", "staff": "x"}),
             client.post(f"/operations/{operation}/participants", data={"csrf_token": token})]
    data = {"Agency", "Person"}  # the factories' names for agencies and people
    for response in pages:
        assert response.status_code in (200, 422)
        reader = _Reader()
        reader.feed(response.text)
        assert len(reader.texts) > 20
        leaks = [t for t in reader.texts if english_words(t, data)]
        assert leaks == [], (response.url, leaks)


def test_what_the_planner_changes_is_on_the_audit_log_in_chinese(client, session, cast,
                                                                 operation):
    """An agency taking part sees the operation: who added it is on the record, as is a post;
    the audit page shows these summaries, and the rest of the domain's, in Chinese."""
    token = login(client, "op.planner")
    client.post(f"/operations/{operation}/participants",
                data={"csrf_token": token, "agency_id": str(cast.army_ag.id)})
    client.post(f"/operations/{operation}/posts",
                data={"csrf_token": token, "name": "卡点", "lat": "23.03", "lon": "105.85"})
    session.expire_all()
    summaries = list(session.scalars(select(AuditEntry.summary).where(
        AuditEntry.record_kind == "operation", AuditEntry.record_id == operation,
        AuditEntry.actor_id == cast.planner.id).order_by(AuditEntry.id)))
    [post_id] = [p.id for p in _posts(session, operation)]
    assert summaries == [f"operation {operation}: agency {cast.police_ag.id} taking part",
                         f"operation {operation} planned",
                         f"operation {operation}: agency {cast.army_ag.id} taking part",
                         f"operation {operation}: post {post_id} added"]
    token_ = context.set_current(context.RequestContext(language="zh-CN",
                                                        timezone="Asia/Shanghai"))
    try:
        assert display.summary("operation 5 planned") == "制定联合行动 5"
        assert display.summary("operation 5: agency 9 taking part") == "联合行动 5：增加参战单位 9"
        assert display.summary("operation 5: post 3 added") == "联合行动 5：添加卡点 3"
        assert display.summary("operation 5 exported") == "联合行动 5 已导出"
        assert display.summary("task 7 added") == "添加行动任务 7"
        assert display.summary("task 7 done") == "行动任务 7：已完成"
        assert display.summary("task 7 doing") == "行动任务 7：进行中"
    finally:
        context.reset(token_)
