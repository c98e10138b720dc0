"""Reading real-world files: Chinese headings, GB18030, xlsx, title rows, unknown and missing
columns, files that are not spreadsheets."""

import io

from openpyxl import Workbook

from bastion.clearance import template

from .build import DATA, check, codes, table, to_csv


def test_chinese_headings_in_gb18030_csv():
    result = check("crew", (DATA / "crew-zh-gb18030.csv").read_bytes())
    assert result.problems == []
    assert [(r.family_name, r.gender, r.document_type) for r in result.rows] == [
        ("张", "M", "passport"), ("李", "M", "seafarer_id")]


def test_chinese_heading_in_error_column():
    raw = (DATA / "crew-zh-gb18030.csv").read_bytes().decode("gb18030")
    result = check("crew", raw.replace("CHN,1975-03-02", "中国,1975-03-02").encode("gb18030"))
    assert codes(result) == [(2, "国籍", "BAD_COUNTRY")]


def test_utf8_bom_and_semicolons():
    rows = table("passengers")
    text = "\n".join(";".join(r) for r in rows)
    assert check("passengers", b"\xef\xbb\xbf" + text.encode()).ok


def _xlsx(rows, title="Crew", extra_sheet=True) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    if extra_sheet:
        notes = wb.create_sheet("Notes")
        notes.append(["Prepared by", "the agent"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_xlsx_with_title_row_and_notes_sheet():
    rows = [["CREW LIST - MV EXAMPLE STAR"], *table("crew")]
    result = check("crew", _xlsx(rows))
    assert result.ok and len(result.rows) == 3
    assert (result.rows[0].sheet, result.rows[0].row) == ("Crew", 3)


def test_xlsx_error_names_sheet_row_and_column():
    rows = table("crew")
    rows[2][rows[0].index("Document number")] = ""
    result = check("crew", _xlsx(rows))
    assert [(p.sheet, p.row, p.column, p.code) for p in result.errors] == [
        ("Crew", 3, "Document number", "MISSING_DOCUMENT_NUMBER")]


def test_filled_xlsx_template_validates():
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(template("crew", "xlsx", "zh-CN")))
    ws = wb.worksheets[0]
    for row in table("crew")[1:]:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    result = check("crew", out.getvalue())
    assert result.ok and len(result.rows) == 3


def test_unknown_column_is_a_warning_and_missing_column_an_error():
    rows = table("crew")
    rows[0][rows[0].index("Rank or rating")] = "Remarks"
    result = check("crew", to_csv(rows))
    assert (1, "Remarks", "UNKNOWN_COLUMN") in codes(result)
    assert (1, "Rank or rating", "MISSING_COLUMN") in codes(result)
    assert [p.code for p in result.warnings] == ["UNKNOWN_COLUMN"]


def test_heading_spelling_variants():
    rows = table("crew")
    rows[0][rows[0].index("Family name")] = "SURNAME:"
    rows[0][rows[0].index("Date of birth")] = "date  of  birth"
    assert check("crew", to_csv(rows)).ok


def test_file_without_headings():
    assert codes(check("crew", b"a,b,c\n1,2,3\n")) == [(1, None, "NO_HEADING_ROW")]


def test_an_empty_file_is_called_empty():
    for empty in (b"", b"\n\n", b"   \r\n"):
        assert [p.code for p in check("crew", empty).errors] == ["EMPTY_FILE"]


def test_binary_and_broken_xlsx():
    assert [p.code for p in check("crew", b"\xff\xfe\x00\x00\x81").errors] in (
        ["BAD_ENCODING"], ["NO_HEADING_ROW"])
    assert [p.code for p in check("crew", b"PK\x03\x04garbage").errors] == ["BAD_XLSX"]


def test_bilingual_and_hinted_headings_match_through_the_tabular_kit():
    """'姓 Family name' (a bilingual template) and 'Family name (姓)' are the same column."""
    from bastion.clearance.declarations.forms import FORMS

    rows = table("crew")
    by_en = {c.en: c for c in FORMS["crew"]}
    bilingual = [f"{by_en[h].zh} {h}" if h in by_en else h for h in rows[0]]
    hinted = [f"{h} （{by_en[h].zh}）" if h in by_en else h for h in rows[0]]
    for heads in (bilingual, hinted):
        result = check("crew", to_csv([heads, *rows[1:]]))
        assert result.ok and result.warnings == [], result.problems
        assert len(result.rows) == len(rows) - 1
