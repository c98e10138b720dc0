"""Field alarms: register devices and their keys, open an incident for each alarm, and take
it to its end.

The state machine of an alarm::

    raised --acknowledge--> acknowledged --resolve / false_alarm--> resolved | false_alarm
    raised --resolve / false_alarm--------> resolved | false_alarm

Resolving or calling it a false alarm straight from ``raised`` acknowledges it too (who and
when). An action not allowed in the alarm's state is a 409 naming the state; a false alarm
needs a note saying why (422 naming ``note``).

Need-to-know: reads go through ``access``; registering devices needs ``fieldalarms.devices``
(the command), acting on alarms ``fieldalarms.act`` of the owning command or the responsible
post. Services never commit.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core import context, events
from bastion.core.db import utcnow
from bastion.core.errors import Conflict, Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.core.labels import label, register_labels
from bastion.core.marking import TLP, Distribution
from bastion.fieldalarms import access, keys
from bastion.fieldalarms.models import (
    AlarmDevice,
    AlarmKind,
    AlarmStatus,
    DeviceKind,
    FieldAlarm,
)
from bastion.fieldalarms.schemas import AlarmAction, AlarmOut, DeviceIn, DeviceOut, DeviceWithKey
from bastion.notifications import service as notifications
from bastion.notifications.models import Severity
from bastion.org import capabilities
from bastion.org.models import Agency, AgencyKind, User
from bastion.org.sharing import MarkingIn, apply_marking

KIND = FieldAlarm.record_kind
DEVICE_KIND = AlarmDevice.record_kind
TOPIC_PREFIX = "bastion/alarms/"
TITLE = lazy("Field alarm: {device}")
BODY = lazy("{what} at {device} ({post}). Acknowledge it on the field-alarm map.")
SILENT_TITLE = lazy("Alarm device silent: {device}")
SILENT_BODY = lazy("{device} ({post}) has not been heard from since {since}.")
PARTNER_KINDS = (AgencyKind.BORDER_POLICE, AgencyKind.ARMY)


# --- devices --------------------------------------------------------------------------------

def _post(session: Session, user: User, post_agency_id: int) -> Agency:
    post = session.get(Agency, post_agency_id)
    if post is None or post.id != user.organisation_id and (
            post.kind != AgencyKind.JOINT_DEFENCE_POST
            or post.parent_id != user.organisation_id):
        raise Invalid(_("Choose a post of your command."), field="post_agency_id")
    return post


def _default_marking(session: Session, user: User) -> MarkingIn:
    """GREEN, named to the partners with whom the command shares its border map (who patrol
    with it): border police and army units named on its segments."""
    from bastion.border.geo import service as geo

    partners: set[int] = set()
    segments = geo.visible_segments(session, user=user)
    if segments:
        from bastion.org.sharing import shares_of

        shared = shares_of(session, segments[0].record_kind, [s.id for s in segments])
        ids = {s.agency_id for rows in shared.values() for s in rows if s.agency_id}
        for agency in session.scalars(select(Agency).where(Agency.id.in_(ids))):
            if agency.kind in PARTNER_KINDS:
                partners.add(agency.id)
    if not partners:
        return MarkingIn(tlp=TLP.GREEN, distribution=Distribution.OWN)
    return MarkingIn(tlp=TLP.GREEN, distribution=Distribution.NAMED,
                     agency_ids=sorted(partners))


def register(session: Session, *, user: User, data: DeviceIn, secret: str,
             synthetic: bool = False, now: datetime | None = None) -> tuple[AlarmDevice, str]:
    """A new device and its key (returned once, never stored)."""
    capabilities.require(user, "fieldalarms.devices")
    if session.scalar(select(AlarmDevice.id).where(AlarmDevice.code == data.code)):
        raise Conflict(_("A device with this id is already registered."), field="code")
    post = _post(session, user, data.post_agency_id)
    if data.segment_id is not None:
        from bastion.border.geo import service as geo

        geo.get_segment(session, user=user, segment_id=data.segment_id)  # 404 when unseen
    now = now or utcnow()
    nonce = keys.new_nonce()
    key = keys.derive(secret, data.code, nonce)
    device = AlarmDevice(code=data.code, name=data.name.strip(), kind=data.kind, lon=data.lon,
                         lat=data.lat, post_agency_id=post.id, segment_id=data.segment_id,
                         key_nonce=nonce, key_hash=keys.fingerprint(key), key_issued_at=now,
                         owner_org_id=user.organisation_id, created_by_id=user.id,
                         synthetic=synthetic, created_at=now)
    session.add(device)
    session.flush()
    apply_marking(session, device, data.marking or _default_marking(session, user))
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind=DEVICE_KIND,
                 record_id=device.id, summary=f"alarm device {device.code} registered")
    events.emit(session, kind="fieldalarm.device_registered", actor_id=user.id,
                record_kind=DEVICE_KIND, record_id=device.id, payload={"code": device.code})
    return device, key


def _managed(session: Session, user: User, device_id: int) -> AlarmDevice:
    capabilities.require(user, "fieldalarms.devices")
    device = access.find_device(session, user=user, device_id=device_id)
    if device.owner_org_id != user.organisation_id:
        raise NotFound(_("No such alarm device."))
    return device


def rotate(session: Session, *, user: User, device_id: int, secret: str,
           now: datetime | None = None) -> tuple[AlarmDevice, str]:
    """A new key for the device (the old one stops working at once); un-revokes it."""
    device = _managed(session, user, device_id)
    nonce = keys.new_nonce()
    key = keys.derive(secret, device.code, nonce)
    device.key_nonce, device.key_hash = nonce, keys.fingerprint(key)
    device.key_issued_at, device.revoked_at = now or utcnow(), None
    session.flush()
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind=DEVICE_KIND,
                 record_id=device.id, summary=f"alarm device {device.code}: key rotated")
    return device, key


def revoke(session: Session, *, user: User, device_id: int,
           now: datetime | None = None) -> AlarmDevice:
    device = _managed(session, user, device_id)
    if device.revoked_at is None:
        device.revoked_at = now or utcnow()
        session.flush()
        audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind=DEVICE_KIND,
                     record_id=device.id, summary=f"alarm device {device.code}: key revoked")
    return device


def device_by_code(session: Session, code: str) -> AlarmDevice | None:
    """The intake's look-up (no user: the device authenticates by its signature)."""
    return session.scalar(select(AlarmDevice).where(AlarmDevice.code == code))


