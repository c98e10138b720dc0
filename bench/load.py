"""Benchmark: a real ``bastion serve`` on loopback under concurrent users, against one user
measured in the same run (issue #10).

Run: .venv/bin/python bench/load.py [--seconds 30] [--users 50] [--pg URL] [--driver wrk]

The server runs on a migrated database with the demo loaded (SQLite file by default; a fresh
PostgreSQL database next to ``--pg URL``, which this drops and recreates). The clients are
threads with their own HTTP connection, logged in as the demo officer, each going round
``/dashboard``, ``/maritime``, ``/api/v1/port-calls`` and ``/api/v1/alerts``:

- peer: one user, no pause (the latency of a request alone on this machine);
- A: ``--users`` users each pausing 1 s between requests (aim: no error, p99 under 300 ms);
- B: ``--users`` connections with no pause (wrk-style: no error, no timeout; throughput).

Each scenario is bounded in time (``--seconds``; a request times out after 20 s). Errors are
statuses other than 200 and transport errors (timeouts included).

``--driver wrk`` drives A and B with wrk (Debian's ``wrk``; ``make bench`` installs it) instead of
50 Python threads: on a 2-core machine the threads' own CPU competes with the server they measure,
and wrk, one C thread on epoll, takes a small part of that. With wrk each connection pauses a
random 0.5-1.5 s (mean 1 s) between requests in A, so the users drift apart as people do; its
latency is read from its own histogram and it has no p99 by path.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.core import live_processes as live

USER = "li.officer"
PATHS = ("/dashboard", "/maritime", "/api/v1/port-calls", "/api/v1/alerts")
TIMEOUT = 20.0


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    by_path: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


def _client(url: str, bearer: str, start: int, users: int, pause: float, deadline: float,
            result: Result, lock: threading.Lock) -> None:
    headers = {"Authorization": f"Bearer {bearer}"}
    with httpx.Client(base_url=url, headers=headers, timeout=TIMEOUT) as client:
        # Users who pause arrive spread over one pause, as people do, not all in the same
        # millisecond (which would measure a burst of 50 rather than 50 users).
        time.sleep(pause * start / users)
        i = start
        while time.monotonic() < deadline:
            path = PATHS[i % len(PATHS)]
            i += 1
            began = time.perf_counter()
            try:
                status = client.get(path).status_code
            except httpx.HTTPError as exc:
                with lock:
                    result.error(type(exc).__name__)
                continue
            took = time.perf_counter() - began
            with lock:
                if status == 200:
                    result.latencies.append(took)
                    result.by_path.setdefault(path, []).append(took)
                else:
                    result.error(str(status))
            if pause:
                time.sleep(max(0.0, min(pause, deadline - time.monotonic())))


def run(url: str, bearer: str, *, users: int, pause: float, seconds: float) -> Result:
    result = Result()
    lock = threading.Lock()
    began = time.monotonic()
    deadline = began + seconds
    threads = [threading.Thread(target=_client, daemon=True,
                                args=(url, bearer, i, users, pause, deadline, result, lock))
               for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + TIMEOUT + 5)
    result.elapsed = time.monotonic() - began
    return result


WRK_SCRIPT = """
local paths = {"/dashboard", "/maritime", "/api/v1/port-calls", "/api/v1/alerts"}
local i = math.random(0, 3)
local pause = %(pause_ms)d
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
if pause > 0 then
  delay = function() return math.random(math.floor(pause / 2), pause + math.floor(pause / 2)) end
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write("RESULT " .. string.format(
    '{"requests": %%d, "duration_us": %%d, "connect": %%d, "read": %%d, "write": %%d, '
    .. '"status": %%d, "timeout": %%d, "p50_us": %%d, "p99_us": %%d}',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)) .. "\\n")
