"""Watchlists: need-to-know, atomic imports, screening people, and the review of hits.

Screening builds one in-memory candidate index per list from the stored name keys and keeps it
until the list changes, so screening a 30-person crew list is an index lookup, not a scan.
"""

from __future__ import annotations

import hashlib
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, false, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core import reactions
from bastion.core.db import utcnow
from bastion.core.errors import Conflict, Forbidden, Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.core.marking import visible_to
from bastion.core.scopes import visible_source
from bastion.org import capabilities
from bastion.org.models import User
from bastion.org.sharing import MarkingIn, apply_marking
from bastion.screening.importers import ImportError_, ImportResult, PersonEntry, VesselEntry
from bastion.screening.models import (
    Dismissal,
    EntryKind,
    HitStatus,
    ScreeningHit,
    Watchlist,
    WatchlistEntry,
)
from bastion.screening.names import CandidateIndex, PersonQuery, PersonRecord, name_keys

# Per-person outcome, read by the clearance pre-check: "stop" needs an officer's confirmation
# or an identical document number; a name match alone, however close, is "check" — a person is
# never stopped by the machine on a name alone.


class ImportRejected(Invalid):
    """The file had errors: nothing was stored. ``errors`` name file, sheet, row, column."""

    def __init__(self, errors: list[ImportError_]) -> None:
        super().__init__(_("The file has {n} errors; nothing was imported.").format(n=len(errors)),
                         field="file")
        self.errors = errors


# --- lists ------------------------------------------------------------------------------------

def _lists_visible(user: User):
    """Lists a user may read: their agency reads watchlists, and the list's marking allows."""
    if not capabilities.can(user, "watchlists.read"):
        return false()
    return visible_to(Watchlist, user)


def visible_lists_query(*, user: User) -> Select[tuple[Watchlist]]:
    capabilities.require(user, "watchlists.read")
    return select(Watchlist).where(_lists_visible(user)).order_by(Watchlist.name, Watchlist.id)


def visible_lists(session: Session, *, user: User) -> Sequence[Watchlist]:
    return session.scalars(visible_lists_query(user=user)).all()


def visible_list_ids(session: Session, *, user: User) -> set[int]:
    """For other domains that show per-list results (the pre-check's per-person outcomes)."""
    return set(session.scalars(select(Watchlist.id).where(_lists_visible(user))))


def get_list(session: Session, *, user: User, list_id: int | None = None,
             name: str | None = None) -> Watchlist:
    query = select(Watchlist).where(_lists_visible(user))
    if list_id is not None:
        query = query.where(Watchlist.id == list_id)
    else:  # names are unique per agency: the user's own agency's list first
        query = query.where(Watchlist.name == name).order_by(
            (Watchlist.owner_org_id != user.organisation_id), Watchlist.id).limit(1)
    found = session.scalar(query)
    if found is None:
        raise NotFound(_("No such watchlist."))
    return found


def create_list(session: Session, *, user: User, name: str, source: str = "",
                description: str = "", marking: MarkingIn | None = None) -> Watchlist:
    capabilities.require(user, "watchlists.manage")
    if session.scalar(select(Watchlist.id).where(Watchlist.name == name,
                                                 Watchlist.owner_org_id == user.organisation_id)):
        raise Conflict(_("Your agency has a watchlist with this name already."), field="name")
    watchlist = Watchlist(name=name, source=source, description=description,
                          owner_org_id=user.organisation_id, created_by_id=user.id)
    session.add(watchlist)
    session.flush()
    apply_marking(session, watchlist, marking or MarkingIn())
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind="watchlist",
                 record_id=watchlist.id, summary=f"watchlist {watchlist.id}")
    return watchlist


def _require_manager(user: User, watchlist: Watchlist) -> None:
    capabilities.require(user, "watchlists.manage")
    if user.organisation_id != watchlist.owner_org_id:
        raise Forbidden(_("Only supervisors of the owning agency change this list."))


# --- entries and imports ----------------------------------------------------------------------

