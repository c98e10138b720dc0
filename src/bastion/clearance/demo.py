"""Port-clearance demo (#5): the Yangjiang station's terminals, port calls in every state, and a
SYNTHETIC history of departed calls for the statistics.

Loaded by ``bastion demo load`` after the agencies and users (``bastion.demo``) and, unless
``--no-maritime``, the synthetic AIS day, so that calls naming those vessels (same MMSI and
IMO) find their risk score and alerts in the pre-check. The current calls go through the real
services: events, audit, slots, tide windows and pre-check are what the system concluded.
The history cannot: the event log is append-only and stamped with the present, so its past
events are inserted with their times. Its calls carry voyage numbers ``DEMO-nnn``.
"""

from __future__ import annotations

import csv
import io
import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.clearance import precheck
from bastion.clearance.calls import service as calls
from bastion.clearance.calls.models import CallParticipant, PortCall
from bastion.clearance.declarations.templates import columns, headings
from bastion.clearance.green import service as green
from bastion.clearance.green.models import Emergency
from bastion.clearance.rulesets import service as rulesets
from bastion.clearance.terminals import schedule
from bastion.clearance.terminals import service as terminals
from bastion.clearance.terminals.models import Terminal
from bastion.clearance.workflow import State
from bastion.core.config import get_settings
from bastion.core.db import utcnow
from bastion.core.events import EventRecord
from bastion.core.reference.ships import imo_number as _imo
from bastion.org.models import Agency, User

PORT = "CNYJI"  # UN/LOCODE Yangjiang
TERMINALS: list[dict[str, Any]] = [
    {"code": "COAL", "name": "阳江港煤炭码头", "name_en": "Yangjiang coal terminal",
     "service_hours": "24h", "inspection_minutes": 120, "inspection_teams": 2},
    # The channel is dredged to 11.0 m below chart datum; with 10 % UKC a 12 m Panamax needs
    # about 2.2 m of tide, which Zhapo (range ~2.5 m) gives for roughly a third of the day.
    {"code": "TIDE", "name": "吉树作业区深水泊位（乘潮进港）",
     "name_en": "Jishu deep-water berths (tide-restricted channel)", "service_hours": "24h",
     "inspection_minutes": 120, "inspection_teams": 1, "tide_station": "zhapo",
     "charted_depth_m": 11.0, "ukc_fixed_m": 0.5, "ukc_percent": 10.0},
    {"code": "GEN", "name": "阳江港通用泊位", "name_en": "Yangjiang general berths",
     "service_hours": "office", "opens": "08:30", "closes": "17:30", "working_days": "12345",
     "timezone": "Asia/Shanghai", "inspection_minutes": 90, "inspection_teams": 1},
]
MODE = {"COAL": "24h", "TIDE": "tide_window", "GEN": "normal"}


@dataclass(frozen=True)
class Ship:
    name: str
    imo: int
    mmsi: int
    callsign: str
    flag: str
    ship_type: str
    gross_tonnage: float
    length_m: float
    draught_m: float
    crew: tuple[str, str]  # nationality of the officers, of the ratings
    crew_size: int


