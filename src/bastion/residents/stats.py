"""Statistics of the foreign-resident registry (LAND-BORDER.md appendix item 8): residents by
village, nationality and document type; crossings by month and crossing point (designated or
not); risk flags by kind and status (the outcome of the post's decision); marriages registered
and not. Always over the persons the user sees (``residents.access``): a village committee's
statistics cover its own village only, a post's its villages. Needs ``residents.stats``.

Months are calendar months in the unit's zone; the period is whole days in that zone. The
xlsx export is written to the audit log."""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.border.geo.models import BorderPlace
from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _
from bastion.org import capabilities
from bastion.org.models import User
from bastion.residents import access
from bastion.residents.crossings.models import Crossing, CrossingPoint, Direction
from bastion.residents.flags.models import RiskFlag
from bastion.residents.models import Marriage, Resident, ResidentDocument

MAX_DAYS = 3700  # about ten years


def period(since: date | None, until: date | None, *, today: date) -> tuple[date, date]:
    """The period asked for, by default the twelve calendar months to ``today`` (both days
    included)."""
    until = until or today
    if since is None:  # the first day of the month eleven months back
        y, m = (until.year, until.month - 11) if until.month > 11 else (until.year - 1,
                                                                       until.month + 1)
        since = date(y, m, 1)
    if since > until:
        raise Invalid(_("The period starts after it ends."), field="since")
    if (until - since).days > MAX_DAYS:
        raise Invalid(_("Ask for ten years at most."), field="since")
    return since, until


def compute(session: Session, *, user: User, zone: str, since: date | None = None,
            until: date | None = None, now: datetime | None = None) -> dict[str, Any]:
    capabilities.require(user, "residents.stats")
    tz = ZoneInfo(zone)
    now = now or datetime.now(UTC)
    since, until = period(since, until, today=now.astimezone(tz).date())
    start = datetime.combine(since, time(0), tz).astimezone(UTC)
    end = datetime.combine(until + timedelta(days=1), time(0), tz).astimezone(UTC)
    seen = select(access.residents_query(user).subquery().c.id)

    total = session.scalar(select(func.count()).select_from(Resident).where(
        Resident.id.in_(seen))) or 0
    by_village_rows = session.execute(
        select(Resident.village_id, func.count()).where(Resident.id.in_(seen))
        .group_by(Resident.village_id)).all()
    names = dict(session.execute(select(BorderPlace.id, BorderPlace.name).where(
        BorderPlace.id.in_([v for v, _n in by_village_rows if v is not None]))).all())
    by_village = sorted(({"village_id": v, "village": names.get(v, "") if v else "", "n": n}
                         for v, n in by_village_rows), key=lambda r: (-r["n"], r["village"]))
    by_nationality = [{"nationality": c, "n": n} for c, n in session.execute(
        select(Resident.nationality, func.count()).where(Resident.id.in_(seen))
        .group_by(Resident.nationality).order_by(func.count().desc(), Resident.nationality))]
    by_document = [{"doc_type": t, "type_code": code, "persons": n} for t, code, n in
                   session.execute(
        select(ResidentDocument.doc_type, ResidentDocument.type_code,
               func.count(distinct(ResidentDocument.resident_id)))
        .where(ResidentDocument.resident_id.in_(seen))
        .group_by(ResidentDocument.doc_type, ResidentDocument.type_code)
        .order_by(ResidentDocument.doc_type, ResidentDocument.type_code))]
    undocumented = session.scalar(select(func.count()).select_from(Resident).where(
        Resident.id.in_(seen), ~Resident.id.in_(select(ResidentDocument.resident_id)))) or 0

    months: dict[str, Counter[str]] = defaultdict(Counter)
    points: Counter[int | None] = Counter()
    rows = session.execute(select(Crossing.at, Crossing.direction, Crossing.point_id,
                                  Crossing.designated)
                           .where(Crossing.resident_id.in_(seen), Crossing.at >= start,
                                  Crossing.at < end)).yield_per(5000)
    designated = undesignated = 0
    for at, direction, point_id, is_designated in rows:
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        month = at.astimezone(tz).strftime("%Y-%m")
        months[month][Direction(direction).value] += 1
        if is_designated and point_id is not None:
            points[point_id] += 1
            designated += 1
        else:
            undesignated += 1
    point_rows = {p.id: p for p in session.scalars(select(CrossingPoint).where(
        CrossingPoint.id.in_(list(points))))} if points else {}
    by_point = [{"point_id": pid, "code": point_rows[pid].code, "name_zh": point_rows[pid].name_zh,
                 "name_vi": point_rows[pid].name_vi, "kind": point_rows[pid].kind.value,
                 "n": n} for pid, n in sorted(points.items(), key=lambda kv: (-kv[1], kv[0]))
                if pid in point_rows]
    by_month = []
    cursor = date(since.year, since.month, 1)
    while cursor <= until:
        key = cursor.strftime("%Y-%m")
        got = months.get(key, Counter())
        by_month.append({"month": key, "in": got["in"], "out": got["out"],
                         "total": got["in"] + got["out"]})
        cursor = date(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1)

    flag_rows = session.execute(
        select(RiskFlag.kind, RiskFlag.status, func.count())
        .where(RiskFlag.resident_id.in_(seen)).group_by(RiskFlag.kind, RiskFlag.status)).all()
    flags: dict[str, dict[str, int]] = defaultdict(dict)
    for kind, status, n in flag_rows:
        flags[kind][getattr(status, "value", status)] = n
    by_flag = [{"kind": k, "statuses": v, "total": sum(v.values())}
               for k, v in sorted(flags.items())]

    marriage_rows = dict(session.execute(
        select(Marriage.registered, func.count()).where(Marriage.resident_id.in_(seen))
        .group_by(Marriage.registered)).all())
    return {
        "period": {"since": since, "until": until, "zone": zone},
        "residents": {"total": total, "by_village": by_village,
                      "by_nationality": by_nationality, "by_document": by_document,
                      "without_documents": undocumented},
        "crossings": {"total": designated + undesignated, "designated": designated,
                      "undesignated": undesignated, "by_month": by_month, "by_point": by_point},
        "flags": {"by_kind": by_flag},
        "marriages": {"registered": marriage_rows.get(True, 0),
                      "unregistered": marriage_rows.get(False, 0)},
    }


