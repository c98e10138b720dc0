"""SYNTHETIC cases for the demo, shown as such: on the land border, three cross-border crime
cases with five persons in all, worked by the posts with their auxiliaries and shared with the
border police and the port station (海陆联防); an open case with an overdue task; a drill kept
out of the figures; tips from the Nianjing village committee, one acted on. At sea (after the
synthetic AIS day, ``load_sea``): six cases opened from the demo's vessel alerts, each closed
"hazard eliminated" — the seed report's "6 hazards eliminated through the vessel risk model" —
and one open, shared with customs."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.cases import service, tips
from bastion.cases.models import Case, Realm, TipKind
from bastion.cases.schemas import CaseIn, CloseIn, TaskIn, TipIn
from bastion.core.db import utcnow
from bastion.core.errors import BastionError
from bastion.core.marking import TLP, Distribution
from bastion.org.models import Agency, User
from bastion.org.sharing import MarkingIn

# title, post, place (lon, lat), outcome, persons, days ago opened, hours to close, note
CROSS_BORDER = [
    ("平孟口岸东侧便道走私冻品（模拟）", "NP-JDC-PM", (105.98, 22.93), "smuggling_case", 2, 52, 30,
     "辅警何海龙协助蹲守，查获冻品两车，2人移交边境管理大队。"),
    ("百南界碑附近非法越境（模拟）", "NP-JDC-BN", (106.12, 22.98), "illegal_crossing_case", 2, 33, 8,
     "辅警陆春梅发现并报告，2名越方人员移交边境管理大队。"),
    ("百都村道摩托车走私香烟（模拟）", "NP-JDC-BD", (106.25, 23.02), "smuggling_case", 1, 12, 20,
     "辅警协助设卡拦截，查获香烟40条，1人移交。"),
]
TIPS = [
    (TipKind.SUSPICIOUS_PERSONS, "村后山路有3名陌生人背大包往界碑方向走（模拟）", 20, True),
    (TipKind.DAMAGED_FENCE, "1047号界碑旁铁丝网被剪开一米多（模拟）", 6, False),
    (TipKind.SMUGGLING, "夜里有摩托车多次往返河边，疑似运货（模拟）", 2, False),
]


def _users(session: Session) -> dict[str, User]:
    return {u.username: u for u in session.scalars(select(User))}


def _agency(session: Session, code: str) -> Agency | None:
    return session.scalar(select(Agency).where(Agency.code == code))


def load(session: Session, *, users: dict[str, User] | None = None,
         now: datetime | None = None) -> int:
    """The land cases and tips; the sea cases too when the demo's alerts are there."""
    users = users or _users(session)
    now = now or utcnow()
    command = users.get("huang.command")
    if command is None:
        return 0
    partners = [a.id for a in (_agency(session, "NP-POL"), _agency(session, "YJ-BIS")) if a]
    made = 0
    for title, post, (lon, lat), outcome, persons, ago, hours, note in CROSS_BORDER:
        unit = _agency(session, post)
        opened = now - timedelta(days=ago)
        case = service.open_case(session, user=command, now=opened, synthetic=True, data=CaseIn(
            title=title, realm=Realm.LAND, unit_id=unit.id if unit else None,
            occurred_at=opened - timedelta(hours=2),
            geometry={"type": "Point", "coordinates": [lon, lat]},
            marking=MarkingIn(tlp=TLP.AMBER, distribution=Distribution.NAMED,
                              agency_ids=partners)))
        service.add_event(session, case, "note", command, note, at=opened + timedelta(hours=1))
        service.close(session, user=command, case_id=case.id, now=opened + timedelta(hours=hours),
                      data=CloseIn(outcome=outcome, persons=persons, note=note))
        made += 1
    # still open: a path seen by patrol, an overdue task for the post
    post_user = users.get("nong.post")
    path = service.open_case(session, user=command, now=now - timedelta(days=3), synthetic=True,
                             data=CaseIn(title="1047号界碑东侧新踩便道（模拟）", realm=Realm.LAND,
                                         unit_id=post_user.agency_id if post_user else None,
                                         geometry={"type": "LineString", "coordinates": [
                                             [105.97, 22.92], [105.975, 22.925],
                                             [105.981, 22.927]]}))
    if post_user is not None:
        service.add_task(session, user=command, case_id=path.id, now=now - timedelta(days=3),
                         data=TaskIn(title="会同边境管理大队实地核查并布控", owner_id=post_user.id,
                                     due_at=now - timedelta(days=1)))
    drill = service.open_case(session, user=command, now=now - timedelta(days=9), synthetic=True,
                              data=CaseIn(title="反走私联合演练：界河货物偷运（模拟）",
                                          realm=Realm.LAND, exercise=True))
    service.close(session, user=command, case_id=drill.id, now=now - timedelta(days=9, hours=-4),
                  data=CloseIn(outcome="smuggling_case", persons=3, note="演练结束"))
    made += 2
    made += _tips(session, users, now)
    made += load_sea(session, users=users, now=now)
    return made


def _tips(session: Session, users: dict[str, User], now: datetime) -> int:
    reporter, command = users.get("ma.village"), users.get("huang.command")
    if reporter is None or command is None:
        return 0
    made = 0
    for kind, text, ago, acted in TIPS:
        at = now - timedelta(days=ago)
        try:
            tip, _new = tips.submit(session, user=reporter, now=at, synthetic=True, data=TipIn(
                client_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"bastion-demo-tip:{text}")),
                kind=kind, description=text, device_at=at - timedelta(minutes=5)))
        except BastionError:  # the committee has no village with a post (no border demo)
            return made
        made += 1
        if acted:
            service.close(session, user=command, case_id=tip.case_id,
                          now=at + timedelta(hours=6),
                          data=CloseIn(outcome="handed_to_police", persons=3,
                                       note="联防所会同边境管理大队查处，3人移交（模拟）"))
    return made


def load_sea(session: Session, *, users: dict[str, User] | None = None,
             now: datetime | None = None) -> int:
    """Cases from the demo's vessel alerts: six closed "hazard eliminated", one open and
    shared with customs. Nothing when there are no alerts yet or the cases are there."""
    from bastion.maritime.alerts import service as alerts

    users = users or _users(session)
    now = now or utcnow()
    officer, supervisor = users.get("li.officer"), users.get("chen.supervisor")
    if officer is None or supervisor is None or session.scalar(
            select(Case.id).where(Case.kind == "alert", Case.synthetic.is_(True)).limit(1)):
        return 0
    found, _total = alerts.list_visible(session, user=officer, flt=alerts.AlertFilter(),
                                        limit=7)
    customs = _agency(session, "YJ-CUS")
    made = 0
    for n, alert in enumerate(found):
        opened = min(alert.start + timedelta(minutes=20), now - timedelta(hours=2))
        last = n == 6
        marking = MarkingIn(tlp=TLP.AMBER, distribution=Distribution.NAMED,
                            agency_ids=[customs.id]) if last and customs else None
        case = service.open_case(session, user=officer, now=opened, synthetic=True, data=CaseIn(
            kind="alert", record_id=alert.id, marking=marking,
            description="风险模型预警，执勤队核查（模拟）"))
        if not last:
            service.close(session, user=supervisor, case_id=case.id,
                          now=min(opened + timedelta(minutes=60 + 10 * n), now),
                          data=CloseIn(outcome="hazard_eliminated",
                                       note="登轮核查，督促整改，隐患已消除（模拟）"))
        made += 1
    return made
