"""Evaluations' services: indicator sets (versioned), monthly assessments, annual ratings and a
person's history. Need-to-know is ``evaluations.access``; services never commit."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core import events
from bastion.core.db import utcnow
from bastion.core.errors import Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.evaluations import access, rules
from bastion.evaluations.defaults import DEFAULTS
from bastion.evaluations.models import (
    Assessment,
    Indicator,
    IndicatorSet,
    Population,
    Rating,
    RatingOverride,
    Score,
)
from bastion.evaluations.schemas import AssessmentIn, IndicatorSetIn, OverrideIn
from bastion.org import capabilities
from bastion.org.models import User

# --- indicator sets -------------------------------------------------------------------------

def set_for(session: Session, *, org_id: int, population: Population, on: date,
            create: bool = True) -> IndicatorSet | None:
    """The version in force on ``on`` (the earliest one for a month before them all); the
    shipped defaults become version 1 when the organisation has none."""
    base = select(IndicatorSet).where(IndicatorSet.org_id == org_id,
                                      IndicatorSet.population == population)
    found = session.scalar(base.where(IndicatorSet.valid_from <= on)
                           .order_by(IndicatorSet.version.desc()).limit(1))
    found = found or session.scalar(base.order_by(IndicatorSet.version).limit(1))
    if found is None and create:
        found = _save_set(session, None, org_id, population, date(2000, 1, 1),
                          [dict(zip(("code", "name_zh", "name_en", "weight", "max_score"), row,
                                    strict=True)) for row in DEFAULTS[population]],
                          rules.DEFAULT_RULE)
    return found


def indicators(session: Session, indicator_set: IndicatorSet) -> list[Indicator]:
    return list(session.scalars(select(Indicator).where(Indicator.set_id == indicator_set.id)
                                .order_by(Indicator.position, Indicator.id)))


def _save_set(session: Session, user: User | None, org_id: int, population: Population,
              valid_from: date, rows: list[dict[str, Any]], rule: dict[str, Any]) -> IndicatorSet:
    version = (session.scalar(select(func.max(IndicatorSet.version)).where(
        IndicatorSet.org_id == org_id, IndicatorSet.population == population)) or 0) + 1
    row = IndicatorSet(org_id=org_id, population=population, version=version,
                       valid_from=valid_from, rating_rule=rule,
                       created_by_id=user.id if user else None)
    session.add(row)
    session.flush()
    session.add_all(Indicator(set_id=row.id, position=n, **i) for n, i in enumerate(rows))
    session.flush()
    return row


def save_set(session: Session, *, user: User, data: IndicatorSetIn) -> IndicatorSet:
    """A new version of the user's organisation's indicators, in force from ``valid_from``."""
    capabilities.require(user, "evaluations.indicators")
    population = access.population_for(user)
    if population is None:
        raise NotFound(_("Your organisation assesses nobody."))
    codes = [i.code for i in data.indicators]
    for n, code in enumerate(codes):
        if codes.index(code) != n:
            raise Invalid(_("The indicator %(code)s repeats.") % {"code": code},
                          field=f"indicators[{n}].code")
    row = _save_set(session, user, user.organisation_id, population, data.valid_from,
                    [i.model_dump() for i in data.indicators],
                    data.rating_rule.model_dump(mode="json"))
    audit.record(session, action=AuditAction.CREATE, actor=user,
                 record_kind="eval_indicator_set", record_id=row.id,
                 summary=f"indicators {population.value} v{row.version}")
    return row


def public_set(session: Session, s: IndicatorSet) -> dict[str, Any]:
    return {"id": s.id, "population": s.population.value, "version": s.version,
            "valid_from": s.valid_from.isoformat(), "rating_rule": s.rating_rule,
            "indicators": [{"id": i.id, "code": i.code, "name_zh": i.name_zh,
                            "name_en": i.name_en, "weight": i.weight, "max_score": i.max_score}
                           for i in indicators(session, s)]}


def current_set(session: Session, *, user: User, on: date) -> IndicatorSet:
    capabilities.require(user, access.READ)
    population = access.population_for(user)
    if population is None:
        raise NotFound(_("Your organisation assesses nobody."))
    found = set_for(session, org_id=user.organisation_id, population=population, on=on)
    assert found is not None
    return found


# --- assessments ----------------------------------------------------------------------------

def listing(user: User, *, month: date | None = None, person_id: int | None = None,
            year: int | None = None) -> Select[tuple[Assessment]]:
    query = access.assessments_query(user)
    if month is not None:
        query = query.where(Assessment.month == month)
    if year is not None:
        query = query.where(Assessment.month >= date(year, 1, 1),
                            Assessment.month < date(year + 1, 1, 1))
    if person_id is not None:
        query = query.where(Assessment.person_id == person_id)
    return query.order_by(Assessment.month.desc(), Assessment.person_id)


def get(session: Session, *, user: User, assessment_id: int) -> Assessment:
    row = session.scalar(access.assessments_query(user).where(Assessment.id == assessment_id))
    if row is None:
        raise NotFound(_("No such assessment."))
    return row


def scores_of(session: Session, assessments: list[Assessment]) -> dict[int, dict[int, float]]:
    found: dict[int, dict[int, float]] = {a.id: {} for a in assessments}
    if assessments:
        for s in session.scalars(select(Score).where(Score.assessment_id.in_(list(found)))):
            found[s.assessment_id][s.indicator_id] = s.score
    return found


def save_assessment(session: Session, *, user: User, data: AssessmentIn,
                    field_prefix: str = "") -> tuple[Assessment, bool]:
    """Write (or rewrite) a person's assessment for a month; ``(row, created)``."""
    capabilities.require(user, "evaluations.assess")
    person = access.find_person(session, user, data.person_id)
    population = access.population_for(user)
    assert population is not None
    existing = session.scalar(select(Assessment).where(
        Assessment.person_id == person.id, Assessment.population == population,
        Assessment.month == data.month))
    indicator_set = (session.get(IndicatorSet, existing.set_id) if existing else
                     set_for(session, org_id=person.org_id, population=population, on=data.month))
    assert indicator_set is not None
    known = indicators(session, indicator_set)
    by_code = {i.code: i for i in known}
    for code in data.scores:
        if code not in by_code:
            raise Invalid(_("There is no indicator %(code)s.") % {"code": code},
                          field=f"{field_prefix}scores.{code}")
    values: dict[int, float] = {}
    for i in known:
        if i.code not in data.scores:
            raise Invalid(_("Give a score for %(code)s.") % {"code": i.code},
                          field=f"{field_prefix}scores.{i.code}")
        value = data.scores[i.code]
        if value > i.max_score:
            raise Invalid(_("The score for %(code)s is at most %(max)s.")
                          % {"code": i.code, "max": f"{i.max_score:g}"},
                          field=f"{field_prefix}scores.{i.code}")
        values[i.id] = value
    created = existing is None
    row = existing or Assessment(person_id=person.id, org_id=person.org_id, population=population,
                                 month=data.month, set_id=indicator_set.id)
    row.unit_id = person.unit_id
    row.total = rules.total(known, values)
    row.comments = data.comments
    row.assessor_id = user.id
    row.updated_at = utcnow()
    if created:
        session.add(row)
        session.flush()
    else:
        for s in session.scalars(select(Score).where(Score.assessment_id == row.id)):
            session.delete(s)
        session.flush()
    session.add_all(Score(assessment_id=row.id, indicator_id=k, score=v) for k, v in values.items())
    session.flush()
    audit.record(session, action=AuditAction.CREATE if created else AuditAction.UPDATE,
                 actor=user, record_kind=Assessment.record_kind, record_id=row.id,
                 summary=f"assessment of person {person.id} for {data.month:%Y-%m}")
    events.emit(session, kind="evaluations.assessed", actor_id=user.id,
                record_kind=Assessment.record_kind, record_id=row.id,
                payload={"month": data.month.strftime("%Y-%m")})
    return row, created


