"""What a case opened from a hotline call starts with (``cases.sources``): the call's kind and
summary, the caller, when it came. None when the opener may not read the call (404)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bastion.core.errors import BastionError
from bastion.core.labels import label
from bastion.duty.hotline import service
from bastion.org.models import User


def call(*, session: Session, user: User, record_id: int) -> dict[str, Any] | None:
    try:
        found = service.get(session, user=user, call_id=record_id)
    except BastionError:  # 403 without the capability, 404 unseen: not visible either way
        return None
    url = f"/duty/hotline/{found.id}"
    links: list[dict[str, Any]] = [{"kind": "hotline_call", "id": str(found.id),
                                    "title": f"#{found.id} {label(found.kind)}", "url": url}]
    if found.caller_name or found.caller_number:
        links.append({"kind": "person", "id": None, "url": None,
                      "title": " ".join(x for x in (found.caller_name, found.caller_number) if x)})
    return {"title": f"{label(found.kind)}: {found.summary[:120]}", "url": url,
            "geometry": None, "occurred_at": found.received_at, "links": links}
