"""``bastion duty``: the roster solver on the command line (filled in by issue 13's work)."""

import typer

app = typer.Typer(no_args_is_help=True, help="Duty rosters.")
