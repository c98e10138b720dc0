"""The green channel lands nobody unscreened and nobody "stop" or with an open hit, unless a
station supervisor overrides with a reason; a "clear" person lands at once."""

from __future__ import annotations

from bastion.org.models import Role
from tests.clearance.integrity.conftest import SEAMAN, WANTED_BY_DOCUMENT
from tests.factories import make_user
from tests.web_helpers import api_token, login

WANTED = {"name": "NGUYEN VAN HUNG", "document_number": WANTED_BY_DOCUMENT["document_number"],
          "birth_date": WANTED_BY_DOCUMENT["birth_date"], "nationality": "VNM"}


def _declare(port, call_id, persons, who=None):
    return port.client.post(port.url(call_id, "/green-channel"), headers=who or port.agent,
                            json={"kind": "medical", "reason": "injured", "persons": persons})


def _land(port, call_id, who, **extra):
    return port.client.post(port.url(call_id, "/green-channel/landing"), headers=who,
                            json={"note": "to hospital", **extra})


def test_a_stop_person_is_not_landed_until_a_supervisor_overrides_with_a_reason(port, session):
    call_id = port.approved_call()
    assert _declare(port, call_id, [WANTED]).status_code == 201
    refused = _land(port, call_id, port.officer)
    assert refused.status_code == 409 and "NGUYEN VAN HUNG" in refused.text
    for who in (port.agent, port.customs):  # not station staff: told nothing of the person
        other = _land(port, call_id, who)
        assert other.status_code == 403 and "NGUYEN" not in other.text
    assert _land(port, call_id, port.officer, override=True,
                 reason="life at risk").status_code == 403
    no_reason = _land(port, call_id, port.supervisor, override=True)
    assert no_reason.status_code == 422 and "reason" in no_reason.text
    landed = _land(port, call_id, port.supervisor, override=True, reason="life at risk")
    assert landed.status_code == 200, landed.text
    assert landed.json()["landed_at"] is not None
    history = port.client.get(port.url(call_id, "/history"), headers=port.officer).json()
    event = next(e for e in history["items"] if e.get("action") == "landing")
    assert "NGUYEN VAN HUNG" in str(event) and "life at risk" in str(event)
    from sqlalchemy import select

    from bastion.audit.models import AuditEntry

    audited = session.scalars(select(AuditEntry.reason).where(
        AuditEntry.summary == f"port call {call_id}: landing")).all()
    assert audited == ["life at risk"]


def test_a_person_with_an_undecided_hit_is_not_landed(port):
    call_id = port.approved_call()
    assert _declare(port, call_id, [{"name": "LI ZHENYU"}]).status_code == 201
    refused = _land(port, call_id, port.officer)
    assert refused.status_code == 409 and "LI ZHENYU" in refused.text


def test_a_clear_person_lands_at_once(port):
    call_id = port.approved_call()
    person = {"name": "WANG Wei", "birth_date": SEAMAN["birth_date"],
              "document_number": SEAMAN["document_number"], "nationality": "CHN"}
    assert _declare(port, call_id, [person]).status_code == 201
    landed = _land(port, call_id, port.officer)
    assert landed.status_code == 200, landed.text


def test_a_landed_person_must_be_named_in_the_schema(port):
    call_id = port.approved_call()
    for persons, field in (([{"姓名": "陈国华", "出生日期": "1968-09-30"}], "name"),
                           ([{}], "name"), ([{"name": 123}], "name"), ([{"name": "  "}], "name"),
                           ([{"name": "CHEN", "birth_date": "1968-13-40"}], "birth_date"),
                           ([{"name": "CHEN", "document_number": "X" * 200}], "document_number"),
                           ([], "persons")):
        bad = _declare(port, call_id, persons)
        assert bad.status_code == 422, (persons, bad.text)
        assert "persons" in bad.text and field in bad.text, bad.text
    assert port.client.get(port.url(call_id, "/green-channel"),
                           headers=port.officer).json()["items"] == []


def test_an_agency_viewer_is_refused_before_the_state_is_judged(port, session):
    from sqlalchemy import select

    from bastion.org.models import Agency, User

    agent_user = session.scalar(select(User).where(User.username == "agent.one"))
    make_user(session, agency=session.get(Agency, agent_user.agency_id), role=Role.VIEWER,
              username="agent.viewer")
    session.commit()
    viewer = api_token(port.client, "agent.viewer")
    call_id = port.new_call()
    assert port.act(call_id, "cancel", port.agent, reason="voyage off").status_code == 200
    refused = _declare(port, call_id, [{"name": "WANG Wei"}], who=viewer)
    assert refused.status_code == 403, refused.text


def test_the_web_form_names_the_person_and_screens_them(port):
    call_id = port.approved_call()
    token = login(port.client, "agent.one")
    port.client.cookies.set("bastion_lang", "en")
    page = port.client.get(f"/clearance/{call_id}").text
    assert 'name="person_name"' in page and 'name="person_document_number"' in page
    form = {"csrf_token": token, "kind": "medical", "reason": "fell into the hold"}
    nameless = port.client.post(f"/clearance/{call_id}/green-channel/declare", data=form)
    assert nameless.status_code == 422 and "persons[0].name" in nameless.text
    bad_date = port.client.post(f"/clearance/{call_id}/green-channel/declare", data={
        **form, "person_name": "NGUYEN VAN HUNG", "person_birth_date": "12/04/1979"})
    assert bad_date.status_code == 422 and "persons[0].birth_date" in bad_date.text
    opened = port.client.post(f"/clearance/{call_id}/green-channel/declare", data={
        **form, "person_name": WANTED["name"], "person_birth_date": WANTED["birth_date"],
        "person_document_number": WANTED["document_number"]}, follow_redirects=False)
    assert opened.status_code == 303, opened.text
    persons = port.get(call_id)["precheck"]["persons"]
    assert [o for ref, o in persons.items() if ref.startswith("NGUYEN VAN HUNG · G")] == ["stop"]
