"""Patrol checkpoints (巡防卡点): a point with a radius, time windows and a printed QR code.

The QR code carries ``BASTION-CP:<code>:<qr_token>``; the token is a random secret
(``secrets.token_urlsafe``), so a check-in by QR proves someone stood before the printed sheet.
Only users who may edit the map (``border.map.write``) are shown tokens: a post viewer who
could read them could check in from home.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.border.geo import access
from bastion.border.geo.models import Checkpoint, DefenceSegment
from bastion.border.geo.schemas import CheckpointCreate
from bastion.border.geo.segments import check_post
from bastion.core.errors import Conflict
from bastion.core.i18n import gettext as _
from bastion.org.models import User
from bastion.org.sharing import apply_marking

QR_PREFIX = "BASTION-CP"


def qr_text(checkpoint: Checkpoint) -> str:
    return f"{QR_PREFIX}:{checkpoint.code}:{checkpoint.qr_token}"


def parse_qr(text: str) -> tuple[str, str] | None:
    """``(code, token)`` of a scanned text, or None when it is not a checkpoint code."""
    prefix, _sep, rest = text.strip().partition(":")
    code, _sep, token = rest.rpartition(":")  # the token never holds ":" (token_urlsafe)
    if prefix != QR_PREFIX or not code or not token:
        return None
    return code, token


def qr_matches(checkpoint: Checkpoint, text: str) -> bool:
    """Whether a scanned text is this checkpoint's code (constant-time on the token)."""
    parsed = parse_qr(text)
    return parsed is not None and parsed[0] == checkpoint.code and secrets.compare_digest(
        parsed[1], checkpoint.qr_token)


def create_checkpoint(session: Session, *, user: User, data: CheckpointCreate) -> Checkpoint:
    access.require_write(user)
    segment = None
    if data.segment_id is not None:
        segment = access.referenced(session, DefenceSegment, user, data.segment_id, "segment_id")
    check_post(session, user=user, agency_id=data.post_agency_id)
    if session.scalar(select(Checkpoint.id).where(Checkpoint.owner_org_id == user.organisation_id,
                                                  Checkpoint.code == data.code)) is not None:
        raise Conflict(_("A checkpoint with code %(code)s exists already") % {"code": data.code},
                       field="code")
    checkpoint = Checkpoint(
        code=data.code, name=data.name, lon=data.lon, lat=data.lat, radius_m=data.radius_m,
        windows=[list(w) for w in data.windows], segment_id=data.segment_id,
        post_agency_id=data.post_agency_id or (segment.post_agency_id if segment else None),
        qr_token=secrets.token_urlsafe(24), owner_org_id=user.organisation_id,
        created_by_id=user.id)
    session.add(checkpoint)
    session.flush()
    apply_marking(session, checkpoint, data)
    audit.record(session, action=AuditAction.CREATE, actor=user,
                 record_kind=checkpoint.record_kind, record_id=checkpoint.id,
                 summary=f"checkpoint {data.code}")
    return checkpoint


def renew_token(session: Session, *, user: User, checkpoint: Checkpoint) -> Checkpoint:
    """A new secret (a printed sheet was lost or photographed): the old prints stop working."""
    access.require_write(user)
    checkpoint.qr_token = secrets.token_urlsafe(24)
    session.flush()
    audit.record(session, action=AuditAction.UPDATE, actor=user,
                 record_kind=checkpoint.record_kind, record_id=checkpoint.id,
                 summary=f"checkpoint {checkpoint.code}: new QR token")
    return checkpoint


def for_sheet(session: Session, *, user: User, segment_id: int | None = None,
              post_agency_id: int | None = None) -> list[Checkpoint]:
    """The active checkpoints of a segment or a post, in code order, for printing."""
    access.require_write(user)
    query = access.visible(Checkpoint, user).where(Checkpoint.active.is_(True))
    if segment_id is not None:
        query = query.where(Checkpoint.segment_id == segment_id)
    if post_agency_id is not None:
        query = query.where(Checkpoint.post_agency_id == post_agency_id)
    return list(session.scalars(query.order_by(Checkpoint.code)))
