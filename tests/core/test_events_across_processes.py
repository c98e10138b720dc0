"""Events reach every process: an alert raised by ``bastion ais listen`` in its own process is
heard by a browser's event stream on ``bastion serve`` — on SQLite by the server reading the
event log, on PostgreSQL through NATS JetStream fed by ``bastion worker``'s relay."""

from __future__ import annotations

import pytest

from tests.conftest import pg_url
from tests.core import live_processes as live


def _backends() -> list[str]:
    return ["sqlite", "postgresql+nats"] if pg_url() else ["sqlite"]


@pytest.fixture(params=_backends())
def deployment(request, tmp_path):
    """The processes of one deployment; yields (server url, environment, processes)."""
    started: list[live.Process] = []
    stream = None
    if request.param == "sqlite":
        env = live.environment(f"sqlite:///{tmp_path / 'bastion.db'}")
    else:
        nats = live.nats_url()
        stream = live.stream_name()
        # The servers only consume; a separate worker runs the jobs and the relay.
        env = live.environment(live.fresh_postgres(pg_url(), "live"), BASTION_BUS=nats,
                               BASTION_BUS_STREAM=stream, BASTION_JOBS_IN_SERVER="false")
    live.prepare(env, tmp_path)
    try:
        url, server = live.serve(env, tmp_path)
        started.append(server)
        if stream:
            started.append(live.spawn(["worker"], env, tmp_path, "worker"))
        yield url, env, started
    finally:
        for process in reversed(started):
            process.stop()
        if stream:
            live.delete_stream(env["BASTION_BUS"], stream)


def test_an_alert_from_the_ais_listener_reaches_a_browser(deployment, tmp_path):
    url, env, processes = deployment
    bearer = live.token(url, "li.officer")
    listener = live.Listener(url, bearer, prefix=("alert.", "notice."))
    listener.start()
    assert listener.ready.wait(10)
    feed = live.NmeaFeed()
    ais = live.spawn(["ais", "listen", feed.url], env, tmp_path, "ais")
    processes.append(ais)
    try:
        feed.send([live.invalid_mmsi_report(123456789)])
        arrived = listener.wait_for(1, timeout=30)
        logs = "\n".join(p.output() for p in processes)
        assert arrived, f"no alert on the stream; logs:\n{logs}"
        _, kind, data = listener.received[0]
        assert kind == "alert.opened" and data["record_kind"] == "vessel_alert"
        alert = live.httpx.get(f"{url}/api/v1/alerts/{data['record_id']}", headers={
            "Authorization": f"Bearer {listener.bearer}"}).json()
        assert alert["kind"] == "invalid_identity" and alert["mmsi"] == 123456789
        # Each event once: the server's own events (a notice posted to it) are published
        # after commit and also read back from the log (or NATS); the stream carries one copy.
        seen = len(listener.received)
        feed.send([live.invalid_mmsi_report(123456780)])
        posted = live.httpx.post(f"{url}/api/v1/notices", headers={
            "Authorization": f"Bearer {bearer}"}, json={"title": "Dredger off the breakwater",
                                                         "tlp": "green", "distribution": "own"})
        assert posted.status_code == 201, posted.text
        assert listener.wait_for(seen + 2, timeout=30)
        listener.wait_for(seen + 10, timeout=3)  # anything more would come in a moment
        ids = [d["id"] for _, _, d in listener.received]
        assert len(ids) == len(set(ids))
        kinds = [kind for _, kind, _ in listener.received]
        assert kinds.count("notice.created") == 1
        assert len({d["record_id"] for _, k, d in listener.received if k.startswith("alert.")}) == 2
    finally:
        listener.close()
        feed.close()
