"""A real Bastion server in a subprocess: migrated SQLite file, demo data, uvicorn on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

BASTION = [sys.executable, "-m", "bastion.cli"]


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen
    env: dict[str, str]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(folder: Path) -> LiveServer:
    port = _free_port()
    env = {**os.environ, "BASTION_DATABASE_URL": f"sqlite:///{folder / 'live.db'}",
           "BASTION_SECRET_KEY": "live-server-test-key", "BASTION_PORT": str(port),
           "BASTION_HOST": "127.0.0.1"}
    for args in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run([*BASTION, *args], env=env, check=True, capture_output=True, cwd=folder)
    log = (folder / "server.log").open("w")
    process = subprocess.Popen([*BASTION, "serve"], env=env, stdout=log, stderr=log, cwd=folder)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90  # a loaded 2-core CI machine starts it slowly
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return LiveServer(url, process, env)
        except httpx.HTTPError:
            time.sleep(0.2)
        if process.poll() is not None:
            break
    process.kill()
    raise RuntimeError(f"server did not start: {(folder / 'server.log').read_text()[-2000:]}")


def stop(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
