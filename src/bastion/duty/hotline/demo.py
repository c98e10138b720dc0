"""SYNTHETIC hotline calls for the demo: a month of calls to the Yangjiang station's 24-hour
emergency assistance line in Chinese, English and Vietnamese, taken by its duty teams through
the real service (so each has its history and audit rows). Most are closed on time, a few
late; two are still open, one of them past its deadline. Every call is marked ``synthetic``
(shown as SYNTHETIC on the board, the call's page and the print list)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bastion.core.db import utcnow
from bastion.duty.hotline import deadlines, service
from bastion.duty.hotline.models import CallKind, CallLanguage
from bastion.duty.hotline.schemas import ActionIn, CallIn
from bastion.org.models import User

SEED = 13
DAYS = 30

# (kind, language, caller, number, summary, outcome)
CALLS: list[tuple[CallKind, CallLanguage, str, str, str, str]] = [
    (CallKind.EMERGENCY, CallLanguage.ZH, "王船长", "+86 138 2660 1023",
     "锚地“粤阳江渔12”船员手部严重受伤，请求紧急登岸就医", "已协调120和海事，伤员登岸送医"),
    (CallKind.EMERGENCY, CallLanguage.EN, "CAPT. PETERSEN", "+45 2012 3344",
     "MV Nordic Star: crew member with chest pain at anchorage, needs to land",
     "Green channel opened; landed by pilot boat, taken to hospital"),
    (CallKind.EMERGENCY, CallLanguage.VI, "NGUYEN VAN HUNG", "+84 912 345 678",
     "Tàu cá Việt Nam gặp sự cố máy, xin vào tránh gió", "Đã liên hệ hải sự, tàu vào neo tránh gió"),
    (CallKind.ENQUIRY, CallLanguage.EN, "SARAH LEE", "+65 9123 4567",
     "How does a crew member sign off at Yangjiang and fly home?",
     "Explained the crew-change procedure and documents"),
    (CallKind.ENQUIRY, CallLanguage.ZH, "刘女士", "0662-3312201",
     "外籍船员临时入境许可需要哪些材料？", "已告知所需材料和办理地点"),
    (CallKind.ENQUIRY, CallLanguage.VI, "TRAN THI MAI", "+84 903 112 233",
     "Thủ tục xin giấy phép lên bờ tạm thời cho thuyền viên?",
     "Đã hướng dẫn thủ tục và giấy tờ cần thiết"),
    (CallKind.REPORT, CallLanguage.ZH, "匿名", "",
     "举报：闸坡渔港附近夜间有小艇频繁靠泊外轮", "已通报执勤队核查，未发现违法行为"),
    (CallKind.REPORT, CallLanguage.EN, "ANONYMOUS", "",
     "Somebody boarded a foreign ship at berth 5 without a permit last night",
     "Checked with the berth's duty officer; a pilot with a permit, no offence"),
    (CallKind.COMPLAINT, CallLanguage.ZH, "陈先生", "139 2661 8890",
     "投诉：办理登轮证等待时间过长", "已核实并致歉，优化预约流程"),
    (CallKind.COMPLAINT, CallLanguage.EN, "AGENT J. WONG", "+852 6123 9876",
     "Clearance of MV Ocean Pearl was delayed by four hours",
     "Explained the tide window; agent satisfied"),
    (CallKind.OTHER, CallLanguage.ZH, "李先生", "0662-3325566",
     "询问台风期间码头开放时间", "已告知"),
]


def _take(session: Session, user: User, received: datetime, kind: CallKind,
          language: CallLanguage, caller: str, number: str, summary: str):
    call, _created = service.take(session, user=user, now=received, data=CallIn(
        received_at=received, language=language, kind=kind, caller_name=caller,
        caller_number=number, summary=summary))
    call.synthetic = True
    return call


def load(session: Session, *, users: dict[str, User], now: datetime | None = None) -> None:
    """``users`` by username as ``bastion.demo`` made them; ``now`` for tests."""
    now = now or utcnow()
    rng = random.Random(SEED)
    officers = [users["li.officer"], users["wang.officer"]]
    start = now - timedelta(days=DAYS)
    for n in range(36):
        kind, language, caller, number, summary, outcome = CALLS[n % len(CALLS)]
        received = start + timedelta(days=n * (DAYS - 2) / 36, minutes=rng.randint(0, 600))
        taker = officers[n % 2]
        call = _take(session, taker, received, kind, language, caller, number, summary)
        due = deadlines.due_at(kind, received)
        budget = due - received
        late = n % 9 == 4  # a few closed after the deadline
        taken_up = received + min(budget / 6, timedelta(minutes=rng.randint(3, 20)))
        service.act(session, user=taker, call_id=call.id, now=taken_up,
                    data=ActionIn(action="accept"))
        if kind in (CallKind.REPORT, CallKind.COMPLAINT):
            service.act(session, user=taker, call_id=call.id, now=taken_up + budget / 4,
                        data=ActionIn(action="note", note="SYNTHETIC: 已转相关执勤队核查"))
        closed = (due + timedelta(minutes=rng.randint(20, 240)) if late
                  else taken_up + (due - taken_up) * rng.uniform(0.3, 0.9))
        if kind == CallKind.EMERGENCY or language != CallLanguage.ZH:
            service.act(session, user=taker, call_id=call.id,
                        now=taken_up + (closed - taken_up) / 2,
                        data=ActionIn(action="callback", note="SYNTHETIC"))
        service.act(session, user=taker, call_id=call.id, now=min(closed, now),
                    data=ActionIn(action="close", outcome=outcome))
    # Two still open: a fresh enquiry, and a tip-off being handled past its deadline
    _take(session, officers[0], now - timedelta(minutes=20), CallKind.ENQUIRY, CallLanguage.EN,
          "CAPT. ALVAREZ", "+34 600 123 456",
          "Can the crew go ashore tonight at Yangjiang port?")
    overdue = _take(session, officers[1], now - timedelta(hours=30), CallKind.REPORT,
                    CallLanguage.VI, "PHAM VAN LONG", "+84 988 776 655",
                    "Báo tin: có người lạ lên tàu ở bến số 2 vào ban đêm")
    service.act(session, user=officers[1], call_id=overdue.id, now=now - timedelta(hours=29),
                data=ActionIn(action="accept"))
    session.flush()
