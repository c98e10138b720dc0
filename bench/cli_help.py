"""Benchmark: how long `bastion --help` and each group's `--help` take, in fresh processes.

Peers measured in the same run: `python -c pass` (the interpreter's own start) and
`python -c "import typer.rich_utils"` (the floor any Typer CLI with rich help pays). The target
is an answer under 0.5 s. Each figure is the median of REPEAT runs, as CPU time (user + system
of the child: steady on a shared, loaded machine) and as wall-clock time.

Run: .venv/bin/python bench/cli_help.py [REPEAT]
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
TARGET_S = 0.5


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BASTION_")}
    env["PYTHONPATH"] = str(ROOT / "src")
    return env


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _median(argv: list[str], repeat: int) -> tuple[float, float]:
    """(CPU seconds, wall seconds), medians."""
    cpu, wall = [], []
    for _ in range(repeat):
        cpu0, started = _cpu(), time.perf_counter()
        subprocess.run(argv, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=True)
        wall.append(time.perf_counter() - started)
        cpu.append(_cpu() - cpu0)
    return statistics.median(cpu), statistics.median(wall)


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    from bastion.core.domains import registered

    groups = ["db", "demo", "serve", *(c.name for d in registered() for c in d.commands)]
    python, python_wall = _median([sys.executable, "-c", "pass"], repeat)
    floor, floor_wall = _median([sys.executable, "-c", "import typer.rich_utils"], repeat)
    print(f"{'':28} {'cpu s':>7} {'wall s':>7} {'/python':>8} {'/typer':>7}")
    print(f"{'peer: python -c pass':28} {python:7.3f} {python_wall:7.3f}")
    print(f"{'peer: import typer.rich_utils':28} {floor:7.3f} {floor_wall:7.3f}")
    slowest = 0.0
    for args in ([], *([g] for g in groups)):
        cpu, wall = _median([sys.executable, "-m", "bastion.cli", *args, "--help"], repeat)
        slowest = max(slowest, cpu)
        name = " ".join(["bastion", *args, "--help"])
        print(f"{name:28} {cpu:7.3f} {wall:7.3f} {cpu / python:8.1f} {cpu / floor:7.2f}")
    verdict = "under" if slowest < TARGET_S else "OVER"
    print(f"slowest {slowest:.3f} s CPU: {verdict} the {TARGET_S} s target "
          f"(the Typer floor alone is {floor:.3f} s)")


if __name__ == "__main__":
    main()
