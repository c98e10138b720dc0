"""The demo station's watchlist: a few SYNTHETIC people so that demo pre-checks screen
against something, and one of them is a crew member of a demo call (ZHE HAI 511 declares
李振宇 in Chinese; the list has him in pinyin, as a notice from another agency would)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bastion.core.marking import TLP, Distribution
from bastion.org.models import User
from bastion.org.sharing import MarkingIn
from bastion.screening import service
from bastion.screening.models import Watchlist

NAME = "阳江站重点人员（演示 SYNTHETIC）"
# source id, name, aliases, birth date, nationality, gender, document number, reason
ENTRIES = [
    ("DEMO-001", "LI ZHENYU", "李振宇", "", "CHN", "male", "",
     "SYNTHETIC: 协查通报，涉嫌组织他人偷越国境 / wanted: organising illegal border crossing"),
    ("DEMO-002", "Nguyễn Văn Hùng", "NGUYEN VAN HUNG; 阮文雄", "1979-04-12", "VNM", "male",
     "C2345678", "SYNTHETIC: 走私成品油案在逃 / fugitive, fuel smuggling case"),
    ("DEMO-003", "陈国华", "CHEN GUOHUA; CHAN KWOK WAH", "1968-09-30", "CHN", "male", "",
     "SYNTHETIC: 限制出境 / barred from leaving the country"),
    ("DEMO-004", "Trần Thị Mai", "TRAN THI MAI", "1990", "VNM", "female", "",
     "SYNTHETIC: 非法入境遣返记录 / removed after illegal entry"),
]


def load(session: Session, *, supervisor: User) -> Watchlist:
    watchlist = service.create_list(
        session, user=supervisor, name=NAME, source="SYNTHETIC demo",
        description="SYNTHETIC — fictitious people for the demo only. 演示用虚构人员。",
        marking=MarkingIn(tlp=TLP.AMBER, distribution=Distribution.OWN))
    for source_id, name, aliases, born, nationality, gender, document, reason in ENTRIES:
        service.add_entry(session, user=supervisor, watchlist=watchlist, fields={
            "source_id": source_id, "type": "person", "name": name, "aliases": aliases,
            "birth_date": born, "nationality": nationality, "gender": gender,
            "document_type": "passport" if document else "", "document_number": document,
            "issuing_state": nationality if document else "", "reason": reason})
    return watchlist
