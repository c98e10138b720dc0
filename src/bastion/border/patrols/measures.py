"""Patrol measures by post, segment, agency and period (LAND-BORDER.md section 2, appendix 3-4).

Three ratios, each over a period, and effort reported apart from results:

* **checkpoint coverage**: planned checkpoints visited within their window / planned. A visit
  is a check-in of the patrol at the checkpoint whose *device* time lies in the planned window
  (bounds inclusive, a missing bound is open); a geofence check-in counts only within the
  radius (a QR scan or a short message is its own evidence).
* **segment coverage**: length of the segments within ``coverage_m`` (d) of a kept track /
  their length (``border.coverage.segment_coverage``; overlapping passes count once).
* **patrol completion**: planned patrols started within ``start_tolerance_min`` of the plan
  (by the phone's clock: an offline patrol reaches the server late) with every planned
  checkpoint visited within its window / planned patrols.

A planned patrol is *missed* when it was not started within the tolerance (never started, or
started late or early), *incomplete* when it was started and a planned checkpoint was not
visited within its window. Plan measures count a planned patrol once it is *settled*: ended,
or its planned end (its planned start when it has none) plus the tolerance has passed; later
ones are *pending*. Cancelled plans are counted apart and not held against anyone.

Effort: hours (moving time, else end - start), km (kept track) and person-days (distinct
member and local day pairs) of the patrols actually started; results: observations by
category. SYNTHETIC (demo) patrols are counted and their number is shown beside the figures.

Rows and their tracks: a patrol belongs to the period of its planned start (its start when
unplanned), in the unit's zone (``settings.patrols.zone``). Segment coverage answers "how much
of this ground was patrolled": a period row's tracks are that period's, an agency row's are
the tracks of patrols it took part in, and a post's or a segment's row uses every track in the
filter (any patrol may cover a neighbour's ground).

Need-to-know: only patrols the user may see (``core.marking.visible_to``), with the
``patrols.measures`` capability; a post sees its own area (its segments, its patrols).
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.ops import substring
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from bastion.border.coverage import segment_coverage
from bastion.border.geo.models import Checkpoint, DefenceSegment
from bastion.border.patrols import tracks as track_store
from bastion.border.patrols.models import (
    CheckIn,
    Observation,
    ObservationCategory,
    Patrol,
    PatrolMember,
    PatrolStatus,
    PatrolTarget,
    PlannedCheckpoint,
    TrackChunk,
)
from bastion.border.settings import PatrolSettings
from bastion.core import context
from bastion.core.errors import Invalid, NotFound
from bastion.core.geo.metric import local_metric
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.core.marking import AreaAssignment, visible_to
from bastion.org import capabilities
from bastion.org.models import Agency, AgencyKind, User

CAPABILITY = "patrols.measures"
PERIODS = ("day", "week", "month")
PERIOD_LABELS = {"day": lazy("Day"), "week": lazy("Week"), "month": lazy("Month")}
GROUPINGS = ("period", "post", "segment", "agency")
MAX_DAYS = 1100  # three years: a longer table of days is no use to anyone
ID_CHUNK = 500  # ids per IN (...) list


# -- need-to-know -------------------------------------------------------------------------

@dataclass(frozen=True)
class Area:
    """What a user's unit answers for: None = not narrowed (the command, partners)."""

    segment_ids: frozenset[int] | None
    post_id: int | None


def area_of(session: Session, user: User) -> Area:
    """A post (or any unit given segment areas) sees its own segments and patrols."""
    assigned = frozenset(session.scalars(select(AreaAssignment.area_id).where(
        AreaAssignment.agency_id == user.agency_id, AreaAssignment.area_kind == "segment")))
    is_post = user.agency.kind == AgencyKind.JOINT_DEFENCE_POST
    if not assigned and not is_post:
        return Area(None, None)
    own = frozenset(session.scalars(select(DefenceSegment.id).where(
        DefenceSegment.post_agency_id == user.agency_id))) if is_post else frozenset()
    return Area(assigned | own, user.agency_id if is_post else None)


def patrol_scope(session: Session, user: User) -> list[Any]:
    """WHERE clauses for the patrols the user may see, narrowed to a post's area."""
    where: list[Any] = [visible_to(Patrol, user)]
    area = area_of(session, user)
    if area.segment_ids is not None:
        mine = [Patrol.segment_id.in_(sorted(area.segment_ids))] if area.segment_ids else []
        if area.post_id is not None:
            mine.append(Patrol.post_agency_id == area.post_id)
        where.append(or_(*mine) if mine else Patrol.id.is_(None))
    return where


