"""A person's whole record as a file (JSON), for a case file or a transfer: only with
``residents.export``, read with a purpose (``RecordRead``) and written to the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core.db import utcnow
from bastion.org import capabilities
from bastion.org.models import User
from bastion.residents import history


def export(session: Session, *, user: User, resident_id: int, purpose: str,
           now: datetime | None = None) -> dict[str, Any]:
    capabilities.require(user, "residents.export")
    resident = history.read(session, user=user, resident_id=resident_id, purpose=purpose,
                            export=True)
    audit.record(session, action=AuditAction.EXPORT, actor=user, record_kind="resident",
                 record_id=resident.id, summary=f"resident {resident.id} export",
                 reason=purpose.strip()[:200])
    body = history.record(session, user=user, resident=resident, now=now)
    return {"exported_at": (now or utcnow()).isoformat(), "exported_by": user.username,
            "purpose": purpose.strip(), **body}
