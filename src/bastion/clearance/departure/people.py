"""The arrival and departure lists of a call as rows, and the changes between them.

Kept apart from the departure service because the port-call service needs the figures when a
call is cleared out (statistics), and must not import the service that imports it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.clearance.calls.models import Declaration, PortCall
from bastion.clearance.declarations.forms import DEPARTURE_FORMS
from bastion.clearance.departure import changes as diff
from bastion.clearance.departure.models import Departure, DepartureReason
from bastion.core.errors import Conflict
from bastion.core.i18n import gettext as _

ARRIVAL = {"crew": "crew", "passengers": "passengers"}


def _rows(session: Session, call: PortCall, forms: dict[str, str]) -> tuple[list[dict[str, Any]],
                                                                          dict[str, int]]:
    people, versions = [], {}
    for name, form in forms.items():
        declaration = session.scalar(select(Declaration).where(
            Declaration.call_id == call.id, Declaration.form == form)
            .order_by(Declaration.version.desc()).limit(1))
        if declaration is not None:
            versions[form] = declaration.version
            people += [{**row, "list": name} for row in declaration.rows]
    return people, versions


def arrival_people(session: Session, call: PortCall) -> list[dict[str, Any]]:
    return _rows(session, call, ARRIVAL)[0]


def departure_people(session: Session, call: PortCall) -> tuple[list[dict[str, Any]],
                                                                dict[str, int]]:
    """The latest departure lists' rows, and the versions they come from ({} if none)."""
    return _rows(session, call, DEPARTURE_FORMS)


def departure_of(session: Session, call: PortCall) -> Departure | None:
    return session.get(Departure, call.id)


def blocked_departing(session: Session, call: PortCall, waived: set[str]) -> list[str]:
    """Persons the outbound screening judged "stop", or "check" (a hit not yet decided; an
    officer re-runs the screening after deciding it), less those ``waived`` by an override."""
    departure = departure_of(session, call)
    if departure is None:
        return []
    return sorted(ref for ref, outcome in (departure.persons or {}).items()
                  if outcome in ("stop", "check") and ref not in waived)


def reasons(session: Session, call: PortCall) -> dict[str, DepartureReason]:
    return {r.person_key: r for r in session.scalars(
        select(DepartureReason).where(DepartureReason.call_id == call.id))}


def changes(session: Session, call: PortCall) -> list[diff.Change]:
    departing, versions = departure_people(session, call)
    if not versions:
        return []
    given = {k: (r.reason, r.note) for k, r in reasons(session, call).items()}
    return diff.compare(arrival_people(session, call), departing, given)


def outbound_facts(session: Session, call: PortCall) -> dict[str, int]:
    """What a clear-out event records for statistics: persons leaving (the departure lists;
    the arrival lists when none were declared) and each kind of change."""
    arriving = arrival_people(session, call)
    departing, versions = departure_people(session, call)
    if not versions:
        return {"persons": len(arriving)}
    found = changes(session, call)
    figures = diff.counts(arriving, departing, found)
    return {"persons": figures.pop("persons_out"), **{k: v for k, v in figures.items()
                                                      if k != "persons_in"}}


def departure_draught(session: Session, call: PortCall) -> float | None:
    departure = departure_of(session, call)
    return departure.draught_m if departure and departure.draught_m is not None else None


def check_ready_to_clear_out(session: Session, call: PortCall) -> None:
    """Once departure lists are declared, nobody is cleared out unexplained or unscreened:
    every change against arrival has its reason, and the outbound screening judged the
    lists as they now stand. (A call without departure lists leaves on its arrival lists.)"""
    _departing, versions = departure_people(session, call)
    if not versions:
        return
    departure = departure_of(session, call)
    if departure is None or departure.screened_versions != versions:
        raise Conflict(_("The departure lists must be screened before clearing out."))
    unexplained = [c for c in changes(session, call) if not c.explained]
    if unexplained:
        raise Conflict(_("Say why {names} left or joined the ship before clearing out.").format(
            names=", ".join(diff.display_name(c.person) for c in unexplained[:5])))
