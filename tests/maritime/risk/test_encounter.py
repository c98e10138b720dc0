"""Encounters across joint silences, dark rendezvous and the short-encounter early warning, on
the real Suez tracks (tests/data/tracks, see its licence notes).

The Suez fixes are moved 2.4 degrees north and 0.4 east into the open Mediterranean (as in
test_places), whole: every vessel of the sample keeps its place beside the others, so the pair
has real neighbours who are heard while it is silent, and no port or land lies within 10 km.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError
from tests.maritime.risk.tracks import at, bitter_lakes, kinds, replay, suez

from bastion.maritime.ais import read_csv
from bastion.maritime.risk import DetectorSettings, RiskEngine
from bastion.maritime.zones import ZoneSet, fast_m

A, B = 636_000_072, 636_000_074  # alongside from 22 March 12:18 to 23 March 14:56 (real)
PASSING = 636_000_017, 636_000_037  # pass within 500 m at 11:30 on 22 March, 10 kn and 8 kn
# Both silent from 14:00 to 22:00: 1 h 40 min alongside before, nearly 17 h after.
SILENCE = ("2021-03-22T14:00", "2021-03-22T22:00")
NORTH, EAST = 2.4, 0.4


def _offshore(fixes: list[dict]) -> list[dict]:
    return [at(m, lat=m["lat"] + NORTH, lon=m["lon"] + EAST) for m in fixes]


def _outside(fixes: list[dict], window: tuple[str, str]) -> list[dict]:
    return [m for m in fixes if not window[0] <= m["time"] < window[1]]


def _sample(silent: tuple[int, ...] = (A, B), window: tuple[str, str] = SILENCE) -> list[dict]:
    """The whole Suez sample offshore, the vessels in ``silent`` unheard during ``window``."""
    out: list[dict] = []
    for mmsi, fixes in suez().items():
        out += _outside(_offshore(fixes), window) if mmsi in silent else _offshore(fixes)
    return out


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _of_pair(events: list, kind: str, action: str | None = None) -> list:
    return [e for e in events if e.alert.kind == kind and {e.alert.mmsi, e.alert.other_mmsi} ==
            {A, B} and (action is None or e.action == action)]


def _first_close(messages: list[dict]) -> datetime:
    """The first fix of A or B, both slow (under 4 kn from their previous fix: the Suez data
    has no speeds), with the other's latest fix (at most 30 min old) within 500 m."""
    latest: dict[int, dict] = {}
    slow: dict[int, bool] = {}
    for m in sorted(messages, key=lambda m: m["time"]):
        if m["mmsi"] not in (A, B):
            continue
        before = latest.get(m["mmsi"])
        if before is not None:
            seconds = (_when(m["time"][:19]) - _when(before["time"][:19])).total_seconds()
            metres = fast_m(before["lat"], before["lon"], m["lat"], m["lon"])
            slow[m["mmsi"]] = seconds > 0 and metres / seconds < 4 * 1852 / 3600
        latest[m["mmsi"]] = m
        other = latest.get(B if m["mmsi"] == A else A)
        if other is not None and slow.get(A) and slow.get(B) and \
                (_when(m["time"][:19]) - _when(other["time"][:19])).total_seconds() <= 1800 and \
                fast_m(m["lat"], m["lon"], other["lat"], other["lon"]) <= 500:
            return _when(m["time"][:19])
    raise AssertionError("never close")


