"""The month calendar of a roster, as each kind of user: who sees it (drafts: planners only),
who is refused (no duty function: 403; not theirs to see: 404), and what it shows."""

from __future__ import annotations

import pytest

from tests.web_helpers import login

# who -> (status for the published roster, status for the draft)
SEES = {
    "planner": (200, 200),       # command supervisor: plans this organisation's rosters
    "cmd_viewer": (200, 404),    # the command's own people: the published roster
    "aux_on": (200, 404),        # an auxiliary on the roster
    "aux_off": (200, 404),       # an auxiliary of the organisation, not on it
    "police": (200, 404),        # a police partner standing on it
    "police_2": (404, 404),      # another station's officer: neither named nor on it
    "village": (403, 403),       # no duty function at all
    "agent": (403, 403),         # a shipping agent: no duty function at all
}


@pytest.mark.parametrize("who", list(SEES))
def test_who_sees_the_month(client, duty, who):
    login(client, duty.users[who].username)
    published, draft = SEES[who]
    assert client.get(f"/duty/rosters/{duty.published.id}/month").status_code == published
    assert client.get(f"/duty/rosters/{duty.draft.id}/month").status_code == draft


def test_the_month_shows_days_units_shifts_and_names(client, duty):
    login(client, duty.users["aux_on"].username)  # zh-CN
    page = client.get(f"/duty/rosters/{duty.published.id}/month")
    html = page.text
    assert page.status_code == 200
    assert "竹山联防所" in html and "江平联防所" in html  # units
    assert "白班" in html and "夜班" in html and "08:00–20:00" in html  # shifts, local times
    assert "何辅警" in html and "陆辅警" in html and "韦警官" in html
    assert "值班领导" in html and "值班员" in html  # roles in Chinese
    assert html.count('class="duty-entry duty-mine"') == 3  # his own three days
    assert 'href="/static/css/duty-calendar.css"' in html  # the print stylesheet
    assert f'href="/duty/rosters/{duty.published.id}.xlsx"' in html
    assert "&lt;" not in duty.people["wang"].name and "=HYPERLINK(&#34;x&#34;)" in html
    # 7 days, each with a row
    assert html.count("<tr class=") == 7
    assert "duty-month-draft" not in html


def test_the_month_in_english_and_another_zone(client, session, duty):
    user = duty.users["planner"]
    user.language, user.timezone = "en", "UTC"
    session.commit()
    login(client, user.username)
    html = client.get(f"/duty/rosters/{duty.published.id}/month").text
    assert "Zhushan Post" in html and "Duty leader" in html and "Duty officer" in html
    assert "00:00–12:00" in html  # the day shift 08:00-20:00 in Shanghai, read in UTC
    assert "Times in UTC" in html


def test_a_draft_says_so_to_its_planner(client, duty):
    login(client, duty.users["planner"].username)
    html = client.get(f"/duty/rosters/{duty.draft.id}/month").text
    assert 'id="duty-month-draft"' in html


def test_print_stylesheet_is_a4_landscape_without_navigation(client):
    css = client.get("/static/css/duty-calendar.css").text
    assert "size: A4 landscape" in css
    assert ".topbar" in css.split("@media print", 1)[1]


def test_unknown_roster_and_bad_id(client, duty):
    login(client, duty.users["planner"].username)
    assert client.get("/duty/rosters/999999/month").status_code == 404
    assert client.get("/duty/rosters/0/month").status_code == 422
    assert client.get("/duty/rosters/abc/month").status_code == 422


def test_anonymous_is_sent_to_login(client, duty):
    response = client.get(f"/duty/rosters/{duty.published.id}/month", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
