"""The import page: the template to download (Chinese and English headings, one sheet per
table), a workbook uploaded by a post (stored, its flags in the post's queue), a bad one
refused whole with every problem listed; users without the function get a 403."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bastion.residents.crossings.points import load_reference
from bastion.residents.flags.models import RiskFlag
from bastion.residents.models import Resident
from tests.residents.imports import workbook
from tests.web_helpers import login


def test_the_template_has_a_sheet_per_table_headed_in_both_languages(client, rw):
    login(client, rw.users["post_a"].username)
    response = client.get("/residents/import/template.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames[:7] == ["persons", "documents", "crossings", "lodgings", "permits",
                                   "employment", "marriages"]
    heads = next(book["crossings"].iter_rows(values_only=True))
    assert heads[:4] == ("人员编号 Person ID", "时间 Time", "方向 Direction",
                         "口岸通道 Crossing point")


def test_a_post_uploads_the_workbook(client, session, rw):
    load_reference(session)
    session.commit()
    token = login(client, rw.users["post_a"].username)
    before = session.scalar(select(func.count(Resident.id)))
    response = client.post("/residents/import", data={"csrf_token": token},
                           files={"file": ("check.xlsx", workbook.OUT.read_bytes())})
    assert response.status_code == 200, response.text
    assert 'id="import-done"' in response.text
    assert session.scalar(select(func.count(Resident.id))) == before + 17
    queue = client.get("/residents/queue")
    assert "Lý Văn Long" in queue.text and "念井小道" in queue.text
    assert session.scalar(select(func.count(RiskFlag.id)).where(
        RiskFlag.post_agency_id == rw.post_a.id)) >= 9


def test_a_bad_workbook_is_refused_whole(client, session, rw, tmp_path):
    sheets = {k: list(v) for k, v in workbook.SHEETS.items()}
    sheets["crossings"].append(("P01", "2026-11-31 08:00", "in", "东兴", "T0001"))
    bad = workbook.build(tmp_path / "bad.xlsx", sheets)
    token = login(client, rw.users["post_a"].username)
    before = session.scalar(select(func.count(Resident.id)))
    response = client.post("/residents/import", data={"csrf_token": token},
                           files={"file": ("bad.xlsx", bad.read_bytes())})
    assert response.status_code == 422
    assert "BAD_TIME" in response.text and 'id="import-errors"' in response.text
    assert session.scalar(select(func.count(Resident.id))) == before
    empty = client.post("/residents/import", data={"csrf_token": token})
    assert empty.status_code == 422


@pytest.mark.parametrize("who", ["aux_a", "village", "station", "agent", "police"])
def test_the_import_page_needs_the_function(client, rw, who):
    token = login(client, rw.users[who].username)
    assert client.get("/residents/import").status_code == 403
    assert client.get("/residents/import/template.xlsx").status_code == 403
    assert client.post("/residents/import", data={"csrf_token": token},
                       files={"file": ("x.xlsx", b"PK")}).status_code == 403
