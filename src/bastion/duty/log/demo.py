"""SYNTHETIC duty-log data for the demo: a few calls and reports at the Napo command and the
Pingmeng post at different stages, one shared with the border police, and one handover at
the post waiting for the incoming officer, for the outgoing officer's latest shift on the
published demo roster (its day, shift and roster: a handover is of a shift). Written through
the services (so the audit log and the deadlines are real) and marked ``synthetic``; the
handover's text says SYNTHETIC."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bastion.core.marking import TLP, Distribution
from bastion.duty.log import handover
from bastion.duty.log import service as log
from bastion.duty.log.models import EntryKind, Stage
from bastion.duty.log.schemas import HandoverIn, LogEntryIn, StepIn
from bastion.duty.rosters import now as rosters_now
from bastion.org.models import User
from bastion.org.sharing import MarkingIn

# (recorder, minutes ago, kind, caller unit, name, number, content, instruction, handling,
#  steps [(stage, to whom, note)], shared with the police)
ENTRIES = [
    ("huang.command", 300, EntryKind.INSTRUCTION, "县委政法委", "值班室", "0776-6821000",
     "通知：今晚起边境一线加强夜间巡逻，重点防范走私和非法越境。",
     "各联防所按通知执行，22时前报告部署情况。", "已电话传达平孟、百南、百都三个联防所。",
     [(Stage.REPORTED, "黄建国", "已向带班领导报告"), (Stage.RELAYED, "三个联防所", "电话传达"),
      (Stage.FOLLOWING_UP, "", "等待各所报告部署情况")], False),
    ("huang.command", 120, EntryKind.REPORT, "那坡边境管理大队", "韦国平", "0776-6822110",
     "边境管理大队通报：1345号界碑附近发现可疑便道，疑有人员通行。",
     "请平孟联防所会同派出所核查。", "已通知平孟联防所。",
     [(Stage.REPORTED, "黄建国", "")], True),
    ("nong.post", 90, EntryKind.CALL, "念井村委会", "马秀兰", "13907761234",
     "村民来电：界河边有两名陌生人徘徊，已离开约十分钟。", "", "已派辅警前往查看。", [], False),
    ("nong.post", 240, EntryKind.EVENT, "", "", "",
     "平孟联防所夜间巡逻一组按计划出发，途经1340至1342号界碑。", "", "巡逻正常，无异常情况。",
     [(Stage.CLOSED, "", "巡逻结束")], False),
    ("he.auxiliary", 30, EntryKind.CALL, "边防某连", "梁永", "0776-6823300",
     "边防连来电：明日上午联合巡逻集合时间改为8时。", "", "已记录，待报告所长。", [], False),
]


def load(session: Session, *, users: dict[str, User], now: datetime) -> None:
    police = users.get("wei.police")
    for (who, ago, kind, unit, name, number, content, instruction, handling, steps,
         shared) in ENTRIES:
        recorder = users.get(who)
        if recorder is None:
            continue
        at = now - timedelta(minutes=ago)
        marking = MarkingIn(tlp=TLP.GREEN, distribution=Distribution.NAMED,
                            agency_ids=[police.agency_id]) if shared and police else None
        entry, _created = log.record(session, user=recorder, now=at, synthetic=True,
                                     data=LogEntryIn(
                                         occurred_at=at - timedelta(minutes=2), kind=kind,
                                         caller_unit=unit, caller_name=name,
                                         caller_number=number, content=content,
                                         instruction=instruction, handling=handling,
                                         marking=marking))
        for n, (stage, to_whom, note) in enumerate(steps, start=1):
            log.add_step(session, user=recorder, entry=entry, now=at + timedelta(minutes=10 * n),
                         data=StepIn(stage=stage, to_whom=to_whom, note=note))
    outgoing, incoming = users.get("nong.post"), users.get("he.auxiliary")
    if outgoing is not None and incoming is not None:
        given = now - timedelta(minutes=5)
        shift = rosters_now.latest_of_user(session, user_id=outgoing.id, at=given)
        handover.create(session, user=outgoing, confirm_min=30, now=given,
                        data=HandoverIn(
                            incoming_user_id=incoming.id,
                            shift_day=shift.day.isoformat() if shift else None,
                            shift_code=shift.shift_code if shift else None,
                            situation="SYNTHETIC 模拟数据：辖区总体平稳，夜间巡逻一组已返回。",
                            problems="念井村界河边陌生人员情况尚未核实。",
                            tasks="跟进边境管理大队通报的可疑便道核查；明日8时联合巡逻集合。"))
