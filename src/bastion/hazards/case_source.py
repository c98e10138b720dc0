"""What a case opened from a hazard starts with (``cases.sources``): the hazard's title, where
it lies, when it was seen, and the patrol observation it came from. None when the opener may
not see the hazard (the case is then not opened: 404)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bastion.hazards.access import hazards_query
from bastion.hazards.models import Hazard
from bastion.org.models import User


def hazard(*, session: Session, user: User, record_id: int) -> dict[str, Any] | None:
    found = session.scalar(hazards_query(user).where(Hazard.id == record_id))
    if found is None:
        return None
    url = f"/hazards/{found.id}"
    links: list[dict[str, Any]] = [{"kind": "place", "id": None, "title": found.shown_title,
                                    "url": None, "geometry": found.geometry}]
    if found.observation_id is not None:
        links.append({"kind": "patrol_observation", "id": str(found.observation_id),
                      "title": f"#{found.observation_id}", "url": None})
    return {"title": found.shown_title, "url": url, "geometry": found.geometry,
            "occurred_at": found.observed_at, "links": links, "realm": "land"}