def test_a_rendezvous_broken_by_a_joint_silence_is_one_encounter_and_a_dark_rendezvous():
    messages = _sample()
    events = replay(RiskEngine(), messages)
    encounter = _of_pair(events, "encounter")
    opened = [e.alert for e in encounter if e.action == "opened"]
    assert len(opened) == 1 and not [e for e in encounter if e.action == "retracted"]
    closed = next(e.alert for e in encounter if e.action == "closed")
    # From the first close fix in the morning to the last close fix the next afternoon.
    assert closed.start == _first_close(messages) < _when("2021-03-22T12:30")
    assert _when("2021-03-23T14:40") <= closed.end <= _when("2021-03-23T15:00")
    assert closed.context["joint_silence_hours"] >= 8 and closed.context["hours"] > 26
    assert closed.severity == "high"  # a joint silence inside it
    # Raised on the first close fix after the silence, not two hours later: the run went on.
    assert _when("2021-03-22T22:00") <= datetime.fromtimestamp(
        opened[0].context["last_update_epoch"], UTC) < _when("2021-03-22T22:40")
    # The joint silence itself, raised while it lasts, with both vessels.
    dark = _of_pair(events, "dark_rendezvous")
    assert [e.action for e in dark] == ["opened", "closed"]
    alert = dark[0].alert
    assert (alert.mmsi, alert.other_mmsi, alert.severity) == (A, B, "high")
    assert _when("2021-03-22T13:40") <= alert.start < _when("2021-03-22T14:00")
    assert 1 <= alert.context["silent_hours"] < 2  # established after an hour, not at reunion
    assert alert.context["distance_m"] <= 500 and alert.context["others_heard_nearby"] >= 1
    last = alert.evidence[-1]  # both last positions, marked as where the silence begins
    assert last["silent_from"] and {last["time"], last["other"]["time"]} == {
        max(m["time"] for m in messages if m["mmsi"] == v and m["time"] < SILENCE[1])
        for v in (A, B)}
    # Ends when the first of them is heard again (22:08), whichever sees it first: the sweep
    # ("vessel heard again") or the pair's next close sample ("back alongside").
    assert _when("2021-03-22T22:00") <= dark[1].alert.end < _when("2021-03-22T22:40")
    assert events.index(dark[0]) < events.index(encounter[0])  # before the encounter qualified


def test_a_pair_silent_together_longer_than_the_limit_is_let_go():
    # With the limit under the 8 h silence the morning's run ends at its last close fix; back
    # alongside, the pair starts afresh (too late to merge with a morning that never made 2 h).
    events = replay(RiskEngine(settings=DetectorSettings(
        encounter_max_joint_silence_hours=6)), _sample())
    opened = [e.alert for e in _of_pair(events, "encounter", "opened")]
    assert len(opened) == 1 and opened[0].start > _when("2021-03-22T22:00")
    assert "joint_silence_hours" not in opened[0].context
    assert len(_of_pair(events, "dark_rendezvous", "opened")) == 1


def test_two_vessels_passing_each_other_raise_nothing():
    tracks = bitter_lakes()
    pair = tracks[PASSING[0]] + tracks[PASSING[1]]
    settings = DetectorSettings(encounter_short_waters=[(32.0, 30.0), (33.0, 30.0),
                                                        (33.0, 30.7), (32.0, 30.7)])
    events = replay(RiskEngine(settings=settings, land=False), pair)
    assert not [e for e in events if e.alert.kind in (
        "encounter", "encounter_short", "dark_rendezvous")]


def test_alongside_only_ten_minutes_raises_nothing_even_in_own_waters():
    tracks = suez()
    # A real meeting cut short: B is heard only until ten minutes after they came together.
    b = [m for m in tracks[B] if m["time"] < "2021-03-22T12:28"]
    settings = DetectorSettings(encounter_short_waters=_box_around(tracks[A]))
    events = replay(RiskEngine(settings=settings, land=False), tracks[A] + b)
    assert not [e for e in events if e.alert.kind in (
        "encounter", "encounter_short", "dark_rendezvous")]


def _box_around(fixes: list[dict], pad: float = 0.2) -> list[tuple[float, float]]:
    lats, lons = [m["lat"] for m in fixes], [m["lon"] for m in fixes]
    w, s, e, n = min(lons) - pad, min(lats) - pad, max(lons) + pad, max(lats) + pad
    return [(w, s), (e, s), (e, n), (w, n)]


def _zone(kind: str, ring: list[tuple[float, float]]) -> ZoneSet:
    return ZoneSet.from_geojson({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Station waters", "kind": kind},
         "geometry": {"type": "Polygon", "coordinates": [[*map(list, ring), list(ring[0])]]}}]})


