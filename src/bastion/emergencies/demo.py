"""Demo of the emergency board (SYNTHETIC): the Yangjiang station's shelter zones by vessel
class, a register of local vessels, and a past operational emergency modelled on Typhoon Yagi
(September 2024), when the station went door to door to vessel owners and moved more than 10
vessels and over 100 crew to safe waters within a dozen hours (the seed report). The event log
is append-only, so the steps' events are written when the demo loads; each carries the time
of the act (``at`` in its payload), and the vessels' ``status_at`` hold the same times. Names,
registrations, owners and numbers are made up; the times follow Yagi's (landfall at Xuwen on
6 September 2024, about 16:20 Beijing time).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.emergencies import areas, service
from bastion.emergencies.models import (
    Emergency,
    EmergencyKind,
    EmergencyVessel,
    Level,
    LocalVessel,
    Phase,
    ShelterZone,
    VesselClass,
    VesselSource,
)
from bastion.emergencies.schemas import EmergencyIn, PhaseIn
from bastion.emergencies.workflow import Actor
from bastion.org.models import Agency, User

C = VesselClass
# Near the demo port (maritime/data/demo-zones-yangjiang.geojson): small craft and fishing
# boats inshore at Zhapo, works vessels up the Moyang estuary, large ships outside in Hailing Bay.
ZONES = [
    ("闸坡内港小型船艇避风区（模拟）", C.SMALL_CRAFT, (111.800, 21.575, 111.830, 21.600)),
    ("闸坡渔港避风锚地（模拟）", C.FISHING, (111.785, 21.556, 111.845, 21.605)),
    ("漠阳江口施工船避风区（模拟）", C.CONSTRUCTION, (111.920, 21.780, 111.970, 21.830)),
    ("漠阳江口客船避风区（模拟）", C.PASSENGER, (111.920, 21.780, 111.970, 21.830)),
    ("海陵湾外大型船舶避风锚地（模拟）", C.MERCHANT, (111.950, 21.450, 112.100, 21.540)),
    ("海陵湾其他船舶避风区（模拟）", C.OTHER, (111.950, 21.450, 112.100, 21.540)),
]
AREA = areas.box(111.55, 21.15, 112.35, 21.95)

# registration, name, class, home port, owner, phone, crew, lat, lon
REGISTER = [
    ("粤阳西渔10231", "粤阳西渔10231", C.FISHING, "闸坡", "陈某海", "13800000101", 12, 21.59, 111.83),
    ("粤阳西渔10488", "粤阳西渔10488", C.FISHING, "闸坡", "林某生", "13800000102", 14, 21.58, 111.82),
    ("粤阳西渔20117", "粤阳西渔20117", C.FISHING, "闸坡", "梁某强", "13800000103", 11, 21.57, 111.84),
    ("粤阳东渔30052", "粤阳东渔30052", C.FISHING, "东平", "黄某福", "13800000104", 10, 21.72, 112.25),
    ("粤阳东渔30319", "粤阳东渔30319", C.FISHING, "东平", "吴某金", "13800000105", 9, 21.73, 112.26),
    ("粤阳西小艇0086", "粤阳西小艇0086", C.SMALL_CRAFT, "闸坡", "何某仔", "13800000106", 3, 21.59, 111.81),
    ("粤阳西小艇0142", "粤阳西小艇0142", C.SMALL_CRAFT, "闸坡", "张某妹", "13800000107", 2, 21.60, 111.82),
    ("粤阳施工0009", "阳江港施工9号", C.CONSTRUCTION, "阳江港", "阳江港航道工程（模拟）",
     "13800000108", 16, 21.79, 111.95),
]
# Yagi's ships beside the register's boats: name, class, mmsi, persons, source
SHIPS = [
    ("HUA YANG 16（模拟）", C.MERCHANT, 412440301, 18, VesselSource.AIS),
    ("NAN HAI KE 2（模拟）", C.PASSENGER, 412440302, 11, VesselSource.AIS),
    ("YUE YANG HUO 7（模拟）", C.MERCHANT, 412440303, 12, VesselSource.AIS),
]
T = datetime(2024, 9, 6, 8, 20, tzinfo=UTC)  # Yagi's landfall at Xuwen, 16:20 Beijing time
OPENED = datetime(2024, 9, 5, 0, 0, tzinfo=UTC)  # level IV response, 08:00 Beijing time


PARTNERS = ("YJ-MSA", "NP-JDC")  # the maritime safety administration, the land-border command


def partner_ids(session: Session) -> list[int]:
    """The demo's partner agencies, named by every emergency the station opens in the demo."""
    return list(session.scalars(select(Agency.id).where(Agency.code.in_(PARTNERS))))