def segment_scope(session: Session, user: User) -> list[Any]:
    where: list[Any] = [visible_to(DefenceSegment, user)]
    area = area_of(session, user)
    if area.segment_ids is not None:
        where.append(DefenceSegment.id.in_(sorted(area.segment_ids)))
    return where


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    ids = list(ids)
    for at in range(0, len(ids), ID_CHUNK):
        yield ids[at:at + ID_CHUNK]


# -- periods ------------------------------------------------------------------------------

def bucket(day: date, period: str) -> str:
    if period == "day":
        return day.isoformat()
    if period == "week":
        year, week, _weekday = day.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{day.year}-{day.month:02d}"


def buckets(start: date, end: date, period: str) -> list[str]:
    seen: dict[str, None] = {}
    day = start
    while day <= end:
        seen.setdefault(bucket(day, period))
        day += timedelta(days=1)
    return list(seen)


def _bucket_range(key: str, period: str) -> tuple[date, date]:
    if period == "day":
        day = date.fromisoformat(key)
        return day, day
    if period == "week":
        year, week = key.split("-W")
        first = date.fromisocalendar(int(year), int(week), 1)
        return first, first + timedelta(days=6)
    year, month = (int(x) for x in key.split("-"))
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return first, following - timedelta(days=1)


# -- facts about each patrol ---------------------------------------------------------------

@dataclass
class Fact:
    patrol: Patrol
    when: datetime  # planned start, else start (UTC)
    day: date  # ``when`` in the unit's zone
    started: datetime | None  # by the phone's clock when it gave one
    member_agencies: set[int] = field(default_factory=set)
    people: set[tuple] = field(default_factory=set)
    planned_checkpoints: int = 0
    visited_checkpoints: int = 0
    missed_checkpoints: list[int] = field(default_factory=list)  # checkpoint ids
    settled: bool = False
    planned: bool = False  # planned, settled and not cancelled: counts against the plan
    on_time: bool = False
    lines: list[np.ndarray] = field(default_factory=list)

    @property
    def hours(self) -> float:
        p = self.patrol
        if p.moving_s:
            return p.moving_s / 3600.0
        if p.started_at and p.ended_at:
            return max((p.ended_at - p.started_at).total_seconds(), 0.0) / 3600.0
        return 0.0

    @property
    def is_started(self) -> bool:
        return self.started is not None and self.patrol.status != PatrolStatus.CANCELLED

    @property
    def missed(self) -> bool:
        return self.planned and not self.on_time

    @property
    def incomplete(self) -> bool:
        return self.planned and self.is_started and self.visited_checkpoints < (
            self.planned_checkpoints)

    @property
    def completed(self) -> bool:
        return self.planned and self.on_time and self.visited_checkpoints == (
            self.planned_checkpoints)


def _valid_visit(check_in: CheckIn, window: PlannedCheckpoint) -> bool:
    if check_in.method == "geofence" and not check_in.within_radius:
        return False
    at = check_in.device_at
    return ((window.window_start is None or at >= window.window_start)
            and (window.window_end is None or at <= window.window_end))


