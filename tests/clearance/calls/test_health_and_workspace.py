"""The Maritime Declaration of Health (customs decides, others by need to know) and the
declarations workspace: rows as tables, version diff, upload history, one row, copy forward."""

from __future__ import annotations

from tests.clearance.calls.departure_helpers import PERSON, crew_rows, make_call, partners, users

HEALTH = ("Ports of call in the last 30 days,Visited an affected area,Deaths on board,"
          "Number of deaths,Suspected infectious disease,More ill persons than normal,"
          "Ill persons on board now,Medical practitioner consulted,"
          "Condition that may spread infection,Sanitary measures applied,Stowaways found,"
          "Sick animal or pet on board,Name of master\n"
          "VNHPH 2026-11-25,no,{deaths},{count},no,no,yes,yes,no,no,no,no,LI SI\n")
ILL = ("Name,Class or rating,Age,Gender,Nationality,Port joined,Date joined,Nature of illness,"
       "Date of onset of symptoms,Reported to a port medical officer,Disposal of case\n"
       "CHEN WU,Cook,34,M,CHN,CNSHG,2026-10-01,\"Fever, cough\",2026-11-28,yes,Isolated\n")


def test_health_declaration_submitted_by_the_agent_decided_by_customs(client, session, world,
                                                                      station):
    customs, msa = partners(session)
    u = users(client)
    call_id = make_call(client, world, customs, msa, u["agent"])
    base = f"/api/v1/port-calls/{call_id}"
    wrong = client.post(f"{base}/health/health", headers=u["agent"], files={
        "file": ("mdh.csv", HEALTH.format(deaths="yes", count="").encode())})
    assert wrong.status_code == 422
    assert [(e["code"], e["column"]) for e in wrong.json()["errors"]] == [
        ("MISSING_DEATHS_COUNT", "Number of deaths")]
    assert client.post(f"{base}/health/health", headers=u["officer"], files={
        "file": ("mdh.csv", HEALTH.format(deaths="no", count="").encode())}).status_code == 403
    stored = client.post(f"{base}/health/health", headers=u["agent"], files={
        "file": ("mdh.csv", HEALTH.format(deaths="no", count="").encode())})
    assert stored.status_code == 201, stored.text
    missing = client.get(f"{base}/health", headers=u["customs"]).json()
    assert missing["alarming"] == ["ill_now"] and missing["missing_attachment"]
    assert client.post(f"{base}/health/health_ill", headers=u["agent"], files={
        "file": ("ill.csv", ILL.encode())}).status_code == 201
    view = client.get(f"{base}/health", headers=u["customs"]).json()
    assert view["ill"][0]["name"] == "CHEN WU" and not view["missing_attachment"]
    assert view["may_decide"]
    # need to know: the agent and the station read it; maritime safety does not
    assert client.get(f"{base}/health", headers=u["agent"]).json()["may_decide"] is False
    assert client.get(f"{base}/health", headers=u["officer"]).status_code == 200
    assert client.get(f"{base}/health", headers=u["msa"]).status_code == 403
    assert client.get(f"{base}/health", headers=u["viewer"]).status_code == 403
    assert client.get(f"{base}/health", headers=u["other_agent"]).status_code == 404
    # only customs decides; measures must be named unless free pratique
    decide = f"{base}/health-decision"
    for who in ("agent", "officer", "supervisor", "msa"):
        assert client.post(decide, headers=u[who], json={
            "decision": "free_pratique"}).status_code == 403, who
    vague = client.post(decide, headers=u["customs"], json={"decision": "conditional"})
    assert vague.status_code == 422 and vague.json()["detail"][0]["loc"][-1] == "conditions"
    odd = client.post(decide, headers=u["customs"], json={"decision": "maybe"})
    assert odd.status_code == 422 and odd.json()["detail"][0]["loc"][-1] == "decision"
    made = client.post(decide, headers=u["customs"], json={
        "decision": "conditional", "conditions": "Cook isolated; cabin disinfected"})
    assert made.status_code == 201, made.text
    assert client.get(f"{base}/health", headers=u["agent"]).json()["decision"] == "conditional"
    history = client.get(f"{base}/history", headers=u["officer"]).json()["items"]
    assert [h["form"] for h in history if h["action"] == "declaration"] == ["health",
                                                                            "health_ill"]
    assert any(h["action"] == "health_decision" for h in history)
    # the health forms are not rows for maritime safety either
    assert client.get(f"{base}/declarations/health/rows",
                      headers=u["msa"]).status_code == 403
    forms = {d["form"] for d in client.get(f"{base}/declarations", headers=u["msa"]).json()[
        "items"]}
    assert "health" not in forms


