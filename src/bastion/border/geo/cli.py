"""``bastion border``: load a unit's border map from files (line, markers) and add segments.

The same services as the API, acting as a named user (``--as``, audited), in one transaction:
a file with any problem stores nothing. Heavy modules are imported inside the commands so
that ``bastion border --help`` answers at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="The border map: import the line and markers, add segments.",
                  no_args_is_help=True)

AsUser = Annotated[str, typer.Option("--as", help="acting user (border.map.write); audited")]
Tlp = Annotated[str, typer.Option(help="TLP marking: clear, green, amber, amber+strict")]
Share = Annotated[list[str] | None, typer.Option(
    "--share", help="agency code to share with (repeat); the marking becomes NAMED")]


@app.callback()
def border() -> None:
    """The border map: import the line and markers, add segments."""


def _marking(session, tlp: str, share: list[str] | None):
    from bastion.core.errors import Invalid
    from bastion.core.marking import TLP, Distribution
    from bastion.org import service as org
    from bastion.org.sharing import MarkingIn

    ids = []
    for code in share or []:
        agency = org.get_agency_by_code(session, code=code)
        if agency is None:
            raise Invalid(f"no agency with code {code!r}", field="--share")
        ids.append(agency.id)
    try:
        level = TLP(tlp)
    except ValueError:
        raise Invalid(f"{tlp!r} is not a TLP marking", field="--tlp") from None
    return MarkingIn(tlp=level, distribution=Distribution.NAMED if ids else Distribution.OWN,
                     agency_ids=ids)


def _user(session, username: str):
    from bastion.core.errors import Invalid
    from bastion.org import service as org

    user = org.get_user_by_username(session, username=username)
    if user is None or not user.active:
        raise Invalid(f"no active user {username!r}", field="--as")
    return user


def _read(path: Path) -> bytes:
    from bastion.core.errors import Invalid

    try:
        return path.read_bytes()
    except OSError as error:
        raise Invalid(f"{path}: {error.strerror or error}", field="file") from None


@app.command("import-line")
def import_line(file: Annotated[Path, typer.Argument(help="GeoJSON, KML or GPX")],
                as_user: AsUser, name: Annotated[str | None, typer.Option()] = None,
                tlp: Tlp = "green", share: Share = None) -> None:
    """Import a surveyed border line (the same file again changes nothing)."""
    from bastion.border.geo import service
    from bastion.core.clikit import sessions
    from bastion.core.db import transaction

    factory = sessions()
    data = _read(file)
    with transaction(factory) as session:
        user = _user(session, as_user)
        line, created = service.import_line(session, user=user, filename=file.name, data=data,
                                            marking=_marking(session, tlp, share), name=name)
        typer.echo(f"line {line.id} {line.name}: {line.length_m / 1000:.3f} km"
                   f"{'' if created else ' (already there)'}")


@app.command("import-markers")
def import_markers(file: Annotated[Path, typer.Argument(help="CSV, xlsx or GeoJSON points")],
                   as_user: AsUser,
                   line: Annotated[int | None, typer.Option(help="line id (default: the only "
                                                                 "line)")] = None,
                   tlp: Tlp = "green", share: Share = None) -> None:
    """Import boundary markers: all or none; problems by row and column, exit 1."""
    from bastion.border.geo import service
    from bastion.core.clikit import sessions
    from bastion.core.db import transaction
    from bastion.core.tabular import Problems

    factory = sessions()
    data = _read(file)
    try:
        with transaction(factory) as session:
            user = _user(session, as_user)
            target = service.line_for(session, user=user, line_id=line)
            markers, created = service.import_markers(
                session, user=user, line=target, filename=file.name, data=data,
                marking=_marking(session, tlp, share))
    except Problems as problems:
        for problem in problems.errors:
            typer.echo(problem.located(), err=True)
        typer.echo(problems.message, err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{len(markers)} markers: {created} new, {len(markers) - created} unchanged")


@app.command("add-segment")
def add_segment(code: str, name: str,
                from_marker: Annotated[str, typer.Option("--from", help="marker number")],
                to_marker: Annotated[str, typer.Option("--to", help="marker number")],
                as_user: AsUser,
                chief: Annotated[str, typer.Option(help="segment chief (段长)")] = "",
                phone: Annotated[str, typer.Option(help="the chief's phone")] = "",
                post: Annotated[str | None, typer.Option(help="responsible post's agency code")]
                = None,
                line: Annotated[int | None, typer.Option(help="line id")] = None,
                tlp: Tlp = "green", share: Share = None) -> None:
    """Add a defence segment between two markers."""
    from bastion.border.geo import service
    from bastion.border.geo.schemas import SegmentCreate
    from bastion.core.clikit import sessions
    from bastion.core.db import transaction
    from bastion.core.errors import Invalid
    from bastion.org import service as org

    factory = sessions()
    with transaction(factory) as session:
        user = _user(session, as_user)
        post_id = None
        if post:
            agency = org.get_agency_by_code(session, code=post)
            if agency is None:
                raise Invalid(f"no agency with code {post!r}", field="--post")
            post_id = agency.id
        marking = _marking(session, tlp, share)
        segment = service.create_segment(session, user=user, data=SegmentCreate(
            code=code, name=name, line_id=line, from_marker=from_marker, to_marker=to_marker,
            chief_name=chief, chief_phone=phone, post_agency_id=post_id,
            **marking.model_dump()))
        typer.echo(f"segment {segment.code}: {segment.length_m / 1000:.3f} km")
