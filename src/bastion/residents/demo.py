"""The foreign-resident demo (SYNTHETIC): about forty made-up Vietnamese residents of the
land-border demo's villages (``bastion.border.demo``), with names as written (diacritics),
Han-character names for some by their Sino-Vietnamese readings, documents (743/744 passes,
passports, identity cards), households, marriages with Chinese spouses (some not registered),
residence, lodging registrations, permits, employment, and three months of crossings at
recognised ports — and a few at non-designated paths.

Every person is ``synthetic=True`` and their notes begin "SYNTHETIC": the list and the person
page show the badge. The crossing points' reference data is loaded, and the village
committee NP-VC-NJ is given 念井村 as its area (the contract: a committee sees its own village).
One seeded generator: two loads on the same day make the same people.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.border.geo.models import BorderPlace, BorderPost, PlaceKind, PostVillage
from bastion.core.db import utcnow
from bastion.core.marking import TLP, AreaAssignment, Distribution, RecordShare
from bastion.org.models import Agency, User
from bastion.residents import service
from bastion.residents.crossings import points
from bastion.residents.crossings.models import Crossing, CrossingSource, Direction
from bastion.residents.models import (
    Employment,
    FamilyLink,
    Household,
    Lodging,
    Marriage,
    Permit,
    PermitKind,
    ResidencePeriod,
    Resident,
    ResidentDocument,
)
from bastion.residents.schemas import ResidentIn

ZONE = ZoneInfo("Asia/Shanghai")
SEED = 20261214
PERSONS = 40
NOTE = "SYNTHETIC：演示用虚构人员"
# (Vietnamese, Latin, Han) — Sino-Vietnamese readings
SURNAMES = [("Nguyễn", "NGUYEN", "阮"), ("Lê", "LE", "黎"), ("Trần", "TRAN", "陈"),
            ("Hoàng", "HOANG", "黄"), ("Nông", "NONG", "农"), ("Lục", "LUC", "陆"),
            ("Đinh", "DINH", "丁"), ("Vương", "VUONG", "王"), ("Phạm", "PHAM", "范"),
            ("Lý", "LY", "李"), ("Đàm", "DAM", "谭"), ("La", "LA", "罗")]
MIDDLE = {"male": ("Văn", "VAN", "文"), "female": ("Thị", "THI", "氏")}
GIVEN = {"male": [("An", "AN", "安"), ("Minh", "MINH", "明"), ("Hùng", "HUNG", "雄"),
                  ("Nam", "NAM", "南"), ("Bình", "BINH", "平"), ("Hải", "HAI", "海"),
                  ("Dũng", "DUNG", "勇"), ("Quang", "QUANG", "光"), ("Đức", "DUC", "德"),
                  ("Cường", "CUONG", "强"), ("Tuấn", "TUAN", "俊"), ("Hưng", "HUNG", "兴")],
         "female": [("Hoa", "HOA", "花"), ("Lan", "LAN", "兰"), ("Mai", "MAI", "梅"),
                    ("Thu", "THU", "秋"), ("Phương", "PHUONG", "芳"), ("Hương", "HUONG", "香"),
                    ("Hạnh", "HANH", "幸"), ("Linh", "LINH", "灵"), ("Tâm", "TAM", "心"),
                    ("Yến", "YEN", "燕")]}
ETHNIC = ["Tày", "Nùng", "Nùng", "Tày", "Kinh", "H'Mông", "Dao"]
CN_SPOUSES = ["黄志强", "农建国", "陆永华", "马德胜", "覃海波", "何春生", "梁国平", "赵文军"]
EMPLOYERS = ["念井村甘蔗合作社（SYNTHETIC）", "平孟边贸货场（SYNTHETIC）", "百都八角加工厂（SYNTHETIC）"]
# how the posts write the ports near Napo (recognised) and paths that are no port
PORT_SPELLINGS = ["平孟口岸", "Sóc Giang", "CUA KHAU SOC GIANG", "平孟", "GX-PINGMENG",
                  "龙邦口岸", "Trà Lĩnh", "岳圩", "Pò Peo"]
PATHS = ["1047号界碑东侧便道（SYNTHETIC）", "弄腊屯后山小路（SYNTHETIC）"]


def _local(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), ZONE).astimezone(UTC)


def load(session: Session, *, users: dict[str, User], now: datetime | None = None
         ) -> list[Resident]:
    """The residents' half of the demo, after the border demo (its villages and posts)."""
    now = now or utcnow()
    today = now.astimezone(ZONE).date()
    rng = random.Random(SEED)
    points.load_reference(session)
    find_point = points.recogniser(session)
    villages = list(session.scalars(select(BorderPlace).where(
        BorderPlace.kind == PlaceKind.VILLAGE).order_by(BorderPlace.id)))
    if not villages:
        return []
    by_name = {v.name: v for v in villages}
    committee = session.scalar(select(Agency).where(Agency.code == "NP-VC-NJ"))
    nianjing = by_name.get("念井村")
    if committee is not None and nianjing is not None and session.scalar(
            select(AreaAssignment).where(AreaAssignment.agency_id == committee.id,
                                         AreaAssignment.area_kind == "village",
                                         AreaAssignment.area_id == nianjing.id)) is None:
        session.add(AreaAssignment(agency_id=committee.id, area_kind="village",
                                   area_id=nianjing.id))
        session.flush()
    registrar = users.get("nong.post") or users["huang.command"]
    command = users["huang.command"]
    police = session.scalar(select(Agency.id).where(Agency.code == "NP-POL"))
    # more people where the post and the committee are (念井村, 平孟村)
    weights = [3 if v.name in ("念井村", "平孟村") else 1 for v in villages]
    households: dict[int, list[Household]] = {}
    made: list[Resident] = []
    shares: list[list[int]] = []
    committees = {v.id: service.committees_of(session, v.id) for v in villages}
    post_of = dict(session.execute(select(PostVillage.place_id, BorderPost.agency_id).join(
        BorderPost, BorderPost.id == PostVillage.post_id)).all())
    for n in range(PERSONS):
        village = rng.choices(villages, weights)[0]
        sex = "female" if n % 3 != 2 else "male"  # marriage migration: mostly women
        surname = rng.choice(SURNAMES)
        given = rng.choice(GIVEN[sex])
        middle = MIDDLE[sex]
        with_han = n % 2 == 0
        hh_list = households.setdefault(village.id, [])
        if not hh_list or rng.random() < 0.5:
            hh = Household(owner_org_id=command.organisation_id,
                           code=f"NP-{village.id:03d}-{len(hh_list) + 1:02d}",
                           village_id=village.id, address=f"{village.name}{rng.randint(1, 60)}号")
            session.add(hh)
            session.flush()
            hh_list.append(hh)
        household = rng.choice(hh_list)
        user = registrar if village.name in ("念井村", "平孟村") else command
        data = ResidentIn(
            name=f"{surname[0]} {middle[0]} {given[0]}",
            name_latin=f"{surname[1]} {middle[1]} {given[1]}",
            name_han=f"{surname[2]}{middle[2]}{given[2]}" if with_han else "",
            sex=sex, birth_date=date(rng.randint(1965, 2004), rng.randint(1, 12),
                                     rng.randint(1, 28)),
            nationality="VNM", ethnic_group=rng.choice(ETHNIC), village_id=village.id,
            household_id=household.id, notes=NOTE)
        named = sorted({*committees.get(village.id, []), *([police] if police and n % 4 == 0
                                                             else [])})
        made.append(Resident(
            **{k: getattr(data, k) for k in service.PERSON_FIELDS if k != "post_agency_id"},
            post_agency_id=post_of.get(village.id), name_keys=service._name_keys(data),
            owner_org_id=command.organisation_id, created_by_id=user.id, synthetic=True,
            tlp=TLP.GREEN, distribution=Distribution.NAMED if named else Distribution.OWN))
        shares.append(named)
    # written as rows (the registration service, audited one by one, is too slow for a demo)
    session.add_all(made)
    session.flush()
    session.add_all(RecordShare(record_kind=Resident.record_kind, record_id=r.id, agency_id=a)
                    for r, named in zip(made, shares, strict=True) for a in named)
    for n, resident in enumerate(made):
        village = session.get(BorderPlace, resident.village_id)
        _records(session, rng, resident, n, village, session.get(Household, resident.household_id),
                 today, find_point)
    session.flush()
    for resident in made:
        service.changed(session, resident=resident)
    return made


