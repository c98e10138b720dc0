"""Risk flags kept in step with the records: :func:`recompute` runs the engine on what is stored
about a person and upserts one ``RiskFlag`` per kind; :func:`recompute_many` does the same for a
batch (the hourly job, an import) with one query per table.

- a flag raised again keeps its decision (in hand, confirmed, dismissed) and its outcome; a
  dismissed flag with a new occurrence (a new crossing, a new month) is opened again;
- a flag no longer raised is ``cleared`` (its outcome kept);
- each flag is queued for the person's post (``post_agency_id``); the post's holders of
  ``residents.flags`` are told of a new or reopened flag;
- events: ``residents.flag.raised``, ``residents.flag.cleared``, ``residents.flag.decided``
  (record kind ``resident``: the live stream forwards them to who may see the person).

Services never commit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, String, case, cast, select, text, type_coerce
from sqlalchemy.orm import Session

from bastion.core import events
from bastion.core.db import utcnow
from bastion.core.errors import Conflict, Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.notifications import service as notifications
from bastion.notifications.service import Holders
from bastion.org import capabilities
from bastion.org.models import User
from bastion.residents import access
from bastion.residents.crossings.models import Crossing, CrossingPoint
from bastion.residents.flags import rules as rules_mod
from bastion.residents.flags.engine import (
    Columns,
    CrossingFact,
    DocumentFact,
    EmploymentFact,
    Facts,
    Flag,
    LodgingFact,
    MarriageFact,
    PermitFact,
    evaluate_many,
)
from bastion.residents.flags.models import FlagStatus, RiskFlag
from bastion.residents.models import (
    Employment,
    Lodging,
    Marriage,
    Permit,
    Resident,
    ResidentDocument,
)
from bastion.residents.visits.models import VisitTask

DECIDED = (FlagStatus.IN_HAND, FlagStatus.CONFIRMED, FlagStatus.DISMISSED)
VOLATILE = ("days",)  # params that grow with time: not a new occurrence
NEW_FLAG = lazy("Risk flag raised: {flag}")
NEW_FLAG_BODY = lazy("{person}: {flag} ({article})")
NEW_FLAGS = lazy("{n} new risk flags in the queue")


def _settings() -> tuple[rules_mod.Rules, ZoneInfo]:
    from bastion.core.config import get_settings

    settings = get_settings()
    return rules_mod.load(settings), ZoneInfo(settings.timezone)


# --- facts from the database ---------------------------------------------------------------

def _among(column: Any, ids: Sequence[int]) -> Any:
    """``column IN (ids)``; many ids are written into the SQL as numbers (they are ints from
    the database): compiling thousands of bound parameters cost more than the query."""
    ids = [int(i) for i in ids]
    if len(ids) <= 100:
        return column.in_(ids)
    return text(f"{column.table.name}.{column.name} IN ({','.join(map(str, ids))})")


def _seconds(texts: Sequence[str]) -> Any:
    """Seconds since the epoch of naive UTC times as the database writes them as text
    (``2026-11-03 08:30:00.000000``), parsed by numpy: the hot path builds no datetime
    objects (and keeps the microseconds, which julianday() would blur)."""
    import numpy as np

    stamps = np.array(texts, dtype="datetime64[us]") if len(texts) else np.zeros(
        0, dtype="datetime64[us]")
    return stamps.astype(np.int64) / 1e6


def load_columns(session: Session, ids: Sequence[int]) -> Columns:
    """The records of the persons ``ids`` (ascending) as the screen's columns, person ``k``
    being ``ids[k]``; read over the id range, so one batch of the job is one query a table."""
    import numpy as np

    lo, hi = ids[0], ids[-1]
    index = {rid: k for k, rid in enumerate(ids)}
    documents: dict[int, list[DocumentFact]] = defaultdict(list)
    numbers: dict[int, str] = {}
    for row in session.execute(select(
            ResidentDocument.id, ResidentDocument.resident_id, ResidentDocument.number,
            ResidentDocument.doc_type, ResidentDocument.expires, ResidentDocument.issued,
            ResidentDocument.stay_days).where(ResidentDocument.resident_id.between(lo, hi))):
        if row[1] in index:
            numbers[row[0]] = row[2]
            documents[index[row[1]]].append(DocumentFact(row[2], row[3], row[4], row[5],
                                                         row[6]))
    rows = session.execute(select(
        Crossing.resident_id, cast(Crossing.at, String),
        type_coerce(Crossing.direction, String), Crossing.designated, Crossing.doc_number,
        Crossing.document_id).where(Crossing.resident_id.between(lo, hi))).all()
    rows = [r for r in rows if r[0] in index] if len(index) != hi - lo + 1 else rows
    n = len(rows)
    lodgings = [r for r in session.execute(select(
        Lodging.resident_id, cast(Lodging.registered_at, String)).where(
        Lodging.resident_id.between(lo, hi))).all() if r[0] in index]
    permits: dict[int, list[PermitFact]] = defaultdict(list)
    for rid, kind, since, until in session.execute(select(
            Permit.resident_id, type_coerce(Permit.kind, String), Permit.valid_from,
            Permit.valid_to).where(Permit.resident_id.between(lo, hi))):
        if rid in index:
            permits[index[rid]].append(PermitFact(kind, since, until))
    employment: dict[int, list[EmploymentFact]] = defaultdict(list)
    for rid, employer, since, until in session.execute(select(
            Employment.resident_id, Employment.employer, Employment.since, Employment.until)
            .where(Employment.resident_id.between(lo, hi))):
        if rid in index:
            employment[index[rid]].append(EmploymentFact(employer, since, until))
    marriages: dict[int, list[MarriageFact]] = defaultdict(list)
    for rid, registered, since, until in session.execute(select(
            Marriage.resident_id, Marriage.registered, Marriage.since, Marriage.until)
            .where(Marriage.resident_id.between(lo, hi))):
        if rid in index:  # the spouse's name is not needed to screen
            marriages[index[rid]].append(MarriageFact("", bool(registered), since, until))
    return Columns(
        size=len(ids),
        person=np.fromiter((index[r[0]] for r in rows), dtype=np.int64, count=n),
        at=_seconds([r[1] for r in rows]),
        entry=np.fromiter((r[2] == "in" for r in rows), dtype=bool, count=n),
        designated=np.fromiter((bool(r[3]) for r in rows), dtype=bool, count=n),
        doc_number=[numbers.get(r[5], r[4]) if r[5] else (r[4] or "") for r in rows],
        lodging_person=np.fromiter((index[r[0]] for r in lodgings), dtype=np.int64,
                                   count=len(lodgings)),
        lodging_at=_seconds([r[1] for r in lodgings]),
        documents=dict(documents), permits=dict(permits), employment=dict(employment),
        marriages=dict(marriages))


def load_facts(session: Session, resident_ids: Sequence[int]) -> dict[int, Facts]:
    """What the engine needs about each person, one query per table."""
    ids = list(resident_ids)
    parts: dict[int, dict[str, list[Any]]] = {i: defaultdict(list) for i in ids}
    numbers: dict[int, str] = {}
    for doc_id, rid, number, doc_type, expires, issued, stay_days in session.execute(select(
            ResidentDocument.id, ResidentDocument.resident_id, ResidentDocument.number,
            ResidentDocument.doc_type, ResidentDocument.expires, ResidentDocument.issued,
            ResidentDocument.stay_days).where(_among(ResidentDocument.resident_id, ids))):
        numbers[doc_id] = number
        parts[rid]["documents"].append(DocumentFact(number, doc_type, expires, issued,
                                                    stay_days))
    rows = session.execute(
        select(Crossing.resident_id, Crossing.at, type_coerce(Crossing.direction, String),
               Crossing.designated,
               Crossing.path, Crossing.doc_number, Crossing.document_id, CrossingPoint.name_zh)
        .outerjoin(CrossingPoint, CrossingPoint.id == Crossing.point_id)
        .where(_among(Crossing.resident_id, ids)))
    for rid, at, direction, designated, path, doc_number, document_id, point in rows:
        number = numbers.get(document_id, doc_number) if document_id else doc_number
        parts[rid]["crossings"].append(CrossingFact(
            at, direction, bool(designated), point or path,
            number or ""))
    # plain rows, not ORM objects: this runs for every flagged person each hour
    for rid, at, address in session.execute(select(
            Lodging.resident_id, Lodging.registered_at, Lodging.address).where(
            _among(Lodging.resident_id, ids))):
        parts[rid]["lodgings"].append(LodgingFact(at, address))
    for rid, kind, since, until, number in session.execute(select(
            Permit.resident_id, type_coerce(Permit.kind, String), Permit.valid_from,
            Permit.valid_to, Permit.number).where(_among(Permit.resident_id, ids))):
        parts[rid]["permits"].append(PermitFact(kind, since, until, number))
    for rid, employer, since, until in session.execute(select(
            Employment.resident_id, Employment.employer, Employment.since, Employment.until)
            .where(_among(Employment.resident_id, ids))):
        parts[rid]["employment"].append(EmploymentFact(employer, since, until))
    marriages = session.execute(select(
        Marriage.resident_id, Marriage.spouse_id, Marriage.spouse_name, Marriage.registered,
        Marriage.since, Marriage.until).where(_among(Marriage.resident_id, ids))).all()
    spouse_ids = {m[1] for m in marriages if m[1] and not m[2]}
    spouses = dict(session.execute(select(Resident.id, Resident.name).where(
        Resident.id.in_(spouse_ids))).all()) if spouse_ids else {}
    for rid, spouse_id, spouse_name, registered, since, until in marriages:
        parts[rid]["marriages"].append(MarriageFact(
            spouse_name or spouses.get(spouse_id, ""), bool(registered), since, until))
    return {i: Facts(str(i), **{k: tuple(v) for k, v in parts[i].items()}) for i in ids}


# --- upsert --------------------------------------------------------------------------------

def _occurrences(why: Iterable[dict[str, Any]]) -> set[str]:
    return {repr((w.get("message"), sorted((k, v) for k, v in (w.get("params") or {}).items()
                                           if k not in VOLATILE))) for w in why or []}


def _tell(session: Session, fresh: list[tuple[Resident, RiskFlag]]) -> None:
    """Tell each post of its new flags: one message for one flag, one for many (the hourly
    job may raise hundreds at once; the queue lists them)."""
    by_post: dict[int, list[tuple[Resident, RiskFlag]]] = defaultdict(list)
    for resident, row in fresh:
        if row.post_agency_id is not None:
            by_post[row.post_agency_id].append((resident, row))
    for post, rows in by_post.items():
        recipients = [Holders("residents.flags", post)]
        if len(rows) > 1:
            notifications.notify(session, recipients=recipients, title=NEW_FLAGS,
                                 link="/residents/queue", severity="warning",
                                 params={"n": len(rows)})
            continue
        resident, row = rows[0]
        notifications.notify(
            session, recipients=recipients, title=NEW_FLAG, body=NEW_FLAG_BODY,
            link=f"/residents/queue?flag={row.id}", severity="warning",
            record_kind=Resident.record_kind, record_id=resident.id,
            params={"flag": str(rules_mod.FLAG_LABELS.get(row.kind, row.kind)),
                    "person": resident.name, "article": row.article}, translate=("flag",))


def _emit(session: Session, kind: str, row: RiskFlag, actor: User | None = None) -> None:
    events.emit(session, kind=kind, actor_id=actor.id if actor else None,
                record_kind=Resident.record_kind, record_id=row.resident_id,
                payload={"flag_id": row.id, "flag": row.kind, "status": row.status.value})


def apply(session: Session, *, resident: Resident, flags: list[Flag],
          existing: Iterable[RiskFlag], now: datetime,
          fresh_out: list[tuple[Resident, RiskFlag]]) -> list[RiskFlag]:
    """Make the stored flags of ``resident`` what ``flags`` says; returns the raised ones and
    adds the new or reopened ones to ``fresh_out`` (to tell the posts)."""
    have = {row.kind: row for row in existing}
    raised: list[RiskFlag] = []
    fresh: list[RiskFlag] = []
    for flag in flags:
        row = have.pop(flag.flag, None)
        if row is None:
            row = RiskFlag(resident_id=resident.id, kind=flag.flag, status=FlagStatus.OPEN,
                           raised_at=now)
            session.add(row)
            fresh.append(row)
        elif row.status == FlagStatus.CLEARED or (
                row.status == FlagStatus.DISMISSED
                and _occurrences(flag.why) - _occurrences(row.why)):
            row.status, row.raised_at = FlagStatus.OPEN, now
            row.decided_by_id = row.decided_at = None
            fresh.append(row)
        row.rule, row.article, row.why = flag.rule, flag.article, flag.why
        row.post_agency_id = resident.post_agency_id
        row.computed_at = now
        raised.append(row)
    cleared = [row for row in have.values() if row.status != FlagStatus.CLEARED]
    for row in cleared:
        row.status, row.computed_at = FlagStatus.CLEARED, now
    if fresh or cleared:
        session.flush()
    for row in fresh:
        _emit(session, "residents.flag.raised", row)
        fresh_out.append((resident, row))
    for row in cleared:
        _emit(session, "residents.flag.cleared", row)
    return raised


def recompute_many(session: Session, *, residents: Sequence[Resident],
                   now: datetime | None = None, rules: rules_mod.Rules | None = None,
                   zone: ZoneInfo | None = None) -> dict[int, list[RiskFlag]]:
    """Recompute a batch of persons (one query per table); returns each one's raised flags."""
    if rules is None or zone is None:
        default_rules, default_zone = _settings()
        rules, zone = rules or default_rules, zone or default_zone
    now = now or utcnow()
    ids = [r.id for r in residents]
    facts = load_facts(session, ids)
    found: dict[str, list[Flag]] = defaultdict(list)
    for flag in evaluate_many([facts[i] for i in ids], as_of=now, rules=rules, zone=zone):
        found[flag.person_id].append(flag)
    stored: dict[int, list[RiskFlag]] = defaultdict(list)
    for row in session.scalars(select(RiskFlag).where(_among(RiskFlag.resident_id, ids))):
        stored[row.resident_id].append(row)
    fresh: list[tuple[Resident, RiskFlag]] = []
    raised = {r.id: apply(session, resident=r, now=now, existing=stored[r.id],
                          flags=found.get(str(r.id), []), fresh_out=fresh)
              for r in residents if stored[r.id] or str(r.id) in found}
    _tell(session, fresh)
    return {r.id: raised.get(r.id, []) for r in residents}


