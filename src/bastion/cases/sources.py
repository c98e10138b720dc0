"""Where cases come from: each domain names, in its manifest, a describe function per kind of
record a case may be opened from::

    extra={"case_sources": {"alert": "bastion.clearance.case_source:alert"}}

called as ``function(*, session, user, record_id) -> dict | None``. None means the user may not
see that record (the case is then not opened: 404). The dict says what the case starts with::

    {"title": str, "url": str | None, "geometry": GeoJSON geometry | None,
     "occurred_at": datetime | None, "links": [{"kind", "id", "title", "url"}, ...],
     "realm": "sea" | "land" (optional)}

Why a registry rather than imports: cases sit above the domains they gather, but a domain added
later (hazards, field alarms) plugs in without cases knowing it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bastion.core import domains
from bastion.core.errors import Invalid, NotFound
from bastion.core.i18n import gettext as _

MANUAL = "manual"
TIP = "tip"
SEA_KINDS = {"alert", "precheck_hit"}


def registry() -> dict[str, str]:
    """{kind: "module:function"} over every registered domain."""
    found: dict[str, str] = {}
    for domain in domains.registered():
        found.update(domain.extra.get("case_sources", {}) or {})
    return found


def kinds() -> list[str]:
    return sorted(registry())


def describe(kind: str, *, session: Any, user: Any, record_id: int) -> dict[str, Any]:
    """What the source record gives the case (404 when the user may not see it, 422 for a kind
    nobody registered)."""
    target = registry().get(kind)
    if target is None:
        raise Invalid(_("Cases cannot be opened from this kind of record."), field="kind")
    found = domains.load(target)(session=session, user=user, record_id=record_id)
    if found is None:
        raise NotFound(_("No such record."))
    if not str(found.get("title") or "").strip():
        raise Invalid(_("The record gives no title for the case."), field="kind")
    occurred = found.get("occurred_at")
    if occurred is not None and not isinstance(occurred, datetime):
        found["occurred_at"] = datetime.fromisoformat(str(occurred))
    return found
