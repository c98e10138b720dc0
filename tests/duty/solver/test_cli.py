"""``bastion duty solve PROBLEM.json --out PLAN.json``: the real command in a subprocess, real
files; exit 0 with a plan, 3 infeasible (explained), 4 no plan in time, 2 a malformed file."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from bastion.duty.solver import Cell, parse_problem
from tests.cli.helpers import bastion, clean_env, one_line_error
from tests.duty.solver.rules import broken


def run(tmp_path: Path, document, *args: str):
    problem_file = tmp_path / "PROBLEM.json"
    if isinstance(document, bytes):
        problem_file.write_bytes(document)
    else:
        problem_file.write_text(json.dumps(document), "utf-8")
    return bastion("duty", "solve", str(problem_file), *args, env=clean_env(), cwd=tmp_path)


def test_a_plan_exits_0(tmp_path, doc):
    result = run(tmp_path, doc, "--out", "PLAN.json")
    assert result.returncode == 0, result.stderr
    plan = json.loads((tmp_path / "PLAN.json").read_text("utf-8"))
    assert plan["status"] in ("optimal", "feasible") and plan["explanation"] == []
    cells = [Cell(**{**c, "date": date.fromisoformat(c["date"])})
             for c in plan["assignments"]]
    assert broken(parse_problem(doc), cells) == []
    assert "spread" in result.stderr  # progress and the summary go to stderr


def test_quiet_to_stdout(tmp_path, doc):
    result = run(tmp_path, doc, "--quiet", "--workers", "1")
    assert result.returncode == 0 and result.stderr == ""
    assert json.loads(result.stdout)["status"] in ("optimal", "feasible")


def test_infeasible_exits_3_with_the_plan_explained(tmp_path, doc):
    for person in doc["people"]:
        if person["post"] == "B":
            person["off"] = ["2026-03-05"]
    result = run(tmp_path, doc, "--out", "PLAN.json", "-q", "--language", "zh-CN")
    assert result.returncode == 3
    plan = json.loads((tmp_path / "PLAN.json").read_text("utf-8"))
    assert plan["status"] == "infeasible" and plan["assignments"] == []
    assert plan["explanation"] == [("2026-03-05 B 需要 2 名 duty_officer，但具备这些角色且当天"
                                    "不休息的只有 0 人。")]
    assert plan["reasons"][0]["params"]["date"] == "2026-03-05"
    assert plan["explanation"][0] in result.stderr


def test_no_plan_in_time_exits_4(tmp_path, doc):
    doc["people"] = [{"id": f"p{i}", "post": "A", "roles": ["duty_officer"]} for i in range(60)]
    doc["demand"] = [{"post": "A", "shift": s, "role": "duty_officer", "count": 20}
                     for s in ("D", "N")]
    doc["days"] = 60
    result = run(tmp_path, doc, "--out", "PLAN.json", "--time-limit", "0.001", "-q")
    assert result.returncode == 4, result.stderr
    assert json.loads((tmp_path / "PLAN.json").read_text("utf-8"))["status"] == "unknown"
    assert "no plan within" in result.stderr


def test_a_malformed_file_exits_2_one_line_per_problem(tmp_path, doc):
    doc["people"][2]["off"] = ["2026-05-01"]
    doc["shifts"][1]["end"] = "24:30"
    doc["demand"][0]["shift"] = "E"
    result = run(tmp_path, doc, "--out", "PLAN.json")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "error: shifts[1].end: '24:30' is not a time of day (00:00 to 23:59)",
        "error: people[2].off[0]: 2026-05-01 is outside the horizon 2026-03-02 to 2026-03-15",
        "error: demand[0].shift: unknown shift 'E'",
    ]
    assert not (tmp_path / "PLAN.json").exists()


def test_not_json_too_big_or_missing_exit_2(tmp_path):
    assert "not JSON (line 1" in one_line_error(run(tmp_path, b'{"start": '))
    assert "not JSON (NaN is not allowed" in one_line_error(run(tmp_path, b'{"start": NaN}'))
    assert "not JSON" in one_line_error(run(tmp_path, b"[" * 100_000))
    assert "not UTF-8" in one_line_error(run(tmp_path, b"\xff\xfe{}"))
    assert "more than the 5242880 allowed" in one_line_error(run(tmp_path, b" " * 5_300_000))
    missing = bastion("duty", "solve", "nope.json", env=clean_env(), cwd=tmp_path)
    assert one_line_error(missing) == "error: nope.json: no such file"


def test_a_bad_time_limit_is_a_usage_error(tmp_path, doc):
    assert "--time-limit" in one_line_error(run(tmp_path, doc, "--time-limit", "0"))


def test_unknown_fields_and_undeclared_names_exit_2_naming_path_and_value(tmp_path, doc):
    """Every unknown field, at any depth, is refused (never ignored) and named by its path;
    a demand row's post or role no person has names the field and the value."""
    doc["colour"] = "red"
    doc["shifts"][0]["colour"] = "red"
    doc["people"][0]["nick"] = "老陈"
    doc["demand"][0]["note"] = "x"
    doc["rules"]["max_nights"] = 3
    doc["demand"][1]["role"] = "duty_oficer"
    doc["demand"][2]["post"] = "AA"
    result = run(tmp_path, doc, "--out", "PLAN.json", "-q")
    assert result.returncode == 2
    assert not (tmp_path / "PLAN.json").exists()
    lines = set(result.stderr.splitlines())
    assert {"error: colour: unknown field", "error: shifts[0].colour: unknown field",
            "error: people[0].nick: unknown field", "error: demand[0].note: unknown field",
            "error: rules.max_nights: unknown field",
            ("error: demand[1].role: unknown role 'duty_oficer': no person holds it and "
            "\"roles\" does not declare it (did you mean 'duty_officer'?)"),
            ("error: demand[2].post: unknown post 'AA': no person works there and \"posts\" "
            "does not declare it")} <= lines, result.stderr


def test_a_role_no_demand_names_is_a_warning_and_the_solve_goes_on(tmp_path, doc):
    doc["people"].append({"id": "a7", "post": "A", "roles": ["duty_oficer"]})
    result = run(tmp_path, doc, "--out", "PLAN.json", "-q")
    assert result.returncode == 0, result.stderr
    assert ("warning: people[9].roles[0]: role 'duty_oficer' is named by no demand row: it "
            "changes nothing (did you mean 'duty_officer'?)") in result.stderr.splitlines()