def recompute(session: Session, *, resident: Resident, now: datetime | None = None,
              rules: rules_mod.Rules | None = None,
              zone: ZoneInfo | None = None) -> list[RiskFlag]:
    """Upsert ``resident``'s flags (one per kind), clear those no longer raised."""
    return recompute_many(session, residents=[resident], now=now, rules=rules,
                          zone=zone)[resident.id]


# --- the queue -----------------------------------------------------------------------------

def queue_query(user: User, *, status: Sequence[FlagStatus] | None = None,
                kind: str | None = None, resident_id: int | None = None,
                ) -> Select[tuple[RiskFlag, Resident]]:
    """Flags of the persons ``user`` may see, open ones first, newest first."""
    capabilities.require(user, "residents.flags")
    seen = access.residents_query(user).subquery()
    query = (select(RiskFlag, Resident).join(Resident, Resident.id == RiskFlag.resident_id)
             .where(RiskFlag.resident_id.in_(select(seen.c.id))))
    if status:
        query = query.where(RiskFlag.status.in_(list(status)))
    if kind:
        query = query.where(RiskFlag.kind == kind)
    if resident_id is not None:
        query = query.where(RiskFlag.resident_id == resident_id)
    waiting = case((RiskFlag.status == FlagStatus.OPEN, 0),
                   (RiskFlag.status == FlagStatus.IN_HAND, 1), else_=2)
    return query.order_by(waiting, RiskFlag.raised_at.desc(), RiskFlag.id.desc())


