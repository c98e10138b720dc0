"""invalid_identity, identity_change, dedup, the alert dict, and the explained risk score."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.maritime.risk.tracks import at, kinds, marinecadastre, replay, suez

from bastion.core.reference.ships import imo_valid, mmsi_problem
from bastion.maritime.risk import DetectorSettings, RiskEngine, RiskWeights
from bastion.maritime.risk.reference import reefers, spoofing_mmsis

KEYS = {"id", "kind", "mmsi", "other_mmsi", "zone_id", "start", "end", "lat", "lon", "severity",
        "score", "thresholds", "evidence", "context", "status", "reason"}


ALARMED = DetectorSettings(invalid_identity_alerts=True)


def test_non_ship_mmsis_in_real_data_are_invalid_identities():
    events = replay(RiskEngine(settings=ALARMED), marinecadastre())
    invalid = [e.alert for e in events if e.action == "opened" and e.alert.kind == "invalid_identity"]
    assert {a.mmsi for a in invalid} == {3669884, 12345678}
    assert all("leading 0" in a.context["problem"] for a in invalid)
    assert mmsi_problem(412_123_456) is None  # China
    assert "not allocated" in mmsi_problem(399_000_001)


def test_an_invalid_identity_is_a_risk_factor_not_an_alarm_by_default():
    engine = RiskEngine()
    events = replay(engine, marinecadastre(), finish=False)
    assert not [e for e in events if e.alert.kind == "invalid_identity"]
    for mmsi in (3669884, 12345678):
        [factor] = [f for f in engine.risk(mmsi).factors if f.name.startswith("invalid_identity")]
        assert factor.name == "invalid_identity:mmsi" and "leading 0" in factor.params["problem"]
        assert factor.points == 15 * 0.6  # as a medium alert of the kind, while it is sent
    alarmed = RiskEngine(settings=ALARMED)
    replay(alarmed, marinecadastre(), finish=False)
    assert alarmed.risk(3669884).score == engine.risk(3669884).score  # never counted twice


def test_imo_check_digit():
    real = next(m for m in marinecadastre() if m["imo"])
    assert imo_valid(real["imo"])  # the MarineCadastre vessel's IMO is genuine
    engine = RiskEngine(settings=ALARMED)
    assert kinds(engine.observe(real)) == {}
    events = engine.observe(at(real, imo=real["imo"] + 1 if real["imo"] % 10 != 9 else real["imo"] - 1,
                               type=5))
    opened = [e.alert for e in events if e.action == "opened"]
    assert {a.kind for a in opened} == {"invalid_identity", "identity_change"}


def test_a_flag_state_number_in_the_imo_field_is_not_an_invalid_identity():
    """A ship without an IMO number sends its flag state's official number there (ITU-R
    M.1371-5 table 50: 10,000,000 and above); 1-999,999 is a range not used."""
    real = next(m for m in marinecadastre() if m["imo"])
    engine = RiskEngine(settings=ALARMED)
    engine.observe(real)
    assert kinds(engine.observe(at(real, imo=1_208_314_00, type=5))) == {"identity_change": 1}
    events = engine.observe(at(real, mmsi=real["mmsi"] + 1, imo=111, type=5))
    [alert] = [e.alert for e in events if e.action == "opened"]
    assert alert.kind == "invalid_identity" and "not used" in alert.context["problem"]


def test_identity_change_is_one_open_alert_updated_by_later_changes():
    messages = [m for m in marinecadastre() if m["mmsi"] == 316040626]
    engine = RiskEngine()
    assert kinds(replay(engine, messages, finish=False)) == {}
    last = messages[-1]
    renamed = at(last, type=5, shipname="OCEAN STAR 7")
    events = engine.observe(renamed)
    assert [(e.action, e.alert.kind) for e in events] == [("opened", "identity_change")]
    change = events[0].alert.evidence[0]["changes"]["shipname"]
    assert change == {"old": last["shipname"], "new": "OCEAN STAR 7"}
    assert engine.observe(renamed) == []  # same name again: no change
    events = engine.observe(at(renamed, callsign="BX1234"))
    assert [e.action for e in events] == ["updated"]  # dedup: still the one open alert
    assert engine.observe(at(renamed, shipname=None, callsign=None)) == []  # not available


def test_alert_dict_is_json_ready_with_the_agreed_keys():
    import json

    fixes = list(suez()[636_000_132])
    fixes[300] = at(fixes[300], lat=29.50, lon=32.70)
    events = replay(RiskEngine(), fixes)
    data = events[0].alert.to_dict()
    assert set(data) == KEYS
    assert data["start"].endswith("Z") and data["end"] is None
    json.dumps([e.to_dict() for e in events])
    assert len(events[0].alert.evidence) <= DetectorSettings().evidence_max


def test_risk_score_lists_its_factors_and_decays():
    liberian = 636_000_132
    fixes = list(suez()[liberian])
    fixes[300] = at(fixes[300], lat=29.50, lon=32.70)
    settings = DetectorSettings(risk=RiskWeights(watch_flags=["LR"]))
    engine = RiskEngine(settings=settings)
    replay(engine, fixes)
    now = engine.now
    risk = engine.risk(liberian, now)
    names = {f.name: f for f in risk.factors}
    assert {"alert:teleport", "flag_watch_list", "ship_type:unknown"} <= set(names)
    assert "Liberia" in names["flag_watch_list"].why
    assert risk.score == min(100, round(sum(f.points for f in risk.factors)))
    later = engine.risk(liberian, now + 14 * 86400)  # two half-lives on
    assert later.score < risk.score
    teleport_later = next(f for f in later.factors if f.name == "alert:teleport")
    assert abs(teleport_later.points - names["alert:teleport"].points / 4) < 0.6
    assert engine.risk(liberian, now, declared_flag="Panama").to_dict()["factors"][0]["name"]


def test_static_factors_from_the_gfw_lists():
    engine = RiskEngine()
    reefer = next(m for m, r in reefers().items() if r["flag"] not in (None, "Unknown")
                  and str(m)[:3] in ("636", "351", "538"))
    factors = {f.name for f in engine.risk(reefer, 0.0).factors}
    assert "reefer_list" in factors
    spoofed = min(m for m in spoofing_mmsis() if 200_000_000 < m < 800_000_000)
    assert "spoofing_list" in {f.name for f in engine.risk(spoofed, 0.0).factors}
    mismatch = engine.risk(412_000_001, 0.0, declared_flag="Panama")
    assert any(f.name == "flag_mismatch" and "China" in f.why for f in mismatch.factors)
    assert not any(f.name == "flag_mismatch" for f in
                   engine.risk(412_000_001, 0.0, declared_flag="CN").factors)


def test_finish_closes_episodes_but_leaves_open_gaps_open():
    tracks = suez()
    fixes = tracks[636_000_132][:200]
    # It goes dark while the vessels anchored around it are still heard for the next 7 hours.
    until = datetime.fromisoformat(fixes[-1]["time"]) + timedelta(hours=7)
    others = [m for mmsi, track in tracks.items() if mmsi != 636_000_132 for m in track
              if datetime.fromisoformat(m["time"]) <= until]
    engine = RiskEngine()
    replay(engine, fixes + others, finish=False)
    engine.tick(until)
    events = engine.finish()
    assert all(e.alert.kind != "gap" for e in events)
    assert engine.book.get("gap", 636_000_132) is not None
