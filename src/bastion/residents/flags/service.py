"""Risk flags kept in step with the records: :func:`recompute` runs the engine on what is stored
about a person and upserts one ``RiskFlag`` per kind; :func:`recompute_many` does the same for a
batch (an import) with one query per table and one flush; the hourly job writes through
``store.store_batch`` by the same rules (``store``), without ORM objects.

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

from sqlalchemy import Select, case, select
from sqlalchemy.orm import Session

from bastion.core import events
from bastion.core.db import utcnow
from bastion.core.errors import Conflict, Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.org import capabilities
from bastion.org.models import User
from bastion.residents import access
from bastion.residents.flags import rules as rules_mod
from bastion.residents.flags import store
from bastion.residents.flags.engine import Flag, evaluate_many
from bastion.residents.flags.load import among, load_facts
from bastion.residents.flags.models import FlagStatus, RiskFlag
from bastion.residents.models import Resident
from bastion.residents.visits.models import VisitTask

DECIDED = (FlagStatus.IN_HAND, FlagStatus.CONFIRMED, FlagStatus.DISMISSED)


def _settings() -> tuple[rules_mod.Rules, ZoneInfo]:
    from bastion.core.config import get_settings

    settings = get_settings()
    return rules_mod.load(settings), ZoneInfo(settings.timezone)


# --- upsert --------------------------------------------------------------------------------

def apply(session: Session, *, resident: Resident, flags: list[Flag],
          existing: Iterable[RiskFlag], now: datetime, fresh_out: list[RiskFlag],
          cleared_out: list[RiskFlag]) -> list[RiskFlag]:
    """Make the stored flags of ``resident`` what ``flags`` says (``store``'s rules); returns
    the raised ones and adds the new or reopened ones to ``fresh_out``, the cleared ones to
    ``cleared_out`` (:func:`recompute_many` flushes once and tells the posts). A flag whose
    content is unchanged is not written (its ``computed_at`` stays)."""
    have = {row.kind: row for row in existing}
    raised: list[RiskFlag] = []
    for flag in flags:
        row = have.pop(flag.flag, None)
        if row is None:
            row = RiskFlag(resident_id=resident.id, kind=flag.flag, status=FlagStatus.OPEN,
                           raised_at=now, computed_at=now)
            session.add(row)
            fresh_out.append(row)
        elif store.reopens(row.status, row.why, flag.why):
            row.status, row.raised_at = FlagStatus.OPEN, now
            row.decided_by_id = row.decided_at = None
            row.computed_at = now
            fresh_out.append(row)
        elif (row.rule, row.article, row.why, row.post_agency_id) != (
                flag.rule, flag.article, flag.why, resident.post_agency_id):
            row.computed_at = now
        row.rule, row.article, row.why = flag.rule, flag.article, flag.why
        row.post_agency_id = resident.post_agency_id
        raised.append(row)
    for row in have.values():
        if row.status != FlagStatus.CLEARED:
            row.status, row.computed_at = FlagStatus.CLEARED, now
            cleared_out.append(row)
    return raised


def recompute_many(session: Session, *, residents: Sequence[Resident],
                   now: datetime | None = None, rules: rules_mod.Rules | None = None,
                   zone: ZoneInfo | None = None) -> dict[int, list[RiskFlag]]:
    """Recompute a batch of persons (one query per table, one flush); returns each one's
    raised flags."""
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
    for row in session.scalars(select(RiskFlag).where(among(RiskFlag.resident_id, ids))):
        stored[row.resident_id].append(row)
    fresh: list[RiskFlag] = []
    cleared: list[RiskFlag] = []
    raised = {r.id: apply(session, resident=r, now=now, existing=stored[r.id],
                          flags=found.get(str(r.id), []), fresh_out=fresh,
                          cleared_out=cleared)
              for r in residents if stored[r.id] or str(r.id) in found}
    if fresh or cleared:
        session.flush()
    names = {r.id: r.name for r in residents}
    store.announce(session, [store.Raised(row.resident_id, names[row.resident_id], row.id,
                                          row.kind, row.article, row.post_agency_id)
                             for row in fresh],
                   [(row.resident_id, row.id, row.kind) for row in cleared])
    return {r.id: raised.get(r.id, []) for r in residents}


def recompute(session: Session, *, resident: Resident, now: datetime | None = None,
              rules: rules_mod.Rules | None = None,
              zone: ZoneInfo | None = None) -> list[RiskFlag]:
    """Upsert ``resident``'s flags (one per kind), clear those no longer raised."""
    return recompute_many(session, residents=[resident], now=now, rules=rules,
                          zone=zone)[resident.id]


def _emit(session: Session, kind: str, row: RiskFlag, actor: User | None = None) -> None:
    events.emit(session, kind=kind, actor_id=actor.id if actor else None,
                record_kind=Resident.record_kind, record_id=row.resident_id,
                payload={"flag_id": row.id, "flag": row.kind, "status": row.status.value})


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
