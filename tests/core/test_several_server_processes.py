"""``bastion serve`` with several processes (``BASTION_WEB_WORKERS``): they share one session
key, so a user logged in through one is known to all; and of them exactly one leads, running
the jobs and feeds (``core/leader.py``), taking over when its holder dies."""

from __future__ import annotations

import re
import subprocess
import sys
import time

import httpx
import pytest

from bastion.core import leader
from tests.core import live_processes as live

CSRF = re.compile(r'<meta name="csrf-token" content="([0-9a-f]+)">')
HOLD = """
import sys, time
from bastion.core import leader
print("leads" if leader.take_lead() else "follows", flush=True)
time.sleep(60)
"""


@pytest.fixture
def lock(tmp_path, monkeypatch):
    monkeypatch.setenv(leader.LOCK_VARIABLE, str(tmp_path / leader.LOCK_FILE))
    monkeypatch.setattr(leader, "_held", None)
    yield tmp_path / leader.LOCK_FILE
    if leader._held is not None:
        leader._held.close()


def _holder() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", HOLD], stdout=subprocess.PIPE, text=True)


def test_one_process_leads_and_another_takes_over_when_it_dies(lock):
    first = _holder()
    try:
        assert first.stdout.readline().strip() == "leads"
        second = _holder()
        try:
            assert second.stdout.readline().strip() == "follows"
        finally:
            second.kill()
        assert leader.take_lead() is False
    finally:
        first.kill()
        first.wait()
    assert leader.take_lead() is True  # the holder's death released the lock
    assert leader.take_lead() is True  # and a leader stays one


def test_a_single_process_always_leads(monkeypatch):
    monkeypatch.delenv(leader.LOCK_VARIABLE, raising=False)
    monkeypatch.setattr(leader, "_held", None)
    assert leader.take_lead() is True


def test_a_login_holds_across_the_processes_of_one_server_and_each_reports_the_feeds(tmp_path):
    feed = f"udp://127.0.0.1:{live.free_port()}"
    env = live.environment(f"sqlite:///{tmp_path / 'bastion.db'}", BASTION_WEB_WORKERS="2",
                           BASTION_AIS_LISTENERS=f'["{feed}"]', BASTION_DATA_DIR=str(tmp_path))
    del env["BASTION_SECRET_KEY"]  # serve must hand its own key to every process
    live.prepare(env, tmp_path)
    url, server = live.serve(env, tmp_path)
    # No keep-alive: every request is a new connection, so the processes share the work and
    # the form, its token and the session cookie cross from one process to another.
    client = httpx.Client(base_url=url, limits=httpx.Limits(max_keepalive_connections=0))
    try:
        token = CSRF.search(client.get("/login").text).group(1)
        login = client.post("/login", data={"username": "li.officer", "password": "bastion-demo",
                                            "csrf_token": token, "next": "/dashboard"})
        assert login.status_code == 303, login.text[:300]
        statuses = []
        for _ in range(30):
            statuses.append(client.get("/api/v1/me").status_code)
            time.sleep(0.01)
        assert statuses == [200] * 30, statuses

        # The leader listens to the feed; whichever process answers /healthz reports it.
        deadline = time.monotonic() + 30
        expected = [[(feed, "listening")]] * 10
        while time.monotonic() < deadline:
            reports = [[(f["url"], f["state"]) for f in client.get("/healthz").json()["feeds"]]
                       for _ in range(10)]
            if reports == expected:
                break
            time.sleep(0.5)
        assert reports == expected
        assert "serving with 2 processes" in server.log.read_text()
    finally:
        client.close()
        server.stop()
