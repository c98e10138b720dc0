"""Notice rules: who may see (need-to-know), write, withdraw; every step audited and evented."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bastion.attachments import service as attachments
from bastion.attachments.models import Attachment
from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core import events
from bastion.core.db import utcnow
from bastion.core.errors import Forbidden, Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.core.marking import visible_to
from bastion.notices.models import Notice
from bastion.notices.schemas import AttachmentPublic, NoticeCreate, NoticePublic, NoticeUpdate
from bastion.org import capabilities
from bastion.org.models import Role, User
from bastion.org.sharing import apply_marking, marking_out, shares_of

KIND = Notice.record_kind


def list_visible(
    session: Session, *, user: User, include_withdrawn: bool = False, limit: int = 50,
    offset: int = 0,
) -> tuple[Sequence[Notice], int]:
    capabilities.require(user, "notices.read")
    query = select(Notice).where(visible_to(Notice, user))
    if not include_withdrawn:
        query = query.where(Notice.withdrawn_at.is_(None))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Notice.created_at.desc(), Notice.id.desc())
                           .limit(limit).offset(offset)).unique().all()
    return rows, total


def find_visible(session: Session, *, user: User, notice_id: int) -> Notice | None:
    if not capabilities.can(user, "notices.read"):
        return None
    return session.scalar(select(Notice).where(Notice.id == notice_id, visible_to(Notice, user)))


def get(session: Session, *, user: User, notice_id: int, reason: str | None = None) -> Notice:
    """One notice the user may see; a read of a personal notice is written to the audit log."""
    notice = find_visible(session, user=user, notice_id=notice_id)
    if notice is None:
        raise NotFound(_("No such notice."))
    if notice.personal:
        audit.record(session, action=AuditAction.READ, actor=user, record_kind=KIND,
                     record_id=notice.id, summary=f"notice {notice.id}", reason=reason)
    return notice


def require_writer(user: User) -> None:
    capabilities.require(user, "notices.write")


def create(session: Session, *, user: User, data: NoticeCreate) -> Notice:
    require_writer(user)
    notice = Notice(title=data.title.strip(), body=data.body, created_by_id=user.id,
                    owner_org_id=user.organisation_id)
    session.add(notice)
    session.flush()
    apply_marking(session, notice, data)
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind=KIND,
                 record_id=notice.id, summary=f"notice {notice.id}",
                 detail={"tlp": notice.tlp.value, "distribution": notice.distribution.value})
    events.emit(session, kind="notice.created", actor_id=user.id, record_kind=KIND,
                record_id=notice.id)
    return notice


def require_editor(user: User, notice: Notice) -> None:
    own = notice.created_by_id == user.id
    supervises = user.has_role(Role.SUPERVISOR) and user.organisation_id == notice.owner_org_id
    if not (own or supervises):
        raise Forbidden(_("Only the author or a supervisor of the owning agency can change this."))


def update(session: Session, *, user: User, notice: Notice, data: NoticeUpdate) -> Notice:
    require_editor(user, notice)
    if notice.withdrawn_at:
        raise Invalid(_("A withdrawn notice cannot be changed."), field="title")
    notice.title = data.title.strip()
    notice.body = data.body
    notice.updated_at = utcnow()
    apply_marking(session, notice, data)
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind=KIND,
                 record_id=notice.id, summary=f"notice {notice.id}",
                 detail={"tlp": notice.tlp.value, "distribution": notice.distribution.value})
    events.emit(session, kind="notice.updated", actor_id=user.id, record_kind=KIND,
                record_id=notice.id)
    return notice


def withdraw(session: Session, *, user: User, notice: Notice, reason: str | None) -> Notice:
    require_editor(user, notice)
    if notice.withdrawn_at is None:
        notice.withdrawn_at = utcnow()
        audit.record(session, action=AuditAction.DELETE, actor=user, record_kind=KIND,
                     record_id=notice.id, summary=f"notice {notice.id}", reason=reason)
        events.emit(session, kind="notice.withdrawn", actor_id=user.id, record_kind=KIND,
                    record_id=notice.id)
    return notice


def add_attachment(session: Session, *, user: User, notice: Notice, filename: str,
                   data: bytes, max_bytes: int) -> Attachment:
    """A file on the notice, checked and stored by the attachments package."""
    return attachments.add(session, user=user, record_kind=KIND, record_id=notice.id,
                           filename=filename, data=data, max_bytes=max_bytes)


def get_attachment(session: Session, *, user: User, notice_id: int,
                   attachment_id: int) -> Attachment:
    notice = get(session, user=user, notice_id=notice_id)
    return attachments.get(session, user=user, attachment_id=attachment_id, record_kind=KIND,
                           record_id=notice.id)


def _may_attach(session: Session, user: User, record_id: int) -> None:
    notice = get(session, user=user, notice_id=record_id)
    require_editor(user, notice)
    if notice.withdrawn_at:
        raise Invalid(_("A withdrawn notice cannot be changed."), field="file")


def to_public(session: Session, notices: Sequence[Notice], *,
              listing: bool = False) -> list[NoticePublic]:
    """API view. In a listing, personal notices show no body or attachments: reading those
    goes through :func:`get`, which writes the read to the audit log."""
    shares = shares_of(session, KIND, [n.id for n in notices])
    files = attachments.of_records(session, KIND, [n.id for n in notices])
    return [
        NoticePublic(
            id=n.id, title=n.title, body="" if listing and n.personal else n.body,
            marking=marking_out(n, shares.get(n.id, [])),
            owner_org_id=n.owner_org_id, created_by_id=n.created_by_id,
            author=n.author.display_name, created_at=n.created_at, updated_at=n.updated_at,
            withdrawn_at=n.withdrawn_at,
            attachments=[AttachmentPublic(id=a.id, filename=a.filename,
                                          content_type=a.content_type, size=a.size)
                         for a in files.get(n.id, []) if not (listing and n.personal)],
        )
        for n in notices
    ]


def _may_see(session: Session, user: User, record_id: int) -> bool:
    return find_visible(session, user=user, notice_id=record_id) is not None


events.register_visibility(KIND, _may_see)
attachments.register_owner(KIND, _may_attach)