def xlsx(session: Session, *, user: User, stats: dict[str, Any],
         labels: dict[str, Any]) -> bytes:
    """The statistics as a workbook (one sheet a table), written to the audit log. ``labels``
    gives the headings and words in the reader's language (from the page)."""
    from openpyxl import Workbook

    from bastion.core.tabular import append

    capabilities.require(user, "residents.stats")
    wb = Workbook()
    sheets = labels["sheets"]
    h = labels["heads"]

    def sheet(title: str, heads: list[str], rows: list[list[Any]]) -> None:
        ws = wb.create_sheet(title[:31])
        append(ws, heads)
        for row in rows:
            append(ws, row)

    wb.remove(wb.active)
    r, c, f, m = stats["residents"], stats["crossings"], stats["flags"], stats["marriages"]
    sheet(sheets["village"], [h["village"], h["persons"]],
          [[row["village"] or labels["none"], row["n"]] for row in r["by_village"]])
    sheet(sheets["nationality"], [h["nationality"], h["persons"]],
          [[row["nationality"], row["n"]] for row in r["by_nationality"]])
    sheet(sheets["document"], [h["document"], h["type_code"], h["persons"]],
          [[labels["documents"].get(row["doc_type"], row["doc_type"]), row["type_code"],
            row["persons"]] for row in r["by_document"]]
          + [[labels["none"], "", r["without_documents"]]])
    sheet(sheets["month"], [h["month"], h["in"], h["out"], h["total"]],
          [[row["month"], row["in"], row["out"], row["total"]] for row in c["by_month"]])
    sheet(sheets["point"], [h["code"], h["point"], h["point_vi"], h["crossings"]],
          [[row["code"], row["name_zh"], row["name_vi"], row["n"]] for row in c["by_point"]]
          + [["", labels["undesignated"], "", c["undesignated"]]])
    statuses = labels["statuses"]
    sheet(sheets["flags"], [h["flag"], *statuses.values(), h["total"]],
          [[labels["flags"].get(row["kind"], row["kind"]),
            *[row["statuses"].get(s, 0) for s in statuses], row["total"]]
           for row in f["by_kind"]])
    sheet(sheets["marriages"], [h["registered"], h["unregistered"]],
          [[m["registered"], m["unregistered"]]])
    out = io.BytesIO()
    wb.save(out)
    p = stats["period"]
    audit.record(session, action=AuditAction.EXPORT, actor=user, record_kind="resident",
                 summary="resident statistics export",
                 detail={"since": str(p["since"]), "until": str(p["until"]),
                         "residents": r["total"]})
    return out.getvalue()

