"""Risk reasons, alert thresholds, context and evidence are written for the reader at display
time: in their language, with times in their zone; nothing stored is an English sentence that
a Chinese page would show (issue 11: "risk-factor reasons with UTC times", "alert thresholds as
raw JSON")."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from tests.web_helpers import login

from bastion.core import context
from bastion.core.labels import term
from bastion.maritime import demo, labels, reasons
from bastion.maritime.alerts.models import VesselAlert
from bastion.maritime.feeds import build_engine
from bastion.maritime.picture import Picture
from bastion.maritime.risk import DetectorSettings
from bastion.maritime.risk.rendezvous import THRESHOLDS as DARK_THRESHOLDS
from bastion.maritime.tracks.models import Vessel

assert labels  # registers the words of alert kinds and severities, as the app does at start

ENDED = datetime(2026, 12, 6, 11, 18, 47, tzinfo=UTC).timestamp()
FACTOR = {"name": "alert:encounter", "points": 15.0,
          "why": "1 encounter alert(s); latest medium, ended 2026-12-06T11:18:47Z; ...",
          "params": {"count": 1, "severity": "medium", "ended": ENDED, "half_life_days": 7.0}}


def _as(language: str, zone: str, fn, *args):
    token = context.set_current(context.RequestContext(language=language, timezone=zone))
    try:
        return fn(*args)
    finally:
        context.reset(token)


def test_a_risk_reason_reads_in_the_readers_language_and_zone():
    zh = _as("zh-CN", "Asia/Shanghai", reasons.factor_reason, FACTOR)
    assert zh == "预警 1 条；最近一条中，已于 2026-12-06 19:18 结束；结束后每 7 天分值减半"
    assert not re.search(r"[a-z]{3,}", zh), zh
    en = _as("en", "Asia/Ho_Chi_Minh", reasons.factor_reason, FACTOR)
    assert "2026-12-06 18:18" in en and "ended" in en
    assert _as("zh-CN", "Asia/Shanghai", reasons.factor_name, FACTOR).startswith("预警: ")
    unknown_type = {"name": "ship_type:unknown", "points": 5, "why": "AIS ship type not "
                    "reported (unknown)", "params": {"code": None, "category": "unknown"}}
    assert "unknown" not in _as("zh-CN", "Asia/Shanghai", reasons.factor_name, unknown_type)
    assert _as("zh-CN", "Asia/Shanghai", reasons.factor_reason, unknown_type) == "AIS 未报告船舶类型"


def test_a_factor_stored_before_params_shows_its_stored_words():
    old = {"name": "reefer_list", "points": 10, "why": "on GFW's list"}
    assert _as("zh-CN", "Asia/Shanghai", reasons.factor_reason, old) == "on GFW's list"


def test_thresholds_and_context_are_rows_with_units():
    rows = _as("zh-CN", "Asia/Shanghai", reasons.facts,
               {"loitering_hours": 4.0, "loitering_max_knots": 2.0, "loitering_min_shore_nm": 20.0,
                "last_change_epoch": ENDED, "likely": "going_dark", "new_key": 3})
    assert rows == [("最短持续时间", "4 小时"), ("平均航速上限", "2 节"),
                    ("最小离岸距离", "20 海里"), ("最近变更", "2026-12-06 19:18"),
                    ("可能原因", "主动关闭"), ("new_key", "3")]


@pytest.fixture
def day(session_factory, settings, world, session):
    session.commit()
    picture = Picture(sessions=session_factory, settings=settings,
                      engine=build_engine(None, settings), batch=2000)
    for message in demo.messages(end=datetime(2026, 11, 20, 12, 0, tzinfo=UTC)):
        picture.ingest(message)
    picture.finish()


def test_vessel_and_alert_pages_in_chinese_show_no_json_nor_utc(client, session, day):
    login(client, "author")
    client.cookies.set("bastion_lang", "zh-CN")
    vessel = session.scalars(select(Vessel).order_by(Vessel.risk_score.desc())).first()
    stored = vessel.risk_factors
    assert stored and all("params" in f for f in stored)  # facts stored, words made at display
    page = client.get(f"/maritime/vessels/{vessel.mmsi}").text
    assert "alert(s)" not in page and "halves every" not in page
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", page)
    for alert in session.scalars(select(VesselAlert)):
        page = client.get(f"/maritime/alerts/{alert.id}").text
        assert 'id="alert-thresholds"' in page, alert.kind
        article = re.sub(r"data-(evidence|tracks)='[^']*'", "", page.split("<article")[1])
        story = page.split('id="alert-narrative">')[1].split("</section>")[0]
        assert story.count("<p>") >= 1 and "MMSI" in story or str(alert.mmsi) in story, \
            (alert.kind, story)
        zone = (alert.context.get("zone") or {}).get("name") or "MMSI"  # a zone's name is data
        assert not re.search(r"[A-Za-z]{4,}", story.replace(zone, "").replace("MMSI", "")), \
            (alert.kind, story)
        assert "None" not in story and "?" not in story, (alert.kind, story)
        assert "{&#34;" not in article and '{"' not in article and '"lat"' not in article, \
            alert.kind
        for key in [*alert.thresholds, *alert.context]:
            assert f">{key}<" not in page, (alert.kind, key)  # every detector's key has words
        if alert.retracted_reason:  # the demo's impossible jump, explained by a shared MMSI
            assert alert.retracted_reason not in page and "MMSI" in page, alert.kind
            assert "explained by" not in page


def test_an_invalid_mmsi_is_a_factor_on_the_vessel_page_in_chinese(client, session, day):
    """The demo's vessel with an MMSI no ship may carry raises no alarm; its page lists the
    identity problem among the score's factors, in the reader's language."""
    login(client, "author")
    client.cookies.set("bastion_lang", "zh-CN")
    assert session.scalar(select(VesselAlert).where(VesselAlert.kind == "invalid_identity")) \
        is None
    page = client.get("/maritime/vessels/100440110").text
    assert "身份信息无效" in page and "首位为 1 的 MMSI 不分配给船舶" in page
    assert "leading 1" not in page


def test_encounter_short_and_dark_rendezvous_read_in_chinese():
    s = DetectorSettings()
    keys = {k: getattr(s, k) for k in (*DARK_THRESHOLDS, "encounter_short_minutes",
                                              "encounter_min_seen_minutes")}
    context = {"alongside_hours": 1.7, "median_knots": 0.01, "distance_m": 227,
               "silent_apart_minutes": 6.0, "silent_hours": 1.25, "joint_silence_hours": 8.2,
               "others_heard_nearby": 4, "neighbours_before": 4, "neighbours_heard_again": 4}
    rows = _as("zh-CN", "Asia/Shanghai", reasons.facts, {**keys, **context})
    assert len(rows) == len(keys) + len(context)
    for label, value in rows:
        assert not re.search(r"[a-z]{2,}", label + value), (label, value)  # no key, no English
    assert ("静默前最短并靠时长", "15 分钟") in rows and ("已静默", "1.25 小时") in rows
    for kind in ("dark_rendezvous", "encounter_short"):
        word = _as("zh-CN", "Asia/Shanghai", term, kind, "alert_kind")
        assert word != kind and not re.search(r"[a-z]{3,}", word)
    fix = {"time": "2021-03-22T14:23:00Z", "lat": 32.28, "lon": 32.87, "speed": 0.0,
           "silent_from": True, "other": {"time": "2021-03-22T14:17:00Z", "lat": 32.28,
                                          "lon": 32.874, "speed": 0.0}}
    rows = _as("zh-CN", "Asia/Shanghai", reasons.evidence, [fix])
    assert rows[0]["change"] == "此后两船同时静默" and rows[0]["time"] == "2021-03-22 22:23:00"
    assert rows[1]["change"] == "另一船"


def test_an_invalid_identity_factor_reads_in_the_readers_language():
    factor = {"name": "invalid_identity:imo", "points": 4.5, "why": "...",
              "params": {"problem": "IMO field 111 is in a range not used (ITU-R M.1371)"}}
    assert _as("zh-CN", "Asia/Shanghai", reasons.factor_reason, factor) == \
        "IMO 字段 111 处于不使用的号段（ITU-R M.1371）"
    assert _as("zh-CN", "Asia/Shanghai", reasons.factor_name, factor) == \
        term("invalid_identity", "alert_kind") != "invalid_identity"
    assert _as("en", "UTC", reasons.factor_reason, factor) == factor["params"]["problem"]
