"""A SYNTHETIC joint operation for the demo: the Napo command's stability operation for the
Spring Festival period on the border (春节期间边境稳控联合行动), with the border police, the
army company, the Nianjing village committee and the Pingmeng post taking part; three posts,
tasks (some done), a patrol and the command's duty roster linked, and a few log lines.
Written through the real services, so the tasks' notifications and the audit rows exist."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bastion.core.db import utcnow
from bastion.operations import service
from bastion.operations.models import LinkKind, TaskStatus
from bastion.operations.schemas import (
    LinkIn,
    LogIn,
    OperationIn,
    ParticipantIn,
    PostIn,
    TaskIn,
)
from bastion.org.models import User

NAME = "春节期间边境稳控联合行动（SYNTHETIC）"
AREA = {"type": "Polygon", "coordinates": [[
    [105.80, 22.90], [105.97, 22.90], [105.97, 23.02], [105.80, 23.02], [105.80, 22.90]]]}


def load(session: Session, *, users: dict[str, User], agencies: dict[str, int],
         now: datetime | None = None) -> int:
    """The operation's id."""
    now = now or utcnow()
    command = users["huang.command"]
    police, army = agencies["NP-POL"], agencies["NP-ARMY"]
    post, village = agencies["NP-JDC-PM"], agencies["NP-VC-NJ"]
    operation = service.create(session, user=command, data=OperationIn(
        name=NAME, starts_at=now - timedelta(days=2), ends_at=now + timedelta(days=5),
        description="SYNTHETIC：节日期间平孟口岸及周边边境一线联合稳控，加强卡点值守、联合巡逻和"
                    "群防群治信息报送。",
        area=AREA,
        participants=[ParticipantIn(agency_id=police, role="口岸卡点查控"),
                      ParticipantIn(agency_id=army, role="一线巡逻封控"),
                      ParticipantIn(agency_id=post, role="联防所值守"),
                      ParticipantIn(agency_id=village, role="群防群治信息员")],
        posts=[PostIn(name="平孟口岸联合卡点", agency_id=police, lat=22.957, lon=105.884,
                      staff=6, note="24小时值守（SYNTHETIC）"),
               PostIn(name="念井村临时执勤点", agency_id=post, lat=22.985, lon=105.842, staff=3),
               PostIn(name="1047号界碑观察哨（SYNTHETIC）", agency_id=army, lat=22.935,
                      lon=105.930, staff=4)]))
    tasks = [
        (TaskIn(title="平孟口岸卡点人员车辆查控", owner_agency_id=police,
                due_at=now - timedelta(days=1)), users["wei.police"]),
        (TaskIn(title="界碑一线每日两次联合巡逻", owner_agency_id=army,
                due_at=now + timedelta(days=1)), None),
        (TaskIn(title="联防所节日值班表上墙并落实", owner_agency_id=post,
                due_at=now - timedelta(hours=12)), users["nong.post"]),
        (TaskIn(title="村内外来人员情况每日报送", owner_agency_id=village,
                due_at=now + timedelta(hours=18)), None),
        (TaskIn(title="便道堵控点复查", owner_agency_id=post,
                due_at=now + timedelta(days=2)), None),
    ]
    for data, done_by in tasks:
        task = service.add_task(session, user=command, operation=operation, data=data)
        if done_by is not None:
            service.set_task_status(session, user=done_by, operation=operation,
                                    task_id=task.id, status=TaskStatus.DONE)
    for author, text in ((command, "行动启动，各参战单位按分工到位（SYNTHETIC）。"),
                         (users["nong.post"], "平孟联防所节日值班人员已到岗。"),
                         (users["wei.police"], "口岸卡点今日查验车辆126辆次，未发现异常。")):
        service.add_log(session, user=author, operation=operation, data=LogIn(text=text))
    _link_existing(session, command, operation)
    return operation.id


def operation_post(session: Session, operation) -> int | None:
    """The Pingmeng post's id (the demo's participating post)."""
    detail = service.detail(session, user=session.get(User, operation.created_by_id),
                            operation=operation)
    return next((p.agency_id for p in detail.participants if p.role == "联防所值守"), None)


def _link_existing(session: Session, command: User, operation) -> None:
    """A planned patrol of the Pingmeng post and the command's roster, if the demo has them."""
    from bastion.border.patrols import service as patrols
    from bastion.duty.rosters import service as rosters

    patrol = next((p for p in session.scalars(patrols.list_query(
        session, user=command, post_agency_id=operation_post(session, operation)))
        if p.planned_start is not None
        and operation.starts_at <= p.planned_start < operation.ends_at), None)
    if patrol is not None:
        service.add_link(session, user=command, operation=operation,
                         data=LinkIn(kind=LinkKind.PATROL, ref_id=patrol.id,
                                     note="节日期间联合巡逻"))
    roster = session.scalar(rosters.list_query(command).limit(1))
    if roster is not None:
        service.add_link(session, user=command, operation=operation,
                         data=LinkIn(kind=LinkKind.ROSTER, ref_id=roster.id,
                                     note="节日加班值守"))
