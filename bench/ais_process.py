"""Whole-process AIS throughput: ``bastion ais replay --no-store`` against a pyais decode.

    python bench/ais_process.py [--rounds 7] [--file PATH] [--cold]

Issue 15, item 5: the whole replay process (interpreter start, imports, settings, land mask,
decoding, every detector, the summary) must take no more wall time than a whole process that
only decodes the same file with pyais (its stream reader plus ``decode()`` per sentence, the
peer ``bench/ais_throughput.py`` measures in-process). Both run as fresh subprocesses,
interleaved (A B, then B A, ...) so that a machine shared with other jobs slows both alike;
the figures are medians over ``--rounds`` of wall seconds (``perf_counter`` around the child)
and CPU seconds (user + system of the child, ``getrusage``). The ratio is pyais wall / Bastion
wall: at least 1.0 passes.

The land mask's index is cached on disk after the first run (``maritime/zones/land.py``); a
warm-up round fills it and is not counted, as a station pays that once. ``--cold`` points each
Bastion run at an empty cache directory instead, to show what the first run costs.
Both processes must report the same number of decoded messages, or the run is refused.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_NAME = "shared/data/ais/aishub-3min.nmea"
# Next to the checkout (../shared), or further up from a worktree (/work/wt/NAME).
SAMPLE = next((p / _NAME for p in ROOT.parents if (p / _NAME).exists()), ROOT.parent / _NAME)

PYAIS_PEER = """
import sys
from pathlib import Path
from pyais.stream import IterMessages

count = 0
for sentence in IterMessages(Path(sys.argv[1]).read_bytes().splitlines()):
    try:
        sentence.decode()
    except Exception:
        continue
    count += 1
print(f"messages: {count}")
"""
_MESSAGES = re.compile(rb"messages: (\d+)")


def _env(cache: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BASTION_")}
    env["PYTHONPATH"] = str(ROOT / "src")
    if cache is not None:
        env["XDG_CACHE_HOME"] = cache
    return env


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall s, CPU s, messages reported) of one child process."""
    cpu, start = _cpu(), time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, check=False)
    wall, cpu = time.perf_counter() - start, _cpu() - cpu
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({done.returncode}):\n"
                 f"{done.stderr.decode(errors='replace')[-2000:]}")
    found = _MESSAGES.search(done.stdout + done.stderr)
    if found is None:
        sys.exit(f"{' '.join(argv)} did not say how many messages it decoded")
    return wall, cpu, int(found.group(1))


def measure(path: Path, rounds: int, cold: bool = False) -> dict:
    bastion = [sys.executable, "-m", "bastion.cli", "ais", "replay", "--no-store", str(path)]
    pyais = [sys.executable, "-c", PYAIS_PEER, str(path)]
    with tempfile.TemporaryDirectory(prefix="ais-process-") as scratch:
        warm_env = _env(str(Path(scratch) / "warm"))
        runs: dict[str, list[tuple[float, float, int]]] = {"bastion": [], "pyais": []}

        def once(name: str, record: bool = True) -> None:
            if name == "pyais":
                result = _run(pyais, _env())
            else:
                env = _env(tempfile.mkdtemp(dir=scratch)) if cold else warm_env
                result = _run(bastion, env)
            if record:
                runs[name].append(result)

        once("bastion", record=False)  # fills the warm cache (and the OS's file cache)
        once("pyais", record=False)
        for i in range(rounds):
            order = ("bastion", "pyais") if i % 2 == 0 else ("pyais", "bastion")
            for name in order:
                once(name)
    counts = {name: {r[2] for r in rs} for name, rs in runs.items()}
    if counts["bastion"] != counts["pyais"] or len(counts["pyais"]) != 1:
        sys.exit(f"the processes decoded different numbers of messages: {counts}")
    out = {name: {"wall": statistics.median(r[0] for r in rs),
                  "cpu": statistics.median(r[1] for r in rs),
                  "messages": rs[0][2]} for name, rs in runs.items()}
    out["ratio_wall"] = out["pyais"]["wall"] / out["bastion"]["wall"]
    out["ratio_cpu"] = out["pyais"]["cpu"] / out["bastion"]["cpu"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--file", type=Path, default=SAMPLE)
    parser.add_argument("--cold", action="store_true",
                        help="each Bastion run starts with an empty cache directory")
    args = parser.parse_args()
    if not args.file.exists():
        sys.exit(f"benchmark data missing: {args.file} (the shared data set's "
                 "ais/aishub-3min.nmea, next to the repository checkout)")
    sys.path.insert(0, str(ROOT / "src"))
    from bastion.maritime.ais.pipeline import load_fastline

    compiled = "built" if load_fastline() else "not built: Python only (make speedups)"
    r = measure(args.file, args.rounds, args.cold)
    print(f"{args.file.name}: {r['pyais']['messages']} messages, medians of {args.rounds} "
          f"interleaved rounds{' (Bastion with a cold cache)' if args.cold else ''}; "
          f"compiled line decoder {compiled}")
    for name, label in (("pyais", "pyais decode (whole process)"),
                        ("bastion", "bastion ais replay --no-store")):
        print(f"  {label:32s} wall {r[name]['wall']:6.3f} s   CPU {r[name]['cpu']:6.3f} s")
    print(f"  ratio pyais/bastion: wall {r['ratio_wall']:.2f}x  CPU {r['ratio_cpu']:.2f}x")
    verdict = r["ratio_wall"] >= 1.0
    print("PASS" if verdict else "FAIL", "(wall ratio >= 1.0)")
    sys.exit(0 if verdict else 1)


if __name__ == "__main__":
    main()
