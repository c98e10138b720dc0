"""Patrol measures on a case built by hand (tests/border/patrols/factories_measures.py: the
table in ``build_scene``), through the service and the REST API as each kind of user."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from bastion.border.patrols import measures
from bastion.border.settings import PatrolSettings
from tests.border.patrols.factories_measures import S1, build_scene, local, walk
from tests.web_helpers import api_token


@pytest.fixture
def scene(session):
    scene = build_scene(session)
    session.commit()
    return scene


def _get(client, user, path, **params):
    return client.get(path, params=params, headers={**api_token(client, user.username),
                                                    "Accept-Language": "en"})


def _day(client, scene, who, **extra):
    response = _get(client, scene.users[who], "/api/v1/patrols/measures",
                    **{"from": scene.day.isoformat(), "to": scene.day.isoformat(), **extra})
    assert response.status_code == 200, response.text
    return response.json()


def test_the_command_sees_every_measure_as_worked_out_by_hand(client, scene):
    data = _day(client, scene, "command_viewer")
    t = data["total"]
    assert (t["planned"], t["started_on_time"], t["completed"], t["missed"], t["incomplete"],
            t["cancelled"]) == (5, 3, 1, 2, 2, 1)
    assert t["completion"] == 0.2
    assert (t["checkpoints_planned"], t["checkpoints_visited"]) == (7, 4)
    assert t["checkpoint_coverage"] == round(4 / 7, 4)
    # S1 is walked 150 m to its side: covered at d = 200 m; S2 not at all
    s1, s2 = (r for r in data["by_segment"])
    assert s1["segment_coverage"] == pytest.approx(1.0, abs=0.002)
    assert s2["segment_coverage"] == 0.0
    assert t["segment_coverage"] == pytest.approx(
        s1["length_m"] / (s1["length_m"] + s2["length_m"]), abs=0.002)
    # effort apart from results
    assert (t["patrols"], t["unplanned"], t["joint"], t["person_days"]) == (5, 1, 2, 5)
    assert t["hours"] == 6.5
    assert 11.9 < t["km"] < 12.2  # 9 km recorded + P1's kept track (~3.1 km)
    assert [(r["code"], r["count"]) for r in data["results"]] == [
        ("smuggling_trail", 2), ("damaged_fence", 1)]
    assert data["results"][0]["label"] == "Smuggling trail"
    assert data["synthetic"] == 1 and t["synthetic"] == 1


def test_missed_and_incomplete_are_listed_with_why(client, scene):
    data = _day(client, scene, "command_viewer")
    p = scene.patrols
    missed = {m["id"]: m for m in data["missed"]}
    assert set(missed) == {p["P2"].id, p["P4"].id}
    assert missed[p["P2"].id]["late_minutes"] == 10.0  # ten minutes late is missed
    assert missed[p["P4"].id]["started_at"] is None
    incomplete = {m["id"]: m for m in data["incomplete"]}
    assert set(incomplete) == {p["P3"].id, p["P5"].id}
    assert incomplete[p["P3"].id]["checkpoints_missed"] == ["K-02"]  # skipped
    assert incomplete[p["P5"].id]["checkpoints_missed"] == ["K-03"]  # 400 m away: no visit


def test_tolerance_is_a_setting(client, scene, app):
    app.state.settings.patrols.start_tolerance_min = 15
    t = _day(client, scene, "command_viewer")["total"]
    assert (t["started_on_time"], t["missed"], t["completed"]) == (4, 1, 2)


def test_coverage_distance_is_a_setting(session, scene):
    user = scene.users["command_viewer"]
    near = measures.measures(session, user=user, settings=PatrolSettings(coverage_m=100),
                             start=scene.day, end=scene.day)
    assert near["coverage_m"] == 100
    assert near["total"]["covered_m"] == 0.0  # 150 m away is not within 100 m
    far = measures.measures(session, user=user, settings=PatrolSettings(), start=scene.day,
                            end=scene.day)
    assert far["total"]["covered_m"] == pytest.approx(scene.s1.length_m, rel=0.002)


def test_rows_by_post_segment_agency_and_period(client, scene):
    data = _day(client, scene, "command_viewer")
    posts = {r["key"]: r for r in data["by_post"]}
    assert posts[scene.post_a.id]["planned"] == 4 and posts[scene.post_b.id]["planned"] == 1
    assert posts[scene.post_a.id]["segment_coverage"] == pytest.approx(1.0, abs=0.002)
    assert posts[scene.post_b.id]["segment_coverage"] == 0.0
    agencies = {r["key"]: r for r in data["by_agency"]}
    army = agencies[scene.army.id]  # the army took part in P1 only
    assert (army["planned"], army["completed"], army["patrols"]) == (1, 1, 1)
    police = agencies[scene.police.id]  # P6, unplanned, SYNTHETIC
    assert (police["planned"], police["patrols"], police["synthetic"]) == (0, 1, 1)
    assert police["covered_m"] == 0.0  # P6 has no track
    assert [r["key"] for r in data["by_period"]] == [scene.day.isoformat()]
    weekly = _day(client, scene, "command_viewer", period="week")
    assert weekly["by_period"][0]["key"].count("-W") == 1
    assert weekly["by_period"][0]["planned"] == 5


def test_filters_narrow_every_figure(client, scene):
    data = _day(client, scene, "command_viewer", agency=scene.army.id)
    assert data["total"]["planned"] == 1 and data["total"]["completed"] == 1
    data = _day(client, scene, "command_viewer", segment=scene.s2.id)
    assert data["total"]["planned"] == 1 and data["total"]["length_m"] == round(
        scene.s2.length_m, 1)
    data = _day(client, scene, "command_viewer", post=scene.post_a.id)
    assert data["total"]["planned"] == 4
    assert [r["key"] for r in data["by_segment"]] == [scene.s1.id]


def test_targets_met_and_unmet(client, scene):
    targets = {t["post_id"]: t for t in _day(client, scene, "command_viewer")["targets"]}
    daily = targets[scene.post_a.id]
    assert daily["periods"] == [{"key": scene.day.isoformat(), "patrols": 4, "met": True,
                                 "partial": False}]
    weekly = targets[scene.post_b.id]
    assert weekly["unmet"] == 1 and weekly["periods"][0]["patrols"] == 1
    assert weekly["periods"][0]["partial"] is True  # one day of the week asked for


def test_a_post_sees_its_own_area(client, scene):
    a = _day(client, scene, "post_a")
    assert a["total"]["planned"] == 4
    assert [r["key"] for r in a["by_segment"]] == [scene.s1.id]
    assert {m["id"] for m in a["missed"]} == {scene.patrols["P2"].id, scene.patrols["P4"].id}
    b = _day(client, scene, "post_b")
    assert (b["total"]["planned"], b["total"]["incomplete"]) == (1, 1)
    assert [r["key"] for r in b["by_segment"]] == [scene.s2.id]
    assert b["missed"] == [] and b["results"] == []
    assert [t["post_id"] for t in b["targets"]] == [scene.post_b.id]
    # another post's segment or post is beyond its need-to-know: 404, as the record itself
    for params in ({"segment": scene.s1.id}, {"post": scene.post_a.id}):
        response = _get(client, scene.users["post_b"], "/api/v1/patrols/measures", **params)
        assert response.status_code == 404, params


@pytest.mark.parametrize("who", ["police", "army", "village", "station", "post_a_viewer"])
def test_without_the_capability_403(client, scene, who):
    for path in ("/api/v1/patrols/measures", "/api/v1/patrols/measures.xlsx",
                 "/api/v1/patrols/blind-spots.geojson", "/patrols/measures"):
        response = _get(client, scene.users[who], path)
        if who == "post_a_viewer":  # an auxiliary (post viewer) holds patrols.measures
            assert response.status_code == 200, (path, response.text)
        else:
            assert response.status_code == 403, (who, path, response.text)


def test_bad_input_names_the_field(client, scene):
    user = scene.users["command_viewer"]
    cases = [({"from": "2026-03-05", "to": "2026-03-01"}, "from"),
             ({"from": "2020-01-01", "to": "2026-01-01"}, "to"),
             ({"from": "yesterday"}, "from"), ({"period": "year"}, "period"),
             ({"post": "x"}, "post")]
    for params, name in cases:
        response = _get(client, user, "/api/v1/patrols/measures", **params)
        assert response.status_code == 422, (params, response.text)
        assert name in str(response.json()["detail"][0]["loc"]), (params, response.text)
    response = _get(client, user, "/api/v1/patrols/blind-spots.geojson", days=0)
    assert response.status_code == 422 and "days" in response.text
    response = _get(client, user, "/api/v1/patrols/measures", segment=999999)
    assert response.status_code == 404


def test_xlsx_holds_the_same_figures_with_headings_in_the_user_s_language(client, scene):
    params = {"from": scene.day.isoformat(), "to": scene.day.isoformat()}
    user = scene.users["command_viewer"]
    response = _get(client, user, "/api/v1/patrols/measures.xlsx", **params)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Overview", "By period", "By post", "By segment", "By agency",
                             "Missed patrols", "Incomplete patrols", "Results", "Targets"]
    overview = {row[0]: row[1] for row in wb["Overview"].iter_rows(values_only=True) if row}
    assert overview["Patrol completion"] == 0.2
    assert overview["Checkpoint coverage"] == round(4 / 7, 4)
    assert overview["Planned patrols"] == 5 and overview["Person-days"] == 5
    assert overview["SYNTHETIC (demo)"] == 1
    missed = list(wb["Missed patrols"].iter_rows(values_only=True))
    assert missed[0][0] == "Patrol" and len(missed) == 3
    assert sorted(r[5] for r in missed[1:] if r[5] is not None) == [10.0]
    results = list(wb["Results"].iter_rows(values_only=True))
    assert results[1] == ("smuggling_trail", "Smuggling trail", 2)
    zh = client.get("/api/v1/patrols/measures.xlsx", params=params,
                    headers={**api_token(client, user.username), "Accept-Language": "zh-CN"})
    wb = load_workbook(io.BytesIO(zh.content))
    assert wb.sheetnames[0] == "总览"
    overview = {row[0]: row[1] for row in wb["总览"].iter_rows(values_only=True) if row}
    assert overview["巡逻完成率"] == 0.2
    assert list(wb["结果"].iter_rows(values_only=True))[1][1] == "走私便道"


def test_blind_spots_are_the_stretches_nobody_came_near(client, session, scene):
    user = scene.users["command_viewer"]
    data = _get(client, user, "/api/v1/patrols/blind-spots.geojson").json()
    assert [f["properties"]["segment"] for f in data["features"]] == ["D-02"]
    assert data["features"][0]["properties"]["whole_segment"] is True
    # a patrol walks the first half of S2 today: its second half stays blind
    p = scene.patrols["P5"]
    from tests.border.patrols.factories_measures import S2

    walk(session, p, S2, start_m=0, end_m=1500, offset_m=20,
         at=local(scene.day, 9, 5) + timedelta(days=2))
    session.commit()
    data = _get(client, user, "/api/v1/patrols/blind-spots.geojson").json()
    (spot,) = data["features"]
    props = spot["properties"]
    assert not props["whole_segment"]
    assert 1500 <= props["from_m"] <= 1800 and props["to_m"] == pytest.approx(
        scene.s2.length_m, abs=1)
    # a day ago nothing was walked: seen over one day, both segments are blind
    one = _get(client, user, "/api/v1/patrols/blind-spots.geojson", days=1).json()
    assert {f["properties"]["segment"] for f in one["features"]} >= {"D-01"}
    # the post sees its own segment only
    b = _get(client, scene.users["post_b"], "/api/v1/patrols/blind-spots.geojson").json()
    assert {f["properties"]["segment"] for f in b["features"]} == {"D-02"}
    a = _get(client, scene.users["post_a"], "/api/v1/patrols/blind-spots.geojson").json()
    assert a["features"] == []
    assert S1  # the walked segment


def test_the_page_shows_the_measures_and_the_demo_flag(client, scene):
    from tests.web_helpers import login

    login(client, scene.users["command_viewer"].username)
    page = client.get("/patrols/measures", params={"from": scene.day.isoformat(),
                                                    "to": scene.day.isoformat()})
    assert page.status_code == 200
    assert 'id="synthetic-flag"' in page.text
    assert "20.0%" in page.text  # completion
    assert "/api/v1/patrols/measures.xlsx?" in page.text
    bad = client.get("/patrols/measures", params={"from": "nonsense"})
    assert bad.status_code == 422 and 'id="error-from"' in bad.text


def test_settings_come_from_the_environment(monkeypatch):
    from bastion.core.config import Settings

    monkeypatch.setenv("BASTION_PATROLS__COVERAGE_M", "150")
    monkeypatch.setenv("BASTION_PATROLS__START_TOLERANCE_MIN", "10")
    settings = Settings(_env_file=None)
    assert settings.patrols.coverage_m == 150.0
    assert settings.patrols.start_tolerance_min == 10.0
    assert settings.patrols.blind_spot_days == 7 and settings.patrols.zone == "Asia/Shanghai"


def test_days_are_the_unit_s_days(session, scene):
    """A patrol planned for 00:30 in Shanghai (16:30 UTC the day before) belongs to the
    Shanghai day, whatever zone the reader is in; weeks are ISO weeks of those days."""
    from tests.border.patrols.factories_measures import patrol

    day = scene.day + timedelta(days=1)
    early = patrol(session, scene, post=scene.post_b, seg=scene.s2, planned=local(day, 0, 30),
                   started=local(day, 0, 31), ended=local(day, 1, 31))
    assert early.planned_start.date() == scene.day  # in UTC it is still the day before
    data = measures.measures(session, user=scene.users["command_viewer"],
                             settings=PatrolSettings(), start=scene.day, end=day)
    rows = {r["key"]: r for r in data["by_period"]}
    assert rows[day.isoformat()]["planned"] == 1 and rows[day.isoformat()]["completed"] == 1
    assert rows[scene.day.isoformat()]["planned"] == 5
    assert measures.bucket(day, "week") == "{}-W{:02d}".format(*day.isocalendar()[:2])
    assert measures.bucket(day, "month") == f"{day.year}-{day.month:02d}"


def test_the_annual_report_counts_the_same_patrols(client, scene):
    """The report's patrol section (core.figures) is the measures' total over the period: the
    same five patrols, two joint, 6.5 hours, as the command's viewer sees them."""
    year = scene.day.year
    response = _get(client, scene.users["command_viewer"], "/api/v1/reports/figures",
                    year=year)
    assert response.status_code == 200, response.text
    found = {f["key"]: f["value"] for s in response.json()["sections"] for f in s["figures"]}
    assert (found["patrols.patrols"], found["patrols.joint"], found["patrols.hours"],
            found["patrols.person_days"], found["patrols.planned_completed"]) == (5, 2, 6.5, 5, 1)
    assert 11.9 < found["patrols.km"] < 12.2
