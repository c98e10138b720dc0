"""Statistics on a known set, as each kind of user: residents by village, nationality and
document; crossings by month (in the unit's zone) and point, designated or not; flags by kind
and status; marriages registered and not. A village committee and a post count their own
villages only; no function is 403. The workbook is audited; the page reads in Chinese."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bastion.audit.models import AuditAction, AuditEntry
from bastion.residents.crossings.models import Crossing, CrossingPoint, Direction
from bastion.residents.flags.models import FlagStatus, RiskFlag
from bastion.residents.models import Marriage, Resident, ResidentDocument
from tests.residents.registry.world import build_registry, register

API = "/api/v1/residents/stats"
PERIOD = {"since": "2026-01-01", "until": "2026-12-31"}


@pytest.fixture
def w(session):
    return build_registry(session)


@pytest.fixture
def known(client, session, w):
    a1 = register(client, w, "a_officer", w.village_a)
    a2 = register(client, w, "a_officer", w.village_a, name="Souk Phet", name_latin="SOUK PHET",
                  name_han="", nationality="LAO", birth_date="1979-05-05")
    b1 = register(client, w, "b_officer", w.village_b, name="Lê Thị Hoa", name_latin="LE THI HOA",
                  name_han="黎氏花", sex="female", birth_date="1990-01-02")
    session.query(RiskFlag).delete()  # whatever registration raised: the set is ours
    point = session.scalars(select(CrossingPoint).order_by(CrossingPoint.code)).first()
    session.add_all([
        ResidentDocument(resident_id=a1, doc_type="cn_vn_border_pass", type_code="743",
                         number="T1"),
        ResidentDocument(resident_id=a1, doc_type="passport", number="P1"),
        ResidentDocument(resident_id=a2, doc_type="cn_vn_border_pass", type_code="743",
                         number="T2"),
        # 00:30 on 1 December in Asia/Shanghai: December's
        Crossing(resident_id=a1, at=datetime(2026, 11, 30, 16, 30, tzinfo=UTC),
                 direction=Direction.IN, point_id=point.id, designated=True),
        Crossing(resident_id=a1, at=datetime(2026, 11, 15, 9, 0, tzinfo=UTC),
                 direction=Direction.OUT, path="山路小道", designated=False),
        Crossing(resident_id=b1, at=datetime(2026, 10, 5, 2, 0, tzinfo=UTC),
                 direction=Direction.IN, point_id=point.id, designated=True),
        Crossing(resident_id=b1, at=datetime(2025, 10, 5, 2, 0, tzinfo=UTC),  # before the period
                 direction=Direction.IN, point_id=point.id, designated=True),
        RiskFlag(resident_id=a1, kind="overstay", rule="r", article="78",
                 status=FlagStatus.OPEN),
        RiskFlag(resident_id=a2, kind="overstay", rule="r", article="78",
                 status=FlagStatus.CONFIRMED, outcome="fined"),
        RiskFlag(resident_id=b1, kind="undesignated_crossing", rule="r", article="x",
                 status=FlagStatus.OPEN),
        Marriage(resident_id=a1, spouse_name="李明", registered=True),
        Marriage(resident_id=a2, spouse_name="王强", registered=False),
        Marriage(resident_id=b1, spouse_name="张伟", registered=False),
    ])
    session.commit()
    return {"a1": a1, "a2": a2, "b1": b1, "point": point}


def stats(client, w, who, **params):
    return client.get(API, params={**PERIOD, **params}, headers=w.headers(client, who))


def test_the_command_counts_everything(client, w, known):
    s = stats(client, w, "cmd").json()
    r, c = s["residents"], s["crossings"]
    assert r["total"] == 3
    assert [(v["village"], v["n"]) for v in r["by_village"]] == [("竹山村", 2), ("江平村", 1)]
    assert [(n["nationality"], n["n"]) for n in r["by_nationality"]] == [("VNM", 2), ("LAO", 1)]
    assert {(d["doc_type"], d["type_code"]): d["persons"] for d in r["by_document"]} == {
        ("cn_vn_border_pass", "743"): 2, ("passport", ""): 1}
    assert r["without_documents"] == 1
    assert (c["total"], c["designated"], c["undesignated"]) == (3, 2, 1)
    months = {m["month"]: (m["in"], m["out"]) for m in c["by_month"]}
    assert len(months) == 12 and months["2026-01"] == (0, 0)
    assert months["2026-12"] == (1, 0) and months["2026-11"] == (0, 1)
    assert months["2026-10"] == (1, 0)
    assert [(p["code"], p["n"]) for p in c["by_point"]] == [(known["point"].code, 2)]
    assert {f["kind"]: f["statuses"] for f in s["flags"]["by_kind"]} == {
        "overstay": {"open": 1, "confirmed": 1}, "undesignated_crossing": {"open": 1}}
    assert s["marriages"] == {"registered": 1, "unregistered": 2}
    assert s["period"] == {"since": "2026-01-01", "until": "2026-12-31", "zone": "Asia/Shanghai"}


def test_each_kind_of_user_counts_what_it_sees(client, w, known):
    expect = {  # who: (residents, crossings, registered, unregistered marriages)
        "cmd": (3, 3, 1, 2), "cmd_viewer": (3, 3, 1, 2), "cmd_officer": (3, 3, 1, 2),
        "a_officer": (2, 2, 1, 1), "b_officer": (1, 1, 0, 1), "village": (2, 2, 1, 1),
        "police": (0, 0, 0, 0),  # nothing shared with the police
    }
    for who, numbers in expect.items():
        got = stats(client, w, who)
        assert got.status_code == 200, who
        s = got.json()
        assert (s["residents"]["total"], s["crossings"]["total"], s["marriages"]["registered"],
                s["marriages"]["unregistered"]) == numbers, who
    village = stats(client, w, "village").json()
    assert [v["village"] for v in village["residents"]["by_village"]] == ["竹山村"]
    assert {f["kind"] for f in village["flags"]["by_kind"]} == {"overstay"}
    for who in ("a_aux", "b_aux", "army", "port", "agent"):
        assert stats(client, w, who).status_code == 403, who
        assert client.get("/residents/stats", headers=w.headers(client, who)).status_code == 403
        assert client.get("/residents/stats.xlsx",
                          headers=w.headers(client, who)).status_code == 403


def test_period_is_checked(client, w, known):
    bad = stats(client, w, "cmd", since="2026-12-01", until="2026-01-01")
    assert bad.status_code == 422 and "since" in bad.text
    assert stats(client, w, "cmd", since="soon").status_code == 422
    default = client.get(API, headers=w.headers(client, "cmd")).json()
    assert len(default["crossings"]["by_month"]) == 12


def test_page_and_audited_workbook(client, session, w, known):
    page = client.get("/residents/stats", params=PERIOD, headers=w.headers(client, "village"))
    assert page.status_code == 200
    assert "竹山村" in page.text and "江平村" not in page.text
    assert 'id="married-registered">1<' in page.text
    got = client.get("/residents/stats.xlsx", params=PERIOD, headers=w.headers(client, "cmd"))
    assert got.status_code == 200 and got.headers["content-type"].startswith(
        "application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(got.content))
    assert len(wb.sheetnames) == 7
    first = wb[wb.sheetnames[0]]
    assert [row for row in first.iter_rows(min_row=2, values_only=True)] == [
        ("竹山村", 2), ("江平村", 1)]
    entry = session.scalars(select(AuditEntry).where(
        AuditEntry.summary == "resident statistics export")).one()
    assert entry.action == AuditAction.EXPORT and entry.actor_id == w.users["cmd"].id
    assert entry.detail["residents"] == 3
    # reads and writes are untouched by a statistic: no person was read
    assert session.scalar(select(Resident.id).where(Resident.id == known["a1"])) == known["a1"]
    assert date.fromisoformat(entry.detail["since"]) == date(2026, 1, 1)


def test_the_annual_report_counts_the_same_records(client, w, known):
    """The report's section for the registry (core.figures) is these statistics' numbers, for
    the command and for a post that may open the report; the village committee may not."""
    def section(who):
        got = client.get("/api/v1/reports/figures", params={"year": 2026},
                         headers=w.headers(client, who))
        assert got.status_code == 200, (who, got.text)
        return {f["key"]: f["value"] for s in got.json()["sections"] for f in s["figures"]
                if f["key"].startswith("residents.")}

    assert section("cmd") == {"residents.persons": 3, "residents.crossings": 3,
                              "residents.crossings_undesignated": 1}
    assert client.get("/api/v1/reports/figures", params={"year": 2026},
                      headers=w.headers(client, "village")).status_code == 403
