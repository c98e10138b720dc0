"""``bastion setup``, ``bastion agency ...`` and ``bastion user ...``: a unit installs Bastion for
itself, not only the demo.

Thin on purpose: options and prompts here, rules in ``org.service`` and ``org.imports``, the
transaction in ``core.db.transaction``. Errors a user can fix (a taken code, a weak password, a
database not set up) come out as one line and exit code 2 (``core.clikit``).
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer

from bastion.core.clikit import fail, sessions

KINDS = ("border_inspection", "border_inspection_team", "border_police", "army",
         "public_security", "customs", "maritime_safety", "village_committee",
         "joint_defence_command", "joint_defence_post", "shipping_agency", "other")
ROLES = ("viewer", "officer", "supervisor", "admin")

setup_app = typer.Typer(help="Set up a new installation: its first organisation and "
                             "administrator.")
agency_app = typer.Typer(help="Agencies and their units.", no_args_is_help=True)
user_app = typer.Typer(help="User accounts.", no_args_is_help=True)


def _choice(value: str | None, choices: tuple[str, ...], option: str) -> str | None:
    if value is not None and value not in choices:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(choices)}",
                                 param_hint=option)
    return value


def _password(given: str | None, username: str) -> str:
    if given is not None:
        return given
    first = getpass.getpass(f"password for {username}: ")
    if getpass.getpass("again: ") != first:
        fail("the two passwords differ")
    return first


def _validated(model, **values):
    """A pydantic payload, or one line per field and exit 2."""
    from pydantic import ValidationError

    try:
        return model(**values)
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(map(str, error["loc"]))
            typer.echo(f"error: {where}: {error['msg']}", err=True)
        raise typer.Exit(2) from None


@setup_app.command("setup")
def setup(
    agency_code: Annotated[str | None, typer.Option(help="e.g. YJ-BIS")] = None,
    agency_name: Annotated[str | None, typer.Option(help="name as written, e.g. 阳江边检站")] = None,
    agency_name_en: Annotated[str | None, typer.Option(help="English name")] = None,
    kind: Annotated[str | None, typer.Option(help=f"agency kind: {', '.join(KINDS)}")] = None,
    admin: Annotated[str | None, typer.Option(help="the administrator's username")] = None,
    admin_name: Annotated[str | None, typer.Option(help="the administrator's name")] = None,
    password: Annotated[str | None, typer.Option(help="prompted when omitted")] = None,
) -> None:
    """Create the first organisation and its first administrator on an empty, migrated
    database (prompts for what the options leave out). Refused once users exist."""
    from bastion.core.db import transaction
    from bastion.org import service
    from bastion.org.schemas import AgencyCreate

    _choice(kind, KINDS, "--kind")
    factory = sessions()
    with factory() as session:  # before prompting: say at once when there is nothing to do
        if service.count_users(session):
            fail("this installation is set up already (it has users); add agencies and users "
                 "with `bastion agency create` / `bastion user create` or from the web")
    asking = agency_code is None or agency_name is None  # the agency is being typed in
    agency_code = agency_code or typer.prompt("agency code (e.g. YJ-BIS)")
    agency_name = agency_name or typer.prompt("agency name")
    if agency_name_en is None and asking:
        agency_name_en = typer.prompt("English name", default="", show_default=False) or None
    kind = _choice(kind or typer.prompt(f"kind ({', '.join(KINDS)})", default=KINDS[0]),
                   KINDS, "--kind")
    data = _validated(AgencyCreate, code=agency_code, name=agency_name, name_en=agency_name_en,
                      kind=kind)
    admin = admin or typer.prompt("administrator's username")
    admin_name = admin_name or typer.prompt("administrator's name")
    secret = _password(password, admin)
    with transaction(factory) as session:
        agency, user = service.set_up(session, agency=data, admin_username=admin,
                                      admin_name=admin_name, password=secret)
        typer.echo(f"created {agency.code} ({agency.name}, {agency.kind.value}) and its "
                   f"administrator {user.username}; log in with `bastion serve`, then add "
                   "agencies and users (`bastion agency import`, `bastion user import`)")


@agency_app.command("create")
def agency_create(
    code: str,
    name: Annotated[str, typer.Option(help="name as written")],
    kind: Annotated[str, typer.Option(help=f"one of: {', '.join(KINDS)}")],
    name_en: Annotated[str | None, typer.Option(help="English name")] = None,
    parent: Annotated[str | None, typer.Option(help="code of the agency this is a unit of")]
    = None,
) -> None:
    """Create an agency, or a unit of one with --parent."""
    from bastion.core.db import transaction
    from bastion.core.errors import Invalid
    from bastion.org import service
    from bastion.org.schemas import AgencyCreate

    _choice(kind, KINDS, "--kind")
    with transaction(sessions()) as session:
        parent_id = None
        if parent is not None:
            found = service.get_agency_by_code(session, code=parent)
            if found is None:
                raise Invalid(f"no agency with code {parent!r}", field="--parent")
            parent_id = found.id
        data = _validated(AgencyCreate, code=code, name=name, name_en=name_en, kind=kind,
                          parent_id=parent_id)
        agency = service.create_agency(session, actor=None, data=data)
        typer.echo(f"created agency {agency.code} (id {agency.id})")


@agency_app.command("list")
def agency_list() -> None:
    """Every agency and unit: code, kind, parent, names."""
    from bastion.org import service

    with sessions()() as session:
        agencies = service.list_agencies(session)
        by_id = {a.id: a.code for a in agencies}
        for a in agencies:
            typer.echo("\t".join([a.code, a.kind.value, by_id.get(a.parent_id, "") or "",
                                  a.name, a.name_en or "", "" if a.active else "inactive"]))


@agency_app.command("import")
def agency_import(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
) -> None:
    """Create agencies from an xlsx or CSV file (template: `bastion agency template`); all rows
    or none, errors by file, sheet, row and column."""
    from bastion.core.db import transaction
    from bastion.org import imports

    with transaction(sessions()) as session:
        created = _problems_or(lambda: imports.import_agencies(
            session, data=file.read_bytes(), filename=file.name, actor=None))
    typer.echo(f"{file.name}: created {len(created)} agencies")


@agency_app.command("template")
def agency_template(out: Annotated[Path, typer.Option(help="file to write (.xlsx or .csv)")]) -> None:
    """Write an empty agency file with Chinese and English headings."""
    from bastion.org import imports

    out.write_bytes(imports.agency_template(out.suffix.lstrip(".").lower() or "xlsx"))
    typer.echo(str(out))


def _problems_or(work):
    """Run an import; on problems print one line each (file, sheet, row, column: code) and
    exit 1, the transaction rolled back."""
    from bastion.core.tabular import Problems

    try:
        return work()
    except Problems as exc:
        for problem in exc.errors:
            typer.echo(problem.located(), err=True)
        typer.echo(f"{len(exc.errors)} error{'s' if len(exc.errors) != 1 else ''}; nothing was "
                   "imported", err=True)
        raise typer.Exit(1) from None


@user_app.command("create")
def user_create(
    username: str,
    agency: Annotated[str, typer.Option(help="agency code, e.g. YJ-BIS")],
    name: Annotated[str, typer.Option(help="display name")],
    role: Annotated[str, typer.Option(help=f"one of: {', '.join(ROLES)}")] = "officer",
    password: Annotated[str | None, typer.Option(help="prompted when omitted")] = None,
    language: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Create a user account."""
    from bastion.core.config import get_settings
    from bastion.core.db import transaction
    from bastion.core.errors import Invalid
    from bastion.core.migrate import describe
    from bastion.org import service
    from bastion.org.schemas import UserCreate

    _choice(role, ROLES, "--role")
    factory = sessions()
    with factory() as session:
        if not service.list_agencies(session):
            service.require_users(session, where=describe(get_settings().database_url))
    secret = _password(password, username)
    with transaction(factory) as session:
        found = service.get_agency_by_code(session, code=agency)
        if found is None:
            raise Invalid(f"no agency with code {agency!r}", field="agency")
        data = _validated(UserCreate, username=username, display_name=name, agency_id=found.id,
                          role=role, password=secret, language=language)
        user = service.create_user(session, actor=None, data=data)
        typer.echo(f"created user {user.username} (id {user.id}, {user.role.value})")


@user_app.command("import")
def user_import(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
) -> None:
    """Create users from an xlsx or CSV file (template: `bastion user template`); all rows or
    none. Rows without a password get a one-time random one, printed here once."""
    from bastion.core.db import transaction
    from bastion.org import imports

    with transaction(sessions()) as session:
        created = _problems_or(lambda: imports.import_users(
            session, data=file.read_bytes(), filename=file.name, actor=None))
    typer.echo(f"{file.name}: created {len(created)} users")
    issued = [(u, p) for u, p in created if p]
    if issued:
        typer.echo("one-time passwords (shown once; each user changes theirs after login):")
        for username, secret in issued:
            typer.echo(f"{username}\t{secret}")


@user_app.command("template")
def user_template(out: Annotated[Path, typer.Option(help="file to write (.xlsx or .csv)")]) -> None:
    """Write an empty user file with Chinese and English headings."""
    from bastion.org import imports

    out.write_bytes(imports.user_template(out.suffix.lstrip(".").lower() or "xlsx"))
    typer.echo(str(out))
