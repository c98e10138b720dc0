"""Tide stations are filed as Chinese usage has them: Hong Kong, Macao and Taiwan gauges are
stations of China (regions 香港, 澳门, 台湾), each gauge once in a picker, whatever country the
source files wrote (TICON-4: Macau under "Portugal", Kaohsiung and Keelung under both "China"
and "Taiwan")."""

from __future__ import annotations

import csv
import io

from typer.testing import CliRunner

from bastion.core import context
from bastion.tides import names
from bastion.tides.cli import app
from bastion.tides.stations import get_station, grouped_stations, list_stations, place


def test_hong_kong_macao_and_taiwan_gauges_are_stations_of_china():
    by_name: dict[str, set[tuple[str, str]]] = {}
    for station in list_stations():
        by_name.setdefault(station.name.split(" (")[0], set()).add(
            (station.country, station.region))
    assert by_name["Macau"] == {("China", "Macao")}
    assert by_name["Hong Kong"] == {("China", "Hong Kong")}
    assert by_name["Kaohsiung"] == {("China", "Taiwan")}  # both records, one place
    assert by_name["Keelung"] == {("China", "Taiwan")}
    assert by_name["Zhapo"] == {("China", "Guangdong")}
    countries = {s.country for s in list_stations()}
    assert not countries & {"Portugal", "Taiwan", "Hong Kong", "Macau", "Macao"}
    assert get_station("macau-338a-prt-uhslc-rq").country_code == "CHN"


def test_place_is_decided_by_where_the_gauge_is_not_by_the_label():
    assert place("Portugal", "Nossa Senhora do Carmo", 22.167, 113.55) == ("China", "Macao")
    assert place("Taiwan", "Takao", 22.615, 120.282) == ("China", "Taiwan")
    assert place("China", "Fujian", 24.45, 118.067) == ("China", "Fujian")  # Xiamen stays
    assert place("Vietnam", "Hai Phong", 20.667, 106.817) == ("Vietnam", "Hai Phong")


def test_a_picker_lists_each_gauge_once_under_china():
    groups = grouped_stations()
    listed = [s for _c, _r, items in groups for s in items]
    gauges = [s.gauge for s in listed]
    assert len(gauges) == len(set(gauges))
    names_listed = [s.name.split(" (")[0] for s in listed]
    for place_name in ("Kaohsiung", "Keelung", "Macau", "Hong Kong", "Currimao"):
        assert names_listed.count(place_name) == 1, place_name
    regions = {(c, r) for c, r, _items in groups}
    assert {("China", "Taiwan"), ("China", "Hong Kong"), ("China", "Macao")} <= regions
    assert all(s.id.endswith("-rq") for s in listed if s.source == "TICON-4")


def test_the_picker_reads_in_chinese():
    token = context.set_current(context.RequestContext(language="zh-CN", timezone="Asia/Shanghai"))
    try:
        labels = dict(names.picker())
    finally:
        context.reset(token)
    assert [label for _id, label in labels["中国 · 台湾"]] == [
        "高雄 (kaohsiung-340a-chn-uhslc-rq)", "基隆 (keelung-341a-chn-uhslc-rq)"]
    assert [i for i, _label in labels["中国 · 澳门"]] == ["macau-338a-prt-uhslc-rq"]
    assert "中国 · 香港" in labels and "中国 · 广东" in labels
    assert not any("葡萄牙" in group or group.startswith("台湾") for group in labels)


def test_the_station_list_command_files_them_under_china_with_the_region():
    result = CliRunner().invoke(app, ["stations"])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert (rows["macau-338a-prt-uhslc-rq"]["country"],
            rows["macau-338a-prt-uhslc-rq"]["region"]) == ("China", "Macao")
    assert {rows[i]["country"] for i in ("kaohsiung-340-twn-uhslc-fd",
                                          "kaohsiung-340a-chn-uhslc-rq")} == {"China"}