def _search_text(names: list[str]) -> str:
    forms: set[str] = set()
    for name in names:
        keys = name_keys(name)
        forms.update(keys.forms)
        forms.add(keys.latin)
    return " ".join(sorted(f for f in forms if f))


def _apply(row: WatchlistEntry, entry: PersonEntry | VesselEntry) -> None:
    if isinstance(entry, PersonEntry):
        names = [n for n in entry.names if n]
        row.kind, row.name = EntryKind.PERSON, names[0]
        row.aliases = names[1:] + [a for a in entry.aliases if a not in names]
        row.birth_date, row.gender = entry.birth_date, entry.gender
        row.nationalities = list(entry.nationalities)
        row.documents = [{"number": d.number, "type": d.type, "country": d.country}
                         for d in entry.documents]
    else:
        row.kind, row.name, row.aliases = EntryKind.VESSEL, entry.name, list(entry.aliases)
        row.imo, row.mmsi, row.callsign, row.flag = entry.imo, entry.mmsi, entry.callsign, entry.flag
    row.reason, row.valid_from, row.valid_until = entry.reason, entry.valid_from, entry.valid_until
    all_names = [row.name, *row.aliases]
    row.name_keys = [name_keys(n).to_dict() for n in all_names] if row.kind == EntryKind.PERSON else []
    row.search_text = _search_text(all_names) if row.kind == EntryKind.PERSON else row.name.upper()
    row.active, row.updated_at = True, utcnow()


def import_entries(session: Session, *, user: User, watchlist: Watchlist,
                   result: ImportResult) -> dict[str, int]:
    """All rows or none: a file with any error raises and the caller's transaction rolls back.
    Re-importing updates entries by their source id; FtM delta deletions deactivate."""
    _require_manager(user, watchlist)
    if not result.ok:
        raise ImportRejected(list(result.errors))
    existing = {e.source_id: e for e in session.scalars(
        select(WatchlistEntry).where(WatchlistEntry.watchlist_id == watchlist.id))}
    counts = {"created": 0, "updated": 0, "deactivated": 0}
    for entry in result.entries:
        row = existing.get(entry.source_id)
        if row is None:
            row = WatchlistEntry(watchlist_id=watchlist.id, source_id=entry.source_id)
            session.add(row)
            counts["created"] += 1
        else:
            counts["updated"] += 1
        _apply(row, entry)
    for source_id in result.deleted:
        if source_id in existing:
            existing[source_id].active = False
            counts["deactivated"] += 1
    watchlist.updated_at = utcnow()
    session.flush()
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind="watchlist",
                 record_id=watchlist.id, summary=f"import into watchlist {watchlist.id}",
                 detail={"file": result.file, **counts})
    # Open port calls are screened again (clearance registers the reaction, core.reactions).
    reactions.fire(session, "screening.entries_changed", watchlist_id=watchlist.id)
    return counts


def add_entry(session: Session, *, user: User, watchlist: Watchlist,
              fields: dict[str, str]) -> WatchlistEntry:
    """One entry typed in the UI or sent to the API, checked by exactly the rules of an
    import (it is parsed as a one-row template file), so the two paths cannot drift apart.
    ``fields`` uses the template's column keys (source_id, type, name, aliases, ...)."""
    import csv
    import io

    from bastion.screening.importers import COLUMNS, parse_watchlist

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column[1] for column in COLUMNS])
    writer.writerow([fields.get(column[0], "") or "" for column in COLUMNS])
    result = parse_watchlist(buffer.getvalue().encode("utf-8"), filename="form")
    if not result.ok:
        by_heading = {column[1]: column[0] for column in COLUMNS}
        first = result.errors[0]
        raise Invalid(first.message, field=by_heading.get(first.column or "", "name"))
    import_entries(session, user=user, watchlist=watchlist, result=result)
    return session.scalar(select(WatchlistEntry).where(
        WatchlistEntry.watchlist_id == watchlist.id,
        WatchlistEntry.source_id == result.entries[0].source_id))


