"""/duty/me: the logged-in person's own duties across published rosters, the form to ask a
swap (posting to the rosters' API), and the calendar-feed links."""

from __future__ import annotations

import re

import pytest

from tests.web_helpers import login


def _month(duty) -> str:
    return duty.start.strftime("%Y-%m")


@pytest.mark.parametrize("who,status", [
    ("planner", 200), ("cmd_viewer", 200), ("aux_on", 200), ("aux_off", 200), ("police", 200),
    ("police_2", 200), ("village", 403), ("agent", 403)])
def test_who_may_open_their_calendar(client, duty, who, status):
    login(client, duty.users[who].username)
    assert client.get(f"/duty/me?month={_month(duty)}").status_code == status


def test_the_person_sees_own_published_duties_only(client, duty):
    login(client, duty.users["aux_on"].username)
    html = client.get(f"/duty/me?month={_month(duty)}").text
    mine = {a.id for a in duty.assignments["he"]}
    shown = {int(x) for x in re.findall(r'<tr data-assignment="(\d+)"', html)}
    assert shown == mine  # the draft's duty is not there, nor anyone else's
    assert duty.assignments["draft_he"][0].id not in shown
    assert "白班" in html and "值班员" in html and "竹山联防所" in html
    assert html.count('class="duty-entry duty-mine"') == 3  # in the month grid too
    assert f'href="/duty/rosters/{duty.published.id}/month"' in html


def test_the_swap_form_names_the_duty_and_who_could_take_it(client, duty):
    login(client, duty.users["aux_on"].username)
    html = client.get(f"/duty/me?month={_month(duty)}").text
    first = duty.assignments["he"][0]
    form = html.split(f'id="swap-form-{first.id}"', 1)[1].split("</form>", 1)[0]
    assert 'action="/api/v1/duty/swaps"' in html.split(f'id="swap-form-{first.id}"')[0][-300:]
    assert f'name="assignment_id" value="{first.id}"' in form
    options = re.findall(r'<option value="(\d+)">([^<]+)</option>',
                         form.split('name="other_assignment_id"')[0])
    # people of the same post holding the role: Lu and Wei (not He, not Wang of post B)
    assert {int(i) for i, _n in options} == {duty.people["lu"].id, duty.people["wei"].id}
    assert 'name="other_assignment_id"' in form and 'name="reason"' in form
    trades = re.findall(r'<option value="(\d+)">', form.split('name="other_assignment_id"')[1])
    assert trades  # Lu's day duties could be traded for
    assert '<script src="/static/js/duty-calendar.js" defer></script>' in html


def test_not_on_any_roster(client, duty):
    login(client, duty.users["aux_off"].username)
    html = client.get(f"/duty/me?month={_month(duty)}").text
    assert 'id="duty-me-none"' in html and "swap-form-" not in html
    assert 'id="duty-new-feed-form"' not in html


def test_a_partner_standing_on_the_roster_sees_his_nights(client, duty):
    login(client, duty.users["police"].username)
    html = client.get(f"/duty/me?month={_month(duty)}").text
    assert html.count('<tr data-assignment="') == 7  # a night every day of the week
    assert "夜班" in html and "值班领导" in html


def test_a_bad_month_names_the_field(client, duty):
    login(client, duty.users["aux_on"].username)
    response = client.get("/duty/me?month=2026-13")
    assert response.status_code == 422 and 'id="error-month"' in response.text
    assert client.get("/duty/me?month=soon").status_code == 422


def test_anonymous_is_sent_to_login(client):
    response = client.get("/duty/me", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
