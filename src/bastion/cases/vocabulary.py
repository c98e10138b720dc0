"""The cases' words: outcomes as data (``data/outcomes.json``), kinds, states, timeline."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from bastion.cases.models import CaseStatus, Realm, TipKind, TipStatus
from bastion.core import context
from bastion.core.i18n import lazy
from bastion.core.labels import register_labels, term

DATA = Path(__file__).parent / "data" / "outcomes.json"


@cache
def outcomes() -> dict[str, dict[str, Any]]:
    """{code: {"zh", "en", "persons", "cross_border", "hazard"}} in the file's order."""
    rows = json.loads(DATA.read_text(encoding="utf-8"))["outcomes"]
    return {row["code"]: row for row in rows}


def outcome_label(code: str | None) -> str:
    if not code:
        return ""
    row = outcomes().get(code)
    if row is None:
        return code
    return row["en"] if context.current().language == "en" else row["zh"]


def cross_border() -> list[str]:
    return [c for c, row in outcomes().items() if row["cross_border"]]


def kind_label(kind: str) -> str:
    return term(kind, "case_kind")


register_labels(namespace="case_kind", labels={
    "manual": lazy("Opened by hand"), "tip": lazy("Tip from the public"),
    "alert": lazy("Vessel alert"), "precheck_hit": lazy("Pre-check hit"),
    "patrol_observation": lazy("Patrol observation"), "hotline_call": lazy("Hotline call"),
    "hazard": lazy("Hazard"), "field_alarm": lazy("Field alarm")})
register_labels(namespace="case_link", labels={
    "person": lazy("Person"), "crew_member": lazy("Crew member"),
    "resident": lazy("Foreign resident"), "vessel": lazy("Vessel"),
    "port_call": lazy("Port call"), "place": lazy("Place"), "alert": lazy("Vessel alert"),
    "patrol": lazy("Patrol"), "hotline_call": lazy("Hotline call"), "record": lazy("Record"),
    "village": lazy("Village")})
register_labels(namespace="case_action", labels={
    "opened": lazy("Opened"), "linked": lazy("Linked"), "task": lazy("Task given"),
    "task_done": lazy("Task done"), "note": lazy("Note"), "shared": lazy("Sharing changed"),
    "closed": lazy("Closed"), "reopened": lazy("Reopened"), "escalated": lazy("Task overdue")})
register_labels(CaseStatus, labels={"open": lazy("Open"), "closed": lazy("Closed")})
register_labels(Realm, labels={"sea": lazy("Sea"), "land": lazy("Land")})
register_labels(TipKind, labels={
    "suspicious_persons": lazy("Suspicious persons"), "smuggling": lazy("Smuggling"),
    "damaged_fence": lazy("Damaged fence"), "other": lazy("Other")})
register_labels(TipStatus, labels={"received": lazy("Received, being looked into"),
                                  "acted_on": lazy("Acted on")})
register_labels(namespace="record_kind", labels={"case": lazy("Case"),
                                                 "case_tip": lazy("Tip from the public")})
