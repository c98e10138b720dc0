"""SOS from the field: stored once (by the phone's id), the command and the patrol's post
told at once (holders of ``patrols.live``: the live page raises the alarm), acknowledged by a
holder of ``patrols.sos.ack``; the first acknowledgement stands."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.border.geo.models import Checkpoint, DefenceSegment
from bastion.border.patrols import field, service
from bastion.border.patrols.models import Patrol, PatrolMember, Sos
from bastion.border.patrols.schemas import CheckInIn, SosIn
from bastion.core import events
from bastion.core.db import utcnow
from bastion.core.errors import Invalid, NotFound
from bastion.core.geo import haversine_m
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.core.marking import visible_to
from bastion.notifications import service as notifications
from bastion.notifications.models import Severity
from bastion.org import capabilities
from bastion.org.models import AgencyKind, User

TITLE = lazy("SOS from the field")
BODY = lazy("{who} called for help. {message}")


def _recipients(session: Session, owner_org_id: int, post_agency_id: int | None) -> list:
    """The command's own holders of ``patrols.live`` (not every post's) and the post's."""
    command = [u for u in session.scalars(select(User).where(User.agency_id == owner_org_id))
               if capabilities.can(u, "patrols.live")]
    post = [notifications.Holders("patrols.live", post_agency_id)] if post_agency_id else []
    return [*command, *post]


def _emit(session: Session, *, user: User | None, sos: Sos, kind: str) -> None:
    if sos.patrol_id is not None:
        events.emit(session, kind=kind, actor_id=user.id if user else None,
                    record_kind=service.KIND, record_id=sos.patrol_id,
                    payload={"sos_id": sos.id, "lon": sos.lon, "lat": sos.lat})
    else:
        events.emit(session, kind=kind, actor_id=user.id if user else None,
                    record_kind=service.SOS_KIND, record_id=sos.id,
                    payload={"sos_id": sos.id, "lon": sos.lon, "lat": sos.lat})


ROUTE_DAYS = 90  # a partner's joint patrols this recent tell which command to alarm


def _route(session: Session, user: User, data: SosIn) -> tuple[int, int | None]:
    """The joint-defence command (and post, when known) an SOS sent outside a patrol alarms.

    A user of a command or of one of its posts: their command (and post). A partner (police,
    army): the command and post of the latest joint patrol they were a member of in the last
    90 days (the people they patrol with); failing that, the command that shares its segments
    with them by name (the map they patrol with): the command and post of the shared segment
    nearest the SOS's position, or with no position the one command that shares (several:
    refused, the alarm must not go to a guess). No command found: 422, never a silent SOS."""
    if user.agency.kind in field.POST_KINDS:
        post = user.agency_id if user.agency.kind == AgencyKind.JOINT_DEFENCE_POST else None
        return user.organisation_id, post
    since = utcnow() - timedelta(days=ROUTE_DAYS)
    recent = session.execute(select(Patrol.owner_org_id, Patrol.post_agency_id).join(
        PatrolMember, PatrolMember.patrol_id == Patrol.id).where(
        PatrolMember.user_id == user.id, Patrol.owner_org_id != user.organisation_id,
        or_(Patrol.started_at >= since, Patrol.planned_start >= since))
        .order_by(Patrol.started_at.desc().nulls_last(), Patrol.id.desc()).limit(1)).first()
    if recent is not None:
        return recent[0], recent[1]
    shared = list(session.scalars(select(DefenceSegment).where(
        visible_to(DefenceSegment, user), DefenceSegment.owner_org_id != user.organisation_id)
        .order_by(DefenceSegment.id).limit(5000)))
    if shared and data.lon is not None:
        nearest = min(shared, key=lambda s: haversine_m(
            data.lat, data.lon, (s.min_lat + s.max_lat) / 2, (s.min_lon + s.max_lon) / 2))
        return nearest.owner_org_id, nearest.post_agency_id
    commands = {s.owner_org_id for s in shared}
    if len(commands) == 1:
        return commands.pop(), None
    raise Invalid(_("The SOS could not be routed to a joint-defence command: send it from "
                    "the patrol, or with your position."), field="patrol_id")


def raise_sos(session: Session, *, user: User, data: SosIn,
              source: str = "web") -> tuple[Sos, bool]:
    capabilities.require(user, "patrols.record")
    field.both_or_neither(data)
    field.device_time(data.device_at)
    client_id = str(data.client_id)
    patrol: Patrol | None = None
    if data.patrol_id is not None:
        patrol = service.get_by_client_id(session, user=user, client_id=str(data.patrol_id))
    given = {"patrol_id": patrol.id if patrol else None, "device_at": data.device_at,
             "lon": data.lon, "lat": data.lat, "message": data.message}
    done = session.scalar(select(Sos).where(Sos.client_id == client_id))
    if done is not None:
        service.replay({k: getattr(done, k) for k in given}, given,
                       _("SOS %(id)s") % {"id": client_id})
        return done, False
    owner_id, post_id = ((patrol.owner_org_id, patrol.post_agency_id) if patrol
                         else _route(session, user, data))
    sos = Sos(client_id=client_id, **given, source=source, by_user_id=user.id,
              owner_org_id=owner_id, post_agency_id=post_id)
    session.add(sos)
    session.flush()
    notifications.notify(
        session, recipients=_recipients(session, sos.owner_org_id, post_id), title=TITLE,
        body=BODY, severity=Severity.URGENT, sender=user,
        record_kind=service.KIND if patrol else service.SOS_KIND,
        record_id=patrol.id if patrol else sos.id,
        link=f"/border/patrols/{patrol.id}" if patrol else None,
        params={"who": user.display_name, "message": data.message})
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind=service.SOS_KIND,
                 record_id=sos.id, summary=f"SOS {sos.id}")
    _emit(session, user=user, sos=sos, kind="patrol.sos")
    return sos, True


