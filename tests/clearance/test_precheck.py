"""The advance pre-check: each rule's reason, the highest level winning, rules as data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bastion.clearance.precheck import DEFAULT_RULES, Alert, Evidence, Level, decide
from bastion.core import context

ETA = datetime(2026, 12, 1, 6, tzinfo=UTC)


@pytest.fixture(autouse=True)
def english():
    token = context.set_current(context.RequestContext(language="en"))
    yield
    context.reset(token)


def _ev(**kw) -> Evidence:
    return Evidence(**{"person_outcomes": {"crew 1": "clear"}, "eta": ETA, "earlier_calls": 3,
                       **kw})


def test_a_clean_regular_caller_gets_documentary_inspection():
    decision = decide(_ev())
    assert decision.level == Level.DOCUMENTARY and decision.reasons == []


@pytest.mark.parametrize(("evidence", "rule", "level"), [
    ({"person_outcomes": {"crew 1": "stop", "crew 2": "clear"}}, "person_stop", Level.ENHANCED),
    ({"person_outcomes": {"crew 1": "check"}}, "person_check", Level.BOARDING),
    ({"risk_score": 72.0}, "risk_high", Level.ENHANCED),
    ({"risk_score": 35.0}, "risk_medium", Level.BOARDING),
    ({"alerts": [Alert("gap", "high", ETA - timedelta(days=3))]}, "dark_before_arrival",
     Level.BOARDING),
    ({"alerts": [Alert("encounter", "high", ETA - timedelta(days=10))]}, "met_at_sea",
     Level.ENHANCED),
    ({"alerts": [Alert("identity_change", "medium", ETA - timedelta(days=40))]},
     "identity_changed", Level.BOARDING),
    ({"declared_last_port": "VNHPH", "track_last_port": "CNZHA"}, "last_port_mismatch",
     Level.BOARDING),
    ({"earlier_violations": 2}, "past_violations", Level.BOARDING),
    ({"earlier_calls": 0}, "first_call", Level.BOARDING),
])
def test_each_rule_gives_its_reason_and_level(evidence, rule, level):
    decision = decide(_ev(**evidence))
    assert rule in [r for r, _text in decision.reasons]
    assert decision.level == level


def test_old_alerts_do_not_count():
    decision = decide(_ev(alerts=[Alert("gap", "high", ETA - timedelta(days=60))]))
    assert decision.level == Level.DOCUMENTARY


def test_the_highest_level_wins_and_every_reason_is_listed():
    decision = decide(_ev(risk_score=35.0, person_outcomes={"a": "stop", "b": "check"},
                          earlier_calls=0))
    assert decision.level == Level.ENHANCED
    assert {r for r, _t in decision.reasons} == {"person_stop", "person_check", "risk_medium",
                                                "first_call"}
    assert "vessel risk score 35 is at least 30" in dict(decision.reasons)["risk_medium"]


def test_rules_are_data_a_supervisor_can_change():
    stricter = [dict(rule) for rule in DEFAULT_RULES]
    for rule in stricter:
        if rule["id"] == "risk_medium":
            rule["value"] = 20
    assert decide(_ev(risk_score=25.0)).level == Level.DOCUMENTARY
    assert decide(_ev(risk_score=25.0), stricter).level == Level.BOARDING
    with pytest.raises(ValueError, match="unknown pre-check test"):
        decide(_ev(), [{"id": "x", "test": "astrology", "value": 1, "level": "boarding",
                        "reason": "x"}])


def test_reasons_in_chinese():
    token = context.set_current(context.RequestContext(language="zh-CN"))
    try:
        decision = decide(_ev(earlier_calls=0))
    finally:
        context.reset(token)
    assert decision.reasons[0][1] != "first call of this vessel at the station"