def devices_list(user: User, *, kind: DeviceKind | None = None,
                 silent: bool | None = None) -> Select[tuple[AlarmDevice]]:
    capabilities.require(user, "fieldalarms.read")
    query = access.devices_query(user)
    if kind is not None:
        query = query.where(AlarmDevice.kind == kind)
    if silent is not None:
        query = query.where(AlarmDevice.silent.is_(silent))
    return query.order_by(AlarmDevice.code)


def _names(session: Session, ids: set[int], model: Any, column: Any) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(model.id, column).where(model.id.in_(ids))).all())


def device_out(session: Session, device: AlarmDevice, *, low_pct: int = 20) -> DeviceOut:
    post = session.get(Agency, device.post_agency_id)
    return DeviceOut(
        id=device.id, code=device.code, name=device.name, kind=device.kind,
        kind_label=label(device.kind), lon=device.lon, lat=device.lat,
        post_agency_id=device.post_agency_id,
        post_name=post.display_name(context.current().language) if post else "",
        segment_id=device.segment_id, key_issued_at=device.key_issued_at,
        revoked=device.revoked_at is not None, revoked_at=device.revoked_at,
        last_seen_at=device.last_seen_at, battery_pct=device.battery_pct,
        battery_low=device.battery_pct is not None and device.battery_pct <= low_pct,
        silent=device.silent, synthetic=device.synthetic)


def with_key(session: Session, device: AlarmDevice, key: str) -> DeviceWithKey:
    return DeviceWithKey(**device_out(session, device).model_dump(), key=key,
                         topic=TOPIC_PREFIX + device.code)


