"""Telling the station that a call's pre-check got worse after it was first judged.

A re-check runs whenever evidence changes (a new crew list, an alert on the vessel, a watchlist
entry, a hit decision). The officers are told only when it matters to them — the level rose,
or a person is newly "check" or "stop" — so the bell is not rung for every quiet re-run. The
message names the vessel and what changed, never the persons (a notification travels further
than the call page; the page shows who, to those who may see it).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bastion.clearance.calls.models import PortCall
from bastion.core.i18n import lazy

LEVELS = {"documentary": 1, "boarding": 2, "enhanced": 3}
LEVEL_WORDS = {"documentary": lazy("Documentary inspection"),
               "boarding": lazy("Boarding inspection"), "enhanced": lazy("Enhanced inspection")}
OUTCOMES = {"clear": 0, "check": 1, "stop": 2}
# Why a call was judged again, as the notification says it (message ids, translated on show).
WHY = {"declaration": lazy("a declaration changed"),
       "alert": lazy("a new alert on the vessel"),
       "watchlist": lazy("a watchlist changed"),
       "hit_decision": lazy("a watchlist hit was decided"),
       "green_channel": lazy("a person landed on the green channel")}


def worse(before: dict[str, Any], after: dict[str, Any]) -> bool:
    """The level rose, or some person's outcome is worse than it was (a new person counts
    from "clear")."""
    if LEVELS.get(after.get("level"), 0) > LEVELS.get(before.get("level"), 0):
        return True
    old = before.get("persons", {})
    return any(OUTCOMES.get(o, 0) > OUTCOMES.get(old.get(ref, "clear"), 0)
               for ref, o in after.get("persons", {}).items())


def tell_station(session: Session, *, call: PortCall, before: dict[str, Any],
                 why: str) -> None:
    from bastion.notifications.service import Holders, notify

    after = call.precheck or {}
    if not before or not worse(before, after):
        return
    unresolved = sum(1 for o in after.get("persons", {}).values() if o in ("check", "stop"))
    stop = any(o == "stop" for o in after.get("persons", {}).values())
    notify(session, recipients=[Holders("precheck.read", call.station_org_id)],
           severity="urgent" if stop else "warning",
           title=lazy("Pre-check of {vessel} changed: {why}"),
           body=lazy("Port call {id}: level {before} → {after}; {n} person(s) to check or stop."),
           params={"vessel": call.vessel_name, "why": WHY.get(why, why), "id": call.id,
                   "before": LEVEL_WORDS.get(before.get("level"), "-"),
                   "after": LEVEL_WORDS.get(after.get("level"), "-"),
                   "n": unresolved},
           translate=("why", "before", "after"), link=f"/clearance/{call.id}",
           record_kind="port_call", record_id=call.id)


def tell_station_departure(session: Session, *, call: PortCall, before: dict[str, str],
                           after: dict[str, str], why: str) -> None:
    """The departure lists' screening got worse: someone leaving is newly "check" or "stop"."""
    from bastion.notifications.service import Holders, notify

    if not worse({"persons": before}, {"persons": after}):
        return
    unresolved = sum(1 for o in after.values() if o in ("check", "stop"))
    notify(session, recipients=[Holders("precheck.read", call.station_org_id)],
           severity="urgent" if "stop" in after.values() else "warning",
           title=lazy("Departure screening of {vessel} changed: {why}"),
           body=lazy("Port call {id}: {n} person(s) on the departure lists to check or stop."),
           params={"vessel": call.vessel_name, "why": WHY.get(why, why), "id": call.id,
                   "n": unresolved},
           translate=("why",), link=f"/clearance/{call.id}",
           record_kind="port_call", record_id=call.id)