def _facts(session: Session, patrols: Sequence[Patrol], *, settings: PatrolSettings,
           zone: ZoneInfo, now: datetime, with_tracks: bool = True) -> list[Fact]:
    tolerance = timedelta(minutes=settings.start_tolerance_min)
    facts: dict[int, Fact] = {}
    for p in patrols:
        started = p.started_device_at or p.started_at
        when = p.planned_start or started
        if when is None:
            continue
        facts[p.id] = Fact(patrol=p, when=when, day=when.astimezone(zone).date(),
                           started=started)
    ids = list(facts)
    for part in _chunks(ids):
        for m in session.scalars(select(PatrolMember).where(PatrolMember.patrol_id.in_(part))):
            fact = facts[m.patrol_id]
            fact.member_agencies.add(m.agency_id)
            person = ("u", m.user_id) if m.user_id else ("n", m.name, m.agency_id)
            if fact.started is not None:
                end = fact.patrol.ended_at or fact.started
                first = fact.started.astimezone(zone).date()
                last = max(end.astimezone(zone).date(), first)
                for k in range((last - first).days + 1):
                    fact.people.add((*person, first + timedelta(days=k)))
        windows: dict[int, list[PlannedCheckpoint]] = defaultdict(list)
        for w in session.scalars(select(PlannedCheckpoint).where(
                PlannedCheckpoint.patrol_id.in_(part)).order_by(PlannedCheckpoint.position)):
            windows[w.patrol_id].append(w)
        visits: dict[tuple[int, int], list[CheckIn]] = defaultdict(list)
        for c in session.scalars(select(CheckIn).where(CheckIn.patrol_id.in_(part))):
            visits[(c.patrol_id, c.checkpoint_id)].append(c)
        for patrol_id in part:
            fact = facts[patrol_id]
            for w in windows.get(patrol_id, []):
                fact.planned_checkpoints += 1
                if any(_valid_visit(c, w) for c in visits.get((patrol_id, w.checkpoint_id), [])):
                    fact.visited_checkpoints += 1
                else:
                    fact.missed_checkpoints.append(w.checkpoint_id)
        if with_tracks:
            _attach_lines(session, part, facts)
    for fact in facts.values():
        p = fact.patrol
        if p.planned_start is None:
            continue
        fact.settled = (p.status in (PatrolStatus.ENDED, PatrolStatus.CANCELLED)
                        or (p.planned_end or p.planned_start) + tolerance <= now)
        fact.planned = fact.settled and p.status != PatrolStatus.CANCELLED
        fact.on_time = fact.is_started and abs(fact.started - p.planned_start) <= tolerance
    return sorted(facts.values(), key=lambda f: (f.when, f.patrol.id))


def _attach_lines(session: Session, ids: Sequence[int], facts: dict[int, Fact]) -> None:
    """Each patrol's kept track: a phone's chunks joined in time order (they are one walk
    cut into uploads), every other chunk (a GPX trkseg) a polyline of its own."""
    chunks = session.scalars(select(TrackChunk).where(TrackChunk.patrol_id.in_(ids))
                             .order_by(TrackChunk.patrol_id, TrackChunk.first_at,
                                       TrackChunk.id)).all()
    for patrol_id, group in itertools.groupby(chunks, key=lambda c: c.patrol_id):
        group = list(group)
        phone: list[tuple[float, float]] = []
        for chunk, line in zip(group, track_store.kept_lines(group), strict=True):
            if chunk.source == "phone":
                phone.extend(line)
            elif line:
                facts[patrol_id].lines.append(np.asarray(line, dtype=float))
        if phone:
            facts[patrol_id].lines.append(np.asarray(phone, dtype=float))


# -- rows ---------------------------------------------------------------------------------

@dataclass
class Segment:
    id: int
    code: str
    name: str
    post_id: int | None
    length_m: float
    geometry: Any  # shapely, lon/lat


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def _row(key: Any, label: str, facts: Sequence[Fact],
         coverage: tuple[float, float]) -> dict[str, Any]:
    planned = [f for f in facts if f.planned]
    started = [f for f in facts if f.is_started]
    checkpoints = sum(f.planned_checkpoints for f in planned)
    visited = sum(f.visited_checkpoints for f in planned)
    completed = sum(f.completed for f in planned)
    length, covered = coverage
    people = set()
    for f in started:
        people |= f.people
    return {
        "key": key, "label": label,
        "planned": len(planned),
        "pending": sum(1 for f in facts if f.patrol.planned_start is not None and not f.settled),
        "cancelled": sum(1 for f in facts if f.patrol.status == PatrolStatus.CANCELLED),
        "started_on_time": sum(f.on_time for f in planned),
        "completed": completed,
        "missed": sum(f.missed for f in planned),
        "incomplete": sum(f.incomplete for f in planned),
        "completion": _ratio(completed, len(planned)),
        "checkpoints_planned": checkpoints,
        "checkpoints_visited": visited,
        "checkpoint_coverage": _ratio(visited, checkpoints),
        "length_m": round(length, 1),
        "covered_m": round(covered, 1),
        "segment_coverage": _ratio(covered, length),
        "patrols": len(started),
        "unplanned": sum(1 for f in started if f.patrol.planned_start is None),
        "joint": sum(1 for f in started if f.patrol.joint),
        "hours": round(sum(f.hours for f in started), 2),
        "km": round(sum(f.patrol.distance_m for f in started) / 1000.0, 2),
        "person_days": len(people),
        "synthetic": sum(1 for f in facts if f.patrol.synthetic),
    }


