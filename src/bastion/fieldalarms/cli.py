"""``bastion field-alarms``: register alarm devices, rotate and revoke their keys, list them,
and send a signed test message (a device's side, for installers).

The same services as the API, acting as a named user (``--as``, audited), in one transaction.
A key is printed once, when it is made; nothing can print it again (rotate for a new one).
Import nothing heavy at module level.
"""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(no_args_is_help=True, help="Field alarms.")
AsUser = Annotated[str, typer.Option("--as", help="acting user (fieldalarms.devices); audited")]


@app.callback()
def field_alarms() -> None:
    """Field alarms: register alarm devices, rotate and revoke their keys."""


def _user(session, username: str):
    from bastion.core.errors import Invalid
    from bastion.org import service as org

    user = org.get_user_by_username(session, username=username)
    if user is None or not user.active:
        raise Invalid(f"no active user {username!r}", field="--as")
    return user


def _post(session, code: str) -> int:
    from bastion.core.errors import Invalid
    from bastion.org import service as org

    agency = org.get_agency_by_code(session, code=code)
    if agency is None:
        raise Invalid(f"no agency with code {code!r}", field="--post")
    return agency.id


def _id_of(session, user, code: str) -> int:
    from bastion.core.errors import Invalid
    from bastion.fieldalarms import access
    from bastion.fieldalarms.models import AlarmDevice

    found = session.scalar(access.devices_query(user).where(AlarmDevice.code == code))
    if found is None:
        raise Invalid(f"no device {code!r} you may manage", field="device")
    return found.id


@app.command("register")
def register(code: Annotated[str, typer.Argument(help="the device id (its topic's last level)")],
             as_user: AsUser,
             kind: Annotated[str, typer.Option(help="button, fence_vibration, infrared, "
                                                    "camera_motion")],
             lon: Annotated[float, typer.Option()], lat: Annotated[float, typer.Option()],
             post: Annotated[str, typer.Option(help="code of the responsible post")],
             name: Annotated[str, typer.Option()] = "") -> None:
    """Register a device and print its key (once)."""
    from pydantic import ValidationError

    from bastion.core.clikit import sessions
    from bastion.core.config import get_settings
    from bastion.core.db import transaction
    from bastion.core.errors import Invalid
    from bastion.fieldalarms import service
    from bastion.fieldalarms.schemas import DeviceIn

    settings = get_settings()
    with transaction(sessions(settings)) as session:
        user = _user(session, as_user)
        try:
            data = DeviceIn(code=code, name=name or code, kind=kind, lon=lon, lat=lat,
                            post_agency_id=_post(session, post))
        except ValidationError as error:
            first = error.errors()[0]
            raise Invalid(first["msg"], field=str(first["loc"][0])) from None
        device, key = service.register(session, user=user, data=data,
                                       secret=settings.secret_key)
        typer.echo(f"device {device.code} registered; topic {service.TOPIC_PREFIX}{device.code}")
        typer.echo(f"key (shown once): {key}")


@app.command("rotate")
def rotate(code: str, as_user: AsUser) -> None:
    """A new key for the device (printed once); the old one stops working at once."""
    from bastion.core.clikit import sessions
    from bastion.core.config import get_settings
    from bastion.core.db import transaction
    from bastion.fieldalarms import service

    settings = get_settings()
    with transaction(sessions(settings)) as session:
        user = _user(session, as_user)
        device, key = service.rotate(session, user=user, device_id=_id_of(session, user, code),
                                     secret=settings.secret_key)
        typer.echo(f"device {device.code}: new key (shown once): {key}")


@app.command("revoke")
def revoke(code: str, as_user: AsUser) -> None:
    """Refuse the device's messages from now on (rotate to take it back into service)."""
    from bastion.core.clikit import sessions
    from bastion.core.db import transaction
    from bastion.fieldalarms import service

    with transaction(sessions()) as session:
        user = _user(session, as_user)
        device = service.revoke(session, user=user, device_id=_id_of(session, user, code))
        typer.echo(f"device {device.code}: key revoked")


@app.command("list")
def list_devices(as_user: AsUser) -> None:
    """The devices the user may see, with their health."""
    from bastion.core.clikit import sessions
    from bastion.core.db import transaction
    from bastion.fieldalarms import service

    with transaction(sessions()) as session:
        user = _user(session, as_user)
        for d in session.scalars(service.devices_list(user)):
            state = ("revoked" if d.revoked_at else "silent" if d.silent else "in service")
            seen = d.last_seen_at.isoformat(timespec="seconds") if d.last_seen_at else "never"
            battery = f"{d.battery_pct}%" if d.battery_pct is not None else "-"
            typer.echo(f"{d.code}\t{d.kind.value}\t{d.lat:.5f},{d.lon:.5f}\t{seen}\t{battery}"
                       f"\t{state}")


@app.command("sign")
def sign(code: str, key: Annotated[str, typer.Option(help="the device's key")],
         kind: Annotated[str, typer.Option()] = "button",
         exercise: Annotated[bool, typer.Option(help="a test press in a drill")] = False) -> None:
    """Print a signed message as the device would send it (for installers' tests:
    ``mosquitto_pub -t bastion/alarms/CODE -m "$(bastion field-alarms sign CODE --key K)"``)."""
    import json
    import time
    import uuid

    from bastion.fieldalarms import keys

    message = {"device": code, "id": uuid.uuid4().hex, "ts": int(time.time()), "kind": kind,
               **({"exercise": True} if exercise else {})}
    typer.echo(json.dumps(keys.signed(message, key), separators=(",", ":")))