# --- alarms ---------------------------------------------------------------------------------

def alarms_list(user: User, *, status: AlarmStatus | None = None,
                open_only: bool = False, kind: AlarmKind | None = None,
                exercise: bool | None = None) -> Select[tuple[FieldAlarm]]:
    """Open alarms first (newest first), then closed ones newest first."""
    capabilities.require(user, "fieldalarms.read")
    query = access.alarms_query(user)
    if status is not None:
        query = query.where(FieldAlarm.status == status)
    if open_only:
        query = query.where(FieldAlarm.status.in_((AlarmStatus.RAISED,
                                                   AlarmStatus.ACKNOWLEDGED)))
    if kind is not None:
        query = query.where(FieldAlarm.kind == kind)
    if exercise is not None:
        query = query.where(FieldAlarm.exercise.is_(exercise))
    closed = case((FieldAlarm.status.in_((AlarmStatus.RESOLVED, AlarmStatus.FALSE_ALARM)), 1),
                  else_=0)
    return query.order_by(closed, FieldAlarm.received_at.desc(), FieldAlarm.id.desc())


def get(session: Session, *, user: User, alarm_id: int) -> FieldAlarm:
    capabilities.require(user, "fieldalarms.read")
    return access.find_alarm(session, user=user, alarm_id=alarm_id)


def alarm_outs(session: Session, user: User, alarms: list[FieldAlarm]) -> list[AlarmOut]:
    devices = {d.id: d for d in session.scalars(select(AlarmDevice).where(
        AlarmDevice.id.in_({a.device_id for a in alarms})))} if alarms else {}
    language = context.current().language
    posts = {a.id: a.display_name(language) for a in session.scalars(select(Agency).where(
        Agency.id.in_({a.post_agency_id for a in alarms})))} if alarms else {}
    people = _names(session, {a.acknowledged_by_id for a in alarms if a.acknowledged_by_id},
                    User, User.display_name)
    out = []
    for a in alarms:
        d = devices[a.device_id]
        out.append(AlarmOut(
            id=a.id, device_id=d.id, device_code=d.code, device_name=d.name,
            device_kind=d.kind, kind=a.kind, kind_label=label(a.kind), status=a.status,
            status_label=label(a.status), sent_at=a.sent_at, received_at=a.received_at,
            via=a.via, lon=a.lon, lat=a.lat, has_fix=a.has_fix, battery_pct=a.battery_pct,
            post_agency_id=a.post_agency_id, post_name=posts.get(a.post_agency_id, ""),
            acknowledged_by_id=a.acknowledged_by_id,
            acknowledged_by_name=people.get(a.acknowledged_by_id or 0),
            acknowledged_at=a.acknowledged_at, closed_by_id=a.closed_by_id,
            closed_at=a.closed_at, note=a.note, exercise=a.exercise, synthetic=a.synthetic,
            may_act=access.may_act(user, d)))
    return out


def alarm_out(session: Session, user: User, alarm: FieldAlarm) -> AlarmOut:
    return alarm_outs(session, user, [alarm])[0]


def _recipients(session: Session, device: AlarmDevice) -> list[Any]:
    """The command's own holders of ``fieldalarms.act`` and the responsible post's."""
    command = [u for u in session.scalars(select(User).where(
        User.agency_id == device.owner_org_id, User.active.is_(True)))
        if capabilities.can(u, "fieldalarms.act")]
    return [*command, notifications.Holders("fieldalarms.act", device.post_agency_id)]


