"""Storing engine alerts: one row per engine id, retraction kept, need-to-know, the queue."""

from __future__ import annotations

from sqlalchemy import func, select
from tests.web_helpers import api_token

from bastion.core.marking import TLP, Distribution
from bastion.maritime.alerts import service
from bastion.maritime.alerts.models import AlertStatus, VesselAlert

GAP = {"id": "gap:412000001:1730000000", "kind": "gap", "mmsi": 412000001, "other_mmsi": None,
       "start": "2026-11-01T02:00:00Z", "end": None, "lat": 21.55, "lon": 111.95,
       "severity": "high", "score": 80.0, "thresholds": {"gap_hours": 6},
       "evidence": [{"lat": 21.55, "lon": 111.95, "t": "2026-11-01T02:00:00Z"}],
       "context": {"shore_distance_km": 30.0, "positions_per_hour_before": 120}}


def _owner(world, tlp=TLP.AMBER, distribution=Distribution.ALL):
    return service.AlertOwner(org_id=world.a.id, author_id=world.author.id, tlp=tlp,
                              distribution=distribution)


def test_events_update_one_row_and_retraction_is_kept(session, world):
    owner = _owner(world)
    opened = service.apply_engine_event(session, owner=owner, action="opened", alert=GAP)
    assert opened.status == AlertStatus.OPEN and opened.end is None
    service.apply_engine_event(session, owner=owner, action="retracted",
                               alert={**GAP, "end": "2026-11-01T09:00:00Z"},
                               reason="a late fix filled the gap")
    rows = session.scalars(select(VesselAlert).where(VesselAlert.key == GAP["id"])).all()
    assert len(rows) == 1
    assert rows[0].status == AlertStatus.RETRACTED
    assert rows[0].retracted_reason == "a late fix filled the gap"


def test_alerts_follow_need_to_know(session, world):
    service.apply_engine_event(session, owner=_owner(world, TLP.AMBER_STRICT, Distribution.OWN),
                               action="opened", alert=GAP)
    flt = service.AlertFilter()
    assert service.list_visible(session, user=world.a_supervisor, flt=flt)[1] == 1
    assert service.list_visible(session, user=world.b_officer, flt=flt)[1] == 0
    assert service.list_visible(session, user=world.a_viewer, flt=flt)[1] == 0


def test_officer_workflow_over_the_api(client, session, world):
    row = service.apply_engine_event(session, owner=_owner(world), action="opened", alert=GAP)
    session.commit()
    officer = api_token(client, "b.officer")
    ack = client.post(f"/api/v1/alerts/{row.id}/acknowledge", headers=officer)
    assert ack.status_code == 200 and ack.json()["acknowledged_at"]
    # The army company may read alerts but does not work them: not a possible assignee.
    army = client.post(f"/api/v1/alerts/{row.id}/assign", headers=officer,
                       json={"assignee_id": world.c_officer.id})
    assert army.status_code == 422 and army.json()["detail"][0]["loc"] == ["body", "assignee_id"]
    assigned = client.post(f"/api/v1/alerts/{row.id}/assign", headers=officer,
                           json={"assignee_id": world.b_officer2.id})
    assert assigned.status_code == 200 and assigned.json()["assigned_to_id"] == world.b_officer2.id
    no_note = client.post(f"/api/v1/alerts/{row.id}/close", headers=officer, json={"note": ""})
    assert no_note.status_code == 422
    closed = client.post(f"/api/v1/alerts/{row.id}/close", headers=officer,
                         json={"note": "Fishing boat, known to the station"})
    assert closed.json()["status"] == "closed"
    again = client.post(f"/api/v1/alerts/{row.id}/close", headers=officer, json={"note": "x"})
    assert again.status_code == 409
    viewer = api_token(client, "b.viewer")
    assert client.post(f"/api/v1/alerts/{row.id}/acknowledge", headers=viewer).status_code in (403, 404)


def test_assignee_must_be_able_to_see_the_alert(client, session, world):
    row = service.apply_engine_event(session, owner=_owner(world, TLP.AMBER, Distribution.OWN),
                                     action="opened", alert=GAP)
    session.commit()
    response = client.post(f"/api/v1/alerts/{row.id}/assign", headers=api_token(client, "a.super"),
                           json={"assignee_id": world.b_officer.id})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "assignee_id"]


def test_queue_filters(client, session, world):
    owner = _owner(world)
    service.apply_engine_event(session, owner=owner, action="opened", alert=GAP)
    service.apply_engine_event(session, owner=owner, action="opened", alert={
        **GAP, "id": "zone:412000002:1", "kind": "zone_entry", "mmsi": 412000002,
        "severity": "medium"})
    session.commit()
    headers = api_token(client, "a.super")
    assert client.get("/api/v1/alerts?kind=gap", headers=headers).json()["total"] == 1
    assert client.get("/api/v1/alerts?severity=medium", headers=headers).json()["total"] == 1
    assert client.get("/api/v1/alerts?mmsi=412000002", headers=headers).json()["total"] == 1
    assert session.scalar(select(func.count(VesselAlert.id))) == 2


def test_an_engine_event_replayed_writes_no_event_and_changes_nothing(session, world):
    """A replay after a crash re-emits events already stored: no row moves back, no event."""
    from bastion.core.events import EventRecord

    owner = _owner(world)
    ended = {**GAP, "end": "2026-11-01T09:00:00Z"}
    service.apply_engine_event(session, owner=owner, action="opened", alert=GAP)
    service.apply_engine_event(session, owner=owner, action="ended", alert=ended)
    count = select(func.count(EventRecord.id)).where(EventRecord.kind.like("alert.%"))
    before = session.scalar(count)
    row = service.apply_engine_event(session, owner=owner, action="opened", alert=GAP)
    service.apply_engine_event(session, owner=owner, action="ended", alert=ended)
    assert session.scalar(count) == before == 2
    assert row.status == AlertStatus.ENDED and row.end is not None