def public(session: Session, a: Assessment, names: dict[int, str] | None = None,
           scores: dict[int, float] | None = None) -> dict[str, Any]:
    if scores is None:
        scores = scores_of(session, [a])[a.id]
    codes = {i.id: i.code for i in session.scalars(
        select(Indicator).where(Indicator.set_id == a.set_id))}
    return {"id": a.id, "person_id": a.person_id, "person": (names or {}).get(a.person_id),
            "unit_id": a.unit_id, "population": a.population.value,
            "month": a.month.strftime("%Y-%m"), "set_id": a.set_id, "total": a.total,
            "scores": {codes[k]: v for k, v in scores.items() if k in codes},
            "comments": a.comments, "assessor_id": a.assessor_id,
            "updated_at": a.updated_at}


# --- annual ratings -------------------------------------------------------------------------

def annual(session: Session, *, user: User, year: int) -> list[dict[str, Any]]:
    """Each person the user may see with the year's assessments: months, mean, the rule's
    rating, the override and the rating that stands."""
    rows = list(session.execute(
        access.assessments_query(user).with_only_columns(
            Assessment.person_id, Assessment.org_id, Assessment.unit_id, Assessment.population,
            Assessment.total)
        .where(Assessment.month >= date(year, 1, 1), Assessment.month < date(year + 1, 1, 1))))
    overrides = {(o.person_id, o.population): o for o in session.scalars(
        access.overrides_query(user).where(RatingOverride.year == year))}
    gathered: dict[tuple[int, Population], dict[str, Any]] = {}
    for person_id, org_id, unit_id, population, value in rows:
        entry = gathered.setdefault((person_id, population), {
            "person_id": person_id, "org_id": org_id, "unit_id": unit_id,
            "population": population, "totals": []})
        entry["totals"].append(value)
    people = {p.id: p for p in access.people(session, user)}
    sets: dict[tuple[int, Population], IndicatorSet | None] = {}
    out = []
    for key, entry in gathered.items():
        org_key = (entry["org_id"], entry["population"])
        if org_key not in sets:
            sets[org_key] = set_for(session, org_id=entry["org_id"],
                                    population=entry["population"], on=date(year, 12, 31))
        rule = sets[org_key].rating_rule if sets[org_key] else rules.DEFAULT_RULE
        derived = rules.derive(rule, entry["totals"])
        override = overrides.get(key)
        person = people.get(entry["person_id"])
        out.append({"person_id": entry["person_id"], "person": person.name if person else None,
                    "unit_id": entry["unit_id"], "population": entry["population"].value,
                    "months": len(entry["totals"]), "mean": rules.mean(entry["totals"]),
                    "derived": derived.value if derived else None,
                    "override": override.rating.value if override else None,
                    "reason": override.reason if override else None,
                    "rating": (override.rating.value if override else
                               derived.value if derived else None)})
    out.sort(key=lambda r: (-(r["mean"] or 0), r["person_id"]))
    return out


