"""What port clearance adds to the vessel page (and to an alert's page): the vessel's calls,
its declared identity against what its AIS says, and its crews' screening over time.

Registered as panels in the manifest (``core.domains.Panel``): the maritime page names the
vessel and never imports clearance. Each panel reads only the calls the user may see; the
screening panel shows per-person results only through ``precheck_for`` and hits only through
``screening.service``, so need-to-know is the one of the call page and the hits queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy.orm import Session

from bastion.clearance import board
from bastion.clearance.calls import service as calls
from bastion.clearance.identity import identity_mismatches
from bastion.core.db import utcnow
from bastion.org import capabilities
from bastion.org.models import User


def calls_panel(*, session: Session, user: User, mmsi: int, ais: dict[str, Any] | None = None,
                **_: Any) -> dict[str, Any] | None:
    """Past and coming calls of the vessel (by MMSI, and by the IMO its AIS gives)."""
    if not board.may_read(user):
        return None
    found = board.vessel_calls(session, user=user, mmsi=mmsi, imo=(ais or {}).get("imo"))
    if not found and ais is None:
        return None
    now = utcnow()
    coming = [c for c in found if c.state not in calls.FINISHED and (c.eta or now) >= now
              and c.ata is None]
    return {"coming": list(reversed(coming)), "past": [c for c in found if c not in coming]}


@dataclass(frozen=True)
class Line:
    field: str       # imo, name, callsign, flag, draught
    declared: Any
    ais: Any
    status: str      # same, differs, missing


# The panel's rows: its own field name, the call's attribute, the vessel's AIS key.
_FIELDS = (("imo", "imo", "imo"), ("name", "vessel_name", "name"),
           ("callsign", "callsign", "callsign"), ("flag", "flag", "flag"),
           ("draught", "draught_m", "draught"))


def compare(call: Any, ais: dict[str, Any]) -> list[Line]:
    """The call's declared identity side by side with the vessel's AIS static data; what
    differs is what the pre-check's ``identity_mismatches`` finds, so the vessel page and the
    pre-check never disagree."""
    vessel = SimpleNamespace(imo=ais.get("imo"), name=ais.get("name"),
                             callsign=ais.get("callsign"), flag=ais.get("flag"),
                             draught_m=ais.get("draught"))
    differs = {m.field for m in identity_mismatches(declared=call, vessel=vessel)}
    lines = []
    for field, attribute, key in _FIELDS:
        mine, theirs = getattr(call, attribute), ais.get(key)
        if mine in (None, "") or theirs in (None, ""):
            status = "missing"
        else:
            status = "differs" if attribute in differs else "same"
        lines.append(Line(field, mine, theirs, status))
    return lines


def identity_panel(*, session: Session, user: User, mmsi: int,
                   ais: dict[str, Any] | None = None, **_: Any) -> dict[str, Any] | None:
    """The latest call's declared identity against the AIS static data of the vessel."""
    if ais is None or not board.may_read(user):
        return None
    found = board.vessel_calls(session, user=user, mmsi=mmsi, imo=ais.get("imo"))
    if not found:
        return None
    latest = found[0]
    lines = compare(latest, ais)
    return {"call": latest, "lines": lines,
            "differs": [line.field for line in lines if line.status == "differs"]}


def screening_panel(*, session: Session, user: User, mmsi: int,
                    ais: dict[str, Any] | None = None, **_: Any) -> dict[str, Any] | None:
    """Per call of the vessel, what the pre-check said of its people (as this reader may
    know it) and the hits it raised; and the vessel itself on the watchlists."""
    from bastion.screening import service as screening

    if not board.may_read(user) or calls.is_agent(user) or \
            not capabilities.can(user, "precheck.read"):
        return None
    imo = (ais or {}).get("imo")
    found = [c for c in board.vessel_calls(session, user=user, mmsi=mmsi, imo=imo)
             if c.precheck]
    if not found and ais is None:
        return None
    lists = calls.readable_lists(session, user=user)
    hits = screening.hits_of(session, user=user, source_kind=calls.KIND,
                             source_ids=[c.id for c in found])
    rows = []
    for call in found:
        result = calls.precheck_for(session, user=user, call=call, lists=lists)
        outcomes = list((result.get("persons") or {}).values())
        mine = [h for h in hits if h.source_id == call.id]
        rows.append({"call": call, "level": result.get("level"), "at": result.get("at"),
                     "persons": len(outcomes), "check": outcomes.count("check"),
                     "stop": outcomes.count("stop"),
                     "hits": {s: sum(1 for h in mine if h.status.value == s)
                              for s in ("pending", "confirmed", "dismissed")}})
    entries = []
    if capabilities.can(user, "screening.run"):
        entries = screening.screen_vessel(session, user=user, imo=imo, mmsi=mmsi,
                                          name=(ais or {}).get("name"))
    return {"rows": rows, "entries": entries}