def load(session: Session, *, users: dict[str, User]) -> Emergency:
    station = users["chen.supervisor"]
    for name, klass, (w, s, e, n) in ZONES:
        session.add(ShelterZone(owner_org_id=station.organisation_id, name=name,
                                vessel_class=klass, area=areas.box(w, s, e, n), synthetic=True))
    boats = []
    for reg, name, klass, port, owner, phone, crew, lat, lon in REGISTER:
        boat = LocalVessel(owner_org_id=station.organisation_id, registration=reg, name=name,
                           vessel_class=klass, home_port=port, owner_name=owner,
                           owner_phone=phone, crew=crew, lat=lat, lon=lon, synthetic=True)
        session.add(boat)
        boats.append(boat)
    session.flush()

    yagi = service.open_emergency(session, user=station, data=EmergencyIn(
        kind=EmergencyKind.TYPHOON, name="台风“摩羯”（2024年第11号，模拟复盘）", level=Level.IV,
        phase=Phase.WARNING, landfall_at=T, area=AREA,
        notes="SYNTHETIC：按2024年“摩羯”台风期间的做法整理的演示数据。",
        partner_agency_ids=partner_ids(session)))
    yagi.synthetic = True
    yagi.opened_at = OPENED
    officers = [users["li.officer"], users["wang.officer"]]
    rows = []
    for boat in boats:
        rows.append(EmergencyVessel(
            emergency_id=yagi.id, source=VesselSource.REGISTER, key=f"reg:{boat.id}",
            name=boat.name, vessel_class=boat.vessel_class, local_vessel_id=boat.id,
            contact=f"{boat.owner_name} {boat.owner_phone}", persons_aboard=boat.crew))
    for name, klass, mmsi, persons, source in SHIPS:
        rows.append(EmergencyVessel(emergency_id=yagi.id, source=source, key=f"mmsi:{mmsi}",
                                    name=name, vessel_class=klass, mmsi=mmsi,
                                    persons_aboard=persons))
    for n, row in enumerate(rows):
        row.officer_id = officers[n % 2].id
        row.shelter_zone_id = service.zone_for(session, yagi, row.vessel_class)
        row.status_at = OPENED
        row.created_at = OPENED
        session.add(row)
    session.flush()
    # Door to door from 09:00 Beijing time; the last vessel safe by 20:30: within a dozen hours.
    start = OPENED + timedelta(hours=1)
    for n, row in enumerate(rows):
        told = start + timedelta(minutes=15 * n)
        safe = told + timedelta(hours=2, minutes=20 * n)
        final = {C.SMALL_CRAFT: "ashore", C.MERCHANT: "depart" if n % 2 else "shelter"}.get(
            row.vessel_class, "shelter")
        steps = [("notify", told), ("acknowledge", told + timedelta(minutes=20)),
                 ("move", told + timedelta(minutes=50)), (final, safe)]
        if row.vessel_class == C.FISHING and n % 2 == 0:
            steps.append(("ashore", safe + timedelta(minutes=40)))
        for action, at in steps:
            service.transition(session, emergency=yagi, vessel=row, action=action,
                               actor=Actor.OFFICER, actor_id=row.officer_id, at=at,
                               via="demo")
    service.set_phase(session, user=station, emergency=yagi,
                      data=PhaseIn(phase=Phase.EVACUATION, level=Level.II))
    service.set_phase(session, user=station, emergency=yagi, data=PhaseIn(phase=Phase.ALL_CLEAR))
    yagi.closed_at = T + timedelta(hours=18)
    session.flush()
    return yagi
