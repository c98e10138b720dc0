"""The people of a post, as a kit issue reaches them: 24-hour duty's list of the post first
(auxiliaries without a login too; a user on it once; no one inactive; no partner from another
organisation), then the post's other accounts, then former holders; each with where they are
known from, on the page in both languages; and only for those who may read that store."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bastion.duty.rosters.models import DutyPerson
from bastion.supplies.models import Movement
from tests.supplies.world import API, World, build, new_id, on_hand, stock_up
from tests.web_helpers import login


@pytest.fixture
def w(session) -> World:
    w = build(session)
    org = w.command.id

    def on_duty(name: str, unit, user=None, active: bool = True) -> None:
        session.add(DutyPerson(org_id=org, unit_id=unit.id, name=name, roles=["duty_officer"],
                               user_id=user.id if user else None, active=active,
                               phone="13800000000"))

    on_duty("农振华", w.post_a)  # an auxiliary without a login
    on_duty("马文斌", w.post_a)
    on_duty("何海龙", w.post_a, w.users["aux"])  # a user of the post, also on duty
    on_duty("黄老伯", w.post_a, active=False)  # left the duty list
    on_duty("韦国平", w.command, w.users["police"])  # a partner on the command's rotation
    on_duty("陆春梅", w.post_b)  # another post's
    session.commit()
    return w


def _people(client, w: World, who: str, agency) -> list[dict]:
    got = client.get(f"{API}/people", params={"agency_id": agency.id},
                     headers=w.headers(client, who))
    assert got.status_code == 200, got.text
    return got.json()["items"]


def test_duty_people_then_accounts_then_former_holders(client, session, w):
    stock_up(client, w)
    h = w.headers(client, "post_a")
    # a former auxiliary still holds a tricycle, and a duty person once had cement
    for body in ({"kind": "issue", "item_code": "VEH-TRI", "serial": "TRI-001",
                  "from_agency_id": w.post_a.id, "person_name": "梁德军"},
                 {"kind": "issue", "item_code": "MAT-CEMENT", "quantity": 2,
                  "from_agency_id": w.post_a.id, "person_name": "农振华"}):
        assert client.post(f"{API}/movements", json=body, headers=h).status_code == 201
    people = _people(client, w, "post_a", w.post_a)
    assert [p["source"] for p in people] == ["duty"] * 3 + ["account"] * 2 + ["issued"]
    by_name = {p["name"]: p for p in people}
    assert len(by_name) == len(people) == 6
    duty_ids = dict(session.execute(select(DutyPerson.name, DutyPerson.id)).all())
    # without a login: on the list by their duty person id
    assert by_name["农振华"]["user_id"] is None
    assert by_name["农振华"]["duty_person_id"] == duty_ids["农振华"]
    # the user who is also a duty person: once, as on duty, with both ids
    aux = w.users["aux"]
    assert [p for p in people if p["user_id"] == aux.id] == [{
        "name": "何海龙", "user_id": aux.id, "duty_person_id": duty_ids["何海龙"],
        "source": "duty", "source_label": "值班名单"}]
    # the post's other accounts, then the former holder (returnable: still listed)
    assert {p["user_id"] for p in people if p["source"] == "account"} == {
        w.users["post_a"].id, w.users["aux2"].id}
    assert by_name["梁德军"] == {"name": "梁德军", "user_id": None, "duty_person_id": None,
                                 "source": "issued", "source_label": "曾有领用"}
    # no one inactive, no one of another post, no phone numbers
    assert not {"黄老伯", "陆春梅", "韦国平"} & set(by_name)
    assert all("phone" not in p for p in people)
    back = client.post(f"{API}/movements", headers=h, json={
        "kind": "return", "item_code": "VEH-TRI", "serial": "TRI-001",
        "to_agency_id": w.post_a.id, "person_name": "梁德军"})
    assert back.status_code == 201, back.text
    # the command's own store: a partner on its rotation with another organisation's login is
    # not one of its people; the command's accounts are
    command = _people(client, w, "cmd_off", w.command)
    assert "韦国平" not in {p["name"] for p in command}
    assert {p["user_id"] for p in command} == {w.users["cmd_off"].id, w.users["cmd_viewer"].id}


def test_a_kit_issue_with_no_names_reaches_everyone_on_the_duty_list(client, session, w):
    stock_up(client, w)  # ten winter uniforms at post A
    h = w.headers(client, "post_a")
    body = {"client_id": new_id(), "agency_id": w.post_a.id, "item_code": "UNI-WINTER"}
    got = client.post(f"{API}/kit-issues", json=body, headers=h)
    assert got.status_code == 201, got.text
    # three on duty (one of them the auxiliary with a login) and two more accounts
    assert got.json()["issued"] == 5
    names = [p["name"] for p in _people(client, w, "post_a", w.post_a)]
    assert sorted(got.json()["people"]) == sorted(names)
    assert {"农振华", "马文斌", "何海龙"} <= set(got.json()["people"])
    assert not {"黄老伯", "陆春梅", "韦国平"} & set(got.json()["people"])
    made = session.scalars(select(Movement).where(
        Movement.kit_issue == got.json()["kit_issue"])).all()
    assert {m.person_name: m.person_user_id for m in made}["何海龙"] == w.users["aux"].id
    assert {m.person_name: m.person_user_id for m in made}["农振华"] is None
    assert on_hand(client, w, "post_a", "UNI-WINTER", w.post_a) == 5
    # all or none: five left for five people goes; then none left, nothing moves
    again = client.post(f"{API}/kit-issues", headers=h, json={
        "agency_id": w.post_a.id, "item_code": "UNI-WINTER"})
    assert again.status_code == 201 and again.json()["issued"] == 5
    short = client.post(f"{API}/kit-issues", headers=h, json={
        "agency_id": w.post_a.id, "item_code": "UNI-WINTER"})
    assert short.status_code == 422 and short.json()["detail"][0]["loc"][-1] == "quantity"
    assert on_hand(client, w, "post_a", "UNI-WINTER", w.post_a) == 0


def test_an_inactive_duty_person_is_not_listed_until_back(client, session, w):
    people = {p["name"] for p in _people(client, w, "post_a", w.post_a)}
    assert "黄老伯" not in people
    back = session.scalar(select(DutyPerson).where(DutyPerson.name == "黄老伯"))
    back.active = True
    session.commit()
    assert "黄老伯" in {p["name"] for p in _people(client, w, "post_a", w.post_a)}


@pytest.mark.parametrize("who, status", [
    ("post_b", 404), ("other_cmd", 404), ("village", 403), ("police", 403), ("station", 403)])
def test_another_post_s_people_are_not_told(client, w, who, status):
    got = client.get(f"{API}/people", params={"agency_id": w.post_a.id},
                     headers=w.headers(client, who))
    assert got.status_code == status
    assert "农振华" not in got.text
    kit = client.post(f"{API}/kit-issues", headers=w.headers(client, who), json={
        "agency_id": w.post_a.id, "item_code": "UNI-WINTER"})
    assert kit.status_code in (403, 404) and "农振华" not in kit.text


def test_the_field_kit_names_the_duty_people_of_one_s_own_post_only(client, w):
    kit = client.get(f"{API}/field-kit", headers=w.headers(client, "post_b")).json()
    assert kit["people"] == {str(w.post_b.id): ["陆春梅", w.users["post_b"].display_name]}


@pytest.mark.parametrize("language, words", [
    ("zh-CN", ("本所人员（5）", "值班名单", "本所账号")),
    ("en", ("People of the post (5)", "On the duty list", "Account of the post"))])
def test_the_kit_page_says_where_each_person_comes_from(client, w, language, words):
    stock_up(client, w)
    login(client, w.users["post_a"].username)
    client.cookies.set("bastion_lang", language)
    page = client.get("/supplies")
    assert page.status_code == 200
    html = page.text
    for word in words:
        assert word in html, word
    assert html.count('data-source="duty"') == 3 and html.count('data-source="account"') == 2
    assert "黄老伯" not in html and "陆春梅" not in html
    # the form's list of names is the same people, duty's first
    form = html.split('id="kit-people">')[1].split("</textarea>")[0].split("\n")
    assert set(form[:3]) == {"农振华", "马文斌", "何海龙"} and len(form) == 5
