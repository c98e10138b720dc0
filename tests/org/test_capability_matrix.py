"""Every kind of agency × every role × every capability, through the REST API.

For each capability one request exercises it. A user whose agency kind and role hold the
capability (org/capabilities.py, the grants tables) gets past the check — a 2xx, or a domain
answer such as 409 for an action illegal in the record's state; everyone else is refused
with 403, or 404 where the record itself is beyond their need-to-know. The expectation is
read from the grants table, and the table is checked against the issue's must-haves below.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from bastion.border.patrols.models import Sos
from bastion.core.marking import TLP, Distribution
from bastion.maritime.alerts import service as alerts
from bastion.org import capabilities
from bastion.org.models import AgencyKind, Role
from tests.factories import make_agency, make_user
from tests.web_helpers import api_token

UNITS = {AgencyKind.BORDER_INSPECTION_TEAM: AgencyKind.BORDER_INSPECTION,
         AgencyKind.JOINT_DEFENCE_POST: AgencyKind.JOINT_DEFENCE_COMMAND}
CLEARING = (AgencyKind.CUSTOMS, AgencyKind.MARITIME_SAFETY, AgencyKind.BORDER_POLICE,
            AgencyKind.PUBLIC_SECURITY)
REFUSED = (403, 404)


@dataclass
class Setting:
    agencies: dict[AgencyKind, object]
    call_id: int
    alert_id: int
    sos_id: int = 0


@pytest.fixture
def setting(session, client) -> Setting:
    agencies: dict[AgencyKind, object] = {}
    for kind in AgencyKind:
        if kind not in UNITS:
            agencies[kind] = make_agency(session, code=f"K-{kind.value}".upper()[:32], kind=kind)
    for unit, parent in UNITS.items():
        agencies[unit] = make_agency(session, code=f"K-{unit.value}".upper()[:32], kind=unit,
                                     parent=agencies[parent])
    agent = make_user(session, agency=agencies[AgencyKind.SHIPPING_AGENCY], role=Role.OFFICER,
                      username="matrix.agent")
    sensor = make_user(session, agency=agencies[AgencyKind.BORDER_INSPECTION],
                       username="matrix.sensor")
    # An alert every government agency may see by its marking, so the check left is the
    # capability (private parties stand outside CLEAR: 404).
    owner = alerts.AlertOwner(org_id=agencies[AgencyKind.BORDER_INSPECTION].id,
                              author_id=sensor.id, tlp=TLP.CLEAR,
                              distribution=Distribution.ALL)
    start = datetime.now(UTC) - timedelta(hours=1)
    alert = alerts.apply_engine_event(session, owner=owner, action="raised", alert={
        "id": "matrix-1", "kind": "gap", "mmsi": 412000001, "start": start.isoformat(),
        "severity": "medium"})
    session.commit()
    headers = api_token(client, agent.username)
    call = client.post("/api/v1/port-calls", headers=headers, json={
        "station_id": agencies[AgencyKind.BORDER_INSPECTION].id,
        "participant_ids": [agencies[k].id for k in CLEARING],
        "vessel_name": "MATRIX", "eta": (datetime.now(UTC) + timedelta(days=2)).isoformat()})
    assert call.status_code == 201, call.text
    # An SOS sent outside any patrol: the command's organisation (and its posts) see it.
    command = agencies[AgencyKind.JOINT_DEFENCE_COMMAND]
    sos = Sos(client_id=str(uuid.uuid4()), owner_org_id=command.id, device_at=start)
    session.add(sos)
    session.commit()
    return Setting(agencies=agencies, call_id=call.json()["id"], alert_id=alert.id,
                   sos_id=sos.id)


_names = itertools.count()


def _probes(s: Setting) -> dict[str, tuple[str, str, dict | None, tuple[int, ...]]]:
    """capability -> (method, path, json, statuses that mean 'allowed past the check')."""
    n = next(_names)
    call, alert = f"/api/v1/port-calls/{s.call_id}", f"/api/v1/alerts/{s.alert_id}"
    station = s.agencies[AgencyKind.BORDER_INSPECTION]
    post = s.agencies[AgencyKind.JOINT_DEFENCE_POST]
    return {
        "accounts.manage": ("GET", "/api/v1/users", None, (200,)),
        "audit.read": ("GET", "/api/v1/audit", None, (200,)),
        "notices.read": ("GET", "/api/v1/notices", None, (200,)),
        "notices.write": ("POST", "/api/v1/notices", {"title": "t", "tlp": "green",
                                                      "distribution": "own"}, (201,)),
        "vessels.read": ("GET", "/api/v1/vessels", None, (200,)),
        "alerts.read": ("GET", "/api/v1/alerts", None, (200,)),
        "alerts.act": ("POST", f"{alert}/acknowledge", None, (200,)),
        "watchlists.read": ("GET", "/api/v1/watchlists", None, (200,)),
        "watchlists.manage": ("POST", "/api/v1/watchlists", {"name": f"list {n}",
                                                             "tlp": "amber"}, (201,)),
        "screening.run": ("POST", "/api/v1/screen", {"people": [{"name": "WANG XIAOMING"}]},
                          (200,)),
        "screening.review": ("GET", "/api/v1/screening/hits", None, (200,)),
        "portcalls.read": ("GET", "/api/v1/port-calls", None, (200,)),
        "portcalls.declare": ("POST", "/api/v1/port-calls", {
            "station_id": station.id, "vessel_name": "PROBE",
            "eta": "2030-01-01T00:00:00+00:00"}, (201,)),
        # Illegal in the call's state (draft): 409 means the function itself was allowed.
        "portcalls.process": ("POST", f"{call}/actions/approve_arrival", None, (409,)),
        "portcalls.clear": ("POST", f"{call}/actions/clear_in", None, (409,)),
        "precheck.read": ("GET", "/api/v1/clearance/precheck-rules", None, (200,)),
        "precheck_rules.edit": ("PUT", "/api/v1/clearance/precheck-rules", None, (200,)),
        "terminals.manage": ("POST", "/api/v1/clearance/terminals",
                             {"code": f"T{n}", "name": "码头"}, (201,)),
        "clearance.statistics": ("GET", "/api/v1/clearance/statistics", None, (200,)),
        "workbench.read": ("GET", "/api/v1/workbench", None, (200,)),
        "declarations.read": ("GET", f"{call}/departure", None, (200,)),
        "health.read": ("GET", f"{call}/health", None, (200,)),
        # No declaration of health yet: 409 means the function itself was allowed.
        "health.decide": ("POST", f"{call}/health-decision", {"decision": "free_pratique"},
                          (409,)),
        # Asked before the state: on a draft call, 409 means the override itself was allowed.
        "portcalls.override": ("POST", f"{call}/actions/clear_in",
                               {"override": True, "reason": "probe"}, (409,)),
        "violations.read": ("GET", "/api/v1/clearance/violations", None, (200,)),
        "violations.record": ("POST", "/api/v1/clearance/violations", {
            "subject": "vessel", "imo": 9074729, "occurred_on": "2025-01-01",
            "description": "probe"}, (201,)),
        "patrols.read": ("GET", "/api/v1/patrols", None, (200,)),
        "patrols.plan": ("POST", "/api/v1/patrols/targets", {
            "post_agency_id": post.id, "period": "week", "min_patrols": 3}, (201,)),
        # A partner (police, army) records only for a post whose command shares its segments
        # with it, and this probe's post shares none: 422 on post_agency_id means the
        # function itself was allowed (tests/border/patrols/test_review_rules.py has the rule).
        "patrols.record": ("POST", "/api/v1/patrols/field/start", {
            "op_id": str(uuid.uuid4()), "patrol_id": str(uuid.uuid4()),
            "post_agency_id": post.id, "device_at": "2026-12-07T09:00:00+08:00"}, (201, 422)),
        "patrols.sos.ack": ("POST", f"/api/v1/patrols/sos/{s.sos_id}/acknowledge", None,
                            (200,)),
        # A garbled message: 422 means the gateway's function itself was allowed.
        "patrols.message": ("POST", "/api/v1/patrols/messages", {"text": "BX1 ?"}, (422,)),
        "border.map.read": ("GET", "/api/v1/border/map", None, (200,)),
        "border.map.write": ("POST", "/api/v1/border/places", {
            "kind": "bridge", "name": f"probe {n}", "lon": 105.8, "lat": 23.0, "tlp": "green",
            "distribution": "own"}, (201,)),
        "patrols.measures": ("GET", "/api/v1/patrols/measures", None, (200,)),
        "patrols.live": ("GET", "/api/v1/patrols/live", None, (200,)),
        "duty.roster.read": ("GET", "/api/v1/duty/rosters", None, (200,)),
        "duty.roster.plan": ("POST", "/api/v1/duty/roles", {
            "code": f"probe{n}", "name_zh": "探针", "name_en": "Probe"}, (201,)),
        # A request for an unknown duty is a 404 (need-to-know); the list needs the capability.
        "duty.swap.request": ("GET", "/api/v1/duty/swaps", None, (200,)),
        "duty.log.read": ("GET", "/api/v1/duty/log", None, (200,)),
        "duty.log.write": ("POST", "/api/v1/duty/log", {
            "occurred_at": datetime.now(UTC).isoformat(), "content": "probe"}, (201,)),
        "duty.checkin": ("POST", "/api/v1/duty/checkins", {
            "client_id": str(uuid.uuid4()), "device_at": datetime.now(UTC).isoformat()}, (201,)),
        "duty.hotline.read": ("GET", "/api/v1/duty/hotline", None, (200,)),
        "duty.hotline.handle": ("POST", "/api/v1/duty/hotline", {
            "received_at": datetime.now(UTC).isoformat(), "language": "vi", "kind": "enquiry",
            "summary": "probe"}, (201,)),
        "duty.stats": ("GET", "/api/v1/duty/stats", None, (200,)),
        "residents.read": ("GET", "/api/v1/residents", None, (200,)),
        "residents.write": ("POST", "/api/v1/residents", {"name": "Nguyễn Văn An"}, (201,)),
        # The function is checked before the person is looked up: 404 for a person nobody
        # sees means the function itself was allowed.
        "residents.crossings.record": ("POST", "/api/v1/residents/2147483647/crossings", {
            "at": "2026-12-01T08:00:00+08:00", "direction": "in", "crossing_point": "东兴"},
            (404,)),
        "residents.points.edit": ("POST", "/api/v1/residents/crossing-points/load-reference",
                                  None, (200,)),
        "residents.flags": ("GET", "/api/v1/residents/flags", None, (200,)),
        "reports.read": ("GET", "/api/v1/reports/figures?year=2026", None, (200,)),
        "residents.import": ("GET", "/residents/import/template.xlsx", None, (200,)),
        "residents.visits": ("GET", "/api/v1/residents/visits", None, (200,)),
        "residents.stats": ("GET", "/api/v1/residents/stats", None, (200,)),
        "residents.audit": ("GET", "/residents/reads", None, (200,)),
        "residents.export": ("GET", "/api/v1/residents/2147483647/export?purpose=probe", None,
                             (404,)),
        "hazards.read": ("GET", "/api/v1/hazards", None, (200,)),
        "hazards.report": ("POST", "/api/v1/hazards", {
            "category": "landslide", "lon": 105.95, "lat": 22.97, "post_agency_id": post.id},
            (201,)),
        "hazards.work": ("GET", "/api/v1/hazards/work-orders", None, (200,)),
        "hazards.command": ("GET", "/api/v1/hazards/triage", None, (200,)),
        "hazards.surveys.read": ("GET", "/api/v1/hazards/surveys", None, (200,)),
        "hazards.surveys.write": ("POST", "/api/v1/hazards/surveys", {
            "title": "probe", "surveyed_on": datetime.now(UTC).date().isoformat()}, (201,)),
        "hazards.stats": ("GET", "/api/v1/hazards/totals", None, (200,)),
        "fieldalarms.read": ("GET", "/api/v1/field-alarms/alarms", None, (200,)),
        # The function is checked before the alarm is looked up (404: allowed, nobody's alarm).
        "fieldalarms.act": ("POST", "/api/v1/field-alarms/alarms/2147483647/actions",
                            {"action": "acknowledge"}, (404,)),
        "fieldalarms.devices": ("GET", "/api/v1/field-alarms/intake/stats", None, (200,)),
        "training.read": ("GET", "/api/v1/training/events", None, (200,)),
        "training.record": ("POST", "/api/v1/training/events", {
            "kind": "study_day", "starts_at": datetime.now(UTC).isoformat()}, (201,)),
        "supplies.read": ("GET", "/api/v1/supplies/stock", None, (200,)),
        # The function is checked before the item or the store is looked up: 422 for an item
        # nobody has, or 404 for a store nobody sees, means the function itself was allowed.
        "supplies.move": ("POST", "/api/v1/supplies/movements", {
            "kind": "issue", "item_code": "PROBE-NONE", "from_agency_id": 2147483647}, (422,)),
        "supplies.receive": ("POST", "/api/v1/supplies/receipts", {
            "agency_id": 2147483647, "received_on": "2026-12-01", "lines": [
                {"item_code": "PROBE-NONE", "quantity": 1, "unit_price": 1}]}, (404,)),
        "supplies.catalogue": ("POST", "/api/v1/supplies/thresholds", {
            "item_code": "PROBE-NONE", "agency_id": 2147483647, "minimum": 1}, (422,)),
        "evaluations.read": ("GET", "/api/v1/evaluations/assessments", None, (200,)),
        # The function is checked before the person is looked up: 404 for a person nobody
        # assesses means the function itself was allowed.
        "evaluations.assess": ("POST", "/api/v1/evaluations/assessments", {
            "person_id": 2147483647, "month": "2026-11", "scores": {}}, (404,)),
        "evaluations.rate": ("POST", "/api/v1/evaluations/ratings", {
            "person_id": 2147483647, "year": 2026, "rating": "excellent", "reason": "probe"},
            (404,)),
        "evaluations.indicators": ("POST", "/api/v1/evaluations/indicators", {
            "valid_from": "2026-01", "rating_rule": {"min_months": 10, "bands": [
                {"rating": "excellent", "min": 90}]}, "indicators": [
                {"code": "probe", "name_zh": "探针", "name_en": "Probe", "weight": 1,
                 "max_score": 10}]}, (201,)),
        "outreach.read": ("GET", "/api/v1/outreach/visits", None, (200,)),
        # No village is linked to the probe's posts: 422 means the function itself was allowed.
        "outreach.record": ("POST", "/api/v1/outreach/visits", {
            "village_id": 2147483647, "visited_on": "2026-11-02", "topic": "border_law",
            "attendees": 1}, (422,)),
        "outreach.board": ("GET", "/api/v1/outreach/board", None, (200,)),
        "cases.read": ("GET", "/api/v1/cases", None, (200,)),
        "cases.write": ("POST", "/api/v1/cases", {"title": f"probe {n}"}, (201,)),
        "cases.stats": ("GET", "/api/v1/cases/stats", None, (200,)),
        # The probe's committee is given no village: 422 on village means the function itself
        # was allowed (tests/cases/test_tips.py has the rule).
        "cases.tips.submit": ("POST", "/api/v1/tips", {
            "client_id": str(uuid.uuid4()), "kind": "other", "description": "probe",
            "device_at": datetime.now(UTC).isoformat()}, (201, 422)),
        "emergencies.read": ("GET", "/api/v1/emergencies/register", None, (200,)),
        "emergencies.manage": ("POST", "/api/v1/emergencies", {
            "name": "probe", "landfall_at": datetime.now(UTC).isoformat(), "area": {
                "type": "Polygon", "coordinates": [[[111, 21], [112, 21], [112, 22], [111, 21]]]}},
            (201,)),
        # The function is checked before the emergency is looked up (404: allowed).
        "emergencies.act": ("POST", "/api/v1/emergencies/2147483647/vessels", {
            "name": "probe", "vessel_class": "fishing"}, (404,)),
        "emergencies.register": ("POST", "/api/v1/emergencies/shelter-zones", {
            "name": f"probe{n}", "vessel_class": "fishing", "area": {
                "type": "Polygon", "coordinates": [[[111, 21], [112, 21], [112, 22], [111, 21]]]}},
            (201,)),
        "emergencies.acknowledge": ("GET", "/api/v1/emergencies/my-vessels", None, (200,)),
        "operations.read": ("GET", "/api/v1/operations", None, (200,)),
        # The function is checked before the operation is looked up: 404 means allowed.
        "operations.work": ("POST", "/api/v1/operations/2147483647/log", {"text": "probe"},
                            (404,)),
        "operations.plan": ("POST", "/api/v1/operations", {
            "name": "probe", "starts_at": datetime.now(UTC).isoformat(),
            "ends_at": (datetime.now(UTC) + timedelta(days=1)).isoformat()}, (201,)),
    }


def _expected(user, capability: str) -> bool:
    if capability == "portcalls.clear":  # the station clears through its own workflow
        return capabilities.can(user, capability) or capabilities.can(user, "portcalls.process")
    return capabilities.can(user, capability)


def test_probes_cover_every_capability(setting):
    assert set(_probes(setting)) == set(capabilities.grants().table)


@pytest.mark.parametrize("kind", list(AgencyKind))
def test_kind_and_role_through_the_api(session, client, setting, kind):
    agency = setting.agencies[kind]
    for role in Role:
        user = make_user(session, agency=agency, role=role)
        session.commit()
        headers = api_token(client, user.username)
        probes = _probes(setting)
        if "precheck_rules.edit" in probes:  # save what is in force, unchanged
            current = client.get("/api/v1/clearance/precheck-rules", headers=headers)
            probes["precheck_rules.edit"] = (
                "PUT", "/api/v1/clearance/precheck-rules",
                {"rules": current.json()["rules"]} if current.status_code == 200
                else {"rules": []}, (200,))
        for capability, (method, path, body, allowed) in probes.items():
            response = client.request(method, path, headers=headers, json=body)
            want = _expected(user, capability)
            where = f"{kind.value}/{role.value} {capability}: {method} {path}"
            if want:
                assert response.status_code in allowed, (where, response.text)
            else:
                assert response.status_code in REFUSED, (where, response.text)


def test_the_issue_s_must_haves_hold_in_the_table(session, setting):
    """A shipping agent reads no alert or watchlist and screens nobody; a land-border
    command cannot change the port's rules or terminals; the station's officer reads
    watchlists and acts on alerts."""
    def user(kind, role):
        return make_user(session, agency=setting.agencies[kind], role=role)

    agent = user(AgencyKind.SHIPPING_AGENCY, Role.SUPERVISOR)
    for capability in ("alerts.read", "alerts.act", "watchlists.read", "screening.run",
                       "screening.review", "vessels.read"):
        assert not capabilities.can(agent, capability), capability
    command = user(AgencyKind.JOINT_DEFENCE_COMMAND, Role.SUPERVISOR)
    assert not capabilities.can(command, "precheck_rules.edit")
    assert not capabilities.can(command, "terminals.manage")
    officer = user(AgencyKind.BORDER_INSPECTION_TEAM, Role.OFFICER)
    assert capabilities.can(officer, "watchlists.read")
    assert capabilities.can(officer, "alerts.act")
    village = user(AgencyKind.VILLAGE_COMMITTEE, Role.VIEWER)
    assert not capabilities.can(village, "screening.run")


def test_me_lists_the_caller_s_kind_and_functions(client, session, setting):
    agent = make_user(session, agency=setting.agencies[AgencyKind.SHIPPING_AGENCY],
                      role=Role.OFFICER)
    session.commit()
    me = client.get("/api/v1/me", headers=api_token(client, agent.username)).json()
    assert me["agency_kind"] == "shipping_agency"
    assert me["capabilities"] == capabilities.of(agent)
    assert "portcalls.declare" in me["capabilities"] and "alerts.read" not in me["capabilities"]
