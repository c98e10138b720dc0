"""The workspace pages through the real app: the declared rows with the change since the
version before, one row typed in (errors name the field), the health page and its decision."""

from __future__ import annotations

from tests.clearance.calls.departure_helpers import PERSON, crew_rows, make_call, partners, users
from tests.clearance.calls.test_health_and_workspace import HEALTH
from tests.web_helpers import login


def test_rows_page_diff_and_one_row(client, session, world, station):
    customs, msa = partners(session)
    u = users(client)
    call_id = make_call(client, world, customs, msa, u["agent"])
    url = f"/api/v1/port-calls/{call_id}/declarations/crew/rows"
    client.post(url, headers=u["agent"], json={"rows": crew_rows()})
    client.post(url, headers=u["agent"], json={"rows": [*crew_rows()[:2], PERSON]})

    login(client, "a1.officer")
    call_page = client.get(f"/clearance/{call_id}")
    assert f'href="/clearance/{call_id}/declarations/crew?version=2"' in call_page.text
    page = client.get(f"/clearance/{call_id}/declarations/crew")
    assert page.status_code == 200
    assert 'id="version-diff"' in page.text and "SANTOS" in page.text and "WANG" in page.text
    assert 'id="add-row"' not in page.text  # officers read; the agent adds
    login(client, "a.viewer")
    assert client.get(f"/clearance/{call_id}/declarations/crew").status_code == 403

    token = login(client, "agent.one")
    bad = client.post(f"/clearance/{call_id}/declarations/crew/row", data={
        **PERSON, "document_number": "E77776666", "expiry_date": "2020-01-01",
        "csrf_token": token})
    assert bad.status_code == 422
    assert "EXPIRED_DOCUMENT" in bad.text and "expiry_date" in bad.text
    assert 'value="E77776666"' in bad.text  # what was typed stays
    good = client.post(f"/clearance/{call_id}/declarations/crew/row", data={
        **PERSON, "family_name": "LIU", "document_number": "E77776666", "csrf_token": token},
        follow_redirects=False)
    assert good.status_code == 303
    latest = client.get(f"/clearance/{call_id}/declarations/crew")
    assert "<strong>v3</strong>" in latest.text and "LIU" in latest.text  # v2 + one row


def test_health_page_and_the_customs_decision(client, session, world, station):
    customs, msa = partners(session)
    u = users(client)
    call_id = make_call(client, world, customs, msa, u["agent"])
    stored = client.post(f"/api/v1/port-calls/{call_id}/health/health", headers=u["agent"],
                         files={"file": ("mdh.csv", HEALTH.format(deaths="no", count="")
                                         .encode())})
    assert stored.status_code == 201
    token = login(client, "customs.one")
    page = client.get(f"/clearance/{call_id}/health")
    assert page.status_code == 200 and 'data-action="health-decision"' in page.text
    assert 'class="alarm"' in page.text  # ill persons on board now
    vague = client.post(f"/clearance/{call_id}/health/decision", data={
        "decision": "quarantine", "csrf_token": token})
    assert vague.status_code == 422 and 'id="health-decision"' not in vague.text
    done = client.post(f"/clearance/{call_id}/health/decision", data={
        "decision": "quarantine", "conditions": "Isolate the cook", "csrf_token": token},
        follow_redirects=False)
    assert done.status_code == 303
    assert 'id="health-decision"' in client.get(f"/clearance/{call_id}/health").text
    login(client, "msa.one")
    assert client.get(f"/clearance/{call_id}/health").status_code == 403
    login(client, "a1.officer")
    station_view = client.get(f"/clearance/{call_id}/health")
    assert station_view.status_code == 200
    assert 'data-action="health-decision"' not in station_view.text


def test_the_agent_answers_the_health_declaration_in_the_web_form(client, session, world,
                                                                  station):
    customs, msa = partners(session)
    call_id = make_call(client, world, customs, msa, users(client)["agent"])
    login(client, "a1.officer")
    assert client.get(f"/clearance/{call_id}/declarations/health").status_code == 404
    token = login(client, "agent.one")
    empty = client.get(f"/clearance/{call_id}/declarations/health")
    assert empty.status_code == 200 and 'id="add-row"' in empty.text
    answers = {"ports_last_30_days": "VNHPH 2026-11-25", "affected_area": "no",
               "deaths": "no", "infectious_suspected": "no", "ill_above_normal": "yes",
               "ill_now": "no", "medical_consulted": "no", "infection_condition": "no",
               "sanitary_measures": "no", "stowaways": "no", "sick_animals": "no",
               "master_name": "LI SI", "csrf_token": token}
    missing = client.post(f"/clearance/{call_id}/declarations/health/row", data=answers)
    assert missing.status_code == 422 and "MISSING_ILL_COUNT" in missing.text
    assert "ill_count" in missing.text  # the field is named
    done = client.post(f"/clearance/{call_id}/declarations/health/row",
                       data={**answers, "ill_count": "2"}, follow_redirects=False)
    assert done.status_code == 303
    page = client.get(f"/clearance/{call_id}/declarations/health")
    assert "<strong>v1</strong>" in page.text and 'id="add-row"' not in page.text  # one row