def _coverage(segments: Sequence[Segment], facts: Sequence[Fact],
              within_m: float) -> dict[int, float]:
    """Covered metres per segment id by the tracks of ``facts``."""
    if not segments:
        return {}
    lines = [line for f in facts for line in f.lines]
    if not lines:
        return {s.id: 0.0 for s in segments}
    result = segment_coverage([(str(s.id), s.geometry) for s in segments], lines, within_m)
    # the stored geodesic length along the line is the denominator; the engine's the share
    return {s.id: s.length_m * r.coverage for s, r in zip(segments, result, strict=True)}


def _sum(segments: Iterable[Segment], covered: dict[int, float]) -> tuple[float, float]:
    segments = list(segments)
    return sum(s.length_m for s in segments), sum(covered.get(s.id, 0.0) for s in segments)


def _patrol_item(f: Fact, *, names: dict[int, str], segments: dict[int, Segment],
                 checkpoints: dict[int, str], language: str) -> dict[str, Any]:
    p = f.patrol
    late = None
    if f.started is not None and p.planned_start is not None:
        late = round((f.started - p.planned_start).total_seconds() / 60.0, 1)
    segment = segments.get(p.segment_id or 0)
    return {"id": p.id, "client_id": p.client_id, "status": p.status.value,
            "post_id": p.post_agency_id, "post": names.get(p.post_agency_id, ""),
            "segment_id": p.segment_id, "segment": segment.code if segment else "",
            "planned_start": p.planned_start, "started_at": f.started,
            "late_minutes": late, "checkpoints_planned": f.planned_checkpoints,
            "checkpoints_visited": f.visited_checkpoints,
            "checkpoints_missed": [checkpoints.get(i, str(i)) for i in f.missed_checkpoints],
            "synthetic": p.synthetic}


def _agency_names(session: Session, ids: Iterable[int], language: str) -> dict[int, str]:
    ids = sorted(set(ids))
    names: dict[int, str] = {}
    for part in _chunks(ids):
        for a in session.scalars(select(Agency).where(Agency.id.in_(part))):
            names[a.id] = a.display_name(language)
    return names


def _load_segments(session: Session, user: User, *, post_id: int | None,
                   segment_id: int | None) -> list[Segment]:
    where = segment_scope(session, user)
    if post_id is not None:
        where.append(DefenceSegment.post_agency_id == post_id)
    if segment_id is not None:
        where.append(DefenceSegment.id == segment_id)
    return [Segment(s.id, s.code, s.name, s.post_agency_id, s.length_m, shape(s.geometry))
            for s in session.scalars(select(DefenceSegment).where(*where)
                                     .order_by(DefenceSegment.code))]


def _results(session: Session, facts: Sequence[Fact], language: str) -> list[dict[str, Any]]:
    counts: Counter[int] = Counter()
    for part in _chunks([f.patrol.id for f in facts if f.is_started]):
        counts.update(session.scalars(select(Observation.category_id).where(
            Observation.patrol_id.in_(part))))
    if not counts:
        return []
    categories = {c.id: c for c in session.scalars(select(ObservationCategory).where(
        ObservationCategory.id.in_(sorted(counts))))}
    out = [{"category_id": cid, "code": categories[cid].code,
            "label": categories[cid].label_en if language == "en" else categories[cid].label_zh,
            "count": n} for cid, n in counts.items()]
    return sorted(out, key=lambda r: (-r["count"], r["code"]))