# The first nine are vessels of the synthetic AIS day (maritime/demo.py), same MMSI and IMO.
SHIPS = {s.name: s for s in (
    Ship("LIBERTY STAR", _imo(939876), 636019200, "D5AB4", "LBR", "General cargo",
         9611, 138.0, 7.8, ("UKR", "PHL"), 19),
    Ship("ZHE HAI 511", _imo(930003), 412440108, "BVAB3", "CHN", "Bulk carrier",
         25830, 189.9, 9.8, ("CHN", "CHN"), 21),
    Ship("XIN HAI AN", _imo(930004), 412440109, "BVAB4", "CHN", "General cargo",
         4980, 112.0, 6.2, ("CHN", "CHN"), 16),
    Ship("YUE DIAN 3", _imo(930002), 412440103, "BVAA7", "CHN", "Bulk carrier",
         40500, 225.0, 9.9, ("CHN", "CHN"), 23),
    Ship("OCEAN PEARL", _imo(941234), 477123400, "VRAB3", "HKG", "Oil/chemical tanker",
         8539, 123.0, 7.4, ("CHN", "PHL"), 21),
    Ship("HAI PHONG 27", _imo(933456), 574001200, "3WAB5", "VNM", "Bulk carrier",
         6200, 110.0, 7.2, ("VNM", "VNM"), 18),
    Ship("PACIFIC GRACE", _imo(928765), 351234500, "3EAB6", "PAN", "Oil/chemical tanker",
         11700, 144.0, 8.1, ("UKR", "IND"), 22),
    Ship("MIN XING 8", _imo(930001), 412440102, "BVAA2", "CHN", "General cargo",
         2990, 96.0, 5.6, ("CHN", "CHN"), 14),
    Ship("YUE YANG HUO 1", _imo(930000), 412440101, "BVAA1", "CHN", "General cargo",
         2450, 88.0, 5.2, ("CHN", "CHN"), 13),
    Ship("ORIENT PROSPERITY", _imo(961542), 538007215, "V7XK3", "MHL", "Bulk carrier (Panamax)",
         43012, 229.0, 12.0, ("GRC", "PHL"), 22),
    Ship("PACIFIC HARVEST", _imo(958861), 477995300, "VRPH7", "HKG", "Bulk carrier (Panamax)",
         41100, 225.0, 11.8, ("CHN", "CHN"), 22),
    Ship("GLORY SUNRISE", _imo(947310), 356118000, "3FGS2", "PAN", "Bulk carrier (Supramax)",
         33044, 199.9, 11.4, ("IND", "IND"), 21),
    Ship("YUE DIAN 8", _imo(957820), 413468270, "BOYD8", "CHN", "Bulk carrier",
         40600, 225.0, 10.0, ("CHN", "CHN"), 23),
)}

# --- crew lists (FAL 5) ---------------------------------------------------------------------
# nationality: family names, given names, places of birth, passport number pattern
# (L letter, 9 digit), crew joining port. Chinese seafarers list in Chinese on Chinese ships.
HAN = [("陈", "CHEN"), ("李", "LI"), ("王", "WANG"), ("张", "ZHANG"), ("黄", "HUANG"),
       ("林", "LIN"), ("吴", "WU"), ("梁", "LIANG"), ("周", "ZHOU"), ("冯", "FENG")]
HAN_GIVEN = [("建华", "JIANHUA"), ("国强", "GUOQIANG"), ("志明", "ZHIMING"), ("海涛", "HAITAO"),
             ("伟", "WEI"), ("俊杰", "JUNJIE"), ("文斌", "WENBIN"), ("德明", "DEMING"),
             ("晓东", "XIAODONG"), ("海波", "HAIBO"), ("振宇", "ZHENYU"), ("永红", "YONGHONG")]
HAN_PLACES = [("湛江", "Zhanjiang"), ("阳江", "Yangjiang"), ("大连", "Dalian"), ("青岛", "Qingdao"),
              ("宁波", "Ningbo"), ("福州", "Fuzhou"), ("武汉", "Wuhan"), ("南通", "Nantong")]
PEOPLE = {
    "PHL": (["SANTOS", "REYES", "DELA CRUZ", "GARCIA", "MENDOZA", "BAUTISTA", "VILLANUEVA"],
            ["JOHN PAUL", "MARK ANTHONY", "JERICHO", "RONALDO", "ARIEL", "JOMAR", "CHRISTIAN"],
            ["Cebu", "Iloilo", "Manila", "Batangas", "Davao"], "P9999999L", "PHMNL"),
    "VNM": (["NGUYEN", "TRAN", "LE", "PHAM", "HOANG", "VU", "BUI"],
            ["VAN HUNG", "DUC THANH", "MINH TUAN", "QUANG HUY", "VAN NAM", "THANH LONG"],
            ["Hai Phong", "Nam Dinh", "Thanh Hoa", "Quang Ninh", "Thai Binh"], "C9999999", "VNHPH"),
    "UKR": (["KOVALENKO", "SHEVCHENKO", "BONDARENKO", "TKACHENKO", "MELNYK", "KRAVCHENKO"],
            ["OLEKSANDR", "SERHII", "ANDRII", "DMYTRO", "VOLODYMYR", "IHOR"],
            ["Odesa", "Mykolaiv", "Kherson", "Izmail"], "LL999999", "SGSIN"),
    "IND": (["SINGH", "SHARMA", "NAIR", "PATEL", "KUMAR", "MENON", "DAS"],
            ["RAJESH", "AMIT", "VIKRAM", "SURESH", "ARJUN", "ANIL"],
            ["Mumbai", "Kochi", "Chennai", "Kolkata", "Goa"], "L9999999", "SGSIN"),
    "GRC": (["PAPADOPOULOS", "GEORGIOU", "NIKOLAIDIS", "KONSTANTINOU"],
            ["GEORGIOS", "NIKOLAOS", "IOANNIS", "DIMITRIOS"],
            ["Piraeus", "Chios", "Andros", "Thessaloniki"], "LL9999999", "SGSIN"),
}
OFFICERS = [("Master", "船长"), ("Chief officer", "大副"), ("Second officer", "二副"),
            ("Third officer", "三副"), ("Chief engineer", "轮机长"), ("Second engineer", "大管轮"),
            ("Third engineer", "二管轮"), ("Fourth engineer", "三管轮"),
            ("Electro-technical officer", "电机员")]