def screen_vessel(session: Session, *, user: User, imo: int | None = None,
                  mmsi: int | None = None, name: str | None = None) -> list[WatchlistEntry]:
    """Vessel entries on the lists the user may see: IMO or MMSI identical, or the same name
    (vessel names are re-used, so a name alone is a lead, not an identification)."""
    capabilities.require(user, "screening.run")
    clauses = []
    if imo:
        clauses.append(WatchlistEntry.imo == imo)
    if mmsi:
        clauses.append(WatchlistEntry.mmsi == mmsi)
    if name and name.strip():
        clauses.append(func.upper(WatchlistEntry.name) == name.strip().upper())
    if not clauses:
        return []
    return list(session.scalars(
        select(WatchlistEntry).join(Watchlist).where(
            _lists_visible(user), WatchlistEntry.active.is_(True),
            WatchlistEntry.kind == EntryKind.VESSEL, or_(*clauses))))


def list_entries(session: Session, *, user: User, watchlist: Watchlist, search: str | None = None,
                 limit: int = 100, offset: int = 0) -> tuple[Sequence[WatchlistEntry], int]:
    query = select(WatchlistEntry).where(WatchlistEntry.watchlist_id == watchlist.id,
                                         WatchlistEntry.active.is_(True))
    if search:
        query = query.where(func.upper(WatchlistEntry.search_text + " " + WatchlistEntry.name)
                            .like(f"%{search.strip().upper()}%"))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(WatchlistEntry.name).limit(limit).offset(offset)).all()
    return rows, total


# --- screening --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Person:
    """Someone to screen, as declared: name in any script and the usual qualifiers."""

    name: str
    dob: str | None = None
    nationality: str | None = None
    gender: str | None = None
    document_number: str | None = None
    ref: str = ""  # the caller's reference (crew list row, resident id)

    @property
    def key(self) -> str:
        """A fingerprint of the person, stable across voyages, for remembered decisions."""
        text = "|".join(unicodedata.normalize("NFKC", v or "").strip().upper() for v in
                        (self.name, self.dob, self.nationality, self.document_number))
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class PersonResult:
    person: Person
    outcome: str  # clear / check / stop
    hits: list[ScreeningHit] = field(default_factory=list)

    def by_list(self) -> dict[int, str]:
        """The outcome each list gives on its own, so that a reader who may see only some
        lists learns only what those lists say (lists with no hit are left out: clear)."""
        lists: dict[int, list[ScreeningHit]] = {}
        for hit in self.hits:
            lists.setdefault(hit.entry.watchlist_id, []).append(hit)
        return {list_id: _outcome(self.person, hits) for list_id, hits in lists.items()}


_indexes: dict[int, tuple[Any, CandidateIndex]] = {}
_lock = threading.Lock()


def _index(session: Session, watchlist: Watchlist) -> CandidateIndex:
    from bastion.screening.names import NameKeys

    version = watchlist.updated_at
    with _lock:
        cached = _indexes.get(watchlist.id)
        if cached and cached[0] == version:
            return cached[1]
    index = CandidateIndex()
    for row in session.scalars(select(WatchlistEntry).where(
            WatchlistEntry.watchlist_id == watchlist.id, WatchlistEntry.active.is_(True),
            WatchlistEntry.kind == EntryKind.PERSON)):
        document = row.documents[0]["number"] if row.documents else None
        record = PersonRecord(name=row.name, aliases=tuple(row.aliases), dob=row.birth_date,
                              nationality=row.nationalities[0] if row.nationalities else None,
                              gender=row.gender, document_number=document, id=str(row.id))
        index.add(record, keys=[NameKeys.from_dict(k) for k in row.name_keys] or None)
    with _lock:
        _indexes[watchlist.id] = (version, index)
    return index


