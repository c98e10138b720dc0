"""The zh-CN words issue 11 found wrong: role titles that ignored where a person serves, the
green channel's button read as a state, FAL forms by their codes, a pre-check example that
contradicted its own threshold, audit summaries in English."""

from __future__ import annotations

import re

from bastion.audit import display
from bastion.core import context
from bastion.org.labels import role_title
from bastion.org.models import AgencyKind, Role
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token, login


def _zh(fn, *args):
    token = context.set_current(context.RequestContext(language="zh-CN", timezone="Asia/Shanghai"))
    try:
        return fn(*args)
    finally:
        context.reset(token)


def test_an_officer_is_called_as_people_of_their_kind_of_agency_are():
    titles = {kind: _zh(role_title, Role.OFFICER, kind) for kind in AgencyKind}
    assert titles[AgencyKind.BORDER_INSPECTION] == titles[AgencyKind.BORDER_POLICE] == "民警"
    assert titles[AgencyKind.SHIPPING_AGENCY] == "船舶代理业务员"
    assert titles[AgencyKind.JOINT_DEFENCE_POST] == "联防队员"
    assert titles[AgencyKind.CUSTOMS] == "关员"
    assert not any("民警" in t for k, t in titles.items() if k in (
        AgencyKind.SHIPPING_AGENCY, AgencyKind.JOINT_DEFENCE_POST, AgencyKind.CUSTOMS,
        AgencyKind.VILLAGE_COMMITTEE, AgencyKind.MARITIME_SAFETY, AgencyKind.ARMY))
    assert all("干部" not in t for k, t in titles.items() if k is not AgencyKind.VILLAGE_COMMITTEE)
    # other roles keep their general words; with no kind, the general word for an officer
    assert _zh(role_title, Role.SUPERVISOR, AgencyKind.SHIPPING_AGENCY) == "主管"
    assert _zh(role_title, Role.OFFICER, None) == "业务人员"


def test_pages_show_the_agents_and_the_posts_titles(client, session, world):
    agency = make_agency(session, code="AGT-9", kind=AgencyKind.SHIPPING_AGENCY)
    make_user(session, agency=agency, role=Role.OFFICER, username="agent.nine")
    post = make_agency(session, code="POST-9", kind=AgencyKind.JOINT_DEFENCE_POST)
    make_user(session, agency=post, role=Role.OFFICER, username="post.nine")
    session.commit()
    for username, title in (("agent.nine", "船舶代理业务员"), ("post.nine", "联防队员"),
                            ("author", "民警")):
        login(client, username)
        client.cookies.set("bastion_lang", "zh-CN")
        account = client.get("/account").text
        assert re.search(rf"<dd>{title}</dd>", account), (username, title)
        assert "民警/干部" not in account
    login(client, "a.admin")
    client.cookies.set("bastion_lang", "zh-CN")
    users = client.get("/admin/users").text
    assert "船舶代理业务员" in users and "联防队员" in users and "民警/干部" not in users
    capabilities = client.get("/admin/capabilities").text
    assert "船舶代理业务员" in capabilities and "民警/干部" not in capabilities


def test_the_green_channel_button_says_what_it_does(client, session, world):
    agency = make_agency(session, code="AGT-1", kind=AgencyKind.SHIPPING_AGENCY)
    make_user(session, agency=agency, role=Role.OFFICER, username="agent.one")
    session.commit()
    headers = api_token(client, "agent.one")
    call = client.post("/api/v1/port-calls", headers=headers, json={
        "station_id": world.a.id, "vessel_name": "YUE HAI 3",
        "eta": "2030-12-01T06:00:00+08:00"}).json()
    login(client, "agent.one")
    client.cookies.set("bastion_lang", "zh-CN")
    page = client.get(f"/clearance/{call['id']}").text
    button = re.search(r'data-action="green-channel">([^<]+)<', page)[1]
    assert button == "申请开启绿色通道"
    # the forms by name, not by code
    assert "FAL 5 船员名单" in page and ">crew<" not in page and ">passengers<" not in page


def test_a_rules_example_fires_at_the_rules_own_threshold(client, world):
    login(client, "a.super")
    client.cookies.set("bastion_lang", "zh-CN")
    page = client.get("/clearance/rules").text
    rows = dict(re.findall(r'<tr data-rule="(\w+)">(.*?)</tr>', page, re.DOTALL))
    high, medium = rows["risk_high"], rows["risk_medium"]
    assert 'value="60"' in high and "风险评分 60" in high and "不低于 60" in high
    assert 'value="30"' in medium and "风险评分 30" in medium and "不低于 30" in medium
    assert "14 天" in rows["dark_before_arrival"] and "90 天" in rows["identity_changed"]
    assert "高风险" in high  # the rule's name, not only its id
    # a supervisor's new threshold is what the example then shows
    supervisor = api_token(client, "a.super")
    rules = client.get("/api/v1/clearance/precheck-rules", headers=supervisor).json()["rules"]
    for rule in rules:
        if rule["id"] == "risk_high":
            rule["value"] = 45
    assert client.put("/api/v1/clearance/precheck-rules", headers=supervisor,
                      json={"rules": rules, "note": "stricter"}).status_code == 200
    high = dict(re.findall(r'<tr data-rule="(\w+)">(.*?)</tr>',
                           client.get("/clearance/rules").text, re.DOTALL))["risk_high"]
    assert "风险评分 45" in high and "不低于 45" in high


def test_audit_summaries_read_in_chinese():
    from bastion.clearance import labels  # noqa: F401  (the words of port calls)

    assert _zh(display.summary, "port call 118: approve_arrival") == "船舶进出港 118：准予抵港"
    assert _zh(display.summary, "crew v1 call 118") == "FAL 5 船员名单 第 1 版，船舶进出港 118"
    assert _zh(display.summary, "screened 14 people against 1 lists") == "比对 14 人，名单 1 份"
    assert _zh(display.summary, "login") == "登录"
    assert _zh(display.summary, "something new") == "something new"  # unknown: as stored
    assert _zh(display.reason, "viewed in web UI") == "在网页中查看"
    assert _zh(display.reason, "port call 116 v1") == "船舶进出港 116（航次申报第 1 版）"


def test_reading_declared_rows_reads_in_chinese_in_the_audit_log():
    from bastion.audit import display
    from bastion.clearance import labels  # noqa: F401  (the form names)

    assert _zh(display.summary, "crew_out v1 call 124: rows read") == \
        "FAL 5 船员名单（出境） 第 1 版，船舶进出港 124：查阅申报明细"