RATINGS = [("Bosun", "水手长"), ("Able seaman", "高级值班水手"), ("Oiler", "高级值班机工"),
           ("Chief cook", "大厨"), ("Ordinary seaman", "值班水手"), ("Wiper", "值班机工"),
           ("Able seaman", "高级值班水手"), ("Oiler", "高级值班机工"), ("Fitter", "木匠"),
           ("Messman", "服务员"), ("Able seaman", "高级值班水手"), ("Ordinary seaman", "值班水手"),
           ("Oiler", "高级值班机工"), ("Cadet", "实习生")]


def _number(rng: random.Random, pattern: str) -> str:
    return "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") if c == "L" else
                   str(rng.randrange(10)) if c == "9" else c for c in pattern)


def crew_rows(ship: Ship, *, until: date, seed: int) -> list[dict[str, str]]:
    """The ship's crew (fictitious people), documents valid well beyond ``until``."""
    rng = random.Random(seed)
    chinese_list = ship.flag == "CHN"
    ranks = OFFICERS[:max(5, ship.crew_size - len(RATINGS))] + RATINGS
    rows, numbers = [], set()
    for i, (rank_en, rank_zh) in enumerate(ranks[:ship.crew_size], start=1):
        officer = (rank_en, rank_zh) in OFFICERS
        nationality = ship.crew[0] if officer else ship.crew[1]
        age = rng.randint(45, 60) if i == 1 else rng.randint(28, 55) if officer else \
            rng.randint(20, 50)
        birth = until - timedelta(days=age * 365 + rng.randrange(365))
        if nationality == "CHN":
            (family_zh, family), (given_zh, given) = rng.choice(HAN), rng.choice(HAN_GIVEN)
            place_zh, place = rng.choice(HAN_PLACES)
            pattern, joined = rng.choice([("H99999999", "CNZHA"), ("E99999999", "CNSHK")])
            if chinese_list:
                family, given, place = family_zh, given_zh, place_zh
        else:
            families, givens, places, pattern, joined = PEOPLE[nationality]
            family, given, place = rng.choice(families), rng.choice(givens), rng.choice(places)
        number = _number(rng, pattern)
        while number in numbers:
            number = _number(rng, pattern)
        numbers.add(number)
        seafarer = nationality == "CHN" and pattern.startswith("H")  # 海员证
        rows.append({
            "no": str(i), "family_name": family, "given_names": given,
            "rank": rank_zh if chinese_list else rank_en, "nationality": nationality,
            "birth_date": birth.isoformat(), "birth_place": place,
            "gender": "F" if rank_en in ("Chief cook", "Messman") and rng.random() < 0.3 else "M",
            "document_type": ("海员证" if seafarer else "护照") if chinese_list else
            ("seafarer's identity document" if seafarer else "passport"),
            "document_number": number, "issuing_state": nationality,
            "expiry_date": (until + timedelta(days=rng.randint(200, 3000))).isoformat(),
            "embarkation_port": joined, "visa_number": ""})
    return rows