def screen(session: Session, *, user: User, people: Sequence[Person],
           lists: Sequence[Watchlist] | None = None, context: str = "",
           source: tuple[str, int] | None = None) -> list[PersonResult]:
    """Screen people against the lists the user may see; hits are stored for review.

    ``source`` names the record the people came from (``("port_call", 17)``): its hits are
    shown to those who may see that record and the list. Without one, only the screening
    agency sees them."""
    capabilities.require(user, "screening.run")
    lists = list(lists) if lists is not None else list(visible_lists(session, user=user))
    results = []
    for person in people:
        query = PersonQuery(name=person.name, dob=person.dob, nationality=person.nationality,
                            gender=person.gender, document_number=person.document_number)
        found: list[ScreeningHit] = []
        for watchlist in lists:
            for record, match in _index(session, watchlist).search(query, limit=5):
                found.append(_record_hit(session, person, int(record.id), match, context,
                                         by=user, source=source))
        results.append(PersonResult(person, _outcome(person, found), found))
    audit.record(session, action=AuditAction.READ, actor=user, record_kind="watchlist",
                 summary=f"screened {len(people)} people against {len(lists)} lists",
                 reason=context or None)
    return results


def _record_hit(session: Session, person: Person, entry_id: int, match, context: str, *,
                by: User, source: tuple[str, int] | None) -> ScreeningHit:
    """The one hit of this person and entry where they were screened (``ScreeningHit.scope``):
    found again when the list is screened again (a pending one takes the new score), made
    otherwise. A decision on this person and entry made elsewhere applies to a pending hit."""
    scope = f"{source[0]}:{source[1]}" if source else f"agency:{by.organisation_id}"
    existing = session.scalar(select(ScreeningHit).where(
        ScreeningHit.subject_key == person.key, ScreeningHit.entry_id == entry_id,
        ScreeningHit.scope == scope))
    if existing is not None and existing.status != HitStatus.PENDING:
        return existing
    hit = existing or ScreeningHit(
        entry_id=entry_id, subject_key=person.key, scope=scope,
        screened_by_org_id=by.organisation_id,
        source_kind=source[0] if source else None, source_id=source[1] if source else None)
    hit.subject = {"name": person.name, "dob": person.dob, "nationality": person.nationality,
                   "document_number": person.document_number, "ref": person.ref}
    hit.context, hit.score = context, round(match.score, 4)
    hit.explanation = list(match.explanation)
    _apply_earlier_decision(session, hit, person.key, entry_id)
    if existing is not None:
        session.flush()
        return hit
    try:
        with session.begin_nested():  # a screening at the same moment may have made it
            session.add(hit)
            session.flush()
    except IntegrityError:
        hit = session.scalar(select(ScreeningHit).where(
            ScreeningHit.subject_key == person.key, ScreeningHit.entry_id == entry_id,
            ScreeningHit.scope == scope))
        if hit is None:
            raise
    return hit


def _apply_earlier_decision(session: Session, hit: ScreeningHit, key: str, entry_id: int) -> None:
    """A dismissal of this person and entry, or a confirmation anywhere, decides the hit."""
    remembered = session.scalar(select(Dismissal).where(Dismissal.subject_key == key,
                                                        Dismissal.entry_id == entry_id))
    confirmed = None if remembered else session.scalar(
        select(ScreeningHit).where(ScreeningHit.subject_key == key,
                                   ScreeningHit.entry_id == entry_id,
                                   ScreeningHit.status == HitStatus.CONFIRMED).limit(1))
    if remembered is not None:
        hit.status, hit.remembered = HitStatus.DISMISSED, True
        hit.decision_reason, hit.decided_at = remembered.reason, utcnow()
        hit.decided_by_id = remembered.decided_by_id
    elif confirmed is not None:  # confirmed once for this person and entry: still a match
        hit.status, hit.remembered = HitStatus.CONFIRMED, True
        hit.decision_reason, hit.decided_at = confirmed.decision_reason, utcnow()
        hit.decided_by_id = confirmed.decided_by_id


def _document(value: str | None) -> str:
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())


def _same_document(person: Person, hit: ScreeningHit) -> bool:
    mine = _document(person.document_number)
    return bool(mine) and any(_document(d.get("number")) == mine for d in hit.entry.documents)


