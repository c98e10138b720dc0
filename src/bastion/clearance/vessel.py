"""What port clearance adds to the vessel page (and to an alert's page): the vessel's calls,
its declared identity against what its AIS says, and its crews' screening over time.

Registered as panels in the manifest (``core.domains.Panel``): the maritime page names the
vessel and never imports clearance. Each panel reads only the calls the user may see; the
screening panel shows per-person results only through ``precheck_for`` and hits only through
``screening.service``, so need-to-know is the one of the call page and the hits queue.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from bastion.clearance import board
from bastion.clearance.calls import service as calls
from bastion.core.db import utcnow
from bastion.core.reference.countries import country
from bastion.org import capabilities
from bastion.org.models import User

# AIS draught is typed by the crew and sent in tenths of a metre; the declared draught is the
# agent's. Half a metre apart is a difference an officer should look at.
DRAUGHT_TOLERANCE_M = 0.5


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


def _text(value: Any) -> str:
    """Names and call signs compared as letters and digits only: 'MIN XING 8' = 'MINXING8'."""
    folded = unicodedata.normalize("NFKC", str(value or "")).upper()
    return re.sub(r"[^0-9A-Z\u4e00-\u9fff]", "", folded)


def compare(declared: dict[str, Any], ais: dict[str, Any]) -> list[Line]:
    """Declared identity (the latest call) side by side with the vessel's AIS static data."""
    same = {
        "imo": lambda a, b: int(a) == int(b),
        "name": lambda a, b: _text(a) == _text(b),
        "callsign": lambda a, b: _text(a) == _text(b),
        "flag": lambda a, b: (country(str(a)) or _text(a)) == (country(str(b)) or _text(b)),
        "draught": lambda a, b: abs(float(a) - float(b)) <= DRAUGHT_TOLERANCE_M,
    }
    lines = []
    for field, check in same.items():
        mine, theirs = declared.get(field), ais.get(field)
        if mine in (None, "") or theirs in (None, ""):
            status = "missing"
        else:
            status = "same" if check(mine, theirs) else "differs"
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
    declared = {"imo": latest.imo, "name": latest.vessel_name, "callsign": latest.callsign,
                "flag": latest.flag, "draught": latest.draught_m}
    lines = compare(declared, ais)
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
