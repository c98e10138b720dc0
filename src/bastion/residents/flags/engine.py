"""The flag engine: a person's records in, their risk flags out. Pure (no database, no clock):
the service feeds it what is stored, ``bastion residents check`` what a workbook holds.

Semantics (issue 14 item 3), evaluated *as of* a moment, records after it ignored:

- a document is valid through its expiry date: to the end of that day in the unit's zone;
- ``overstay``: present (the latest crossing is an entry) after the document of that entry ran
  out, or the stay that document permits (``stay_days``), unless a residence permit valid that
  day covers the stay;
- ``expired_document``: the document of the latest entry has expired, present or not;
- ``no_lodging_registration``: each entry the person stayed past ``lodging_hours`` after,
  without a lodging registered within those hours; a day trip (out again within them) needs
  none;
- ``undesignated_crossing``: each crossing not at a designated point;
- ``frequent_crossing``: each calendar month (unit's zone) with more than N crossings;
- ``work_without_permit``: employed that day with no work permit valid that day (a residence
  permit is not a work permit);
- ``unregistered_marriage``: a current marriage or cohabitation with no registration.

One :class:`Flag` per person and kind; the occurrences are its ``why``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from .rules import Rules


@dataclass(frozen=True)
class DocumentFact:
    number: str
    doc_type: str = ""
    expires: date | None = None
    issued: date | None = None
    stay_days: int | None = None


class CrossingFact(NamedTuple):
    """One crossing (a named tuple, not a frozen dataclass: the hourly job builds a quarter of
    a million of them, and a frozen dataclass's ``__init__`` costs 2 µs each)."""

    at: datetime  # aware
    direction: str  # "in" | "out"
    designated: bool = True
    place: str = ""  # the point's name, or the path as written
    doc_number: str = ""


class LodgingFact(NamedTuple):
    registered_at: datetime  # aware
    address: str = ""


@dataclass(frozen=True)
class PermitFact:
    kind: str  # "work" | "residence"
    valid_from: date | None = None
    valid_to: date | None = None
    number: str = ""


@dataclass(frozen=True)
class EmploymentFact:
    employer: str
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class MarriageFact:
    spouse: str
    registered: bool
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class Facts:
    person_id: str
    documents: tuple[DocumentFact, ...] = ()
    crossings: tuple[CrossingFact, ...] = ()
    lodgings: tuple[LodgingFact, ...] = ()
    permits: tuple[PermitFact, ...] = ()
    employment: tuple[EmploymentFact, ...] = ()
    marriages: tuple[MarriageFact, ...] = ()


@dataclass(frozen=True)
class Flag:
    person_id: str
    flag: str
    rule: str
    article: str
    why: list[dict] = field(default_factory=list)  # [{"message": msgid, "params": {...}}]

    def as_dict(self) -> dict:
        return {"person_id": self.person_id, "flag": self.flag, "rule": self.rule,
                "article": self.article, "why": self.why}


def normalise_number(number: str) -> str:
    return "".join(number.split()).upper()


def end_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The first instant after ``day`` in ``zone``: a document valid through ``day`` has
    expired from then on."""
    return datetime.combine(day + timedelta(days=1), time(0), zone)


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _valid_on(valid_from: date | None, valid_to: date | None, day: date) -> bool:
    return (valid_from is None or valid_from <= day) and (valid_to is None or day <= valid_to)


def _why(rules: Rules, flag: str, key: str, **params: object) -> dict:
    return {"message": rules.message(flag, key), "params": params}


def _flag(facts: Facts, rules: Rules, kind: str, why: list[dict]) -> Flag:
    rule = rules[kind]
    return Flag(facts.person_id, kind, rule.rule, rule.article, why)


def evaluate(facts: Facts, *, as_of: datetime, rules: Rules, zone: ZoneInfo) -> list[Flag]:
    """The flags ``facts`` raise at ``as_of`` (aware), in the order of ``rules.KINDS``."""
    as_of = as_of.astimezone(UTC)
    today = as_of.astimezone(zone).date()
    crossings = sorted((c for c in facts.crossings if c.at <= as_of), key=lambda c: c.at)
    documents = {normalise_number(d.number): d for d in facts.documents
                 if d.issued is None or d.issued <= today}
    flags: list[Flag] = []

    # the latest entry and its document: overstay, expired_document
    latest = crossings[-1] if crossings else None
    entry = next((c for c in reversed(crossings) if c.direction == "in"), None)
    document = documents.get(normalise_number(entry.doc_number)) if entry else None
    if entry is not None and document is not None:
        entered = _local(entry.at, zone)
        kind_name = document.doc_type or "document"
        expired_at = end_of_day(document.expires, zone) if document.expires else None
        present = latest is entry
        if present:
            why = []
            residence = any(p.kind == "residence" and _valid_on(p.valid_from, p.valid_to, today)
                            for p in facts.permits)
            stay_end = (entry.at + timedelta(days=document.stay_days)
                        if document.stay_days else None)
            ends = sorted((t, k) for t, k in ((expired_at, "document"), (stay_end, "stay"))
                          if t is not None)
            if ends and not residence and as_of >= ends[0][0]:
                end, key = ends[0]
                params = {"entered": entered, "document": kind_name, "number": document.number,
                          "days": (as_of - end).days + 1}
                if key == "document":
                    params["expires"] = document.expires.isoformat()
                else:
                    params.update(stay_days=document.stay_days, until=_local(end, zone))
                why.append(_why(rules, "overstay", key, **params))
            if why:
                flags.append(_flag(facts, rules, "overstay", why))
        if expired_at is not None and as_of >= expired_at:
            flags.append(_flag(facts, rules, "expired_document", [_why(
                rules, "expired_document", "expired", document=kind_name,
                number=document.number, entered=entered,
                expires=document.expires.isoformat())]))

    # lodging within the hours of each entry one stayed past them
    hours = rules.lodging_hours
    window = timedelta(hours=hours)
    lodgings = sorted(x.registered_at for x in facts.lodgings if x.registered_at <= as_of)
    why = []
    for i, crossing in enumerate(crossings):
        if crossing.direction != "in":
            continue
        deadline = crossing.at + window
        following = crossings[i + 1] if i + 1 < len(crossings) else None
        if following is not None and following.direction == "out" and following.at <= deadline:
            continue  # a day trip: out again within the hours
        if as_of < deadline:
            continue  # not due yet
        if any(crossing.at <= t <= deadline for t in lodgings):
            continue
        end = following.at if following is not None else as_of
        late = next((t for t in lodgings if deadline < t <= end), None)
        if late is not None:
            why.append(_why(rules, "no_lodging_registration", "late",
                            entered=_local(crossing.at, zone), registered=_local(late, zone),
                            hours=f"{hours:g}"))
        else:
            why.append(_why(rules, "no_lodging_registration", "missing",
                            entered=_local(crossing.at, zone), hours=f"{hours:g}"))
    if why:
        flags.append(_flag(facts, rules, "no_lodging_registration", why))

    why = [_why(rules, "undesignated_crossing", "in" if c.direction == "in" else "out",
                at=_local(c.at, zone), place=c.place) for c in crossings if not c.designated]
    if why:
        flags.append(_flag(facts, rules, "undesignated_crossing", why))

    # (year, month) pairs, formatted only for the months reported: strftime on every
    # crossing of every flagged person was a tenth of the hourly job
    months = Counter((local.year, local.month)
                     for local in (c.at.astimezone(zone) for c in crossings))
    limit = rules.frequent_crossings
    why = [_why(rules, "frequent_crossing", "month", count=n, month=f"{y:04d}-{m:02d}",
                limit=limit) for (y, m), n in sorted(months.items()) if n > limit]
    if why:
        flags.append(_flag(facts, rules, "frequent_crossing", why))

    jobs = [e for e in facts.employment if _valid_on(e.since, e.until, today)]
    if jobs and not any(p.kind == "work" and _valid_on(p.valid_from, p.valid_to, today)
                        for p in facts.permits):
        why = [_why(rules, "work_without_permit", "employed", employer=e.employer,
                    since=e.since.isoformat() if e.since else "?") for e in jobs]
        why += [_why(rules, "work_without_permit", "residence_only",
                     valid_to=p.valid_to.isoformat() if p.valid_to else "?")
                for p in facts.permits
                if p.kind == "residence" and _valid_on(p.valid_from, p.valid_to, today)]
        flags.append(_flag(facts, rules, "work_without_permit", why))

    why = [_why(rules, "unregistered_marriage", "unregistered", spouse=m.spouse,
                since=m.since.isoformat() if m.since else "?")
           for m in facts.marriages if not m.registered and _valid_on(m.since, m.until, today)]
    if why:
        flags.append(_flag(facts, rules, "unregistered_marriage", why))

    order = {k: i for i, k in enumerate(rules.by_flag)}
    return sorted(flags, key=lambda f: order.get(f.flag, 99))


def evaluate_many(facts: Sequence[Facts], *, as_of: datetime, rules: Rules,
                  zone: ZoneInfo) -> list[Flag]:
    """The flags of many persons at once, the same as :func:`evaluate` on each (the benchmark
    and a test check it): :func:`screen` finds the persons with any flag over numpy columns,
    and the exact engine runs on those only, for their ``why``."""
    hits = screen(columns(facts), as_of=as_of, rules=rules, zone=zone)
    return [flag for i in hits for flag in evaluate(facts[i], as_of=as_of, rules=rules,
                                                     zone=zone)]


@dataclass
class Columns:
    """Many persons' records as columns (persons numbered 0..size-1): crossings and lodgings
    as arrays, the rest (few rows) by person. Built from :class:`Facts` by :func:`columns`,
    or straight from the database by the flag service."""

    size: int
    person: Any  # numpy int64: the crossing's person
    at: Any  # numpy float64: seconds since the epoch (UTC)
    entry: Any  # numpy bool
    designated: Any  # numpy bool
    doc_number: Sequence[str]
    lodging_person: Any
    lodging_at: Any
    documents: dict[int, Sequence[DocumentFact]] = field(default_factory=dict)
    permits: dict[int, Sequence[PermitFact]] = field(default_factory=dict)
    employment: dict[int, Sequence[EmploymentFact]] = field(default_factory=dict)
    marriages: dict[int, Sequence[MarriageFact]] = field(default_factory=dict)
    # read from the database only (the Facts of the flagged persons are built from them):
    at_us: Any = None  # numpy int64: ``at`` in whole microseconds
    lodging_us: Any = None
    place: Sequence[str | None] = ()  # of a crossing at no designated point, else None


def columns(facts: Sequence[Facts]) -> Columns:
    import numpy as np

    flat = [c for f in facts for c in f.crossings]
    counts = np.fromiter((len(f.crossings) for f in facts), dtype=np.int64, count=len(facts))
    lodged = np.fromiter((len(f.lodgings) for f in facts), dtype=np.int64, count=len(facts))
    return Columns(
        size=len(facts), person=np.repeat(np.arange(len(facts), dtype=np.int64), counts),
        at=np.fromiter((c.at.timestamp() for c in flat), dtype=np.float64, count=len(flat)),
        entry=np.fromiter((c.direction == "in" for c in flat), dtype=bool, count=len(flat)),
        designated=np.fromiter((c.designated for c in flat), dtype=bool, count=len(flat)),
        doc_number=[c.doc_number for c in flat],
        lodging_person=np.repeat(np.arange(len(facts), dtype=np.int64), lodged),
        lodging_at=np.fromiter((x.registered_at.timestamp() for f in facts for x in f.lodgings),
                               dtype=np.float64, count=int(lodged.sum())),
        documents={i: f.documents for i, f in enumerate(facts) if f.documents},
        permits={i: f.permits for i, f in enumerate(facts) if f.permits},
        employment={i: f.employment for i, f in enumerate(facts) if f.employment},
        marriages={i: f.marriages for i, f in enumerate(facts) if f.marriages})


def screen(cols: Columns, *, as_of: datetime, rules: Rules, zone: ZoneInfo) -> list[int]:
    """Indices of the persons :func:`evaluate` would flag, computed over columns: the hot
    path of the hourly recomputation (issue 14 item 9: 50,000 persons, a million crossings),
    dense on purpose. The lodging windows are compared in whole milliseconds (records are
    kept to the second or the minute)."""
    import numpy as np

    as_of = as_of.astimezone(UTC)
    now_s = as_of.timestamp()
    today = as_of.astimezone(zone).date()
    hits: set[int] = set()
    kept = np.nonzero(cols.at <= now_s)[0]
    kept = kept[np.lexsort((cols.at[kept], cols.person[kept]))]  # by person, then time
    p, t = cols.person[kept], cols.at[kept]
    entry, designated = cols.entry[kept], cols.designated[kept]

    hits.update(np.unique(p[~designated]).tolist())

    if len(t):  # more than N crossings in a calendar month of the unit's zone
        hours, back = np.unique(np.floor(t / 3600).astype(np.int64), return_inverse=True)
        offsets = np.array([datetime.fromtimestamp(h * 3600, zone).utcoffset().total_seconds()
                            for h in hours.tolist()])
        local = np.floor(t + offsets[back]).astype(np.int64).astype("datetime64[s]")
        month = local.astype("datetime64[M]").astype(np.int64)
        keys, n_in = np.unique(p * 1_000_000 + month, return_counts=True)
        hits.update(np.unique(keys[n_in > rules.frequent_crossings] // 1_000_000).tolist())

    entries = np.nonzero(entry)[0]
    if not len(entries):
        entries = np.zeros(0, dtype=np.int64)
    pe = p[entries]
    # the latest entry of each person, and whether it is the latest crossing (present)
    last = np.nonzero(np.append(p[1:] != p[:-1], True))[0] if len(p) else p
    present = set(p[last[entry[last]]].tolist())
    latest_entries = entries[np.append(pe[1:] != pe[:-1], True)] if len(pe) else entries
    for j in latest_entries.tolist():
        i = int(p[j])
        if i in hits or i not in cols.documents:
            continue
        documents = {normalise_number(d.number): d for d in cols.documents[i]
                     if d.issued is None or d.issued <= today}
        document = documents.get(normalise_number(cols.doc_number[kept[j]]))
        if document is None:
            continue
        ends = [end_of_day(document.expires, zone).timestamp()] if document.expires else []
        if ends and now_s >= ends[0]:
            hits.add(i)  # expired_document
            continue
        if i in present and document.stay_days:
            ends.append(float(t[j]) + document.stay_days * 86400)
        if i in present and ends and now_s >= min(ends) and not any(
                q.kind == "residence" and _valid_on(q.valid_from, q.valid_to, today)
                for q in cols.permits.get(i, ())):
            hits.add(i)  # overstay

    # lodging: entries not followed by an exit within the hours, due, with no registration
    # within them
    window = rules.lodging_hours * 3600
    nxt = np.minimum(entries + 1, max(len(p) - 1, 0))
    day_trip = ((entries + 1 < len(p)) & (p[nxt] == pe) & ~entry[nxt]
                & (t[nxt] <= t[entries] + window)) if len(entries) else entries.astype(bool)
    due = ~day_trip & (now_s >= t[entries] + window)
    if due.any():
        lt, lp = cols.lodging_at, cols.lodging_person
        base = min(float(t.min()), float(lt.min()) if len(lt) else 0.0) - 86400
        ok = lt <= now_s
        key = np.sort((lp[ok] << 43) | np.round((lt[ok] - base) * 1000).astype(np.int64))
        q = entries[due]
        person_key = p[q] << 43
        lo = person_key | np.round((t[q] - base) * 1000).astype(np.int64)
        hi = person_key | np.round((t[q] + window - base) * 1000).astype(np.int64)
        registered = np.searchsorted(key, hi, "right") - np.searchsorted(key, lo, "left")
        hits.update(np.unique(p[q][registered == 0]).tolist())

    for i in set(cols.employment) | set(cols.marriages):
        if i in hits:
            continue
        working = any(_valid_on(e.since, e.until, today) for e in cols.employment.get(i, ())) \
            and not any(q.kind == "work" and _valid_on(q.valid_from, q.valid_to, today)
                        for q in cols.permits.get(i, ()))
        if working or any(not m.registered and _valid_on(m.since, m.until, today)
                          for m in cols.marriages.get(i, ())):
            hits.add(i)
    return sorted(hits)
