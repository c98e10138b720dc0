"""``bastion duty solve PROBLEM.json --out PLAN.json``: the roster solver on the command line.

No database. Exit codes (issue 13): 0 a plan was written; 3 the month cannot be staffed (the
plan is written with ``status`` "infeasible" and its ``explanation``, which is also printed on
stderr); 4 time ran out before any plan; 2 a malformed or unreadable file, one line per problem
on stderr naming the field (``error: people[3].off[0]: 2026-05-01 is outside the horizon``), as
for any usage error; what is read but likely a mistake (a person's role no demand row names) is
a ``warning:`` line on stderr, and the solve goes on. Progress goes to stderr unless ``--quiet``.

Import nothing heavy at module level: ``bastion duty --help`` must answer at once; OR-Tools is
imported by ``solve`` only.
"""

from __future__ import annotations

import json
import os
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from bastion.core.clikit import EXIT_USAGE, fail

EXIT_INFEASIBLE = 3
EXIT_NO_PLAN = 4
MAX_BYTES = 5 * 1024 * 1024  # a month of a few thousand people is well under 1 MB

app = typer.Typer(no_args_is_help=True, help="Duty rosters.")
holidays_app = typer.Typer(no_args_is_help=True,
                           help="The calendar of public holidays and adjusted working days.")
app.add_typer(holidays_app, name="holidays")


class Language(StrEnum):
    zh_CN = "zh-CN"
    en = "en"


@app.callback()
def duty() -> None:
    """Duty rosters: solve a roster problem file with CP-SAT."""


def read_problem_file(path: Path) -> Any:
    """The decoded JSON of ``path``, or a one-line usage error (exit 2)."""
    try:
        if not path.is_file():
            fail(f"{path}: no such file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            fail(f"{path}: {size} bytes, more than the {MAX_BYTES} allowed")
        raw = path.read_bytes()[:MAX_BYTES + 1]
    except OSError as exc:
        fail(f"{path}: cannot be read ({exc.strerror or exc})")
    if len(raw) > MAX_BYTES:
        fail(f"{path}: more than the {MAX_BYTES} bytes allowed")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        fail(f"{path}: not UTF-8 text (byte {exc.start})")

    def no_constant(name: str) -> Any:
        raise ValueError(f"{name} is not allowed in JSON")

    try:
        return json.loads(text, parse_constant=no_constant)
    except json.JSONDecodeError as exc:
        fail(f"{path}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
    except (ValueError, RecursionError) as exc:
        fail(f"{path}: not JSON ({exc if isinstance(exc, ValueError) else 'nested too deep'})")


def _write(out: Path | None, document: dict[str, Any]) -> None:
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        folder = out.resolve().parent
        handle, tmp = tempfile.mkstemp(dir=folder, prefix=".plan-", suffix=".json")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(tmp, out)
    except OSError as exc:
        fail(f"{out}: cannot be written ({exc.strerror or exc})")


@app.command()
def solve(
    problem_file: Annotated[Path, typer.Argument(metavar="PROBLEM.json",
                                                 help="the roster problem (JSON)")],
    out: Annotated[Path | None, typer.Option("--out", metavar="PLAN.json",
                                             help="write the plan here (default: stdout)")] = None,
    time_limit: Annotated[float | None, typer.Option(
        "--time-limit", metavar="SECONDS", help="override the file's time_limit_s")] = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, max=16, help="CP-SAT workers (default: the file's, else 2)")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress on stderr")] = False,
    language: Annotated[Language, typer.Option(
        "--language", help="language of the explanation")] = Language.en,
) -> None:
    """Solve a duty roster: exit 0 with a plan, 3 infeasible (explained), 4 no plan in time,
    2 malformed file."""
    import dataclasses

    from bastion.core.i18n import translations
    from bastion.duty.solver import ProblemErrors, parse_problem
    from bastion.duty.solver import solve as run

    data = read_problem_file(problem_file)
    try:
        problem = parse_problem(data)
    except ProblemErrors as exc:
        for line in exc.lines():
            typer.echo(f"error: {line}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    for path, message in problem.warnings:
        typer.echo(f"warning: {path}: {message}", err=True)
    if time_limit is not None:
        if not 0 < time_limit <= 3600:
            fail("--time-limit: must be more than 0 and at most 3600 seconds")
        problem = dataclasses.replace(problem, time_limit_s=time_limit)
    if workers is not None:
        problem = dataclasses.replace(problem, workers=workers)

    gettext = translations(language.value).gettext
    if quiet:
        plan = run(problem)
    else:
        plan = _with_progress(run, problem)
    _write(out, plan.to_json(gettext))
    if plan.status == "infeasible":
        for reason in plan.explanation:
            typer.echo(reason.text(gettext), err=True)
        raise typer.Exit(EXIT_INFEASIBLE)
    if plan.status == "unknown":
        typer.echo(f"no plan within {problem.time_limit_s:g} s", err=True)
        raise typer.Exit(EXIT_NO_PLAN)
    if not quiet:
        typer.echo(f"{plan.status}: {len(plan.assignments)} duties, spread {plan.spread}, "
                   f"{plan.wall_s:.1f} s", err=True)


def _with_progress(run, problem):
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("solving", total=1.0)

        def progress(fraction: float, note: str) -> None:
            bar.update(task, completed=fraction, description=note)

        return run(problem, progress=progress)


@holidays_app.command("load")
def holidays_load(
    file: Annotated[Path, typer.Argument(metavar="FILE.json", help=(
        "days as in duty/data/holidays.json: {\"days\": [{\"day\", \"kind\" (rest or "
        "workday), \"name_zh\", \"name_en\"}]}"))],
) -> None:
    """Enter a year's public holidays and adjusted working days (调休) from the State Council's
    notice: insert or change each day by date; a bad file changes nothing (exit 2)."""
    from bastion.core.clikit import sessions
    from bastion.core.db import transaction
    from bastion.duty.rosters import holidays

    document = read_problem_file(file)
    with transaction(sessions()) as session:
        changed = holidays.load_file_days(session, document, source=file.name)
        held = holidays.years_held(session)
    typer.echo(f"{changed} days written or changed; the calendar holds "
               + ", ".join(f"{y} ({c['rest']} rest, {c['workday']} working)"
                           for y, c in sorted(held.items())))


@holidays_app.command("years")
def holidays_years() -> None:
    """The years the calendar holds, with their count of rest days and working days."""
    from bastion.core.clikit import sessions
    from bastion.core.db import transaction
    from bastion.duty.rosters import holidays

    with transaction(sessions()) as session:
        held = holidays.years_held(session)
    if not held:
        typer.echo("the calendar holds no year: load one with `bastion duty holidays load`")
    for year, counts in sorted(held.items()):
        typer.echo(f"{year}\t{counts['rest']} rest days\t{counts['workday']} adjusted working days")
