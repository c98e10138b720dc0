"""SYNTHETIC evaluations for the demo: the Napo posts' auxiliaries (the duty list's, with
SYNTHETIC auxiliaries added through duty's service so each post has twenty) and the Yangjiang
station's party members, assessed every month of the current year, such that exactly 37
auxiliaries are rated excellent by the shipped rule (the seed report's figure); one rating is
set by a supervisor with a reason."""

from __future__ import annotations

import random
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.duty.rosters import setup as duty
from bastion.duty.rosters.schemas import PersonIn
from bastion.evaluations import access, rules, service
from bastion.evaluations.models import (
    Assessment,
    Population,
    Rating,
    RatingOverride,
    Score,
)
from bastion.org.models import Agency, User

EXCELLENT = 37
PER_POST = 20
SURNAMES = "农黄陆韦梁马覃蒙罗苏岑赵李何陈"
GIVEN = ("振华", "文斌", "丽萍", "海峰", "建平", "小燕", "永福", "德明", "桂兰", "国文", "建华",
         "玉梅", "志强", "春梅", "秀英", "海军", "国强", "春燕", "明亮", "红霞")
# (population's band, low, high score of 10): excellent totals >= 90, competent 76-89, ...
BANDS = {Rating.EXCELLENT: (9.1, 10.0), Rating.COMPETENT: (7.7, 8.8),
         Rating.BASIC: (6.2, 7.3), Rating.INCOMPETENT: (4.5, 5.8)}


def _zone() -> str:
    from bastion.core.config import get_settings

    return get_settings().timezone


def _add_auxiliaries(session: Session, planner: User) -> None:
    posts = list(session.scalars(select(Agency).where(
        Agency.root_id == planner.organisation_id, Agency.code.like("NP-JDC-%"))
        .order_by(Agency.code)))
    # 15 surnames x 20 given names, in a fixed shuffled order; a name someone on the
    # command's list already has is passed over (two 陆春梅 on one command would confuse)
    used = {p.name for p in duty.people_of(session, org_id=planner.organisation_id,
                                           unit_ids=[p.id for p in posts])}
    pool = [n for n in (s + g for s in SURNAMES for g in GIVEN) if n not in used]
    random.Random(7).shuffle(pool)
    names = iter(pool)
    for post in posts:
        have = len(duty.people_of(session, org_id=planner.organisation_id, unit_ids=[post.id]))
        for _k in range(PER_POST - have):
            name = next(names)
            duty.save_person(session, user=planner, synthetic=True,
                             data=PersonIn(name=name, unit_id=post.id, roles=[]))


def _assess(session: Session, *, assessor: User, plan: list[Rating], year: int,
            rng: random.Random) -> list[int]:
    people = access.people(session, assessor)
    population = access.population_for(assessor)
    assert population is not None
    indicator_set = service.set_for(session, org_id=assessor.organisation_id,
                                    population=population, on=date(year, 1, 1))
    assert indicator_set is not None
    found = service.indicators(session, indicator_set)
    made: list[tuple[Assessment, dict[int, float]]] = []
    for person, band in zip(people, plan, strict=False):
        low, high = BANDS[band]
        for month in range(1, 13):
            values = {i.id: round(rng.uniform(low, high) * i.max_score / 10, 1) for i in found}
            made.append((Assessment(
                person_id=person.id, org_id=person.org_id, unit_id=person.unit_id,
                population=population, month=date(year, month, 1), set_id=indicator_set.id,
                total=rules.total(found, values), comments="SYNTHETIC",
                assessor_id=assessor.id), values))
    session.add_all(row for row, _v in made)
    session.flush()
    session.add_all(Score(assessment_id=row.id, indicator_id=k, score=v)
                    for row, values in made for k, v in values.items())
    session.flush()
    return [p.id for p in people]


def load(session: Session, *, users: dict[str, User], now: datetime | None = None) -> None:
    year = (now or datetime.now(ZoneInfo(_zone()))).astimezone(ZoneInfo(_zone())).year
    rng = random.Random(16)
    command = users["huang.command"]
    _add_auxiliaries(session, command)
    count = len(access.people(session, command))
    plan = ([Rating.EXCELLENT] * EXCELLENT
            + [Rating.COMPETENT] * max(0, count - EXCELLENT - 4)
            + [Rating.BASIC] * 3 + [Rating.INCOMPETENT])
    rng.shuffle(plan)
    ids = _assess(session, assessor=command, plan=plan, year=year, rng=rng)
    # a supervisor's rating in place of the rule's (not touching the excellent count)
    competent = next(i for i, band in zip(ids, plan, strict=False) if band == Rating.COMPETENT)
    session.add(RatingOverride(person_id=competent, org_id=command.organisation_id,
                               population=Population.AUXILIARY, year=year,
                               rating=Rating.BASIC, set_by_id=command.id,
                               reason="SYNTHETIC：第三季度两次未按时报送边情信息"))
    station = users["chen.supervisor"]
    members = len(access.people(session, station))
    _assess(session, assessor=station, year=year, rng=rng,
            plan=([Rating.EXCELLENT] * 4 + [Rating.COMPETENT] * members)[:members])
    session.flush()
