"""Real Bastion processes for the cross-process tests and the event-delay benchmark: a database
made by the migrations, ``bastion serve``, ``bastion ais listen``, ``bastion worker``, an SSE
client and a NATS check."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

import bastion

BASTION = [sys.executable, "-m", "bastion.cli"]
SOURCE = str(Path(bastion.__file__).resolve().parents[1])  # the code under test, not a copy
NATS_DEFAULT = "nats://127.0.0.1:4222"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(database_url: str, **settings: str) -> dict[str, str]:
    path = os.pathsep.join(p for p in (SOURCE, os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "BASTION_DATABASE_URL": database_url,
            "BASTION_SECRET_KEY": "live-processes-test-key",
            # One process a server unless a test asks for more: the suite runs many at once.
            "BASTION_WEB_WORKERS": "1",
            # The invalid MMSI report below is these tests' alert: raised as one, on request.
            "BASTION_DETECTORS__INVALID_IDENTITY_ALERTS": "true", **settings}


def fresh_postgres(base_url: str, suffix: str) -> str:
    """A database of its own next to ``base_url`` (the suite's own one stays untouched)."""
    url = make_url(base_url)
    name = f"{url.database}_{suffix}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def prepare(env: dict[str, str], folder: Path) -> None:
    """Migrate and load the demo people (no AIS day: the test brings its own traffic)."""
    for args in (["db", "upgrade"], ["demo", "load", "--no-maritime"]):
        subprocess.run([*BASTION, *args], env=env, check=True, capture_output=True, cwd=folder)


@dataclass
class Process:
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


def spawn(args: list[str], env: dict[str, str], folder: Path, name: str) -> Process:
    log = folder / f"{name}.log"
    with log.open("w") as out:
        process = subprocess.Popen([*BASTION, *args], env=env, stdout=out, stderr=out, cwd=folder)
    return Process(process, log)


def serve(env: dict[str, str], folder: Path) -> tuple[str, Process]:
    port = free_port()
    env = {**env, "BASTION_PORT": str(port), "BASTION_HOST": "127.0.0.1"}
    server = spawn(["serve"], env, folder, "server")
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.process.poll() is None:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return url, server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"server did not start: {server.output()}")


def token(url: str, username: str, password: str = "bastion-demo") -> str:
    reply = httpx.post(f"{url}/api/v1/auth/token", json={"username": username,
                                                         "password": password})
    reply.raise_for_status()
    return reply.json()["access_token"]


class Listener(threading.Thread):
    """A user's event stream read in a thread: (arrival time, kind, data with the event id)
    for each event whose kind starts with ``prefix``."""

    def __init__(self, url: str, bearer: str, prefix: str) -> None:
        super().__init__(daemon=True)
        self.url, self.bearer, self.prefix = url, bearer, prefix
        self.received: list[tuple[float, str, dict]] = []
        self.ready = threading.Event()
        self.arrived = threading.Event()
        self._closing = False

    def run(self) -> None:
        headers = {"Authorization": f"Bearer {self.bearer}"}
        try:
            with httpx.stream("GET", f"{self.url}/events/stream", headers=headers,
                              timeout=httpx.Timeout(5, read=None)) as response:
                kind, event_id = None, None
                for line in response.iter_lines():
                    if self._closing:
                        return
                    if line.startswith("event:"):
                        kind = line.split(":", 1)[1].strip()
                    elif line.startswith("id:"):
                        event_id = int(line.split(":", 1)[1])
                    elif line.startswith("data:") and kind == "ready":
                        self.ready.set()
                    elif line.startswith("data:") and kind and kind.startswith(self.prefix):
                        data = json.loads(line.split(":", 1)[1])
                        self.received.append((time.time(), kind, {**data, "id": event_id}))
                        self.arrived.set()
        except httpx.HTTPError:
            return

    def wait_for(self, count: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            self.arrived.wait(0.05)
            self.arrived.clear()
        return len(self.received) >= count

    def close(self) -> None:
        self._closing = True


class NmeaFeed:
    """A TCP server the way an AIS receiver is one: ``bastion ais listen`` connects to it."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"tcp://127.0.0.1:{self.server.getsockname()[1]}"
        self.client: socket.socket | None = None

    def send(self, lines: list[str], timeout: float = 60) -> None:
        if self.client is None:
            self.server.settimeout(timeout)
            self.client, _ = self.server.accept()
        self.client.sendall("".join(f"{line}\r\n" for line in lines).encode())

    def close(self) -> None:
        for sock in (self.client, self.server):
            if sock is not None:
                sock.close()


def invalid_mmsi_report(mmsi: int = 123456789) -> str:
    """A position report from an MMSI no ship may carry (leading 1): the risk engine raises
    invalid_identity on first sight (ITU-R M.585)."""
    from pyais.encode import encode_dict

    return encode_dict({"type": 1, "mmsi": mmsi, "lat": 21.55, "lon": 111.95, "speed": 9.5,
                        "course": 90, "heading": 90, "status": 0},
                       talker_id="AI", sentence_type="VDM")[0]


def nats_url() -> str:
    """The NATS server for tests. Unreachable: a failure in CI (it must run there), else a
    skip (a laptop need not run NATS)."""
    url = os.environ.get("BASTION_TEST_NATS", NATS_DEFAULT)
    parts = make_url(url.replace("nats://", "postgresql://", 1))
    try:
        socket.create_connection((parts.host, parts.port or 4222), timeout=2).close()
        return url
    except OSError as exc:
        message = f"NATS unreachable at {url}: {exc}"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)


def stream_name() -> str:
    return f"BASTION_TEST_{uuid.uuid4().hex[:10].upper()}"


def delete_stream(url: str, name: str) -> None:
    import asyncio

    import nats
    from nats.js.errors import NotFoundError

    async def run() -> None:
        nc = await nats.connect(url)
        with contextlib.suppress(NotFoundError):  # never created
            await nc.jetstream().delete_stream(name)
        await nc.close()

    asyncio.run(run())