def _records(session: Session, rng: random.Random, resident: Resident, n: int,
             village: BorderPlace, household: Household, today: date, find_point: Any) -> None:
    """Documents, residence, marriage, lodgings, permits, employment and crossings; some
    planted situations the flags should catch (an expired pass on entry, an entry with no
    lodging registration, work with no permit, a marriage not registered, a non-designated
    path, many crossings in a month)."""
    rid = resident.id
    expired = n % 9 == 4
    pass_ = ResidentDocument(
        resident_id=rid, doc_type="cn_vn_border_pass", type_code="744",
        number=f"B{rng.randint(1000000, 9999999)}",
        issued=today - timedelta(days=400 if expired else rng.randint(30, 300)),
        expires=today - timedelta(days=20) if expired else today + timedelta(
            days=rng.randint(40, 700)), stay_days=None if n % 5 else 30, issuer="Công an Cao Bằng")
    docs = [pass_]
    if n % 3 == 0:
        docs.append(ResidentDocument(resident_id=rid, doc_type="passport", number=f"C{rng.randint(1000000, 9999999)}",
                                     issued=today - timedelta(days=900),
                                     expires=today + timedelta(days=2700), issuer="Cục Quản lý xuất nhập cảnh"))
    if n % 4 == 1:
        docs.append(ResidentDocument(resident_id=rid, doc_type="identity_card",
                                     number=f"0{rng.randint(10**10, 10**11 - 1)}",
                                     issued=today - timedelta(days=2000)))
    session.add_all(docs)
    since = today - timedelta(days=rng.randint(200, 4000))
    session.add(ResidencePeriod(resident_id=rid, village_id=village.id,
                                address=household.address, since=since))
    if resident.sex == "female" and n % 3 != 2:
        registered = n % 4 != 3  # about one in four not registered (事实婚姻)
        session.add(Marriage(resident_id=rid, spouse_name=rng.choice(CN_SPOUSES),
                             spouse_id_number=f"4510261{rng.randint(10**10, 10**11 - 1)}",
                             registered=registered, since=since,
                             certificate_no=f"J451026-{since.year}-{n:04d}" if registered
                             else ""))
        session.add(FamilyLink(resident_id=rid, relative_name=rng.choice(CN_SPOUSES),
                               relation="child"))
    if n % 6 == 0:
        session.add(Permit(resident_id=rid, kind=PermitKind.RESIDENCE, number=f"R{n:05d}",
                           valid_from=today - timedelta(days=300),
                           valid_to=today + timedelta(days=65)))
    if n % 7 == 1:
        session.add(Employment(resident_id=rid, employer=rng.choice(EMPLOYERS),
                               since=today - timedelta(days=120)))
        if n % 14 == 1:  # the other half work with a permit
            session.add(Permit(resident_id=rid, kind=PermitKind.WORK, number=f"W{n:05d}",
                               valid_from=today - timedelta(days=130),
                               valid_to=today + timedelta(days=235)))
    # crossings over the last three months: out to the Vietnamese side and back
    trips = 12 if n == 7 else rng.randint(0, 5)  # n 7 crosses very often
    days = sorted(rng.sample(range(1, 90), min(trips, 89)))
    if n == 7:
        days = sorted(rng.sample(range(3, 28), 12))
    for k, back in enumerate(days):
        where = PATHS[k % 2] if (n in (11, 23) and k == 0) else rng.choice(PORT_SPELLINGS)
        point = find_point(where)
        out_day = today - timedelta(days=back)
        stay = rng.choice((0, 0, 1, 2, 3))
        for direction, day, hour in ((Direction.OUT, out_day, rng.randint(7, 10)),
                                     (Direction.IN, out_day + timedelta(days=stay),
                                      rng.randint(14, 18))):
            if day > today:
                continue
            session.add(Crossing(
                resident_id=rid, at=_local(day, hour, rng.randint(0, 59)), direction=direction,
                point_id=point.id if point else None, path="" if point else where,
                designated=point is not None, document_id=None, doc_number=pass_.number,
                source=CrossingSource.POST if k % 3 else CrossingSource.INSPECTION,
                recorded_by_id=resident.created_by_id, post_agency_id=resident.post_agency_id,
                details={"as_written": where, "synthetic": True}))
            if direction == Direction.IN and stay and n % 8 != 5:  # n%8==5: no registration
                session.add(Lodging(resident_id=rid, registered_at=_local(
                    day, min(hour + rng.randint(1, 5), 23), 0), address=household.address,
                    host=rng.choice(CN_SPOUSES)))