def test_the_early_warning_comes_after_fifteen_minutes_only_in_the_stations_waters():
    messages = _sample(silent=())
    ring = _box_around(_offshore(suez()[A]))
    for zones, settings in ((_zone("controlled_coast", ring), DetectorSettings()),
                            (None, DetectorSettings(encounter_short_waters=ring))):
        events = replay(RiskEngine(zones=zones, settings=settings), messages)
        short = _of_pair(events, "encounter_short")
        assert [e.action for e in short] == ["opened", "closed"]
        alert = short[0].alert
        assert alert.start == _first_close(messages)
        assert 0.25 <= alert.context["hours"] < 0.5 and alert.severity == "medium"
        assert short[1].reason == "grew into an encounter"
        assert len(_of_pair(events, "encounter", "opened")) == 1
    # The same water is not the station's own: GFW's encounter only, two hours in.
    events = replay(RiskEngine(zones=_zone("restricted", _box_around([{"lat": 0, "lon": 0}]))),
                    messages)
    assert not _of_pair(events, "encounter_short")
    assert len(_of_pair(events, "encounter", "opened")) == 1


def test_near_a_known_anchorage_nothing_is_raised():
    messages = _sample()
    near = next(m for m in messages if m["mmsi"] == A and m["time"] >= "2021-03-22T12:30")
    for metres, expected in ((5_000, 0), (20_000, 1)):
        engine = RiskEngine(settings=DetectorSettings(
            encounter_short_waters=_box_around(_offshore(suez()[A]))))
        # The places the engine knows (risk/places.py): here one anchorage north of the pair.
        anchorage = (near["lat"] + metres / 111_195.0, near["lon"])
        engine.anchorage_m = lambda lat, lon, p=anchorage: fast_m(lat, lon, *p)
        events = replay(engine, messages)
        for kind in ("encounter", "encounter_short", "dark_rendezvous"):
            assert len(_of_pair(events, kind, "opened")) == expected, (metres, kind)


def test_everyone_silent_at_once_is_reception_not_a_dark_rendezvous():
    silent = tuple(suez())
    events = replay(RiskEngine(), _sample(silent=silent))
    assert not _of_pair(events, "dark_rendezvous")
    assert len(_of_pair(events, "encounter", "opened")) == 1  # still one encounter across it


def test_one_vessel_silent_alone_beside_the_other_is_one_encounter_without_a_dark_rendezvous():
    # B unheard 15:00-17:00 while A goes on reporting: GFW's run from B's side never breaks.
    events = replay(RiskEngine(), _sample(silent=(B,), window=("2021-03-22T15:00",
                                                              "2021-03-22T17:00")))
    assert [e.action for e in _of_pair(events, "encounter") if e.action != "updated"] == \
        ["opened", "closed"]
    assert not _of_pair(events, "dark_rendezvous")


def test_ships_heard_minutes_either_side_of_a_day_long_hole_in_the_recording_are_no_encounter():
    # Real rows: moored tugs and pilot boats heard 00:00-00:06 and at 23:59 (data/README.md).
    # The hole spans a day "alongside" by GFW's clock; seen alongside, they were six minutes.
    moored = list(read_csv(Path(__file__).parent / "data" /
                           "marinecadastre-2022-01-03-moored-pairs.csv"))
    assert not kinds(replay(RiskEngine(), moored)).get("encounter")
    # The rule, not the place, is what leaves them out: without it the tugs and each pair of
    # pilot boats (heard a few minutes, then at 23:59) are 24-hour encounters.
    events = replay(RiskEngine(settings=DetectorSettings(encounter_min_seen_minutes=0)), moored)
    day = [e.alert for e in events if e.action == "closed" and e.alert.kind == "encounter"]
    assert len(day) == 4 and (366_981_740, 366_982_180) in [(a.mmsi, a.other_mmsi) for a in day]
    assert all(a.context["hours"] > 23 and a.context["joint_silence_hours"] > 23 for a in day)


def test_own_waters_that_are_no_polygon_are_refused_naming_the_setting():
    for bad, words in (([(112.0, 21.0), (112.5, 21.0)], "at least 3"),
                       ([(21.5, 112.0), (21.9, 112.0), (21.9, 112.5)], "(21.5, 112.0)")):
        with pytest.raises(ValidationError) as caught:
            DetectorSettings(encounter_short_waters=bad)
        assert "encounter_short_waters" in str(caught.value) and words in str(caught.value)
