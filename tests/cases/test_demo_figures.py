"""The SYNTHETIC demo's cases give the seed reports' figures: 3 cross-border crime cases with
5 persons, 6 hazards eliminated through the vessel risk model (cases opened from the demo's
vessel alerts), tips received and acted on; the drill stays out of them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bastion import demo
from bastion.cases import demo as cases_demo
from bastion.cases import figures
from bastion.cases.models import Case, Tip, TipStatus
from bastion.core import figures as core_figures
from bastion.core.marking import TLP, Distribution
from bastion.maritime.alerts import service as alerts
from bastion.org.models import Agency, User


def _alerts(session, users):
    """Seven alerts as the AIS day's detectors would raise them (the station's)."""
    station = session.scalar(select(Agency).where(Agency.code == "YJ-BIS"))
    owner = alerts.AlertOwner(org_id=station.id, author_id=users["chen.supervisor"].id,
                              tlp=TLP.AMBER, distribution=Distribution.OWN)
    start = datetime.now(UTC) - timedelta(hours=10)
    for n in range(7):
        alerts.apply_engine_event(session, owner=owner, action="raised", alert={
            "id": f"demo-{n}", "kind": "loitering", "mmsi": 412000100 + n,
            "start": (start + timedelta(minutes=30 * n)).isoformat(), "severity": "medium",
            "lat": 21.6 + n / 100, "lon": 111.9})


def test_the_demo_gives_the_seed_reports_figures(session):
    demo.load(session, duty=False)
    users = {u.username: u for u in session.scalars(select(User))}
    _alerts(session, users)
    assert cases_demo.load_sea(session, users=users) == 7
    assert cases_demo.load_sea(session, users=users) == 0  # once
    session.flush()
    assert all(c.synthetic for c in session.scalars(select(Case)))
    today = datetime.now(UTC).date()
    # figures count by the station's local days: from 16:00 UTC, Beijing is a day ahead
    start, end = today - timedelta(days=365), today + timedelta(days=2)
    found = {f.key: f.value for f in figures.figures(session=session,
                                                    user=users["chen.supervisor"],
                                                    start=start, end=end)}
    # the station reports its own sea cases; the command's land cases, shared with it for
    # joint sea-land defence, are reported once, by the command
    assert (found["cases.cross_border"], found["cases.cross_border_persons"]) == (0, 0)
    assert found["cases.risk_model_hazards_eliminated"] == 6
    command = {f.key: f.value for f in figures.figures(session=session,
                                                      user=users["huang.command"],
                                                      start=start, end=end)}
    assert (command["cases.cross_border"], command["cases.cross_border_persons"]) == (3, 5)
    assert command["cases.smuggling"] == 2
    assert command["cases.tips_received"] == 3 and command["cases.tips_acted_on"] == 1
    assert [t.status for t in session.scalars(select(Tip).order_by(Tip.id))] == [
        TipStatus.ACTED_ON, TipStatus.RECEIVED, TipStatus.RECEIVED]
    # the drill is there, closed "smuggling", and not counted
    assert session.scalar(select(Case).where(Case.exercise.is_(True))).outcome == "smuggling_case"
    # a user of no agency that reads cases gets no section; the registry finds ours
    assert figures.figures(session=session, user=users["agent.yj"], start=start,
                           end=end) is None
    sections = core_figures.collect(session=session, user=users["chen.supervisor"],
                                    start=start, end=end)
    assert core_figures.by_key(sections)["cases.risk_model_hazards_eliminated"] == 6