def _targets(session: Session, user: User, facts: Sequence[Fact], *, start: date, end: date,
             post_id: int | None, segment_id: int | None, names: dict[int, str],
             segments: dict[int, Segment], zone: ZoneInfo) -> list[dict[str, Any]]:
    """Each active target the user's organisation set, per period of its own, met or not:
    patrols of the post (and segment) started in it, each at least ``min_minutes`` long."""
    where = [PatrolTarget.owner_org_id == user.organisation_id, PatrolTarget.active.is_(True)]
    area = area_of(session, user)
    if area.post_id is not None:
        where.append(PatrolTarget.post_agency_id == area.post_id)
    if post_id is not None:
        where.append(PatrolTarget.post_agency_id == post_id)
    if segment_id is not None:
        where.append(PatrolTarget.segment_id == segment_id)
    out = []
    for target in session.scalars(select(PatrolTarget).where(*where).order_by(PatrolTarget.id)):
        period = target.period.value
        count: Counter[str] = Counter()
        for f in facts:
            p = f.patrol
            if (not f.is_started or p.post_agency_id != target.post_agency_id
                    or (target.segment_id is not None and p.segment_id != target.segment_id)
                    or f.hours * 60.0 + 1e-9 < target.min_minutes):
                continue
            count[bucket(f.started.astimezone(zone).date(), period)] += 1
        periods = []
        for key in buckets(start, end, period):
            first, last = _bucket_range(key, period)
            periods.append({"key": key, "patrols": count[key], "met": count[key] >= (
                target.min_patrols), "partial": first < start or last > end})
        segment = segments.get(target.segment_id or 0)
        out.append({"id": target.id, "post_id": target.post_agency_id,
                    "post": names.get(target.post_agency_id, ""),
                    "segment_id": target.segment_id, "segment": segment.code if segment else "",
                    "period": period, "min_patrols": target.min_patrols,
                    "min_minutes": target.min_minutes, "periods": periods,
                    "met": sum(p["met"] for p in periods),
                    "unmet": sum(not p["met"] for p in periods)})
    return out


def _check_range(start: date, end: date, period: str) -> None:
    if period not in PERIODS:
        raise Invalid(_("Choose one of the listed values."), field="period")
    if start > end:
        raise Invalid(_("The start date is after the end date."), field="from")
    if (end - start).days > MAX_DAYS:
        raise Invalid(_("Choose a range of at most three years."), field="to")


def _check_filters(session: Session, user: User, *, post_id: int | None,
                   segment_id: int | None, agency_id: int | None) -> None:
    """A filter naming something the user may not see is a 404, like the record itself."""
    if segment_id is not None and session.scalars(select(DefenceSegment.id).where(
            DefenceSegment.id == segment_id, *segment_scope(session, user))).first() is None:
        raise NotFound(_("No such segment."), field="segment")
    area = area_of(session, user)
    if post_id is not None and (session.get(Agency, post_id) is None or (
            area.post_id is not None and post_id != area.post_id)):
        raise NotFound(_("No such post."), field="post")
    if agency_id is not None and session.get(Agency, agency_id) is None:
        raise NotFound(_("No such agency."), field="agency")


def today(settings: PatrolSettings) -> date:
    return datetime.now(ZoneInfo(settings.zone)).date()


