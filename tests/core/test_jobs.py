"""Scheduled jobs: declared in manifests, run by the registry (in the server or by
``bastion worker``), a failing job never stopping the others."""

from __future__ import annotations

import asyncio
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text

from bastion import worker
from bastion.core import domains, jobs
from bastion.core.config import Settings
from tests.core import live_processes as live
from tests.core import sample_domain


@pytest.fixture
def sample(monkeypatch):
    monkeypatch.setenv("BASTION_EXTRA_DOMAINS", "tests.core.sample_domain")
    domains.reset()
    sample_domain.calls.clear()
    yield sample_domain
    monkeypatch.delenv("BASTION_EXTRA_DOMAINS")
    domains.reset()


def test_jobs_come_from_the_manifests_with_their_intervals(sample, settings):
    found = {job.name: job for job in jobs.scheduled(settings)}
    assert found["sample-count"].every == 0.05
    assert found["sample-broken"].every == settings.session_hours * 1.0  # a setting's name
    assert "sample-off" not in found  # its setting is 0 here: switched off
    assert "green-channel-escalation" not in found  # likewise (the tests' settings)
    assert found["position-retention"].domain == "maritime"
    on = Settings(database_url=settings.database_url, green_channel_check_seconds=30,
                  _env_file=None)
    escalation = {job.name: job for job in jobs.scheduled(on)}["green-channel-escalation"]
    assert escalation.every == 30 and escalation.target == "bastion.clearance.green.timer:escalate"


def test_a_failing_job_does_not_stop_the_others(sample, settings):
    chosen = [job for job in jobs.scheduled(settings) if job.domain == "sample"]
    # The broken job runs at once and then every 12 hours: make it fail every turn instead.
    chosen = [jobs.Scheduled(j.domain, j.name, j.target, 0.05) for j in chosen]

    async def run_for_a_while() -> None:
        tasks = jobs.start(chosen, None, settings)
        await asyncio.sleep(0.6)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        assert all(task.cancelled() for task in tasks)  # none died of its job's exception

    asyncio.run(run_for_a_while())
    assert sample.calls.count("broken") >= 3  # failed, and was run again
    assert sample.calls.count("count") >= 3  # and the other kept its clock


def test_worker_once_runs_every_job_and_reports_a_failure(sample, settings):
    assert worker.main(once=True, settings=settings) == 1  # sample-broken failed ...
    assert sample.calls.count("count") == 1  # ... and the others ran all the same
    assert sample.calls.count("broken") == 1


def test_worker_once_escalates_an_overdue_green_channel_case(tmp_path):
    """The green channel's clock is a job: ``bastion worker --once`` in its own process
    escalates a case whose landing deadline has passed, as ``bastion serve`` would."""
    url = f"sqlite:///{tmp_path / 'bastion.db'}"
    env = live.environment(url)
    live.prepare(env, tmp_path)
    db = create_engine(url)
    past = (datetime.now(UTC) - timedelta(minutes=5)).replace(tzinfo=None)
    with db.begin() as conn:
        case = conn.execute(text("SELECT id, call_id FROM port_call_emergency WHERE kind = "
                                 "'medical' AND closed_at IS NULL")).first()
        assert case is not None, "the demo has an open medical case"
        conn.execute(text("UPDATE port_call_emergency SET landing_due_at = :t WHERE id = :id"),
                     {"t": past, "id": case.id})
    done = subprocess.run([*live.BASTION, "worker", "--once"], check=False, env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "green-channel-escalation: 1" in done.stderr
    with db.connect() as conn:
        escalated = conn.execute(text(
            "SELECT payload FROM event_log WHERE kind = 'portcall.sla_escalated' AND "
            "record_id = :call"), {"call": case.call_id}).all()
        level = conn.scalar(text("SELECT escalation_level FROM port_call_emergency "
                                 "WHERE id = :id"), {"id": case.id})
    db.dispose()
    assert len(escalated) == 1 and level == 1