def crew_csv(rows: list[dict[str, str]], *, chinese: bool) -> bytes:
    """A FAL 5 crew list as the agent's spreadsheet exports it (Chinese Excel: GB18030)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headings("crew", "zh-CN" if chinese else "en"))
    for row in rows:
        writer.writerow([row.get(c.key, "") for c in columns("crew")])
    return out.getvalue().encode("gb18030" if chinese else "utf-8-sig")


# --- current calls, through the services -------------------------------------------------------

@dataclass(frozen=True)
class Current:
    ship: str
    terminal: str
    berth: str
    voyage: str
    previous_port: str
    next_port: str
    eta_hours: float       # from now (the tide-window call's ETA is chosen from the tide)
    stay_hours: float
    steps: tuple[tuple[str, str], ...]  # (username, action)
    reason: str | None = None           # of a return
    request: str | None = None          # green channel: "medical" or "weather"


SUBMIT = (("agent.yj", "submit"),)
APPROVED = SUBMIT + (("li.officer", "approve_arrival"),)
INSPECTING = APPROVED + (("li.officer", "arrive"), ("li.officer", "start_inspection"))
CLEARED = INSPECTING + (("li.officer", "clear_in"), ("zhou.customs", "clear_in"))
CURRENT = [
    Current("LIBERTY STAR", "GEN", "5号泊位", "2411S", "SGSIN", "VNHPH", 70, 40, ()),
    Current("ZHE HAI 511", "COAL", "煤码头2号泊位", "24115", "IDBPN", "IDSRI", 30, 60, SUBMIT),
    Current("XIN HAI AN", "GEN", "6号泊位", "2411N", "VNSGN", "PHMNL", 52, 36,
            SUBMIT + (("li.officer", "return"),),
            "AIS显示本船已于近日更名为“XIN HAI 9”，申报船名仍为“XIN HAI AN”。请核对船舶国籍证书，"
            "更正船名、呼号后重新提交，并附更名证明。"),
    Current("ORIENT PROSPERITY", "TIDE", "吉树1号泊位", "V.37", "AUHPT", "AUNTL", 0, 72,
            SUBMIT + (("wang.officer", "approve_arrival"),)),
    Current("YUE DIAN 3", "COAL", "煤码头1号泊位", "2411E", "IDBPN", "IDBPN", 0, 60, INSPECTING),
    # At a 24-hour terminal: cleared in now, whatever the hour the demo is loaded.
    Current("OCEAN PEARL", "TIDE", "吉树3号泊位", "OP-2411", "SGSIN", "HKHKG", 0, 40, CLEARED),
    Current("HAI PHONG 27", "COAL", "煤码头3号泊位", "HP27-24/11", "VNCPH", "VNHPH", 0, 9,
            CLEARED + (("agent.yj", "declare_departure"),)),
    Current("PACIFIC GRACE", "GEN", "4号泊位", "PG-118", "MYPKG", "PHMNL", 3, 30, (),
            request="medical"),
    Current("MIN XING 8", "GEN", "7号泊位", "2411W", "HKHKG", "VNHPH", 26, 48, SUBMIT,
            request="weather"),
]


def _half_hour(at: datetime) -> datetime:
    return at.replace(minute=0 if at.minute < 30 else 30, second=0, microsecond=0)


def _tide_eta(terminal: Terminal, draught: float, now: datetime) -> datetime:
    """An ETA a day ahead just after the tide closes the channel to this draught, so the ship
    visibly waits for the next high water."""
    windows = terminals.passable(terminal, draught, now + timedelta(hours=18),
                                 now + timedelta(days=4)) or []
    for (_s, end), (start, _e) in pairwise(windows):
        if start - end > timedelta(hours=3):
            return _half_hour(end + timedelta(minutes=45))
    return _half_hour(now + timedelta(hours=24))


def _current_calls(session: Session, users: dict[str, User], station: Agency,
                   customs: Agency, by_code: dict[str, Terminal], now: datetime) -> list[PortCall]:
    agent, made = users["agent.yj"], []
    for n, plan in enumerate(CURRENT):
        ship = SHIPS[plan.ship]
        eta = _half_hour(now + timedelta(hours=plan.eta_hours))
        if plan.terminal == "TIDE":
            eta = _tide_eta(by_code["TIDE"], ship.draught_m, now)
        etd = eta + timedelta(hours=plan.stay_hours)
        rows = crew_rows(ship, until=etd.date(), seed=100 + n)
        call = calls.create_call(session, user=agent, station=station, participants=[customs],
                                 fields={
            "vessel_name": ship.name, "imo": ship.imo, "mmsi": ship.mmsi,
            "callsign": ship.callsign, "flag": ship.flag, "ship_type": ship.ship_type,
            "gross_tonnage": ship.gross_tonnage, "length_m": ship.length_m,
            "draught_m": ship.draught_m, "master_name": f"{rows[0]['family_name']} "
            f"{rows[0]['given_names']}", "port": PORT, "voyage_number": plan.voyage,
            "terminal": plan.terminal, "berth": plan.berth, "previous_port": plan.previous_port,
            "next_port": plan.next_port, "eta": eta, "etd": etd})
        if plan.request == "medical":  # injured crew: the papers follow the landing
            _medical(session, users, call, rows)
        else:
            calls.upload(session, user=agent, call=call, form="crew", filename="crew-list.csv",
                         data=crew_csv(rows, chinese=ship.flag == "CHN"))
        for username, action in plan.steps:
            calls.act(session, user=users[username], call=call, action=action,
                      reason=plan.reason if action == "return" else None)
        if plan.request == "weather":  # typhoon: cleared before the weather closes in
            green.declare(session, user=agent, call=call, kind="weather", reason=(
                "台风“海葵”预计48小时内影响阳江海域，船舶需提前靠泊避风，申请安排非工作时间入境检查。"))
            green.acknowledge(session, user=users["wang.officer"], call=call)
            calls.act(session, user=users["wang.officer"], call=call, action="approve_arrival")
        made.append(call)
    return made


def _medical(session: Session, users: dict[str, User], call: PortCall,
             rows: list[dict[str, str]]) -> None:
    """Green channel: declared by the agent, acknowledged, arrival approved from the draft;
    the landing is not yet recorded, so its deadline runs on the officers' screens."""
    injured = next(r for r in rows if r["rank"] == "Second officer")
    green.declare(session, user=users["agent.yj"], call=call, kind="medical",
                  documents_to_follow=True, reason=(
                      "二副系泊作业时右手被缆绳挤伤，疑似骨折，船上已止血固定，需尽快登岸送医。"
                      " Second officer's right hand crushed by a mooring line, suspected "
                      "fracture; needs hospital treatment ashore."),
                  persons=[{"name": f"{injured['family_name']} {injured['given_names']}",
                            "rank": "Second officer", "nationality": injured["nationality"],
                            "condition": "right hand crush injury, suspected fracture"}])
    green.acknowledge(session, user=users["li.officer"], call=call)
    calls.act(session, user=users["chen.supervisor"], call=call, action="approve_arrival")


