"""Demo data: a port station and a land-border command with their partners, users, notices.

Loaded by ``make run`` into an empty database so a new user sees a working system at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bastion.core.marking import TLP, Distribution
from bastion.notices import service as notices
from bastion.notices.schemas import NoticeCreate
from bastion.org import service as org
from bastion.org.models import AgencyKind, Role, User
from bastion.org.schemas import AgencyCreate, UserCreate

DEMO_PASSWORD = "bastion-demo"

# code, name, English name, kind, parent code
AGENCIES = [
    ("YJ-BIS", "阳江边检站", "Yangjiang Border Inspection Station", AgencyKind.BORDER_INSPECTION, None),
    ("YJ-BIS-T1", "执勤一队", "Duty Team 1", AgencyKind.BORDER_INSPECTION_TEAM, "YJ-BIS"),
    ("YJ-BIS-T2", "执勤二队", "Duty Team 2", AgencyKind.BORDER_INSPECTION_TEAM, "YJ-BIS"),
    ("YJ-CUS", "阳江海关", "Yangjiang Customs", AgencyKind.CUSTOMS, None),
    ("YJ-MSA", "阳江海事局", "Yangjiang Maritime Safety Administration", AgencyKind.MARITIME_SAFETY, None),
    ("NP-JDC", "那坡县边境联防指挥部", "Napo County Joint Border Defence Command", AgencyKind.JOINT_DEFENCE_COMMAND, None),
    ("NP-JDC-PM", "平孟联防所", "Pingmeng Joint-Defence Post", AgencyKind.JOINT_DEFENCE_POST, "NP-JDC"),
    ("NP-JDC-BN", "百南联防所", "Bainan Joint-Defence Post", AgencyKind.JOINT_DEFENCE_POST, "NP-JDC"),
    ("NP-JDC-BD", "百都联防所", "Baidu Joint-Defence Post", AgencyKind.JOINT_DEFENCE_POST, "NP-JDC"),
    ("NP-POL", "那坡边境管理大队", "Napo Border Police Brigade", AgencyKind.BORDER_POLICE, None),
    ("NP-ARMY", "边防某连", "Army Border Company", AgencyKind.ARMY, None),
    ("NP-VC-NJ", "念井村委会", "Nianjing Village Committee", AgencyKind.VILLAGE_COMMITTEE, None),
    ("YJ-AGT", "阳江外轮代理有限公司", "Yangjiang Ocean Shipping Agency", AgencyKind.SHIPPING_AGENCY,
     None),
]

# username, display name, agency code, role, language
USERS = [
    ("admin", "系统管理员", "YJ-BIS", Role.ADMIN, "zh-CN"),
    ("chen.supervisor", "陈志强", "YJ-BIS", Role.SUPERVISOR, "zh-CN"),
    ("li.officer", "李明", "YJ-BIS-T1", Role.OFFICER, "zh-CN"),
    ("wang.officer", "王芳", "YJ-BIS-T2", Role.OFFICER, "en"),
    ("zhou.customs", "周海", "YJ-CUS", Role.OFFICER, "zh-CN"),
    ("xu.msa", "许海涛", "YJ-MSA", Role.OFFICER, "zh-CN"),
    ("huang.command", "黄建国", "NP-JDC", Role.SUPERVISOR, "zh-CN"),
    ("nong.post", "农文光", "NP-JDC-PM", Role.OFFICER, "zh-CN"),
    ("he.auxiliary", "何海龙", "NP-JDC-PM", Role.VIEWER, "zh-CN"),
    ("lu.auxiliary", "陆春梅", "NP-JDC-BN", Role.VIEWER, "zh-CN"),
    ("wei.police", "韦国平", "NP-POL", Role.OFFICER, "zh-CN"),
    ("liang.army", "梁永", "NP-ARMY", Role.OFFICER, "zh-CN"),
    ("ma.village", "马秀兰", "NP-VC-NJ", Role.VIEWER, "zh-CN"),
    ("agent.yj", "林海燕", "YJ-AGT", Role.OFFICER, "zh-CN"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    agency: str
    role: str


def is_empty(session: Session) -> bool:
    return (session.scalar(select(func.count(User.id))) or 0) == 0


def present(session: Session) -> list[DemoUser]:
    """The demo accounts still in the database, for `make run` to print on every start."""
    names = [u[0] for u in USERS]
    found = {u.username: u for u in session.scalars(select(User).where(User.username.in_(names)))}
    return [DemoUser(u, found[u].display_name, found[u].agency.code, found[u].role.value)
            for u in names if u in found]


def load(session: Session, *, border: bool = True, duty: bool = True, residents: bool = True,
         supplies: bool = True, hazards: bool = True, fieldalarms: bool = True,
         training: bool = True, evaluations: bool = True, outreach: bool = True,
         cases: bool = True, emergencies: bool = True, operations: bool = True) -> list[DemoUser]:
    """Agencies, users, notices, the watchlist; and with ``border`` the land border's map and a
    month of SYNTHETIC patrols (``bastion.border.demo``); with ``duty`` the rosters, duty log
    and hotline of 24-hour duty (``bastion.duty.demo``); with ``border`` and ``residents`` the
    foreign residents of the border villages (``bastion.residents.demo``); with ``duty`` and
    ``evaluations`` a year of monthly assessments (``bastion.evaluations.demo``); with
    ``supplies`` the command's year of supplies (``bastion.supplies.demo``), its winter
    uniforms to the people on each post's duty list (or, without ``duty``, to the post's
    accounts); with ``border`` and ``hazards`` a year of SYNTHETIC hazards and repairs
    (``bastion.hazards.demo``) drawing supplies' materials; with ``border`` and
    ``fieldalarms`` a dozen SYNTHETIC alarm devices and past alarms
    (``bastion.fieldalarms.demo``); with ``training`` the year's training, drills and meetings
    (``bastion.training.demo``); with ``border`` and ``outreach`` a year of
    legal-outreach visits (``bastion.outreach.demo``); with ``cases`` the SYNTHETIC cases and
    tips (``bastion.cases.demo``; its sea cases follow the AIS day); with ``emergencies`` the
    shelter zones, the vessel register and a past typhoon (``bastion.emergencies.demo``); with
    ``operations`` a SYNTHETIC joint operation (``bastion.operations.demo``), then the
    acknowledged notifications' demo (``bastion.notifications.demo``)."""
    codes: dict[str, int] = {}
    for code, name, name_en, kind, parent in AGENCIES:
        agency = org.create_agency(session, actor=None, data=AgencyCreate(
            code=code, name=name, name_en=name_en, kind=kind,
            parent_id=codes[parent] if parent else None))
        codes[code] = agency.id
    users: dict[str, User] = {}
    for username, display, code, role, language in USERS:
        users[username] = org.create_user(session, actor=None, data=UserCreate(
            username=username, display_name=display, agency_id=codes[code], role=role,
            language=language, password=DEMO_PASSWORD))

    def notice(author: str, title: str, body: str, tlp: TLP, dist: Distribution,
               agencies: tuple[str, ...] = (), recipients: tuple[str, ...] = (),
               personal: bool = False) -> None:
        notices.create(session, user=users[author], data=NoticeCreate(
            title=title, body=body, tlp=tlp, distribution=dist, personal=personal,
            agency_ids=[codes[c] for c in agencies],
            recipient_ids=[users[u].id for u in recipients]))

    notice("chen.supervisor", "台风“海葵”预警：锚地船舶登轮检查调整",
           "受台风影响，未来48小时锚地登轮检查改为码头检查，请各队做好准备。",
           TLP.GREEN, Distribution.NAMED, agencies=("YJ-CUS", "YJ-MSA"))
    notice("li.officer", "Crew change at berth 3 tonight",
           "Eleven crew members sign off MV Ocean Pearl at 22:00; two officers needed.",
           TLP.AMBER, Distribution.OWN)
    notice("huang.command", "边境一线防疫与走私防控联合巡逻安排",
           "本周起平孟、百南、百都三个联防所与边境管理大队、边防连开展联合巡逻。",
           TLP.AMBER, Distribution.NAMED, agencies=("NP-POL", "NP-ARMY"))
    notice("nong.post", "界碑附近发现可疑便道",
           "巡逻发现1047号界碑东侧新踩出便道，疑似非法越境通道，请边境管理大队核查。",
           TLP.AMBER_STRICT, Distribution.OWN)
    notice("wei.police", "重点人员协查（仅限指定人员）",
           "涉嫌组织偷越国境人员近期可能经平孟口岸附近活动，详见附件。",
           TLP.RED, Distribution.NAMED, recipients=("huang.command", "nong.post"), personal=True)
    notice("huang.command", "边民法治宣传日活动通知",
           "11月28日在念井村开展边境法律法规宣传，欢迎各单位参加。",
           TLP.CLEAR, Distribution.ALL)
    from bastion.screening import demo as screening_demo

    screening_demo.load(session, supervisor=users["chen.supervisor"])
    if border:
        from bastion.border import demo as border_demo

        border_demo.load(session, users=users, agencies=codes)
        if residents:
            from bastion.residents import demo as residents_demo

            residents_demo.load(session, users=users)
    # duty's list is the posts' people (evaluations adds the auxiliaries it assesses to it):
    # it is loaded before supplies, whose winter-uniform kit goes to each post's people
    if duty:
        from bastion.duty import demo as duty_demo

        duty_demo.load(session, users=users)
        if evaluations:
            from bastion.evaluations import demo as evaluations_demo

            evaluations_demo.load(session, users=users)
    if supplies:
        from bastion.supplies import demo as supplies_demo

        supplies_demo.load(session, users=users)
    if border and hazards:  # its work orders draw the materials supplies has stocked
        from bastion.hazards import demo as hazards_demo

        hazards_demo.load(session, users=users, agencies=codes)
    if border and fieldalarms:
        from bastion.fieldalarms import demo as fieldalarms_demo

        fieldalarms_demo.load(session, users=users)
    if training:
        from bastion.training import demo as training_demo

        training_demo.load(session, users=users)
    if border and outreach:
        from bastion.outreach import demo as outreach_demo

        outreach_demo.load(session, users=users)
    if cases:
        from bastion.cases import demo as cases_demo

        cases_demo.load(session, users=users)
    if emergencies:
        from bastion.emergencies import demo as emergencies_demo

        emergencies_demo.load(session, users=users)
    if operations:
        from bastion.operations import demo as operations_demo

        operations_demo.load(session, users=users, agencies=codes)
    from bastion.notifications import demo as notifications_demo

    notifications_demo.load(session, users=users, agencies=codes)
    return [DemoUser(u, d, c, r.value) for u, d, c, r, _lang in USERS]
