"""Review fixes on the patrol pages, through TestClient: the plan form refuses ids out of range
naming the field (422, nothing stored); the patrol page shows observation attributes by the
category tree's labels and its map legend in the user's language."""

from __future__ import annotations

import pytest

from tests.border.patrols.field_world import build
from tests.border.patrols.test_detail_pages import _form, _run
from tests.web_helpers import login

API = "/api/v1/patrols"
HUGE = "99999999999999999999999"


@pytest.fixture
def w(session):
    return build(session)


@pytest.mark.parametrize("field", ["leader_id", "checkpoint_ids", "member_ids", "segment_id",
                                   "post_agency_id", "partner_agency_id_0"])
def test_the_plan_form_refuses_an_id_out_of_range_naming_the_field(client, w, field):
    token = login(client, w.users["cmd_officer"].username)
    before = client.get(f"{API}?limit=100", headers=w.headers(client, "cmd_officer")).json()
    for value in (HUGE, "0", "-3", "x"):
        refused = client.post("/border/plans/patrols", data=_form(w, token, **{field: value}))
        assert refused.status_code == 422, (field, value)
        assert f'id="error-{field}">{field}' in refused.text, (field, value)
    after = client.get(f"{API}?limit=100", headers=w.headers(client, "cmd_officer")).json()
    assert after["total"] == before["total"]


def test_the_map_legend_follows_the_user_s_language(client, w, session):
    patrol = _run(client, w)
    user = w.users["a_officer"]
    user.language = "en"
    session.flush()
    login(client, user.username)
    page = client.get(f"/border/patrols/{patrol['id']}").text
    legend = page.split('id="patrol-map-legend"', 1)[1].split("</ul>", 1)[0]
    for english in ("Visited within the window", "Visited outside the window", "Not reached"):
        assert english in legend
    assert "时间窗" not in legend and "未到达" not in legend
    user.language = "zh-CN"
    session.flush()
    login(client, user.username)
    legend = client.get(f"/border/patrols/{patrol['id']}").text.split(
        'id="patrol-map-legend"', 1)[1].split("</ul>", 1)[0]
    assert "在时间窗内到达" in legend and "未到达" in legend


def test_observation_attributes_show_the_category_tree_s_labels(client, w, session):
    patrol = _run(client, w)  # a damaged fence: marker_number 1341, severity breach
    user = w.users["a_officer"]
    for language, shown in (("en", "Marker number: 1341; Severity: Breach"),
                            ("zh-CN", "界碑号: 1341; 程度: 可通行缺口")):
        user.language = language
        session.flush()
        login(client, user.username)
        page = client.get(f"/border/patrols/{patrol['id']}").text
        assert shown in page, language
        assert "severity: breach" not in page and "marker_number" not in page
    # a partner's officer sees the same labels; another post still gets 404
    login(client, w.users["police"].username)
    assert "界碑号: 1341" in client.get(f"/border/patrols/{patrol['id']}").text
    login(client, w.users["b_officer"].username)
    assert client.get(f"/border/patrols/{patrol['id']}").status_code == 404


@pytest.fixture
def scene(session):
    from tests.border.patrols.factories_measures import build_scene

    scene = build_scene(session)
    session.commit()
    return scene


def _targets_row(page: str, target_post: str) -> str:
    table = page.split('id="measures-targets"', 1)[1].split("</table>", 1)[0]
    rows = [r for r in table.split("<tr data-target-id=")[1:] if target_post in r]
    assert len(rows) == 1, table
    return rows[0]


def test_measures_targets_do_not_judge_partial_or_unfinished_periods(client, scene):
    from datetime import timedelta

    from bastion.border.patrols import measures
    from bastion.border.settings import PatrolSettings

    today = measures.today(PatrolSettings())
    login(client, scene.users["command_viewer"].username)
    # one day of post B's weekly target: the week is partial, not missed
    page = client.get("/patrols/measures", params={"from": scene.day.isoformat(),
                                                    "to": scene.day.isoformat()}).text
    week = measures.bucket(scene.day, "week")
    weekly = _targets_row(page, scene.post_b.name)
    assert 'class="met"' in weekly and '<td class="num">0 / 0</td>' in weekly
    assert f'<span class="period-partial">{week} (1, ' in weekly
    assert f"<td>{week} (1)</td>" not in weekly  # not among the unmet periods
    # up to today: post A's daily target met on the day, missed the two days after, and
    # today is pending (not missed)
    page = client.get("/patrols/measures", params={"from": scene.day.isoformat(),
                                                    "to": today.isoformat()}).text
    daily = _targets_row(page, scene.post_a.name)
    missed = [(scene.day + timedelta(days=n)).isoformat() for n in (1, 2)]
    assert f"<td class=\"num\">1 / 3</td><td>{missed[0]} (0), {missed[1]} (0)</td>" in daily
    assert f'<span class="period-pending">{today.isoformat()} (0, ' in daily
    assert 'class="unmet"' in daily


@pytest.fixture
def live_scene(session):
    from tests.border.patrols.factories_measures import add_live, build_scene

    scene = build_scene(session)
    add_live(session, scene)
    scene.sos["open"].by_user_id = scene.users["post_a"].id
    session.commit()
    return scene


def _banner(page: str) -> str:
    assert 'id="sos-banner"' in page, page
    return page.split('id="sos-banner"', 1)[1].split("</div>", 1)[0]


def test_the_sos_banner_names_sender_and_patrol_and_offers_acknowledge(client, live_scene):
    scene, sos = live_scene, live_scene.sos["open"]
    patrol = scene.patrols["P8"]
    ack = f'data-ack="/api/v1/patrols/sos/{sos.id}/acknowledge"'
    # officers of the command and of the post hold patrols.sos.ack: the button is there
    for who in ("command_officer", "post_a"):
        login(client, scene.users[who].username)
        banner = _banner(client.get("/patrols/live").text)
        assert scene.users["post_a"].display_name in banner, who
        assert f'href="/border/patrols/{patrol.id}"' in banner, who
        assert ack in banner, who
    # viewers see the banner, without the button (and the API refuses them)
    login(client, scene.users["command_viewer"].username)
    banner = _banner(client.get("/patrols/live").text)
    assert ack not in banner and scene.users["post_a"].display_name in banner
    token = login(client, scene.users["command_viewer"].username)
    refused = client.post(f"/api/v1/patrols/sos/{sos.id}/acknowledge",
                          headers={"X-CSRF-Token": token})
    assert refused.status_code == 403
    # the page's script posts with the session and the CSRF token; then the panel has no banner
    token = login(client, scene.users["post_a"].username)
    assert client.post(f"/api/v1/patrols/sos/{sos.id}/acknowledge").status_code in (400, 403)
    done = client.post(f"/api/v1/patrols/sos/{sos.id}/acknowledge",
                       headers={"X-CSRF-Token": token})
    assert done.status_code == 200, done.text
    fragment = client.get("/patrols/live?fragment=1").text
    assert 'id="sos-banner"' not in fragment
    assert scene.users["post_a"].display_name in fragment.split('id="live-sos-done"', 1)[1]
