"""The track's last port (#5): gazetteer positions, stops, own port, sea stops, declared ports."""

from __future__ import annotations

import csv
import random
from collections import namedtuple
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bastion.clearance.lastport import (
    PortVisit,
    distance_km,
    find_stops,
    mismatch,
    nearest_port,
    port_position,
    track_last_port,
)

DATA = Path(__file__).parent.parent / "data" / "lastport"
Fix = namedtuple("Fix", "at lat lon speed status")


# --- gazetteer ------------------------------------------------------------------------------

# Published city positions (degrees and minutes, as gazetteers give them) against the shipped
# ones. UNECE positions are towns rounded to 1'; "geocoded" ones came from Geoapify.
@pytest.mark.parametrize(("code", "lat", "lon", "geocoded", "within_km"), [
    ("NLRTM", 51 + 55 / 60, 4 + 29 / 60, False, 10),      # Rotterdam
    ("CNYJI", 21 + 51 / 60, 111 + 58 / 60, False, 10),    # Yangjiang
    ("HKHKG", 22 + 18 / 60, 114 + 10 / 60, True, 10),     # Hong Kong: no UNECE position
    ("SGSIN", 1 + 17 / 60, 103 + 50 / 60, True, 10),      # Singapore: no UNECE position
    ("VNHPH", 20 + 52 / 60, 106 + 41 / 60, True, 10),     # Haiphong: no UNECE position
    ("CNSHG", 31 + 14 / 60, 121 + 28 / 60, True, 10),     # Shanghai port
    # Zhanjiang's port code; UNECE puts it at the outer harbour, 25 km from the city.
    ("CNZNG", 21 + 16 / 60, 110 + 21 / 60, False, 30),
])
def test_gazetteer_positions_of_known_ports(code, lat, lon, geocoded, within_km):
    port = port_position(code)
    assert port is not None
    assert port.geocoded is geocoded
    assert distance_km(port.lat, port.lon, lat, lon) < within_km


def test_gazetteer_holds_only_ports_with_a_position():
    assert port_position("cn sha") is None   # Shanghai Hongqiao airport in this release
    assert port_position("CNZHA") is None    # Zhanjiang: road/rail/air functions only
    assert port_position("NLHKG") is None    # Hakkelaarsbrug: no port function
    assert port_position("vn-hph").code == "VNHPH"
    # Source rows whose names held a comma are rejoined; garbled accents are replaced.
    assert port_position("BSFPO").name == "Freeport, Grand Bahama"
    assert port_position("VNCLI").name == "Cat Lai"


def test_shipped_gazetteer_is_small():
    path = Path(__file__).parents[2] / "src/bastion/clearance/data/ports.csv.gz"
    assert path.stat().st_size < 300_000


def test_nearest_port_uses_unece_positions_within_the_radius():
    port, km = nearest_port(22.345, 114.12)   # Kwai Chung container terminals
    assert (port.code, port.geocoded) == ("HKHKC", False)
    assert km < 3
    assert nearest_port(21.0, 112.8) is None  # open sea off western Guangdong
    assert nearest_port(21.0, 112.8, max_km=300) is not None
    # Across the antimeridian: Mys Shmidta (RUMSH, 179.43W) from 179.9E, 27 km away.
    port, km = nearest_port(68.88, 179.9, max_km=30)
    assert port.code == "RUMSH"
    assert 26 < km < 28


# --- a synthetic voyage around real ports ---------------------------------------------------

T0 = datetime(2025, 3, 1, tzinfo=UTC)
STEP = timedelta(minutes=10)
HAIPHONG = (20.80, 106.90)        # off Dinh Vu, Haiphong's deep-water terminals
KWAI_CHUNG = (22.345, 114.12)     # Hong Kong, Kwai Chung container terminals
MACAU_ROADS = (22.17, 113.60)
AT_SEA = (21.0, 112.8)            # 90 km off the coast, no port within 15 km
YANGJIANG_ANCHORAGE = (21.70, 111.85)  # 19 km from CNYJI's position; nearest code is Xitou


class Voyage:
    """Fixes every 10 minutes: stops jitter on the spot, legs run at 12 knots."""

    def __init__(self) -> None:
        self.fixes: list[Fix] = []
        self.at = T0
        self.pos = HAIPHONG
        self.rng = random.Random(5)
        self.stops: dict[str, tuple[datetime, datetime]] = {}

    def stop(self, name: str, hours: float, *, status: int, speed: float = 0.2) -> None:
        start = self.at
        for _ in range(round(hours * 6) + 1):
            lat = self.pos[0] + self.rng.uniform(-0.001, 0.001)
            lon = self.pos[1] + self.rng.uniform(-0.001, 0.001)
            self.fixes.append(Fix(self.at, lat, lon, round(self.rng.uniform(0, speed), 1),
                                  status))
            self.at += STEP
        self.stops[name] = (start, self.at - STEP)

    def sail(self, *waypoints: tuple[float, float], knots: float = 12.0) -> None:
        for target in waypoints:
            km = distance_km(*self.pos, *target)
            steps = max(1, round(km / (knots * 1.852 / 6)))
            for k in range(1, steps + 1):
                lat = self.pos[0] + (target[0] - self.pos[0]) * k / steps
                lon = self.pos[1] + (target[1] - self.pos[1]) * k / steps
                self.fixes.append(Fix(self.at, lat, lon, knots, 0))
                self.at += STEP
            self.pos = target