def _outcome(person: Person, hits: list[ScreeningHit]) -> str:
    live = [h for h in hits if h.status != HitStatus.DISMISSED]
    if any(h.status == HitStatus.CONFIRMED or _same_document(person, h) for h in live):
        return "stop"
    return "check" if live else "clear"


# --- review -----------------------------------------------------------------------------------

def _hits_visible(user: User):
    """A hit shows a person's particulars: only to reviewers who may see both the list and
    the record the person came from (or, screened by hand, the agency that screened)."""
    if not capabilities.can(user, "screening.review"):
        return false()
    from_source = or_(
        visible_source(ScreeningHit.source_kind, ScreeningHit.source_id, user),
        and_(ScreeningHit.source_kind.is_(None),
             ScreeningHit.screened_by_org_id == user.organisation_id))
    return and_(visible_to(Watchlist, user), from_source)


def hits_visible(session: Session, *, user: User, status: HitStatus | None = HitStatus.PENDING,
                 limit: int = 100, offset: int = 0) -> tuple[Sequence[ScreeningHit], int]:
    capabilities.require(user, "screening.review")
    query = (select(ScreeningHit).join(WatchlistEntry).join(Watchlist)
             .where(_hits_visible(user)))
    if status is not None:
        query = query.where(ScreeningHit.status == status)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(ScreeningHit.score.desc(), ScreeningHit.id.desc())
                           .limit(limit).offset(offset)).all()
    return rows, total


def hits_of(session: Session, *, user: User, source_kind: str,
            source_ids: Sequence[int]) -> Sequence[ScreeningHit]:
    """Every hit (any state) the user may review from these records, e.g. the port calls of
    one vessel: its crews' screening over time. Empty for who does not review hits."""
    if not source_ids or not capabilities.can(user, "screening.review"):
        return []
    return session.scalars(
        select(ScreeningHit).join(WatchlistEntry).join(Watchlist)
        .where(_hits_visible(user), ScreeningHit.source_kind == source_kind,
               ScreeningHit.source_id.in_(list(source_ids)))
        .order_by(ScreeningHit.created_at.desc(), ScreeningHit.id.desc()).limit(500)).all()


def get_hit(session: Session, *, user: User, hit_id: int) -> ScreeningHit:
    hit = session.scalar(select(ScreeningHit).join(WatchlistEntry).join(Watchlist)
                         .where(ScreeningHit.id == hit_id, _hits_visible(user)))
    if hit is None:
        raise NotFound(_("No such hit."))
    audit.record(session, action=AuditAction.READ, actor=user, record_kind="screening_hit",
                 record_id=hit.id, summary=f"hit {hit.id}")
    return hit


def decide(session: Session, *, user: User, hit: ScreeningHit, confirm: bool,
           reason: str) -> ScreeningHit:
    """Confirm or dismiss with a reason; a dismissal is remembered for this person and entry."""
    capabilities.require(user, "screening.review")
    if not reason.strip():
        raise Invalid(_("Give the reason for the decision."), field="reason")
    if hit.status != HitStatus.PENDING:
        raise Conflict(_("This hit was decided already."))
    hit.status = HitStatus.CONFIRMED if confirm else HitStatus.DISMISSED
    hit.decided_by_id, hit.decided_at, hit.decision_reason = user.id, utcnow(), reason.strip()
    if not confirm and session.scalar(select(Dismissal.id).where(
            Dismissal.subject_key == hit.subject_key, Dismissal.entry_id == hit.entry_id)) is None:
        session.add(Dismissal(subject_key=hit.subject_key, entry_id=hit.entry_id,
                              reason=reason.strip(), decided_by_id=user.id))
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind="screening_hit",
                 record_id=hit.id, summary=f"hit {hit.id} {hit.status.value}", reason=reason)
    session.flush()
    reactions.fire(session, "screening.hit_decided", hit_id=hit.id, source_kind=hit.source_kind,
                   source_id=hit.source_id)  # the record the person came from is re-judged
    return hit
