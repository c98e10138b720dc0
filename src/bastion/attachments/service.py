"""Attachment rules: checked on the way in, seen only by who sees the record, every download
audited.

The owning domain decides both questions about its records, so need-to-know stays in one
place: *may this person see record N?* is the visibility check it already registered for the
live stream (``core.events.register_visibility``); *may this person attach to it?* is the
check it registers here with :func:`register_owner`. A kind with no owner takes no files
(default deny).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from bastion.attachments import sniff
from bastion.attachments.models import Attachment
from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core import events
from bastion.core.db import utcnow
from bastion.core.errors import Invalid, NotFound, TooLarge
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.core.labels import register_labels
from bastion.org.models import User

KIND = "attachment"

# record_kind -> (session, user, record_id) -> None; raises NotFound / Forbidden.
_owners: dict[str, Callable[[Session, User, int], None]] = {}


def register_owner(record_kind: str, may_attach: Callable[[Session, User, int], None]) -> None:
    """The owning domain's rule for who may add files to its records."""
    _owners[record_kind] = may_attach


def may_see_record(session: Session, user: User, record_kind: str, record_id: int) -> bool:
    """Whether the user may see the owning record, by the owner's registered check."""
    probe = events.Event(id=0, kind="attachment.read", at=utcnow(), record_kind=record_kind,
                         record_id=record_id)
    return events.may_see(session, user, probe)


def _require_record(session: Session, user: User, record_kind: str, record_id: int) -> None:
    if not may_see_record(session, user, record_kind, record_id):
        raise NotFound(_("No such record."))


def checked(data: bytes, filename: str, max_bytes: int) -> sniff.Sniffed:
    """A file checked before anything is stored: not empty, within ``max_bytes`` (413), and
    of a type its bytes prove (422 naming ``file``); a domain that keeps a file itself (a
    resident's photo) checks it here too."""
    if not data:
        raise Invalid(_("The file is empty."), field="file")
    if len(data) > max_bytes:
        raise TooLarge(_("The file is larger than the upload limit of {mb} MB.").format(
            mb=f"{max_bytes / 2**20:g}"), field="file")
    try:
        return sniff.sniff(data, filename)
    except sniff.Refused as refused:
        raise Invalid(_(refused.reason).format(**refused.params), field="file") from None


def add(session: Session, *, user: User, record_kind: str, record_id: int, filename: str,
        data: bytes, max_bytes: int) -> Attachment:
    """Check and store a file; the type is what the bytes are, whatever the client said."""
    _require_record(session, user, record_kind, record_id)
    owner = _owners.get(record_kind)
    if owner is None:
        raise Invalid(_("Files cannot be attached to this kind of record."), field="record_kind")
    owner(session, user, record_id)
    found = checked(data, filename, max_bytes)
    attachment = Attachment(
        record_kind=record_kind, record_id=record_id,
        filename=sniff.clean_filename(filename, found.content_type),
        content_type=found.content_type, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), width=found.width, height=found.height,
        data=data, created_by_id=user.id)
    session.add(attachment)
    session.flush()
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind=KIND,
                 record_id=attachment.id,
                 summary=f"attachment {attachment.id} on {record_kind} {record_id}",
                 detail={"sha256": attachment.sha256, "content_type": attachment.content_type,
                         "size": attachment.size})
    # On the owner's record: the stream forwards it to exactly those who may see that record.
    events.emit(session, kind="attachment.added", actor_id=user.id, record_kind=record_kind,
                record_id=record_id, payload={"attachment_id": attachment.id,
                                              "filename": attachment.filename})
    return attachment


def get(session: Session, *, user: User, attachment_id: int, record_kind: str | None = None,
        record_id: int | None = None) -> Attachment:
    """One attachment's description (not its bytes); 404 unless its record is visible (and,
    when given, is the record named)."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or (record_kind is not None and (
            attachment.record_kind, attachment.record_id) != (record_kind, record_id)):
        raise NotFound(_("No such attachment."))
    if not may_see_record(session, user, attachment.record_kind, attachment.record_id):
        raise NotFound(_("No such attachment."))
    return attachment


def download(session: Session, *, user: User, attachment: Attachment,
             reason: str | None = None) -> bytes:
    """The bytes, with the download written to the audit log (who took which file, why)."""
    audit.record(session, action=AuditAction.READ, actor=user, record_kind=KIND,
                 record_id=attachment.id,
                 summary=f"download of attachment {attachment.id} on {attachment.record_kind} "
                         f"{attachment.record_id}", reason=reason,
                 detail={"sha256": attachment.sha256})
    return attachment.data


def list_query(session: Session, *, user: User, record_kind: str,
               record_id: int) -> Select[tuple[Attachment]]:
    _require_record(session, user, record_kind, record_id)
    return select(Attachment).where(Attachment.record_kind == record_kind,
                                    Attachment.record_id == record_id).order_by(Attachment.id)


def of_records(session: Session, record_kind: str,
               record_ids: Iterable[int]) -> dict[int, list[Attachment]]:
    """Attachments of many records at once, for a domain that lists its records with their
    files; the caller has already filtered the records by need-to-know."""
    ids = list(record_ids)
    found: dict[int, list[Attachment]] = defaultdict(list)
    if not ids:
        return found
    rows: Sequence[Any] = session.scalars(
        select(Attachment).where(Attachment.record_kind == record_kind,
                                 Attachment.record_id.in_(ids)).order_by(Attachment.id)).all()
    for row in rows:
        found[row.record_id].append(row)
    return found


register_labels(namespace="record_kind", labels={KIND: lazy("Attachment")})