def voyage() -> Voyage:
    v = Voyage()
    v.stop("haiphong", 10, status=1)
    v.sail((20.45, 107.40), (20.25, 109.60), (20.20, 110.70), (21.30, 112.80), (22.10, 113.90),
           KWAI_CHUNG)
    v.stop("hong kong", 6, status=5, speed=0.1)
    v.sail((22.10, 113.90), MACAU_ROADS)
    v.stop("macau", 1, status=1)       # shorter than the 2 h minimum
    v.sail(AT_SEA)
    v.stop("at sea", 4, status=0)      # drifting, waiting for a berth window
    v.sail(YANGJIANG_ANCHORAGE)
    v.stop("yangjiang", 5, status=1)   # the approach anchorage of the port being called at
    return v


@pytest.fixture(scope="module")
def trip() -> Voyage:
    return voyage()


def test_the_voyage_has_its_stops(trip):
    stops = find_stops(trip.fixes)
    assert [(s.arrived, s.departed) for s in stops] == [
        trip.stops[name] for name in ("haiphong", "hong kong", "at sea", "yangjiang")]


def test_last_port_is_hong_kong(trip):
    visit = track_last_port(trip.fixes, own_port="CNYJI", before=None)
    assert visit is not None
    assert visit.code.startswith("HK")
    assert (visit.arrived, visit.departed) == trip.stops["hong kong"]
    assert visit.distance_km < 15
    assert distance_km(visit.lat, visit.lon, *KWAI_CHUNG) < 0.5


def test_declared_ports_against_hong_kong(trip):
    visit = track_last_port(trip.fixes, own_port="CNYJI", before=None)
    assert mismatch("VNHPH", visit)        # the port before, 790 km away
    assert not mismatch("HKHKG", visit)    # the harbour's main code, geocoded, 4 km away
    assert not mismatch("hk hkg", visit)
    assert not mismatch("HKKWN", visit)    # Kowloon, 7 km: another code of the same harbour
    assert not mismatch(visit.code, visit)
    assert mismatch("CNYJI", visit)        # declaring the port being called at
    assert mismatch("ZZZZZ", visit)        # no position: the codes are compared


def test_stops_at_sea_name_no_port(trip):
    at_sea = [s for s in find_stops(trip.fixes) if (s.arrived, s.departed) == trip.stops["at sea"]]
    assert len(at_sea) == 1
    assert nearest_port(at_sea[0].lat, at_sea[0].lon) is None
    # A track whose only stop is at sea has no last port.
    v = Voyage()
    v.pos = AT_SEA
    v.stop("at sea", 8, status=1)
    v.sail(YANGJIANG_ANCHORAGE)
    assert track_last_port(v.fixes, own_port="CNYJI", before=None) is None


def test_a_stop_shorter_than_the_minimum_is_ignored(trip):
    assert track_last_port(trip.fixes, own_port="CNYJI", before=None).code.startswith("HK")
    shorter = track_last_port(trip.fixes, own_port="CNYJI", before=None,
                              min_duration=timedelta(minutes=50))
    assert shorter.code == "MOMFM"
    assert (shorter.arrived, shorter.departed) == trip.stops["macau"]


def test_own_port_covers_its_approach_anchorage(trip):
    # Without the own port the anchorage off Yangjiang would be taken for a call at Xitou,
    # 9 km from it, and the declared Hong Kong would look false.
    assert track_last_port(trip.fixes, own_port=None, before=None).code == "CNXTO"
    assert track_last_port(trip.fixes, own_port="CNYJI", before=None, own_port_km=5).code \
        == "CNXTO"
    assert track_last_port(trip.fixes, own_port="CNXTO", before=None).code.startswith("HK")


