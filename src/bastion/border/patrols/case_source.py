"""What a case opened from a patrol observation starts with (``cases.sources``): the
observation's category and note, where it was seen, and the patrol. None when the opener may
not read the patrol (the case is then not opened: 404)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bastion.border.patrols import service
from bastion.border.patrols.models import Observation, ObservationCategory
from bastion.core import context
from bastion.org.models import User


def observation(*, session: Session, user: User, record_id: int) -> dict[str, Any] | None:
    found = session.get(Observation, record_id)
    if found is None:
        return None
    patrol = service.find_visible(session, user=user, patrol_id=found.patrol_id)
    if patrol is None:
        return None
    category = session.get(ObservationCategory, found.category_id)
    english = context.current().language == "en"
    what = (category.label_en if english else category.label_zh) if category else "?"
    note = f": {found.note.strip()[:120]}" if found.note.strip() else ""
    geometry = (None if found.lon is None or found.lat is None
                else {"type": "Point", "coordinates": [found.lon, found.lat]})
    url = f"/border/patrols/{patrol.id}"
    links: list[dict[str, Any]] = [{"kind": "patrol", "id": str(patrol.id),
                                    "title": f"#{patrol.id}", "url": url}]
    if geometry is not None:
        links.append({"kind": "place", "id": None, "title": what, "url": None,
                      "geometry": geometry})
    return {"title": f"{what}{note}", "url": url, "geometry": geometry,
            "occurred_at": found.device_at, "links": links, "realm": "land"}