# --- synthetic history: departed calls with their past events --------------------------------

# From 1 January last year (at least 14 months back), so the statistics page's default view,
# this year so far against the same dates last year, compares like with like.
HISTORY_MIN_DAYS = 425
CALLS_PER_MONTH = 5   # ~70 to ~120 calls, depending on the date
GROWTH = 0.15         # ~15 % more calls at the end of the history than at its start
POOL = {"COAL": ["YUE DIAN 3", "YUE DIAN 8", "HAI PHONG 27", "GLORY SUNRISE"],
        "TIDE": ["ORIENT PROSPERITY", "PACIFIC HARVEST", "GLORY SUNRISE"],
        "GEN": ["LIBERTY STAR", "OCEAN PEARL", "XIN HAI AN", "PACIFIC GRACE", "YUE YANG HUO 1"]}
PORTS = {"COAL": ["IDBPN", "IDSRI", "VNCPH", "AUNTL", "RUVVO"], "TIDE": ["AUHPT", "AUNTL", "BRTUB"],
         "GEN": ["HKHKG", "SGSIN", "VNHPH", "PHMNL", "KRPUS", "MYPKG"]}
STAY_HOURS = {"COAL": (30, 72), "TIDE": (48, 96), "GEN": (18, 60)}


class _Log:
    """Event rows for one synthetic call, written as calls.service would have written them."""

    def __init__(self, call: PortCall) -> None:
        self.call, self.rows = call, []

    def add(self, at: datetime, user: User, action: str, before: State | None, after: State,
            reason: str | None = None, **extra: Any) -> None:
        extra = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in extra.items()}
        self.rows.append(EventRecord(
            at=at, kind=f"portcall.{action}", actor_id=user.id, record_kind=calls.KIND,
            record_id=self.call.id, payload={"action": action, "from": before and before.value,
                                             "to": after.value, "reason": reason, **extra}))