def visible_query(user: User, *, open_only: bool = True) -> Select[tuple[Sos]]:
    """The SOS calls ``user`` may see (those of patrols they see; those sent outside a patrol
    by their own organisation), newest first; unacknowledged ones only unless told."""
    patrols = service.visible_query(user).with_only_columns(Patrol.id).order_by(None)
    query = select(Sos).where(or_(
        Sos.patrol_id.in_(patrols),
        and_(Sos.patrol_id.is_(None), or_(Sos.owner_org_id == user.organisation_id,
                                          Sos.by_user_id == user.id))))
    if not capabilities.can(user, "patrols.read"):
        query = query.where(Sos.id.is_(None))
    if open_only:
        query = query.where(Sos.acknowledged_at.is_(None))
    return query.order_by(Sos.received_at.desc(), Sos.id.desc())


def find_visible(session: Session, *, user: User, sos_id: int) -> Sos | None:
    sos = session.get(Sos, sos_id)
    if sos is None or not service._may_see_sos(session, user, sos.id):
        return None
    return sos


def acknowledge(session: Session, *, user: User, sos_id: int) -> Sos:
    sos = find_visible(session, user=user, sos_id=sos_id)
    if sos is None:
        raise NotFound(_("No such SOS."))
    capabilities.require(user, "patrols.sos.ack")
    if sos.acknowledged_at is None:
        sos.acknowledged_at, sos.acknowledged_by_id = utcnow(), user.id
        audit.record(session, action=AuditAction.UPDATE, actor=user,
                     record_kind=service.SOS_KIND, record_id=sos.id,
                     summary=f"SOS {sos.id} acknowledged")
        _emit(session, user=user, sos=sos, kind="patrol.sos_acknowledged")
    return sos


def public(sos: Sos) -> dict:
    return {"id": sos.id, "client_id": sos.client_id, "patrol_id": sos.patrol_id,
            "owner_org_id": sos.owner_org_id, "post_agency_id": sos.post_agency_id,
            "source": sos.source, "message": sos.message, "device_at": sos.device_at,
            "received_at": sos.received_at, "lon": sos.lon, "lat": sos.lat,
            "acknowledged_at": sos.acknowledged_at,
            "acknowledged_by_id": sos.acknowledged_by_id}


# --- short messages (Beidou, SMS) ---------------------------------------------------------

def receive_message(session: Session, *, user: User, text: str,
                    zone: str = "Asia/Shanghai") -> tuple[str, bool, dict]:
    """A compact message from the gateway turned into the record the field API would make
    (check-in, SOS, one fix of track); the same text twice is the same operation (its op id
    is derived from the content), so a resend stores nothing new."""
    capabilities.require(user, "patrols.message")
    try:
        from bastion.border.patrols import messages
    except ImportError:  # the codec lives in its own module (border/patrols/messages.py)
        raise Invalid(_("This server does not read short messages yet."),
                      field="text") from None
    msg = messages.decode(text)
    if msg.kind == "sos":
        row, created = raise_sos(session, user=user, source="message", data=SosIn(
            client_id=msg.op_id, patrol_id=msg.patrol_ref, device_at=msg.at, lon=msg.lon,
            lat=msg.lat))
        return msg.kind, created, public(row)
    if msg.patrol_ref is None:
        raise Invalid(_("The message names no patrol."), field="text")
    patrol = service.for_recording(session, user=user, client_id=msg.patrol_ref)
    if msg.kind == "position":
        chunk, created = field.add_track(session, user=user, patrol_id=patrol.client_id,
                                         client_id=f"msg-{msg.op_id}",
                                         points=[[msg.at.timestamp(), msg.lon, msg.lat]])
        return msg.kind, created, service.chunk_public(chunk)
    checkpoint_id = session.scalar(select(Checkpoint.id).where(
        Checkpoint.owner_org_id == patrol.owner_org_id,
        Checkpoint.code == msg.checkpoint_code))
    if checkpoint_id is None:
        raise Invalid(_("There is no checkpoint %(code)s.") % {"code": msg.checkpoint_code},
                      field="text")
    data = CheckInIn(client_id=msg.op_id, checkpoint_id=checkpoint_id, method="geofence",
                     device_at=msg.at, lon=msg.lon, lat=msg.lat)
    row, created = field.check_in(session, user=user, patrol_id=patrol.client_id,
                                  data=data.model_copy(update={"method": "message"}),
                                  zone=zone)
    return msg.kind, created, service.check_in_public(row)
