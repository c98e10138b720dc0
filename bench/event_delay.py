"""Benchmark: how long an event takes from its commit to a browser's event stream, when another
process commits it (read from the event log, or carried by NATS) against when the server
itself commits it (published in-process), measured in the same run.

Run: .venv/bin/python bench/event_delay.py [--events 40] [--pg URL --nats nats://127.0.0.1:4222]

Both paths create real notices (the server's through its API, the other process's through the
notices service) seen by one officer's SSE stream on a real ``bastion serve``. A delay is the
arrival time on the stream minus the event's own time (taken inside the writing transaction,
on the same machine's clock), so both include the commit. Aim: cross-process under 1 s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.core import live_processes as live

USER = "li.officer"


def write(count: int, pause: float) -> None:
    """The other process: notices committed one by one, as a CLI or worker would."""
    from bastion.core.config import get_settings
    from bastion.core.db import make_engine, make_sessionmaker, transaction
    from bastion.notices import service
    from bastion.notices.schemas import NoticeCreate
    from bastion.org.models import User

    sessions = make_sessionmaker(make_engine(get_settings().database_url))
    for i in range(count):
        with transaction(sessions) as session:
            user = session.query(User).filter_by(username=USER).one()
            service.create(session, user=user, data=NoticeCreate(
                title=f"cross-process {i}", tlp="green", distribution="own"))
        time.sleep(pause)


def _delays(listener: live.Listener, since: int) -> list[float]:
    return [arrival - datetime.fromisoformat(data["at"]).timestamp()
            for arrival, _, data in listener.received[since:]]


def _summary(name: str, delays: list[float]) -> str:
    cut = (statistics.quantiles(delays, n=20, method="inclusive")[-1] if len(delays) > 1
           else delays[0])
    return (f"{name:<14} n={len(delays):3d}  median {statistics.median(delays) * 1000:7.1f} ms  "
            f"p95 {cut * 1000:7.1f} ms  max {max(delays) * 1000:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=40)
    parser.add_argument("--pause", type=float, default=0.3, help="seconds between events")
    parser.add_argument("--pg", help="PostgreSQL URL of a database this may drop and recreate")
    parser.add_argument("--nats", help="NATS URL: events cross over JetStream (needs --pg)")
    parser.add_argument("--write", type=int, help=argparse.SUPPRESS)  # the writer process
    args = parser.parse_args()
    if args.write is not None:
        write(args.write, args.pause)
        return

    folder = Path(tempfile.mkdtemp(prefix="bastion-event-delay-"))
    settings: dict[str, str] = {}
    stream = None
    if args.nats:
        stream = live.stream_name()
        settings = {"BASTION_BUS": args.nats, "BASTION_BUS_STREAM": stream}
    url = live.fresh_postgres(args.pg, "bench") if args.pg else f"sqlite:///{folder / 'b.db'}"
    env = live.environment(url, **settings)
    print(f"database {url.split('@')[-1]}, bus {args.nats or 'memory (the server reads the log)'}")
    live.prepare(env, folder)
    server_url, server = live.serve(env, folder)
    try:
        bearer = live.token(server_url, USER)
        listener = live.Listener(server_url, bearer, prefix="notice.")
        listener.start()
        listener.ready.wait(10)
        headers = {"Authorization": f"Bearer {bearer}"}
        for i in range(args.events):
            live.httpx.post(f"{server_url}/api/v1/notices", headers=headers, json={
                "title": f"in-process {i}", "tlp": "green", "distribution": "own"})
            time.sleep(args.pause)
        listener.wait_for(args.events, timeout=30)
        local = _delays(listener, 0)
        subprocess.run([sys.executable, __file__, "--write", str(args.events), "--pause",
                        str(args.pause)], env=env, check=True, cwd=folder)
        listener.wait_for(2 * args.events, timeout=30)
        remote = _delays(listener, len(local))
        listener.close()
    finally:
        server.stop()
        if stream:
            live.delete_stream(args.nats, stream)
        shutil.rmtree(folder, ignore_errors=True)
    print(_summary("in-process", local))
    print(_summary("cross-process", remote))
    lost = 2 * args.events - len(local) - len(remote)
    ratio = statistics.median(remote) / statistics.median(local)
    print(f"ratio cross/in-process (median): {ratio:.1f}x; lost {lost}; "
          f"cross-process median under 1 s: {statistics.median(remote) < 1.0}")


if __name__ == "__main__":
    main()
