"""What every ``bastion`` command shares: a group that imports a domain's commands only when they
run, one-line errors instead of tracebacks for a user's mistakes, and sessions on a database
that is known to be there and migrated.

Why lazy: the domains' command modules pull in the AIS engine, the name matcher, NumPy and
openpyxl. Importing them all to print ``bastion --help`` cost 2.5 s; the manifests name each
group and its help as strings, which is all a listing needs. This module itself imports only
Typer, so that a listing stays under half a second (``bench/cli_help.py``).
"""

from __future__ import annotations

import sys
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

EXIT_USAGE = 2  # a user's mistake (wrong database, missing setup), as click's usage errors


def fail(message: str) -> NoReturn:
    """Print ``error: message`` on stderr, one line, and exit 2."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(EXIT_USAGE)


class LazyGroup(TyperGroup):
    """The top-level group: its own commands plus every domain manifest's command groups.

    A domain group is imported on first use; while the help page is being written it is
    represented by a stand-in carrying only the manifest's name and help.
    """

    _listing = False

    def _manifest_commands(self) -> dict[str, Any]:
        cached = getattr(self, "_specs", None)
        if cached is None:
            from bastion.core.domains import registered

            cached = {spec.name: spec for domain in registered() for spec in domain.commands
                      if spec.name not in self.commands}
            self._specs = cached
        return cached

    def list_commands(self, ctx: typer.Context) -> list[str]:
        return [*self.commands, *(n for n in self._manifest_commands() if n not in self.commands)]

    def get_command(self, ctx: typer.Context, cmd_name: str):  # type: ignore[override]
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        spec = self._manifest_commands().get(cmd_name)
        if spec is None:
            return None
        if self._listing:
            return TyperGroup(name=cmd_name, help=spec.help)
        from bastion.core.domains import load

        command = _as_click(load(spec.target), cmd_name)
        command.name = cmd_name
        self.commands[cmd_name] = command
        return command

    def format_help(self, ctx: typer.Context, formatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            message = user_error(exc)
            if message is None:
                raise
            fail(message)


def _as_click(target: Any, name: str):
    """A Typer app as a click command: a group (``bastion watchlist import``), except an app
    holding just the command of the same name (``bastion setup``), which runs as itself."""
    if not isinstance(target, typer.Typer):
        return target  # a click command already
    commands = target.registered_commands
    single = (len(commands) == 1 and not target.registered_groups
              and target.registered_callback is None)
    if single and (commands[0].name or commands[0].callback.__name__) == name:
        return typer.main.get_command(target)
    return typer.main.get_group(target)


def user_error(exc: BaseException) -> str | None:
    """The one-line message for an error the user can fix, or None for a bug (traceback)."""
    from bastion.core.errors import BastionError

    if isinstance(exc, BastionError):
        return f"{exc.field}: {exc.message}" if exc.field else exc.message
    pydantic_core = sys.modules.get("pydantic_core")
    if pydantic_core is not None and isinstance(exc, pydantic_core.ValidationError):
        # e.g. BASTION_TIMEZONE=Mars: settings are read when a command first needs them
        what = "invalid setting" if exc.title == "Settings" else f"invalid {exc.title}"
        fields = "; ".join(f"{'.'.join(map(str, e['loc'])) or '-'}: {e['msg']}"
                           for e in exc.errors())
        return f"{what}: {fields}"
    sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")
    if sqlalchemy_exc is not None and isinstance(
            exc, sqlalchemy_exc.OperationalError | sqlalchemy_exc.ProgrammingError):
        from bastion.core.config import get_settings
        from bastion.core.migrate import describe

        first = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        return (f"the database {describe(get_settings().database_url)} is not usable "
                f"({first}): run `bastion db upgrade`")
    return None


def sessions(settings: Any = None):
    """A sessionmaker on the configured database, after checking that it exists and is
    migrated to this version (else ``DatabaseNotReady``, shown as one line)."""
    from bastion.core.config import get_settings
    from bastion.core.db import make_engine, make_sessionmaker
    from bastion.core.migrate import require_current

    settings = settings or get_settings()
    require_current(settings.database_url)
    return make_sessionmaker(make_engine(settings.database_url))
