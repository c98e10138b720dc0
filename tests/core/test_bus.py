"""The event bus: events reach subscribers only after commit; the SSE stream filters them."""

from __future__ import annotations

import asyncio
import json
import threading

import httpx
import pytest

from bastion.core import events
from bastion.core.bus import InProcessBus, get_bus, set_bus


def run_async(make_coroutine):
    """asyncio.run in a thread of its own: Playwright's sync API keeps a loop on the main one."""
    result: dict = {}

    def target():
        try:
            result["value"] = asyncio.run(make_coroutine())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            result["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(30)
    if "error" in result:
        raise result["error"]
    return result["value"]


@pytest.fixture
def bus():
    previous = get_bus()
    fresh = InProcessBus()
    set_bus(fresh)
    yield fresh
    set_bus(previous)


def _collect(bus: InProcessBus, action, wait: float = 0.3) -> list[events.Event]:
    async def run() -> list[events.Event]:
        received: list[events.Event] = []
        async with bus.subscribe() as queue:
            await asyncio.get_running_loop().run_in_executor(None, action)
            try:
                while True:
                    received.append(await asyncio.wait_for(queue.get(), wait))
            except TimeoutError:
                return received

    return run_async(run)


def test_published_after_commit_only(bus, session_factory, world, session):
    session.commit()

    def commit_one():
        with session_factory() as s:
            events.emit(s, kind="demo.committed", record_kind="notice", record_id=1)
            s.commit()

    def roll_back_one():
        with session_factory() as s:
            events.emit(s, kind="demo.rolled_back", record_kind="notice", record_id=2)
            s.rollback()

    assert [e.kind for e in _collect(bus, commit_one)] == ["demo.committed"]
    assert _collect(bus, roll_back_one) == []


def test_publishing_from_threads_reaches_the_loop(bus):
    event = events.Event(id=1, kind="x", at=None)  # type: ignore[arg-type]

    def publish_from_threads():
        threads = [threading.Thread(target=bus.publish, args=(event,)) for _ in range(5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    assert len(_collect(bus, publish_from_threads)) == 5
    assert bus.subscriber_count == 0  # unsubscribed on exit


def test_a_slow_subscriber_keeps_only_the_newest(bus):
    async def run():
        async with bus.subscribe(maxsize=3) as queue:
            for i in range(10):
                bus.publish(events.Event(id=i, kind="x", at=None))  # type: ignore[arg-type]
            await asyncio.sleep(0.05)
            return [queue.get_nowait().id for _ in range(queue.qsize())]

    assert run_async(run) == [7, 8, 9]


def _token(server, username: str) -> str:
    response = httpx.post(f"{server.url}/api/v1/auth/token",
                          json={"username": username, "password": "bastion-demo"})
    response.raise_for_status()
    return response.json()["access_token"]


class Listener(threading.Thread):
    """Reads a user's event stream in a thread until a notice event arrives or time runs out."""

    def __init__(self, server, username: str, timeout: float) -> None:
        super().__init__(daemon=True)
        self.server, self.username, self.timeout = server, username, timeout
        self.ready = threading.Event()
        self.received: dict | None = None

        self.headers = {"Authorization": f"Bearer {_token(server, username)}"}

    def run(self) -> None:
        with httpx.stream("GET", f"{self.server.url}/events/stream", headers=self.headers,
                          timeout=httpx.Timeout(self.timeout)) as response:
            kind = None
            try:
                for line in response.iter_lines():
                    if line.startswith("event:"):
                        kind = line.split(":", 1)[1].strip()
                    elif line.startswith("data:") and kind == "ready":
                        self.ready.set()
                    elif line.startswith("data:") and kind and kind.startswith("notice."):
                        self.received = json.loads(line.split(":", 1)[1])
                        return
            except httpx.ReadTimeout:
                return


def test_sse_streams_only_what_the_user_may_see(live_server):
    """Police share with the army (AMBER, named); the army sees it live, the village does not."""
    police = {"Authorization": f"Bearer {_token(live_server, 'wei.police')}"}
    agencies = httpx.get(f"{live_server.url}/api/v1/agencies", headers=police).json()["items"]
    army = next(a["id"] for a in agencies if a["code"] == "NP-ARMY")
    listeners = {name: Listener(live_server, name, timeout=4)
                 for name in ("liang.army", "ma.village")}
    for listener in listeners.values():
        listener.start()
        assert listener.ready.wait(10), "stream did not open"
    created = httpx.post(f"{live_server.url}/api/v1/notices", headers=police, json={
        "title": "joint patrol tonight", "tlp": "amber", "distribution": "named",
        "agency_ids": [army]})
    assert created.status_code == 201
    for listener in listeners.values():
        listener.join(10)
    assert listeners["liang.army"].received is not None
    assert listeners["liang.army"].received["record_id"] == created.json()["id"]
    assert listeners["ma.village"].received is None


def test_a_revoked_token_stops_its_stream(live_server):
    """Logging out ends the live stream: later events are not delivered on it."""
    listener = Listener(live_server, "liang.army", timeout=6)
    listener.start()
    assert listener.ready.wait(10)
    # Revoke the listener's own token, then publish something it could otherwise see.
    httpx.post(f"{live_server.url}/api/v1/auth/logout", headers=listener.headers)
    author = {"Authorization": f"Bearer {_token(live_server, 'huang.command')}"}
    created = httpx.post(f"{live_server.url}/api/v1/notices", headers=author, json={
        "title": "for everyone", "tlp": "clear", "distribution": "all"})
    assert created.status_code == 201
    listener.join(10)
    assert listener.received is None