def open_incident(session: Session, *, alarm: FieldAlarm, device: AlarmDevice) -> None:
    """What every new alarm does: the event that puts it on the map at once, the
    notification to the command and the responsible post, the audit line."""
    post = session.get(Agency, device.post_agency_id)
    events.emit(session, kind="fieldalarm.raised", record_kind=KIND, record_id=alarm.id,
                payload={"lon": alarm.lon, "lat": alarm.lat, "kind": alarm.kind.value,
                         "device": device.code, "exercise": alarm.exercise})
    urgent = alarm.kind in (AlarmKind.BUTTON, AlarmKind.TRIGGER, AlarmKind.TAMPER)
    notifications.notify(
        session, recipients=_recipients(session, device),
        title=TITLE, body=BODY, exercise=alarm.exercise,
        severity=Severity.URGENT if urgent else Severity.WARNING, record_kind=KIND,
        record_id=alarm.id, link=f"/field-alarms?alarm={alarm.id}",
        params={"device": f"{device.code} {device.name}", "what": ALARM_WORDS[alarm.kind.value],
                "post": post.name if post else ""},
        translate=("what",))
    audit.record(session, action=AuditAction.CREATE, actor=None, record_kind=KIND,
                 record_id=alarm.id, actor_name=f"device {device.code}",
                 summary=f"field alarm {alarm.id} ({alarm.kind.value}) from {device.code} "
                 f"via {alarm.via}")


MOVES: dict[str, tuple[tuple[AlarmStatus, ...], AlarmStatus]] = {
    "acknowledge": ((AlarmStatus.RAISED,), AlarmStatus.ACKNOWLEDGED),
    "resolve": ((AlarmStatus.RAISED, AlarmStatus.ACKNOWLEDGED), AlarmStatus.RESOLVED),
    "false_alarm": ((AlarmStatus.RAISED, AlarmStatus.ACKNOWLEDGED), AlarmStatus.FALSE_ALARM),
}


def act(session: Session, *, user: User, alarm_id: int, data: AlarmAction,
        now: datetime | None = None) -> FieldAlarm:
    capabilities.require(user, "fieldalarms.act")
    alarm = get(session, user=user, alarm_id=alarm_id)
    device = session.get(AlarmDevice, alarm.device_id)
    if device is None or not access.may_act(user, device):
        raise NotFound(_("No such field alarm."))  # a partner reads, never acts
    allowed, after = MOVES[data.action]
    if alarm.status not in allowed:
        raise Conflict(_("The alarm is %(status)s: this is not possible.")
                       % {"status": label(alarm.status)}, field="status")
    note = data.note.strip()
    if data.action == "false_alarm" and not note:
        raise Invalid(_("Say why it was a false alarm."), field="note")
    now = now or utcnow()
    if alarm.acknowledged_at is None:
        alarm.acknowledged_at, alarm.acknowledged_by_id = now, user.id
    if data.action != "acknowledge":
        alarm.closed_at, alarm.closed_by_id = now, user.id
    if note:
        alarm.note = f"{alarm.note}\n{note}".strip() if alarm.note else note
    alarm.status = after
    session.flush()
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind=KIND,
                 record_id=alarm.id, summary=f"field alarm {alarm.id}: {data.action}",
                 reason=note or None)
    events.emit(session, kind=f"fieldalarm.{data.action}", actor_id=user.id, record_kind=KIND,
                record_id=alarm.id, payload={"status": alarm.status.value})
    return alarm


# --- the map, a chart -----------------------------------------------------------------------

def geojson(session: Session, *, user: User, open_only: bool = False,
            limit: int = 500) -> dict[str, Any]:
    """Devices and alarms as GeoJSON for the map (``layer``: device | alarm)."""
    features = []
    for d in session.scalars(devices_list(user).limit(2000)):
        features.append({"type": "Feature", "geometry": {"type": "Point",
                                                         "coordinates": [d.lon, d.lat]},
                         "properties": {"layer": "device", "id": d.id, "code": d.code,
                                        "label": f"{d.code} {d.name} ({label(d.kind)})",
                                        "silent": d.silent,
                                        "revoked": d.revoked_at is not None}})
    alarms = list(session.scalars(alarms_list(user, open_only=open_only).limit(limit)))
    for a in alarm_outs(session, user, alarms):
        features.append({"type": "Feature", "geometry": {"type": "Point",
                                                         "coordinates": [a.lon, a.lat]},
                         "properties": {"layer": "alarm", "id": a.id, "status": a.status.value,
                                        "exercise": a.exercise,
                                        "label": f"{a.device_code} · {a.kind_label} · "
                                                 f"{a.status_label}"}})
    return {"type": "FeatureCollection", "features": features}


