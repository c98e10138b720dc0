"""The solver job for real (small problems, short time limits): claims queued rosters, writes
progress, stores a plan that keeps every rule, or the explanation when it cannot be staffed;
pins are kept by a re-solve, which counts the cells it moved."""

from __future__ import annotations

from sqlalchemy import select

from bastion.core.events import EventRecord
from bastion.duty import check
from bastion.duty.rosters import jobs
from bastion.duty.rosters import problem_of as po
from bastion.duty.rosters.models import Assignment, Roster, RosterStatus
from bastion.duty.rosters.schemas import DemandIn
from bastion.duty.rosters.setup import add_demand
from tests.duty.rosters.world import roster

API = "/api/v1/duty"


def quick(settings):
    settings.duty.solve_time_limit_s = 3
    settings.duty.solve_workers = 1
    return settings


def cells(session, r):
    rows = session.scalars(select(Assignment).where(Assignment.roster_id == r.id)).all()
    return rows, po.cells_of(po.unit_codes(session, r.unit_ids), rows)


def test_a_queued_roster_is_solved_by_the_job(client, session, session_factory, settings, w):
    r = roster(session, w)
    assert client.post(f"{API}/rosters/{r.id}/solve",
                       headers=w.headers(client, "cmd")).status_code == 202
    assert jobs.solve_queued(session_factory, quick(settings)) == 1
    assert jobs.solve_queued(session_factory, settings) == 0  # nothing left
    session.expire_all()
    r = session.get(Roster, r.id)
    assert r.status == RosterStatus.SOLVED and r.solve_status in ("optimal", "feasible")
    assert r.progress == 1.0 and r.version == 1 and r.changes is None
    rows, plan = cells(session, r)
    assert len(rows) == 14
    assert check.violations(po.problem_of(session, r), plan) == []
    night = next(a for a in rows if a.shift_code == "N")
    assert (night.ends_at - night.starts_at).total_seconds() == 12 * 3600
    assert night.starts_at.hour == 12  # 20:00 in Asia/Shanghai is 12:00 UTC
    kinds = session.scalars(select(EventRecord.kind).where(
        EventRecord.record_kind == "duty_roster", EventRecord.record_id == r.id)).all()
    assert {"duty.roster.solving", "duty.roster.solved"} <= set(kinds)
    got = client.get(f"{API}/rosters/{r.id}", headers=w.headers(client, "cmd")).json()
    assert got["status"] == "solved" and len(got["assignments"]) == 14


def test_pin_and_re_solve_keeps_the_pin(client, session, session_factory, settings, w):
    r = roster(session, w)
    client.post(f"{API}/rosters/{r.id}/solve", headers=w.headers(client, "cmd"))
    jobs.solve_queued(session_factory, quick(settings))
    session.expire_all()
    rows, _plan = cells(session, r)
    day0 = sorted((a for a in rows if a.day == r.start), key=lambda a: a.shift_code)
    busy = {a.person_id for a in rows if a.day in (r.start, r.start.fromordinal(
        r.start.toordinal() - 1), r.start.fromordinal(r.start.toordinal() + 1))}
    free = next(p for p in w.people if p.id not in busy)
    moved = client.patch(f"{API}/rosters/{r.id}/assignments/{day0[0].id}",
                         json={"person_id": free.id, "pinned": True},
                         headers=w.headers(client, "cmd"))
    assert moved.status_code == 200, moved.text
    assert client.post(f"{API}/rosters/{r.id}/solve",
                       headers=w.headers(client, "cmd")).status_code == 202
    jobs.solve_queued(session_factory, settings)
    session.expire_all()
    r = session.get(Roster, r.id)
    assert r.status == RosterStatus.SOLVED and r.changes is not None
    kept = session.get(Assignment, day0[0].id)
    assert kept is not None and kept.pinned and kept.person_id == free.id
    _rows, plan = cells(session, r)
    assert check.violations(po.problem_of(session, r), plan) == []


def test_infeasible_is_explained_and_shown(client, session, session_factory, settings, w):
    add_demand(session, user=w.users["cmd"], data=DemandIn(
        unit_id=w.post_a.id, shift_code="D", role_code="duty_leader", count=1))
    session.commit()
    r = roster(session, w)
    client.post(f"{API}/rosters/{r.id}/solve", headers=w.headers(client, "cmd"))
    jobs.solve_queued(session_factory, quick(settings))
    session.expire_all()
    r = session.get(Roster, r.id)
    assert r.status == RosterStatus.INFEASIBLE
    assert r.explanation and {"message", "params"} <= set(r.explanation[0])
    got = client.get(f"{API}/rosters/{r.id}", headers=w.headers(client, "cmd")).json()
    assert got["status"] == "infeasible" and got["explanation"]
    assert client.post(f"{API}/rosters/{r.id}/publish",
                       headers=w.headers(client, "cmd")).status_code == 409
    from tests.web_helpers import login

    login(client, w.users["cmd"].username)
    page = client.get(f"/duty/rosters/{r.id}")
    assert page.status_code == 200
    assert "无法排班" in page.text and 'id="explanation"' in page.text