def _history(session: Session, users: dict[str, User], station: Agency, customs: Agency,
             by_code: dict[str, Terminal], now: datetime) -> tuple[list[PortCall], int]:
    rng = random.Random(20241105)
    rules_version, rules = rulesets.in_force(session, station_org_id=station.id)
    checker = calls.precheck_account(session, station_org_id=station.id)
    agent, officers = users["agent.yj"], [users["li.officer"], users["wang.officer"]]
    local = now.astimezone(ZoneInfo("Asia/Shanghai"))
    start = min(now - timedelta(days=HISTORY_MIN_DAYS),
                datetime(local.year - 1, 1, 1, tzinfo=local.tzinfo).astimezone(UTC))
    span = now - timedelta(days=7) - start  # every call has departed by now
    count = int(span.days * CALLS_PER_MONTH / 30.44)
    # Evenly spread with jitter, at a density growing as 1 + GROWTH * x (x = 0..1 over the span).
    fractions = [(i + rng.random()) / count * (1 + GROWTH / 2) for i in range(count)]
    arrivals = [start + span * ((math.sqrt(1 + 2 * GROWTH * f) - 1) / GROWTH) for f in fractions]
    medical = set(rng.sample(range(count), 4))
    visits: dict[int, int] = {}
    made, rows = [], []
    for n, planned in enumerate(arrivals, start=1):
        code = rng.choices(["COAL", "TIDE", "GEN"], weights=[40, 25, 35])[0]
        ship = SHIPS[rng.choice(POOL[code])]
        terminal = by_code[code]
        # Coal and ore come in laden: the deep-water berths' ships are near their full draught.
        draught = round(ship.draught_m - rng.uniform(0, 0.6 if code == "TIDE" else 2.5), 1)
        eta = _half_hour(planned)
        submitted = eta - timedelta(hours=rng.uniform(14, 80))
        wait, window = 0, None
        if code == "TIDE":
            # Two days suffice: at 11 m charted depth a 12 m draught waits at most ~23 h at
            # Zhapo (2025-2026 predictions), and the pool's deepest ship draws 12.0 m.
            passable = terminals.passable(terminal, draught, eta, eta + timedelta(days=2))
            window = schedule.arrival_window(passable or [], eta)
            assert window is not None
            wait = max(0, int((window[0] - eta).total_seconds() // 60))
            ata = window[0] + timedelta(minutes=rng.randint(10, 50))
        else:
            ata = eta + timedelta(minutes=rng.randint(-90, 360))
        if code == "GEN":  # boarded when the berth's office hours open
            board = schedule.served(terminals.profile(terminal), ata, ata + timedelta(days=5))[0][0]
            board = max(board, ata + timedelta(minutes=20))
        else:
            board = ata + timedelta(minutes=rng.randint(15, 75))
        cleared = board + timedelta(minutes=terminal.inspection_minutes + rng.randint(-30, 60))
        atd = max(ata + timedelta(hours=rng.uniform(*STAY_HOURS[code])),
                  cleared + timedelta(hours=6))
        out = atd - timedelta(minutes=rng.randint(60, 180))
        persons = ship.crew_size + rng.choice([-1, 0, 0, 0, 1])
        earlier = visits.get(ship.imo, 0)
        visits[ship.imo] = earlier + 1
        decision = precheck.decide(precheck.Evidence(person_outcomes={}, eta=eta,
                                                     earlier_calls=earlier), rules)
        call = PortCall(
            station_org_id=station.id, agent_org_id=agent.organisation_id,
            created_by_id=agent.id, vessel_name=ship.name, imo=ship.imo, mmsi=ship.mmsi,
            callsign=ship.callsign, flag=ship.flag, ship_type=ship.ship_type,
            gross_tonnage=ship.gross_tonnage, length_m=ship.length_m, draught_m=draught,
            port=PORT, voyage_number=f"DEMO-{n:03d}", terminal=code,
            previous_port=rng.choice(PORTS[code]), next_port=rng.choice(PORTS[code]),
            eta=eta, etd=_half_hour(atd - timedelta(minutes=rng.randint(-60, 120))), ata=ata,
            atd=atd, service_mode="green_channel" if n - 1 in medical else MODE[code],
            # "normal" although a real green-channel call keeps "emergency" after departing:
            # list_calls ranks priority before state, so past cases would head every queue.
            priority="normal",
            arrival_window_start=window and window[0], arrival_window_end=window and window[1],
            tide_wait_minutes=wait if window else None, state=State.DEPARTED,
            inspection_level=decision.level.code, created_at=submitted - timedelta(hours=2),
            updated_at=atd, precheck={
                "level": decision.level.code, "reasons": decision.reasons, "persons": {},
                "version": 1, "rules_version": rules_version, "at": submitted.isoformat()})
        session.add(call)
        session.flush()
        session.add(CallParticipant(call_id=call.id, agency_id=station.id,
                                    cleared_in_at=cleared, cleared_out_at=out))
        session.add(CallParticipant(call_id=call.id, agency_id=customs.id,
                                    cleared_in_at=cleared + timedelta(minutes=20),
                                    cleared_out_at=out + timedelta(minutes=15)))
        officer = rng.choice(officers)
        log, S = _Log(call), State
        log.add(submitted - timedelta(hours=2), agent, "create", None, S.DRAFT)
        log.add(submitted, agent, "submit", S.DRAFT, S.SUBMITTED, waiting=[], eta=eta)
        log.add(submitted + timedelta(seconds=2), checker, "precheck", S.SUBMITTED, S.PRECHECKED,
                level=decision.level.code, rules_version=rules_version)
        approved = min(submitted + timedelta(hours=rng.uniform(1, 8)), eta - timedelta(hours=2))
        log.add(approved, officer, "approve_arrival", S.PRECHECKED, S.ARRIVAL_APPROVED, waiting=[],
                slot_start=board, slot_end=board + timedelta(minutes=terminal.inspection_minutes),
                window_start=window and window[0], window_end=window and window[1],
                tide_wait_minutes=wait)
        if n - 1 in medical:
            _history_medical(session, log, call, agent, officer, ata, cleared)
        log.add(ata, officer, "arrive", S.ARRIVAL_APPROVED, S.ARRIVED, waiting=[], ata=ata)
        log.add(board, officer, "start_inspection", S.ARRIVED, S.INSPECTING, waiting=[])
        log.add(cleared, officer, "clear_in", S.INSPECTING, S.INSPECTING,
                waiting=[str(customs.id)])
        log.add(cleared + timedelta(minutes=20), users["zhou.customs"], "clear_in", S.INSPECTING,
                S.CLEARED_IN, waiting=[], persons=persons)
        declared = max(cleared + timedelta(hours=1), out - timedelta(hours=rng.uniform(3, 10)))
        log.add(declared, agent, "declare_departure", S.CLEARED_IN, S.DEPARTURE_DECLARED,
                waiting=[], slot_start=out - timedelta(minutes=30), slot_end=out)
        log.add(out, officer, "clear_out", S.DEPARTURE_DECLARED, S.DEPARTURE_DECLARED,
                waiting=[str(customs.id)])
        log.add(out + timedelta(minutes=15), users["zhou.customs"], "clear_out",
                S.DEPARTURE_DECLARED, S.CLEARED_OUT, waiting=[], persons=persons)
        log.add(atd, officer, "depart", S.CLEARED_OUT, S.DEPARTED, waiting=[], atd=atd)
        rows += sorted(log.rows, key=lambda r: r.at)
        made.append(call)
    session.add_all(rows)
    session.flush()
    return made, len(rows)


def _history_medical(session: Session, log: _Log, call: PortCall, agent: User, officer: User,
                     ata: datetime, cleared: datetime) -> None:
    """A past green-channel case on the approach: acknowledged and landed in time, closed at
    clearance in."""
    ack_minutes = get_settings().green_channel_ack_minutes
    landing_minutes = get_settings().green_channel_landing_minutes
    declared = ata - timedelta(minutes=30)
    ack, landed = declared + timedelta(minutes=4), ata + timedelta(minutes=15)
    reason = "船员突发急性阑尾炎，需登岸送医。 Crew member with suspected acute appendicitis."
    note = "由120救护车送阳江市人民医院"
    session.add(Emergency(
        call_id=call.id, kind="medical", reason=reason, persons=[{"name": "(synthetic)"}],
        declared_by_id=agent.id, declared_at=declared, acknowledged_at=ack,
        acknowledged_by_id=officer.id, ack_due_at=declared + timedelta(minutes=ack_minutes),
        landing_due_at=declared + timedelta(minutes=landing_minutes), landed_at=landed,
        landing_note=note, closed_at=cleared))
    approved, arrived = State.ARRIVAL_APPROVED, State.ARRIVED
    log.add(declared, agent, "green_channel", approved, approved, reason, kind="medical",
            ack_due=declared + timedelta(minutes=ack_minutes),
            landing_due=declared + timedelta(minutes=landing_minutes),
            documents_to_follow=False, persons=1)
    log.add(ack, officer, "green_channel_ack", approved, approved, kind="medical")
    log.add(landed, officer, "landing", arrived, arrived, kind="medical", note=note)


# --- entry point -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Summary:
    terminals: int
    calls: int                  # current calls, through the workflow
    states: dict[str, int]
    history: int                # SYNTHETIC departed calls
    history_events: int
    since: datetime | None


def _plain(rows: list[dict[str, Any]], form: str) -> list[dict[str, Any]]:
    from bastion.clearance.declarations.forms import FORMS

    keys = {c.key for c in FORMS[form]}
    return [{k: v for k, v in r.items() if k in keys and v is not None} for r in rows]


def _departures_and_health(session: Session, users: dict[str, User],
                           current: dict[str, PortCall], now: datetime) -> None:
    """SYNTHETIC departure facts and health declarations through the real services: the
    ship about to sail leaves one crew member behind (signed off), the tide-window ship
    declares its departure draught, two ships declare their health (one with the injured
    seafarer of the green channel)."""
    from bastion.clearance.departure import service as departure
    from bastion.clearance.departure.changes import person_key
    from bastion.clearance.workspace import service as workspace
    from bastion.clearance.workspace.store import latest

    agent = users["agent.yj"]
    sailing = current["HAI PHONG 27"]
    arrived = _plain(latest(session, sailing, "crew").rows, "crew")
    workspace.submit_rows(session, user=agent, call=sailing, form="crew_out",
                          rows=arrived[:-1], filename="crew-list-departure.csv", channel="file")
    departure.mark(session, user=agent, call=sailing, person_key=person_key(arrived[-1]),
                   reason="signed_off", note="合同期满，在阳江换班回国（SYNTHETIC 演示数据）")
    departure.set_draught(session, user=agent, call=current["OCEAN PEARL"], draught_m=10.2)
    answers = {"ports_last_30_days": "IDBPN 2024-11-02; IDSRI 2024-11-06", "affected_area": False,
               "deaths": False, "infectious_suspected": False, "ill_above_normal": False,
               "ill_now": False, "medical_consulted": False, "infection_condition": False,
               "sanitary_measures": False, "stowaways": False, "sick_animals": False}
    coal = current["ZHE HAI 511"]
    workspace.submit_rows(session, user=agent, call=coal, form="health", rows=[{
        **answers, "master_name": coal.master_name or "MASTER"}], filename="mdh.csv",
        channel="file")
    sick = current["PACIFIC GRACE"]
    workspace.submit_rows(session, user=agent, call=sick, form="health", rows=[{
        **answers, "ports_last_30_days": "MYPKG " + (now - timedelta(days=3)).date().isoformat(),
        "ill_now": True, "medical_consulted": True, "master_name": sick.master_name or "MASTER"}],
        filename="mdh.csv", channel="file")
    case = session.scalar(select(Emergency).where(Emergency.call_id == sick.id))
    injured = case.persons[0] if case is not None and case.persons else {}
    workspace.submit_rows(session, user=agent, call=sick, form="health_ill", rows=[{
        "name": injured.get("name") or "SYNTHETIC CREW", "rank": "AB", "age": 31,
        "gender": "M", "nationality": "PHL", "port_joined": "MYPKG",
        "date_joined": (now - timedelta(days=40)).date().isoformat(),
        "illness": "右前臂骨折（作业受伤），非传染性", "onset_date":
        (now - timedelta(days=1)).date().isoformat(), "reported": True,
        "disposal": "经绿色通道送医（SYNTHETIC 演示数据）", "treatment": "夹板固定，止痛"}],
        filename="mdh-attachment.csv", channel="file")


def load(session: Session) -> Summary:
    """Into a database where ``bastion.demo.load`` ran: terminals, calls, history."""
    users = {u.username: u for u in session.scalars(select(User).where(User.username.in_(
        ["chen.supervisor", "li.officer", "wang.officer", "zhou.customs", "agent.yj"])))}
    agencies = {a.code: a for a in session.scalars(select(Agency).where(
        Agency.code.in_(["YJ-BIS", "YJ-CUS"])))}
    station, customs = agencies["YJ-BIS"], agencies["YJ-CUS"]
    # The demo's calls involve the station and customs; a call declared in the UI may add
    # maritime safety (its officer is xu.msa).
    made = [terminals.save_terminal(session, user=users["chen.supervisor"],
                                    fields={**t, "port": PORT}) for t in TERMINALS]
    by_code = {t.code: t for t in made}
    now = utcnow()
    past, past_events = _history(session, users, station, customs, by_code, now)
    current = _current_calls(session, users, station, customs, by_code, now)
    _departures_and_health(session, users, {c.vessel_name: c for c in current}, now)
    states: dict[str, int] = {}
    for call in current:
        states[call.state.value] = states.get(call.state.value, 0) + 1
    return Summary(terminals=len(made), calls=len(current), states=states, history=len(past),
                   history_events=past_events, since=min((c.ata for c in past), default=None))
