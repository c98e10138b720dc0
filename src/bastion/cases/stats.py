"""Statistics of cases, counted from the records the user may read, drills left out
(``core.exercise.operational``): cases by kind and outcome with their persons ("3 cases,
5 persons"), smuggling cases per year, time to close, tips received and acted on.

Ranges are days in the user's zone, ``start`` inclusive and ``end`` exclusive; a case counts
in the range it was closed in (its outcome is known then), a tip in the range it arrived in.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.cases import access, vocabulary
from bastion.cases.models import Case, CaseStatus, Tip, TipStatus
from bastion.core import context
from bastion.core.exercise import operational
from bastion.org.models import User


def bounds(start: date, end: date, zone: str | None = None) -> tuple[datetime, datetime]:
    tz = ZoneInfo(zone or context.current().timezone)
    return (datetime.combine(start, time(), tz).astimezone(UTC),
            datetime.combine(end, time(), tz).astimezone(UTC))


def closed_cases(session: Session, *, user: User, start: date, end: date,
                 own: bool = False) -> list[Case]:
    """Closed in the period, as the user may see them; ``own``: only the user's
    organisation's cases (the annual report: a case shared with a partner is reported once,
    by the organisation that owns it)."""
    low, high = bounds(start, end)
    query = access.cases_query(user).where(
        operational(Case), Case.status == CaseStatus.CLOSED, Case.closed_at >= low,
        Case.closed_at < high)
    if own:
        query = query.where(Case.owner_org_id == user.organisation_id)
    return list(session.scalars(query.order_by(Case.closed_at)))


def tips(session: Session, *, user: User, start: date, end: date) -> list[Tip]:
    low, high = bounds(start, end)
    seen = access.cases_query(user).where(operational(Case)).with_only_columns(Case.id)
    return list(session.scalars(select(Tip).where(Tip.case_id.in_(seen), Tip.received_at >= low,
                                                  Tip.received_at < high)))


def summary(session: Session, *, user: User, start: date, end: date,
            own: bool = False) -> dict[str, Any]:
    cases = closed_cases(session, user=user, start=start, end=end, own=own)
    outcomes = vocabulary.outcomes()
    cross = set(vocabulary.cross_border())
    by: dict[tuple[str, str], list[Case]] = defaultdict(list)
    for case in cases:
        by[(case.kind, case.outcome or "")].append(case)
    rows = [{"kind": k, "kind_label": vocabulary.kind_label(k), "outcome": o,
             "outcome_label": vocabulary.outcome_label(o), "cases": len(found),
             "persons": sum(c.persons for c in found)}
            for (k, o), found in sorted(by.items())]
    by_outcome = [{"outcome": code, "label": vocabulary.outcome_label(code),
                   "cases": sum(1 for c in cases if c.outcome == code),
                   "persons": sum(c.persons for c in cases if c.outcome == code)}
                  for code in outcomes]
    per_year: dict[int, Counter[str]] = defaultdict(Counter)
    for case in cases:
        year = case.closed_at.astimezone(ZoneInfo(context.current().timezone)).year
        per_year[year][case.outcome or ""] += 1
    years = [{"year": y, "smuggling": per_year[y]["smuggling_case"],
              "cross_border": sum(per_year[y][o] for o in cross)} for y in sorted(per_year)]
    hours: dict[str, list[float]] = defaultdict(list)
    for case in cases:
        hours[case.kind].append((case.closed_at - case.opened_at).total_seconds() / 3600)
    time_to_close = [{"kind": k, "kind_label": vocabulary.kind_label(k), "cases": len(v),
                      "mean_hours": round(statistics.fmean(v), 1),
                      "median_hours": round(statistics.median(v), 1)}
                     for k, v in sorted(hours.items())]
    received = tips(session, user=user, start=start, end=end)
    crossing = [c for c in cases if c.outcome in cross]
    return {
        "from": start.isoformat(), "to": end.isoformat(), "closed": len(cases),
        "by_kind_outcome": rows, "by_outcome": by_outcome, "by_year": years,
        "time_to_close": time_to_close,
        "cross_border": {"cases": len(crossing), "persons": sum(c.persons for c in crossing)},
        "smuggling": sum(1 for c in cases if c.outcome == "smuggling_case"),
        "hazards_eliminated_by_risk_model": sum(
            1 for c in cases if c.kind == "alert" and c.outcome == "hazard_eliminated"),
        "tips": {"received": len(received),
                 "acted_on": sum(1 for t in received if t.status == TipStatus.ACTED_ON)},
    }
