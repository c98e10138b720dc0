"""``bastion residents``: import a workbook, check one offline (filled in by issue 14's work)."""

import typer

app = typer.Typer(no_args_is_help=True, help="Foreign residents of border villages.")
