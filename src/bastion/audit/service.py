"""Writing and reading the audit log. Writes join the caller's transaction.

A change and its audit entry commit or roll back together, so the log never claims a change
that did not happen. Failed logins are the exception: the login handler commits them itself.
So is an audited read on SQLite (a GET's read session): its entry commits at once in a short
transaction of its own (``core.db.own_write_engine``), so that reading never holds the single
write lock; a read that then fails is still logged as read, which errs on the safe side.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bastion.audit.models import AuditAction, AuditEntry
from bastion.core import context
from bastion.core.db import own_write_engine
from bastion.core.tabular import csv_row

if TYPE_CHECKING:
    from bastion.org.models import User


def record(
    session: Session,
    *,
    action: AuditAction,
    actor: User | None,
    record_kind: str | None = None,
    record_id: int | None = None,
    summary: str = "",
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
    actor_name: str | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        action=action,
        actor_id=actor.id if actor else None,
        actor_name=actor.username if actor else actor_name,
        agency_id=actor.agency_id if actor else None,
        record_kind=record_kind,
        record_id=record_id,
        summary=summary,
        reason=reason,
        client_ip=context.current().client_ip,
        detail=detail,
    )
    own = own_write_engine(session)
    if own is not None:
        with Session(own, expire_on_commit=False) as short, short.begin():
            short.add(entry)
        return entry
    session.add(entry)
    session.flush()
    return entry


@dataclass
class AuditFilter:
    actor: str | None = None
    action: AuditAction | None = None
    record_kind: str | None = None
    record_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    client_ip: str | None = None


def _filtered(flt: AuditFilter) -> Select[tuple[AuditEntry]]:
    query = select(AuditEntry)
    if flt.actor:
        query = query.where(AuditEntry.actor_name == flt.actor)
    if flt.action:
        query = query.where(AuditEntry.action == flt.action)
    if flt.record_kind:
        query = query.where(AuditEntry.record_kind == flt.record_kind)
    if flt.record_id is not None:
        query = query.where(AuditEntry.record_id == flt.record_id)
    if flt.since:
        query = query.where(AuditEntry.at >= flt.since)
    if flt.until:
        query = query.where(AuditEntry.at < flt.until)
    if flt.client_ip:
        query = query.where(AuditEntry.client_ip == flt.client_ip)
    return query


def search(
    session: Session, *, flt: AuditFilter, limit: int = 100, offset: int = 0
) -> tuple[Sequence[AuditEntry], int]:
    query = _filtered(flt)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit).offset(offset)
    ).all()
    return rows, total


def iter_all(session: Session, *, flt: AuditFilter) -> Iterable[AuditEntry]:
    return session.scalars(_filtered(flt).order_by(AuditEntry.id).execution_options(yield_per=500))


CSV_COLUMNS = (
    "id", "at", "action", "actor_name", "agency_id", "record_kind", "record_id",
    "summary", "reason", "client_ip",
)


def to_csv(entries: Iterable[AuditEntry]) -> Iterable[str]:
    """CSV lines, streamed, times in UTC ISO-8601 so the export is unambiguous."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        writer.writerow(csv_row([  # hostile text stays text (OWASP: CSV injection)
            entry.id, entry.at.isoformat(), entry.action.value, entry.actor_name or "",
            entry.agency_id or "", entry.record_kind or "", entry.record_id or "",
            entry.summary, entry.reason or "", entry.client_ip or "",
        ]))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def failed_logins_since(session: Session, *, client_ip: str, since: datetime) -> int:
    return session.scalar(
        select(func.count(AuditEntry.id)).where(
            AuditEntry.action == AuditAction.LOGIN_FAILED,
            AuditEntry.client_ip == client_ip,
            AuditEntry.at >= since,
        )
    ) or 0