end
"""


def run_wrk(url: str, bearer: str, *, users: int, pause: float, seconds: float) -> dict:
    """One scenario driven by wrk; its counts and its histogram's p50 and p99 (seconds)."""
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("wrk is not installed (apt-get install wrk, or make bench)")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"pause_ms": round(pause * 1000)})
    out = subprocess.run(
        [wrk, "-t2", f"-c{users}", f"-d{seconds:.0f}s", f"--timeout={TIMEOUT:.0f}s",
         "-s", script.name, "-H", f"Authorization: Bearer {bearer}", url],
        capture_output=True, text=True, check=True).stdout
    Path(script.name).unlink()
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def report_wrk(name: str, got: dict, peer_p50: float) -> None:
    errors = {k: got[k] for k in ("connect", "read", "write", "status", "timeout") if got[k]}
    p50, p99 = got["p50_us"] / 1e6, got["p99_us"] / 1e6
    ok = got["requests"] - got["status"]
    line = (f"{name:<22} ok {ok:5d}  errors {sum(errors.values()):4d}  "
            f"{got['requests'] / (got['duration_us'] / 1e6):6.1f} req/s  "
            f"p50 {p50 * 1000:7.1f} ms  p99 {p99 * 1000:7.1f} ms  "
            f"(p50 {p50 / peer_p50:.1f}x, p99 {p99 / peer_p50:.1f}x the single user's p50)")
    if errors:
        line += f"  {errors}"
    print(line, flush=True)


def _quantile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def report(name: str, result: Result, peer_p50: float | None) -> None:
    done = result.latencies
    errors = sum(result.errors.values())
    p50, p99 = _quantile(done, 50), _quantile(done, 99)
    line = (f"{name:<22} ok {len(done):5d}  errors {errors:4d}  "
            f"{len(done) / result.elapsed:6.1f} req/s  p50 {p50 * 1000:7.1f} ms  "
            f"p99 {p99 * 1000:7.1f} ms")
    if peer_p50:
        line += f"  (p50 {p50 / peer_p50:.1f}x, p99 {p99 / peer_p50:.1f}x the single user's p50)"
    if result.errors:
        line += f"  {dict(sorted(result.errors.items()))}"
    print(line, flush=True)
    if peer_p50:  # where the tail is
        print("    p99 by path: " + ", ".join(
            f"{path} {_quantile(took, 99) * 1000:.0f} ms"
            for path, took in sorted(result.by_path.items())), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="length of a scenario")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--pg", help="PostgreSQL URL next to which a database is recreated")
    parser.add_argument("--workers", type=int, default=0,
                        help="server processes (default: the server's own, one a core)")
    parser.add_argument("--driver", choices=("threads", "wrk"), default="threads",
                        help="what drives scenarios A and B (see the module docstring)")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bastion-load-"))
    url = live.fresh_postgres(args.pg, "load") if args.pg else f"sqlite:///{folder / 'b.db'}"
    env = live.environment(url, BASTION_WEB_WORKERS=str(args.workers))
    print(f"database {url.split('@')[-1]}; {args.users} users, {args.seconds:.0f} s a scenario; "
          f"server processes {args.workers or 'default'}; driver {args.driver}", flush=True)
    for step in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run([*live.BASTION, *step], env=env, check=True, capture_output=True,
                       cwd=folder)
    server_url, server = live.serve(env, folder)
    try:
        bearer = live.token(server_url, USER)
        # Warm up every server process (templates compiled, connections open).
        run(server_url, bearer, users=8, pause=0, seconds=3)
        peer = run(server_url, bearer, users=1, pause=0, seconds=args.seconds / 3)
        report("peer: 1 user", peer, None)
        peer_p50 = _quantile(peer.latencies, 50)
        for name, pause in ((f"A: {args.users} users, 1 s", 1.0),
                            (f"B: {args.users} connections", 0.0)):
            if args.driver == "wrk":
                report_wrk(name, run_wrk(server_url, bearer, users=args.users, pause=pause,
                                         seconds=args.seconds), peer_p50)
                continue
            report(name, run(server_url, bearer, users=args.users, pause=pause,
                             seconds=args.seconds), peer_p50)
        for path in PATHS:  # the peer by path, for reading the figures above
            try:
                one = run_path(server_url, bearer, path)
            except httpx.HTTPError as exc:
                print(f"  alone {path:<20} {type(exc).__name__}", flush=True)
                continue
            print(f"  alone {path:<20} p50 {_quantile(one, 50) * 1000:7.1f} ms", flush=True)
    finally:
        server.stop()
        log = server.log.read_text(errors="replace")
        shutil.rmtree(folder, ignore_errors=True)
    locked = log.count("database is locked")
    pool = log.count("QueuePool limit")
    print(f"server log: 'database is locked' x{locked}, 'QueuePool limit' x{pool}")


def run_path(url: str, bearer: str, path: str, count: int = 10) -> list[float]:
    took = []
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {bearer}"},
                      timeout=TIMEOUT) as client:
        for _ in range(count):
            began = time.perf_counter()
            client.get(path).raise_for_status()
            took.append(time.perf_counter() - began)
    return took


if __name__ == "__main__":
    main()