def test_before_cuts_the_track(trip):
    hk_in, hk_out = trip.stops["hong kong"]
    # Before Hong Kong: the stop off Haiphong, which a declared VNHPH matches (24 km).
    visit = track_last_port(trip.fixes, own_port="CNYJI", before=hk_in + timedelta(hours=1))
    assert visit.code == "VNNHD"
    assert visit.departed == trip.stops["haiphong"][1]
    assert not mismatch("VNHPH", visit)
    # In the middle of the Hong Kong stop: it counts, cut at the last fix before the time.
    middle = track_last_port(trip.fixes, own_port="CNYJI", before=hk_in + timedelta(hours=3))
    assert middle.code.startswith("HK")
    assert middle.departed < hk_in + timedelta(hours=3) < hk_out
    # Only an hour into the first stop: nothing yet.
    assert track_last_port(trip.fixes, own_port="CNYJI", before=T0 + timedelta(hours=1)) is None


def test_speed_status_and_position_alone(trip):
    # Without speed the status decides (the drift at sea reports "under way": no stop);
    # without either, the speed implied by the positions.
    no_speed = [Fix(f.at, f.lat, f.lon, None, f.status) for f in trip.fixes]
    bare = [(f.at, f.lat, f.lon) for f in trip.fixes]
    for fixes, names in ((no_speed, ("haiphong", "hong kong", "yangjiang")),
                         (bare, ("haiphong", "hong kong", "at sea", "yangjiang"))):
        assert [(s.arrived, s.departed) for s in find_stops(fixes)] == [
            trip.stops[name] for name in names]
        assert track_last_port(fixes, own_port="CNYJI", before=None).code.startswith("HK")


def test_speed_wins_over_a_stale_status_and_spikes_do_not_split_a_stop():
    start = T0
    sailing = [Fix(start + k * STEP, 21.0 + k * 0.03, 112.8, 12.0, 5) for k in range(30)]
    assert find_stops(sailing) == []        # "moored" left set while under way
    swinging = [Fix(start + k * STEP, 22.345, 114.12, 1.6 if k % 7 == 2 else 0.3, 1)
                for k in range(25)]
    stops = find_stops(swinging)
    assert len(stops) == 1
    assert stops[0].departed - stops[0].arrived == timedelta(hours=4)


def test_not_available_speed_is_ignored():
    fixes = [Fix(T0 + k * STEP, 22.345, 114.12, 102.3, 5) for k in range(20)]
    assert len(find_stops(fixes)) == 1


# --- real tracks ----------------------------------------------------------------------------

def _suez(vessel: str) -> list[tuple[datetime, float, float]]:
    with open(DATA / "suez-2021-03-vessels-92-128.csv", encoding="utf-8", newline="") as f:
        return sorted(
            (datetime.strptime(r["ais_pos_timestamp"], "%d/%m/%Y %H:%M").replace(tzinfo=UTC),
             float(r["latitude"]), float(r["longitude"]))
            for r in csv.DictReader(f) if r["ID"] == vessel)


def test_suez_transit_then_port_said():
    fixes = _suez("128")  # no speed or status: stops come from the positions alone
    visit = track_last_port(fixes, own_port=None, before=None)
    assert (visit.code, visit.arrived) == ("EGPSE", datetime(2021, 3, 20, 13, 47, tzinfo=UTC))
    # Calling at Port Said, the stop there is this call; the last port is the wait off Suez,
    # named after Adabiya, which a declared Suez (EGSUZ, 15 km) matches and Piraeus does not.
    before_said = track_last_port(fixes, own_port="EGPSD", before=None)
    assert before_said.code == "EGADA"
    assert before_said.departed == datetime(2021, 3, 20, 2, 15, tzinfo=UTC)
    assert not mismatch("EGSUZ", before_said)
    assert mismatch("GRPIR", before_said)


def test_suez_transit_then_stops_at_sea():
    fixes = _suez("92")
    stops = find_stops(fixes)
    assert len(stops) == 3
    assert [nearest_port(s.lat, s.lon) is None for s in stops] == [False, True, True]
    # The two later stops, 40 km off Port Said, are at sea: the last port is still Suez.
    visit = track_last_port(fixes, own_port=None, before=None)
    assert visit.code == "EGADA"
    assert not mismatch("EGSUZ", visit)


def test_san_pedro_bay_queue_january_2022():
    with open(DATA / "marinecadastre-2022-01-03-two-vessels.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))

    def track(mmsi: str) -> list[Fix]:
        return [Fix(datetime.fromisoformat(r["BaseDateTime"]).replace(tzinfo=UTC),
                    float(r["LAT"]), float(r["LON"]), float(r["SOG"]), int(r["Status"]))
                for r in rows if r["MMSI"] == mmsi]

    moored = track_last_port(track("477219900"), own_port=None, before=None)
    assert isinstance(moored, PortVisit)
    assert moored.code == "USLGB"
    assert moored.departed - moored.arrived > timedelta(hours=23)
    # Holding 60 km offshore for the whole day: a stop, but at sea.
    holding = track("219253000")
    assert len(find_stops(holding)) == 1
    assert track_last_port(holding, own_port=None, before=None) is None