def get(session: Session, *, user: User, flag_id: int) -> tuple[RiskFlag, Resident]:
    found = session.execute(queue_query(user).where(RiskFlag.id == flag_id)).first()
    if found is None:
        raise NotFound(_("No such flag."))
    return found[0], found[1]


def decide(session: Session, *, user: User, flag_id: int, status: FlagStatus,
           outcome: str = "") -> RiskFlag:
    """A post's decision: in hand, confirmed or dismissed (the last two say what or why)."""
    row, _resident = get(session, user=user, flag_id=flag_id)
    if status not in DECIDED:
        raise Invalid(_("Decide a flag as in hand, confirmed or dismissed."), field="status")
    outcome = (outcome or "").strip()
    if status in (FlagStatus.CONFIRMED, FlagStatus.DISMISSED) and not outcome:
        raise Invalid(_("Say what was done or why the flag is dismissed."), field="outcome")
    if row.status == FlagStatus.CLEARED:
        raise Conflict(_("The records no longer raise this flag."))
    row.status, row.decided_by_id, row.decided_at = status, user.id, utcnow()
    if outcome:
        row.outcome = outcome[:4000]
    session.flush()
    _emit(session, "residents.flag.decided", row, user)
    return row


def visit(session: Session, *, user: User, flag_id: int, due: Any = None,
          reason: str = "") -> VisitTask:
    """A home visit (走访核实) for the flag's post; the flag is then in hand."""
    row, resident = get(session, user=user, flag_id=flag_id)
    post = row.post_agency_id or resident.post_agency_id or user.agency_id
    task = VisitTask(resident_id=resident.id, post_agency_id=post, flag_id=row.id,
                     reason=(reason or "").strip()[:2000]
                     or f"{row.kind}: {row.rule} ({row.article})",
                     due=due, created_by_id=user.id)
    session.add(task)
    if row.status == FlagStatus.OPEN:
        row.status, row.decided_by_id, row.decided_at = FlagStatus.IN_HAND, user.id, utcnow()
    session.flush()
    _emit(session, "residents.flag.decided", row, user)
    return task
