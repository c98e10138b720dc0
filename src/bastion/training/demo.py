"""Demo data of training, drills and meetings (SYNTHETIC): the seed report's year at the Napo
joint border-defence command, recorded event by event through the service: 1 skills training
(certificates for a cook, a welder and an excavator operator), 4 military-civil joint meetings,
4 quarterly border-control meetings, 3 military-police-civil tactical drills (the third run in
exercise mode, with injects), a Monday meeting and a study day every week of the year; and one
sea-land joint drill of the Yangjiang station, which the command does not see. The annual
report's figures are counted from these records (``training.figures``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.core.db import utcnow
from bastion.org.models import Agency, User
from bastion.training import service
from bastion.training.schemas import (
    AttendanceIn,
    CertificateIn,
    EventIn,
    EventUpdate,
    FollowUpIn,
    InjectIn,
    SeriesIn,
)

TAG = "（演示数据 SYNTHETIC）"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=service.zone()).astimezone(UTC)


def load(session: Session, *, users: dict[str, User], now: datetime | None = None) -> None:
    now = now or utcnow()
    year = now.astimezone(service.zone()).year
    codes = {a.code: a.id for a in session.scalars(select(Agency))}
    cmd = users["huang.command"]
    posts = [codes[c] for c in ("NP-JDC-PM", "NP-JDC-BN", "NP-JDC-BD") if c in codes]
    partners = [codes[c] for c in ("NP-POL", "NP-ARMY") if c in codes]
    people = [users[u] for u in ("huang.command", "nong.post", "he.auxiliary", "lu.auxiliary")]
    joint = [*people, users["wei.police"], users["liang.army"]]

    def event(kind: str, title: str, day: date, hour: int, place: str, organiser: str,
              agencies: list[int], *, exercise: bool = False, who: list[User] = people,
              outcomes: str = "") -> int:
        made, _new = service.create(session, user=cmd, synthetic=True, now=now, data=EventIn(
            kind=kind, title=f"{title}{TAG}", starts_at=_at(day, hour),
            ends_at=_at(day, hour) + timedelta(hours=3), place=place, organiser=organiser,
            agency_ids=agencies, exercise_mode=exercise))
        if made.starts_at <= now:
            for person in who:
                service.record_attendance(session, user=cmd, event_id=made.id, now=now,
                                          data=AttendanceIn(user_id=person.id))
            service.record_attendance(session, user=cmd, event_id=made.id, now=now,
                                      data=AttendanceIn(name="护边员 农某（演示）", present=False,
                                                        reason="巡逻执勤"))
            if outcomes:
                service.update(session, user=cmd, event_id=made.id, now=now,
                               data=EventUpdate(outcomes=outcomes))
        return made.id

    skills = event("skills_training", "护边员职业技能培训", date(year, 4, 16), 9, "那坡县职业技术学校",
                   "县人社局、联防指挥部", posts, who=people,
                   outcomes="12名护边员参训，考核合格者取得职业技能证书。")
    if _at(date(year, 4, 16), 9) <= now:
        for skill, number, person in (("cook", "NP-CS-0001", "何海龙"),
                                      ("welder", "NP-DH-0001", "陆春梅"),
                                      ("excavator_operator", "NP-WJ-0001", "农某某（演示）")):
            service.add_certificate(session, user=cmd, event_id=skills, data=CertificateIn(
                skill=skill, number=f"{year}-{number}", issuer="那坡县人力资源和社会保障局（演示）",
                person_name=person, issued_on=date(year, 4, 30)))
    for month, day in ((3, 12), (6, 11), (9, 10), (11, 26)):
        event("meeting_military_civil", "军民联席会议", date(year, month, day), 9,
              "联防指挥部会议室", "联防指挥部", [*posts, *partners], who=joint,
              outcomes="通报边境管控形势，部署下阶段联防联控工作。")
    quarterly = []
    for month, day in ((3, 27), (6, 26), (9, 25), (11, 27)):
        quarterly.append(event("meeting_quarterly", "季度边境管控工作会议",
                               date(year, month, day), 15, "联防指挥部会议室", "联防指挥部",
                               [*posts, *partners], who=joint,
                               outcomes="研判本季度走私、偷越国境形势。"))
    event("drill_tactical", "军警民战术协同演练", date(year, 5, 20), 8, "平孟口岸周边",
          "联防指挥部、边防连", [*posts, *partners], who=joint)
    event("drill_tactical", "军警民战术协同演练（夜间）", date(year, 8, 19), 20, "百南联防所辖区",
          "联防指挥部、边境管理大队", [*posts, *partners], who=joint)
    drill = event("drill_tactical", "军警民战术协同演练（演练模式）", date(year, 10, 21), 9,
                  "百都联防所辖区1047号界碑", "联防指挥部", [*posts, *partners],
                  exercise=True, who=joint)
    if _at(date(year, 10, 21), 9) <= now:
        for minutes, text in ((10, "模拟报告：1047号界碑东侧发现3名可疑人员向境内移动。"),
                              (35, "模拟情况：可疑人员分散进入甘蔗地，请求无人机支援。"),
                              (70, "模拟结果：3人被拦截，移交边境管理大队。")):
            service.add_inject(session, user=cmd, event_id=drill, now=now, data=InjectIn(
                text=text, at=_at(date(year, 10, 21), 9) + timedelta(minutes=minutes)))
    for kind, title, weekday, hour in (("meeting_weekly", "周一例会", 0, 8),
                                        ("study_day", "政治理论学习日", 3, 15)):
        made = service.series(session, user=cmd, synthetic=True, now=now, data=SeriesIn(
            kind=kind, first_day=date(year, 1, 1), last_day=date(year, 12, 31),
            weekday=weekday, time=f"{hour:02d}:30", minutes=90, title=f"{title}{TAG}",
            place="联防指挥部会议室", organiser="联防指挥部", agency_ids=posts))
        for each in made[:8]:
            if each.starts_at <= now:
                for person in people[:3]:
                    service.record_attendance(session, user=cmd, event_id=each.id, now=now,
                                              data=AttendanceIn(user_id=person.id))
    # a follow-up of the third quarterly meeting, done; and one overdue, which escalates
    if _at(date(year, 9, 25), 15) <= now:
        owner = users["nong.post"]
        service.add_follow_up(session, user=cmd, event_id=quarterly[2], data=FollowUpIn(
            text="补齐1047号界碑附近监控盲区摄像头选点方案（演示）", owner_id=owner.id,
            due_at=min(now - timedelta(days=10), _at(date(year, 12, 20), 18))))
    # the port station's own drill, which the command does not see
    if "li.officer" in users:
        service.create(session, user=users["li.officer"], synthetic=True, now=now, data=EventIn(
            kind="drill_sea_land", title=f"海陆联合查缉演练{TAG}",
            starts_at=_at(date(year, 7, 8), 9), place="阳江港3号泊位",
            organiser="阳江边检站", agency_ids=[codes["YJ-MSA"]] if "YJ-MSA" in codes else []))
    session.flush()