def by_day(session: Session, *, user: User, days: int = 30,
           today: date | None = None) -> dict[str, Any]:
    """Operational alarms per day and kind over the last ``days`` days (UTC days)."""
    from bastion.core.exercise import operational

    today = today or utcnow().date()
    start = today - timedelta(days=days - 1)
    since = datetime.combine(start, datetime.min.time()).replace(tzinfo=utcnow().tzinfo)
    rows = session.execute(alarms_list(user).where(
        operational(FieldAlarm), FieldAlarm.received_at >= since).order_by(None)
        .with_only_columns(FieldAlarm.received_at, FieldAlarm.kind)).all()
    dates = [(start + timedelta(days=i)).isoformat() for i in range(days)]
    series = {k.value: [0] * days for k in AlarmKind}
    for at, kind in rows:
        i = (at.date() - start).days
        if 0 <= i < days:
            series[kind.value if hasattr(kind, "value") else kind][i] += 1
    return {"dates": dates, "series": [{"name": label(AlarmKind(k)), "data": v}
                                       for k, v in series.items()]}


def counts(session: Session, *, user: User) -> dict[str, int]:
    rows = session.execute(alarms_list(user).order_by(None).with_only_columns(
        FieldAlarm.status, func.count(FieldAlarm.id)).group_by(FieldAlarm.status)).all()
    return {getattr(s, "value", s): n for s, n in rows}


# --- device health (the job) ----------------------------------------------------------------

def flag_silent(session: Session, *, settings: Any, now: datetime | None = None) -> int:
    """Flag devices not heard from within ``silent_after_h`` (once: a device heard again is
    unflagged by the intake), and tell the command and the post."""
    now = now or utcnow()
    cutoff = now - timedelta(hours=settings.silent_after_h)
    found = list(session.scalars(select(AlarmDevice).where(
        AlarmDevice.silent.is_(False), AlarmDevice.revoked_at.is_(None),
        func.coalesce(AlarmDevice.last_seen_at, AlarmDevice.created_at) < cutoff)))
    for device in found:
        device.silent = True
        post = session.get(Agency, device.post_agency_id)
        since = device.last_seen_at or device.created_at
        notifications.notify(
            session, recipients=_recipients(session, device), title=SILENT_TITLE,
            body=SILENT_BODY, severity=Severity.WARNING, record_kind=DEVICE_KIND,
            record_id=device.id, link="/field-alarms/devices",
            params={"device": f"{device.code} {device.name}", "post": post.name if post else "",
                    "since": since}, times=("since",))
        events.emit(session, kind="fieldalarm.device_silent", record_kind=DEVICE_KIND,
                    record_id=device.id, payload={"code": device.code})
    session.flush()
    return len(found)


# --- words ----------------------------------------------------------------------------------

register_labels(DeviceKind, labels={
    DeviceKind.BUTTON.value: lazy("One-button alarm post"),
    DeviceKind.FENCE_VIBRATION.value: lazy("Fence vibration sensor"),
    DeviceKind.INFRARED.value: lazy("Infrared sensor"),
    DeviceKind.CAMERA_MOTION.value: lazy("Camera motion detection")})
ALARM_WORDS = {
    AlarmKind.BUTTON.value: lazy("Button pressed"), AlarmKind.TRIGGER.value: lazy("Sensor triggered"),
    AlarmKind.BATTERY_LOW.value: lazy("Battery low"), AlarmKind.TAMPER.value: lazy("Tampering")}
register_labels(AlarmKind, labels=ALARM_WORDS)
register_labels(AlarmStatus, labels={
    AlarmStatus.RAISED.value: lazy("Raised"), AlarmStatus.ACKNOWLEDGED.value: lazy("Acknowledged"),
    AlarmStatus.RESOLVED.value: lazy("Resolved"), AlarmStatus.FALSE_ALARM.value: lazy("False alarm")})
register_labels(namespace="record_kind", labels={KIND: lazy("Field alarm"),
                                                  DEVICE_KIND: lazy("Alarm device")})