def measures(session: Session, *, user: User, settings: PatrolSettings, start: date, end: date,
             period: str = "day", post_id: int | None = None, segment_id: int | None = None,
             agency_id: int | None = None, now: datetime | None = None) -> dict[str, Any]:
    """Every measure over ``start``..``end`` (dates in the unit's zone, inclusive), with rows
    by period, post, segment and agency, the missed and incomplete patrols, results and
    targets. JSON-ready (datetimes left as datetimes)."""
    capabilities.require(user, CAPABILITY)
    _check_range(start, end, period)
    _check_filters(session, user, post_id=post_id, segment_id=segment_id, agency_id=agency_id)
    now = now or datetime.now(UTC)
    zone = ZoneInfo(settings.zone)
    language = context.current().language
    since = datetime.combine(start, time.min, zone).astimezone(UTC)
    until = datetime.combine(end + timedelta(days=1), time.min, zone).astimezone(UTC)
    slack = timedelta(days=1)  # a phone's start may be hours before the server heard of it
    where = [*patrol_scope(session, user), or_(
        and_(Patrol.planned_start >= since, Patrol.planned_start < until),
        and_(Patrol.planned_start.is_(None), Patrol.started_at >= since - slack,
             Patrol.started_at < until + slack))]
    if post_id is not None:
        where.append(Patrol.post_agency_id == post_id)
    if segment_id is not None:
        where.append(Patrol.segment_id == segment_id)
    patrols = session.scalars(select(Patrol).where(*where)).all()
    facts = [f for f in _facts(session, patrols, settings=settings, zone=zone, now=now)
             if since <= f.when < until]
    if agency_id is not None:
        facts = [f for f in facts if agency_id in f.member_agencies]
    segments = _load_segments(session, user, post_id=post_id, segment_id=segment_id)
    by_id = {s.id: s for s in segments}
    d = settings.coverage_m
    covered = _coverage(segments, facts, d)

    names = _agency_names(session, itertools.chain(
        (f.patrol.post_agency_id for f in facts), (a for f in facts for a in f.member_agencies),
        (s.post_id for s in segments if s.post_id), [post_id or 0, agency_id or 0]), language)
    checkpoint_ids = sorted({c for f in facts for c in f.missed_checkpoints})
    checkpoints = {c.id: c.code for part in _chunks(checkpoint_ids) for c in session.scalars(
        select(Checkpoint).where(Checkpoint.id.in_(part)))}
    for f in facts:  # segments a patrol was planned on, outside the filter, for the lists
        if f.patrol.segment_id and f.patrol.segment_id not in by_id:
            s = session.get(DefenceSegment, f.patrol.segment_id)
            if s is not None:
                by_id[s.id] = Segment(s.id, s.code, s.name, s.post_agency_id, s.length_m, None)

    total = _row("total", _("Total"), facts, _sum(segments, covered))
    by_period = []
    for key in buckets(start, end, period):
        inside = [f for f in facts if bucket(f.day, period) == key]
        by_period.append(_row(key, key, inside, _sum(segments, _coverage(segments, inside, d))))
    posts = sorted({s.post_id for s in segments if s.post_id}
                   | {f.patrol.post_agency_id for f in facts}, key=lambda i: names.get(i, ""))
    by_post = [_row(p, names.get(p, str(p)), [f for f in facts if f.patrol.post_agency_id == p],
                    _sum((s for s in segments if s.post_id == p), covered)) for p in posts]
    by_segment = [_row(s.id, f"{s.code} {s.name}".strip(),
                       [f for f in facts if f.patrol.segment_id == s.id], _sum([s], covered))
                  for s in segments]
    agencies = sorted({a for f in facts for a in f.member_agencies},
                      key=lambda i: names.get(i, ""))
    if agency_id is not None:
        agencies = [agency_id]
    by_agency = []
    for a in agencies:
        inside = [f for f in facts if a in f.member_agencies]
        by_agency.append(_row(a, names.get(a, str(a)), inside,
                              _sum(segments, _coverage(segments, inside, d))))

    def items(pick) -> list[dict[str, Any]]:
        return [_patrol_item(f, names=names, segments=by_id, checkpoints=checkpoints,
                             language=language) for f in facts if pick(f)]

    return {
        "from": start, "to": end, "period": period, "timezone": settings.zone,
        "coverage_m": d, "tolerance_min": settings.start_tolerance_min,
        "filters": {"post": post_id, "segment": segment_id, "agency": agency_id},
        "filter_labels": {
            "post": names.get(post_id, "") if post_id else "",
            "segment": by_id[segment_id].code if segment_id in by_id else "",
            "agency": names.get(agency_id, "") if agency_id else ""},
        "synthetic": total["synthetic"],
        "total": total, "by_period": by_period, "by_post": by_post, "by_segment": by_segment,
        "by_agency": by_agency,
        "missed": items(lambda f: f.missed),
        "incomplete": items(lambda f: f.incomplete),
        "results": _results(session, facts, language),
        "targets": _targets(session, user, facts, start=start, end=end, post_id=post_id,
                            segment_id=segment_id, names=names, segments=by_id, zone=zone),
    }


def choices(session: Session, *, user: User) -> dict[str, list[tuple[int, str]]]:
    """Posts, segments and agencies the filters offer: what the user's patrols and segments
    name."""
    capabilities.require(user, CAPABILITY)
    language = context.current().language
    segments = session.scalars(select(DefenceSegment).where(*segment_scope(session, user))
                               .order_by(DefenceSegment.code)).all()
    posts = {s.post_agency_id for s in segments if s.post_agency_id}
    posts |= set(session.scalars(select(Patrol.post_agency_id).where(
        *patrol_scope(session, user)).distinct()))
    members = set(session.scalars(select(PatrolMember.agency_id).where(
        PatrolMember.patrol_id.in_(select(Patrol.id).where(*patrol_scope(session, user))))
        .distinct()))
    names = _agency_names(session, posts | members, language)
    return {"posts": sorted(((p, names.get(p, "")) for p in posts), key=lambda x: x[1]),
            "segments": [(s.id, f"{s.code} {s.name}".strip()) for s in segments],
            "agencies": sorted(((a, names.get(a, "")) for a in members), key=lambda x: x[1])}


