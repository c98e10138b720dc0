"""``bastion clearance``: check a FAL declaration file offline, or write its template.

``validate`` prints one JSON object per problem (sheet, row, column, code, message, severity) on
stdout so an agent can read the problems line by line and fix the list before submitting; the
exit code is 1 when any problem is an error, 0 when there are only warnings or none.
"""

from __future__ import annotations

import json
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

# The validators and the xlsx writer are imported inside the commands: `--help` stays instant.

app = typer.Typer(help="Port clearance: FAL declarations, green-channel escalation.",
                  no_args_is_help=True)


class Form(str, Enum):
    crew = "crew"
    passengers = "passengers"
    general = "general"
    stores = "stores"
    effects = "effects"
    dg = "dg"


class Format(str, Enum):
    xlsx = "xlsx"
    csv = "csv"


class Language(str, Enum):
    en = "en"
    zh_cn = "zh-CN"


def _date(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date YYYY-MM-DD", param_hint=name) from None


@app.command("validate")
def validate(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    form: Annotated[Form, typer.Option(help="which FAL form the file holds")],
    arrival: Annotated[str | None, typer.Option(help="first day of the stay, YYYY-MM-DD")] = None,
    departure: Annotated[str | None, typer.Option(help="last day of the stay, YYYY-MM-DD")] = None,
    language: Annotated[Language | None, typer.Option(help="language of the messages")] = None,
) -> None:
    """Check FILE (xlsx or CSV) and print its problems as JSON lines; exit 1 on any error."""
    from bastion.core import context

    from .declarations.validate import validate_file

    start, end = _date(arrival, "--arrival"), _date(departure, "--departure")
    token = None
    if language is not None:
        current = context.current()
        token = context.set_current(context.RequestContext(
            language=language.value, timezone=current.timezone, client_ip=current.client_ip))
    try:
        result = validate_file(file, form.value, arrival=start, departure=end)
    finally:
        if token is not None:
            context.reset(token)
    for problem in result.problems:
        typer.echo(json.dumps(problem.as_dict(), ensure_ascii=False))
    raise typer.Exit(1 if result.errors else 0)


@app.command("template")
def template(
    form: Annotated[Form, typer.Option(help="which FAL form")],
    out: Annotated[Path, typer.Option(help="file to write", dir_okay=False)],
    format: Annotated[Format, typer.Option(help="xlsx or csv")] = Format.xlsx,
    language: Annotated[Language, typer.Option(help="heading language")] = Language.en,
) -> None:
    """Write an empty template for a FAL form."""
    from .declarations.templates import template as build_template

    out.write_bytes(build_template(form.value, format.value, language.value))
    typer.echo(str(out))


@app.command("escalate")
def escalate() -> None:
    """Escalate every green-channel case past its deadline now (a scheduled job does this
    every minute in `bastion serve` or `bastion worker`; this is one round by hand)."""
    from bastion.clearance.green.service import escalate_overdue
    from bastion.core.clikit import sessions
    from bastion.core.db import transaction

    with transaction(sessions()) as session:
        raised = escalate_overdue(session)
    typer.echo(json.dumps({"escalated": [{"call_id": c.call_id, "level": c.escalation_level}
                                         for c in raised]}))
