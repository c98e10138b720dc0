"""Benchmark: how long `bastion --help` and each group's `--help` take, in fresh processes.

Peers measured in the same run: `python -c pass` (the interpreter's own start) and the
smallest Typer program with one sub-command group answering `g --help` (what any Typer CLI with
rich help pays: Typer 0.29 builds sub-command options through pydantic). The target
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
TYPER_PEER = """
import typer
app, group = typer.Typer(), typer.Typer(help="A group.")
app.add_typer(group, name="g")

@group.command()
def c(x: int = 1, name: str = "n") -> None:
    \"\"\"A command.\"\"\"

@group.command()
def d(y: float = 2.0) -> None:
    \"\"\"Another.\"\"\"

app(["g", "--help"])
"""


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BASTION_")}
    env["PYTHONPATH"] = str(ROOT / "src")
    return env


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _measure(argv: list[str]) -> tuple[float, float]:
    cpu0, started = _cpu(), time.perf_counter()
    subprocess.run(argv, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)
    return _cpu() - cpu0, time.perf_counter() - started


def _medians(commands: dict[str, list[str]], repeat: int) -> dict[str, tuple[float, float]]:
    """(CPU s, wall s) medians; rounds interleave the commands, so that a machine whose load
    changes during the run weighs on all of them alike."""
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, argv in commands.items():
            samples[name].append(_measure(argv))
    return {name: (statistics.median(c for c, _w in runs), statistics.median(w for _c, w in runs))
            for name, runs in samples.items()}


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    from bastion.core.domains import registered

    groups = ["db", "demo", "serve", *(c.name for d in registered() for c in d.commands)]
    commands = {"peer: python -c pass": [sys.executable, "-c", "pass"],
                "peer: minimal typer g --help": [sys.executable, "-c", TYPER_PEER]}
    for args in ([], *([g] for g in groups)):
        name = " ".join(["bastion", *args, "--help"])
        commands[name] = [sys.executable, "-m", "bastion.cli", *args, "--help"]
    results = _medians(commands, repeat)
    python = results["peer: python -c pass"][0]
    floor = results["peer: minimal typer g --help"][0]
    print(f"{'':30} {'cpu s':>7} {'wall s':>7} {'/python':>8} {'/typer':>7}")
    slowest = 0.0
    for name, (cpu, wall) in results.items():
        if not name.startswith("peer"):
            slowest = max(slowest, cpu)
        print(f"{name:30} {cpu:7.3f} {wall:7.3f} {cpu / python:8.1f} {cpu / floor:7.2f}")
    verdict = "under" if slowest < TARGET_S else "OVER"
    print(f"slowest {slowest:.3f} s CPU: {verdict} the {TARGET_S} s target "
          f"(the Typer floor alone is {floor:.3f} s)")


if __name__ == "__main__":
    main()