def set_override(session: Session, *, user: User, data: OverrideIn) -> RatingOverride | None:
    capabilities.require(user, "evaluations.rate")
    person = access.find_person(session, user, data.person_id)
    population = access.population_for(user)
    row = session.scalar(select(RatingOverride).where(
        RatingOverride.person_id == person.id, RatingOverride.population == population,
        RatingOverride.year == data.year))
    if data.rating is None:
        if row is not None:
            session.delete(row)
            session.flush()
        audit.record(session, action=AuditAction.DELETE, actor=user,
                     record_kind="eval_rating_override", record_id=person.id,
                     summary=f"rating of person {person.id} for {data.year} back to the rule")
        return None
    reason = data.reason.strip()
    if not reason:
        raise Invalid(_("Say why the rating differs from the rule's."), field="reason")
    if row is None:
        row = RatingOverride(person_id=person.id, org_id=person.org_id, population=population,
                             year=data.year, rating=data.rating, reason=reason)
        session.add(row)
    row.rating, row.reason, row.set_by_id, row.set_at = data.rating, reason, user.id, utcnow()
    session.flush()
    audit.record(session, action=AuditAction.UPDATE, actor=user,
                 record_kind="eval_rating_override", record_id=row.id, reason=reason,
                 summary=f"rating of person {person.id} for {data.year}: {data.rating.value}")
    return row


def rating_counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    counts = {r.value: 0 for r in Rating}
    for row in rows:
        if row["rating"]:
            counts[row["rating"]] += 1
    return counts


# --- a person's history ---------------------------------------------------------------------

def history(session: Session, *, user: User, person_id: int) -> dict[str, Any]:
    """A person's assessments, month by month, and their ratings by year (an audited read)."""
    person = access.find_person(session, user, person_id)
    access.audited_read(session, user=user, person=person)
    rows = list(session.scalars(listing(user, person_id=person.id).order_by(None)
                                .order_by(Assessment.month)))
    scores = scores_of(session, rows)
    years = sorted({a.month.year for a in rows})
    ratings = []
    for year in years:
        ratings += [{**r, "year": year} for r in annual(session, user=user, year=year)
                    if r["person_id"] == person.id]
    return {"person": {"id": person.id, "name": person.name, "unit_id": person.unit_id},
            "assessments": [public(session, a, {person.id: person.name}, scores[a.id])
                            for a in rows],
            "ratings": ratings}
