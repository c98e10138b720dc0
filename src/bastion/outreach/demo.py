"""SYNTHETIC legal-outreach visits for the demo: exactly 680 operational visits in the current
year to the Napo posts' linked villages, reaching exactly 40,000 people (the seed report's
figures), at least 2 a village every past month; in the current month two villages are
deliberately behind (one visit and none), so the compliance board shows red. One visit made
in a drill is added too, marked, and counted nowhere."""

from __future__ import annotations

import calendar
import random
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bastion.org.models import User
from bastion.outreach.links import linked
from bastion.outreach.models import OutreachVisit
from bastion.outreach.topics import TOPICS

VISITS = 680
PEOPLE = 40_000
MATERIALS = ("《中华人民共和国陆地国界法》宣传册", "反走私宣传折页", "防范电信网络诈骗宣传单",
             "边境防疫须知", "禁毒宣传挂图")
OFFICERS = ("农文光", "何海龙", "陆春梅", "韦国平", "梁永")


def _zone() -> str:
    from bastion.core.config import get_settings

    return get_settings().timezone


def plan(villages: int, months: int, total: int = VISITS) -> list[list[int]]:
    """Visits per (month, village): the last month has two villages behind (1 and 0), every
    other cell at least 2, and the whole exactly ``total``."""
    current = [2] * villages
    if villages >= 2:
        current[-2], current[-1] = 1, 0
    rows = [[2] * villages for _m in range(months - 1)] + [current]
    left = total - sum(map(sum, rows))
    open_cells = [(m, v) for m in range(months - 1) for v in range(villages)] or [
        (months - 1, v) for v in range(max(1, villages - 2))]
    for k in range(left):
        m, v = open_cells[k % len(open_cells)]
        rows[m][v] += 1
    return rows


def attendees(n: int, total: int, rng: random.Random) -> list[int]:
    """``n`` counts summing to exactly ``total``, varied in pairs so the sum holds."""
    found = [total // n + (1 if k < total % n else 0) for k in range(n)]
    for k in range(0, n - 1, 2):
        d = rng.randint(0, min(25, found[k + 1] - 5))
        found[k] += d
        found[k + 1] -= d
    return found


def load(session: Session, *, users: dict[str, User], now: datetime | None = None) -> None:
    zone = ZoneInfo(_zone())
    today = (now or datetime.now(zone)).astimezone(zone).date()
    command = users["huang.command"]
    links = linked(session, user=command)
    if not links:
        return
    rng = random.Random(17)
    counts = plan(len(links), today.month)
    people = attendees(VISITS, PEOPLE, rng)
    topics = list(TOPICS)[:-1]
    rows, n = [], 0
    for m, per_village in enumerate(counts, start=1):
        last_day = today.day if m == today.month else calendar.monthrange(today.year, m)[1]
        for link, k_visits in zip(links, per_village, strict=True):
            for k in range(k_visits):
                day = 1 + (k * 11 + link.village_id * 3) % last_day
                rows.append(OutreachVisit(
                    org_id=command.organisation_id, post_agency_id=link.post_agency_id,
                    village_id=link.village_id, visited_on=date(today.year, m, day),
                    topic=topics[(n + m) % len(topics)], attendees=people[n],
                    officers=[OFFICERS[n % len(OFFICERS)], OFFICERS[(n + 2) % len(OFFICERS)]],
                    materials=MATERIALS[n % len(MATERIALS)], materials_count=20 + n % 60,
                    notes="SYNTHETIC", synthetic=True, created_by_id=command.id))
                n += 1
    first = links[0]
    rows.append(OutreachVisit(
        org_id=command.organisation_id, post_agency_id=first.post_agency_id,
        village_id=first.village_id, visited_on=today, topic="anti_illegal_crossing",
        attendees=35, officers=[OFFICERS[0]], materials=MATERIALS[0], materials_count=10,
        notes="SYNTHETIC：军警民联合演练中的宣传环节", synthetic=True, exercise=True,
        created_by_id=command.id))
    session.add_all(rows)
    session.flush()
