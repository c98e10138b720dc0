"""The `screen pairs` CLI, the candidate index, and the quality floor on labelled pairs."""

import csv
import io
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bastion.screening.names import CandidateIndex, PersonQuery, PersonRecord
from bastion.screening.names.cli import app

DATA = Path(__file__).resolve().parents[1] / "data" / "names"
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from screening_quality import evaluate

runner = CliRunner()


def test_cli_pairs_writes_score_and_match(tmp_path):
    src = tmp_path / "pairs.csv"
    src.write_text("query,candidate,query_dob,candidate_dob\n"
                   "王小明,WANG XIAOMING,1980,1980-01-02\n"
                   "Nguyen Van Duk,NGUYEN VAN MINH,,\n", encoding="utf-8")
    result = runner.invoke(app, ["pairs", str(src)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["match"] for r in rows] == ["true", "false"]
    assert float(rows[0]["score"]) == 1.0
    assert rows[1]["candidate"] == "NGUYEN VAN MINH"


@pytest.mark.parametrize(("content", "message"), [
    ("query,name\nA,B\n", "row 1, column candidate: missing required column"),
    ("query,candidate\nA B,\n", "row 2, column candidate: empty name"),
    ("query,candidate,query_dob\nA,B,\nC,D,31/12/1990\n", "row 3, column query_dob"),
    ("query,candidate,candidate_nationality\nA,B,Atlantis\n",
     "row 2, column candidate_nationality"),
])
def test_cli_bad_input_names_file_row_and_column(tmp_path, content, message):
    src = tmp_path / "bad.csv"
    src.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["pairs", str(src)])
    assert result.exit_code == 2
    assert str(src) in result.stderr and message in result.stderr
    assert result.stdout == ""


def test_index_finds_across_scripts_and_forgets_removed():
    index = CandidateIndex()
    index.add(PersonRecord("陳大文", id="hk1", dob="1975-08-09"))
    index.add(PersonRecord("NGUYEN VAN DUC", id="vn1"))
    index.add(PersonRecord("NGUYEN VAN MINH", id="vn2"))
    index.add(PersonRecord("Aleksandr Ivanov", aliases=("Александр Иванов",), id="ru1"))
    hits = {q: [r.id for r, _ in index.search(PersonQuery(q))] for q in
            ("CHAN TAI-MAN", "Chen Dawen", "Nguyễn Văn Đức", "Nguyen Van Duk", "IVANOV ALEXANDER")}
    assert hits == {"CHAN TAI-MAN": ["hk1"], "Chen Dawen": ["hk1"], "Nguyễn Văn Đức": ["vn1"],
                    "Nguyen Van Duk": ["vn1"], "IVANOV ALEXANDER": ["ru1"]}
    assert index.remove("hk1") and len(index) == 3
    assert index.search(PersonQuery("CHAN TAI MAN")) == []


def test_index_document_number_found_without_name_overlap():
    index = CandidateIndex()
    index.add(PersonRecord("WANG XIAOMING", id="a", document_number="E12345678"))
    [(rec, res)] = index.search(PersonQuery("JOHN DOE", document_number="E1234 5678"))
    assert rec.id == "a" and res.score == 1.0


# held-out: the one known miss (Hangul KIM vs anyascii GIM) keeps dob_qualifier at 0.857
@pytest.mark.parametrize(("name", "floor", "category_floor"),
                         [("dev-pairs.csv", 0.95, 0.95), ("dev-typed-pairs.csv", 0.95, 0.9),
                          ("heldout-pairs.csv", 0.95, 0.85), ("heldout-typed-2.csv", 0.95, 0.9)])
def test_quality_floor(name, floor, category_floor):
    result = evaluate(DATA / name)
    low = {cat: round(f1, 3) for cat, (_, _, f1, _) in result.items()
           if f1 < (floor if cat == "OVERALL" else category_floor)}
    assert not low, f"F1 below {floor} on {name}: {low}"