def test_rows_diff_history_and_one_row(client, session, world, station):
    customs, msa = partners(session)
    u = users(client)
    call_id = make_call(client, world, customs, msa, u["agent"])
    base = f"/api/v1/port-calls/{call_id}"
    first = crew_rows()
    assert client.post(f"{base}/declarations/crew/rows", headers=u["agent"],
                       json={"rows": first}).status_code == 201
    second = [r for r in first if r["family_name"] != "SANTOS"]
    second[0] = {**second[0], "rank": "Captain"}
    assert client.post(f"{base}/declarations/crew/rows", headers=u["agent"],
                       json={"rows": [*second, PERSON]}).status_code == 201
    page = client.get(f"{base}/declarations/crew/rows", headers=u["customs"],
                      params={"limit": 2}).json()
    assert page["total"] == 3 and len(page["items"]) == 2 and page["next_offset"] == 2
    v1 = client.get(f"{base}/declarations/crew/rows", headers=u["officer"],
                    params={"version": 1}).json()
    assert {r["family_name"] for r in v1["items"]} == {"ZHANG", "NGUYEN", "SANTOS"}
    diff = client.get(f"{base}/declarations/crew/diff", headers=u["officer"],
                      params={"from": 1}).json()
    assert [r["family_name"] for r in diff["added"]] == ["WANG"]
    assert [r["family_name"] for r in diff["removed"]] == ["SANTOS"]
    assert [(c["fields"]) for c in diff["changed"]] == [{"rank": ["Master", "Captain"]}]
    assert diff["unchanged"] == 1
    for who, status in (("viewer", 403), ("other_agent", 404), ("msa", 200)):
        assert client.get(f"{base}/declarations/crew/rows",
                          headers=u[who]).status_code == status, who
    # one row typed in: checked like an upload, the error names the field
    bad = client.post(f"{base}/declarations/crew/row", headers=u["agent"], json={
        "row": {**PERSON, "document_number": "X1", "birth_date": "1990-13-01"}})
    assert bad.status_code == 422
    assert [(e["row"], e["column"], e["code"]) for e in bad.json()["errors"]] == [
        (4, "birth_date", "BAD_DATE")]
    assert client.post(f"{base}/declarations/crew/row", headers=u["officer"], json={
        "row": {**PERSON, "document_number": "X1"}}).status_code == 403
    added = client.post(f"{base}/declarations/crew/row", headers=u["agent"], json={
        "row": {**PERSON, "family_name": "LIU", "document_number": "E99990000"}})
    assert added.status_code == 201 and added.json()["version"] == 3
    history = client.get(f"{base}/history", headers=u["officer"]).json()["items"]
    uploads = [(h["form"], h["version"], h["rows"], h["channel"]) for h in history
               if h["action"] == "declaration"]
    assert uploads == [("crew", 1, 3, "rows"), ("crew", 2, 3, "rows"), ("crew", 3, 4, "rows")]


def test_copy_forward_from_the_agents_earlier_call(client, session, world, station):
    customs, msa = partners(session)
    u = users(client)
    earlier = make_call(client, world, customs, msa, u["agent"])
    client.post(f"/api/v1/port-calls/{earlier}/declarations/crew/rows", headers=u["agent"],
                json={"rows": crew_rows()})
    # those who sailed on: the earlier call's departure list is preferred
    sailed = [r for r in crew_rows() if r["family_name"] != "SANTOS"]
    client.post(f"/api/v1/port-calls/{earlier}/departure/crew/rows", headers=u["agent"],
                json={"rows": sailed})
    later = make_call(client, world, customs, msa, u["agent"], voyage_number="V2612")
    copy = f"/api/v1/port-calls/{later}/copy-forward"
    assert client.post(copy, headers=u["officer"], json={"source_id": earlier}).status_code == 403
    made = client.post(copy, headers=u["agent"], json={"source_id": earlier})
    assert made.status_code == 201, made.text
    assert [d["form"] for d in made.json()] == ["crew"]
    rows = client.get(f"/api/v1/port-calls/{later}/declarations/crew/rows",
                      headers=u["agent"]).json()["items"]
    assert {r["family_name"] for r in rows} == {"ZHANG", "NGUYEN"}
    # a repeated click stores nothing new; an empty choice of lists is a mistake, named
    again = client.post(copy, headers=u["agent"], json={"source_id": earlier})
    assert again.status_code == 201 and [d["version"] for d in again.json()] == \
        [d["version"] for d in made.json()]
    none = client.post(copy, headers=u["agent"], json={"source_id": earlier, "forms": []})
    assert none.status_code == 422 and none.json()["detail"][0]["loc"][-1] == "forms"
    # another agent's call is not a source: invisible, 404
    other = make_call(client, world, customs, msa, u["other_agent"])
    assert client.post(f"/api/v1/port-calls/{other}/copy-forward", headers=u["other_agent"],
                       json={"source_id": earlier}).status_code == 404
    empty = client.post(copy, headers=u["agent"], json={"source_id": other})
    assert empty.status_code == 404