# -- blind spots --------------------------------------------------------------------------

def _pieces(geometry: Any, step_m: float) -> list[tuple[Any, float]]:
    """A lon/lat line cut into pieces about ``step_m`` long (planar, in a local plane), each
    with its share of the line's length."""
    plane = local_metric(geometry)
    flat = plane.to_metric(geometry)
    parts = list(flat.geoms) if flat.geom_type.startswith("Multi") else [flat]
    total = sum(p.length for p in parts) or 1.0
    out = []
    for part in parts:
        n = max(1, int(np.ceil(part.length / step_m)))
        for k in range(n):
            piece = substring(part, part.length * k / n, part.length * (k + 1) / n)
            if piece.geom_type == "LineString" and piece.length > 0:
                out.append((plane.to_lonlat(piece), piece.length / total))
    return out


def blind_spots(session: Session, *, user: User, settings: PatrolSettings,
                days: int | None = None, now: datetime | None = None) -> dict[str, Any]:
    """Stretches of the user's segments that no kept track came within ``coverage_m`` of in
    the last ``days`` days, as a GeoJSON FeatureCollection (one feature per stretch; a whole
    segment when nothing came near it)."""
    capabilities.require(user, CAPABILITY)
    days = settings.blind_spot_days if days is None else days
    if not 1 <= days <= 366:
        raise Invalid(_("Choose between 1 and 366 days."), field="days")
    now = now or datetime.now(UTC)
    since = now - timedelta(days=days)
    segments = _load_segments(session, user, post_id=None, segment_id=None)
    ids = session.scalars(select(Patrol.id).where(
        *patrol_scope(session, user), Patrol.status != PatrolStatus.CANCELLED,
        Patrol.id.in_(select(TrackChunk.patrol_id).where(TrackChunk.last_at >= since)))).all()
    lines: list[np.ndarray] = []
    for part in _chunks(ids):
        chunks = session.scalars(select(TrackChunk).where(
            TrackChunk.patrol_id.in_(part), TrackChunk.last_at >= since)
            .order_by(TrackChunk.patrol_id, TrackChunk.first_at, TrackChunk.id)).all()
        lines += [np.asarray(line, dtype=float) for line in track_store.kept_lines(chunks)
                  if line]
    per_segment = [(s, _pieces(s.geometry, settings.blind_spot_step_m)) for s in segments]
    flat = [g for _s, pieces in per_segment for g, _share in pieces]
    covered = [r.coverage for r in segment_coverage(
        [(str(i), g) for i, g in enumerate(flat)], lines, settings.coverage_m)] if lines else (
        [0.0] * len(flat))
    features = []
    index = 0
    for segment, pieces in per_segment:
        runs: list[list[tuple[Any, float, float]]] = [[]]  # (geometry, start share, share)
        at = 0.0
        for geometry, share in pieces:
            if covered[index] < 0.5:
                runs[-1].append((geometry, at, share))
            elif runs[-1]:
                runs.append([])
            at += share
            index += 1
        for run in (r for r in runs if r):
            merged = shapely.line_merge(shapely.MultiLineString([g for g, _a, _s in run]))
            first = run[0][1] * segment.length_m
            length = sum(share for _g, _a, share in run) * segment.length_m
            features.append({"type": "Feature", "geometry": shapely.geometry.mapping(merged),
                             "properties": {
                                 "layer": "blind_spot",
                                 "label": _("%(code)s: not patrolled for %(days)d days")
                                 % {"code": segment.code, "days": days},
                                 "segment_id": segment.id, "segment": segment.code,
                                 "segment_name": segment.name, "post_id": segment.post_id,
                                 "from_m": round(first, 1), "to_m": round(first + length, 1),
                                 "length_m": round(length, 1),
                                 "whole_segment": len(run) == len(pieces), "days": days}})
    return {"type": "FeatureCollection", "features": features, "days": days,
            "coverage_m": settings.coverage_m, "since": since.isoformat()}


__all__ = ["CAPABILITY", "GROUPINGS", "PERIODS", "PERIOD_LABELS", "Area", "area_of",
           "blind_spots", "bucket", "buckets", "choices", "measures", "patrol_scope",
           "segment_scope", "today"]

