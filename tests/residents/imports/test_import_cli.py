"""``bastion residents import FILE --as USER`` on a real database file (the demo loaded): all
rows or none, the registration's marking, the post's queue filled with the flags; problems by
sheet, row and column with exit 1; a user without the function refused with exit 2."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from bastion.cli import app
from bastion.core import migrate
from bastion.core.config import get_settings
from bastion.core.db import make_engine, make_sessionmaker
from bastion.org.models import Agency, User
from bastion.residents.crossings.models import Crossing
from bastion.residents.crossings.points import load_reference
from bastion.residents.flags.models import RiskFlag
from bastion.residents.models import Resident
from tests.residents.imports import workbook

runner = CliRunner()


@pytest.fixture
def database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("BASTION_DATABASE_URL", url)
    get_settings.cache_clear()
    migrate.upgrade(url)
    assert runner.invoke(app, ["demo", "load", "--no-maritime"]).exit_code == 0
    with make_sessionmaker(make_engine(url))() as session:
        load_reference(session)
        session.commit()
    yield url
    get_settings.cache_clear()


def _session(url):
    return make_sessionmaker(make_engine(url))()


def _persons(url) -> int:
    """Counted in a session closed at once: an open SQLite read would lock the CLI out."""
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            return session.scalar(select(func.count(Resident.id)))
    finally:
        engine.dispose()


def test_import_stores_the_workbook_and_queues_its_flags_for_the_post(database, tmp_path):
    before = _persons(database)
    result = runner.invoke(app, ["residents", "import", str(workbook.OUT), "--as", "nong.post"])
    assert result.exit_code == 0, result.output
    assert "persons: 17" in result.output and "crossings: 37" in result.output
    with _session(database) as session:
        post = session.scalar(select(User).where(User.username == "nong.post")).agency_id
        people = list(session.scalars(select(Resident).where(Resident.id > 0)
                                      .order_by(Resident.id)))[before:]
        assert len(people) == 17 and all(p.post_agency_id == post for p in people)
        assert all(p.village_id is not None for p in people)
        assert {p.tlp.value for p in people} == {"green"}
        names = {p.id: p.name for p in people}
        flags = {(names[f.resident_id], f.kind) for f in session.scalars(
            select(RiskFlag).where(RiskFlag.resident_id.in_(names)))}
        # stable whatever today is: the crossing at a path, ten crossings in November, the
        # unregistered marriage, the job with only a residence permit
        assert {("Lý Văn Long", "undesignated_crossing"), ("Hồ Thị Ngọc", "frequent_crossing"),
                ("Nông Thị Xuân", "unregistered_marriage"),
                ("Bùi Thị Hương", "work_without_permit")} <= flags
        assert all(f.post_agency_id == post for f in session.scalars(
            select(RiskFlag).where(RiskFlag.resident_id.in_(names))))
        path = session.scalar(select(Crossing).where(Crossing.path == "念井小道"))
        assert path is not None and not path.designated
        assert session.scalar(select(func.count(Crossing.id)).where(
            Crossing.resident_id.in_(names), Crossing.point_id.is_not(None))) == 35


def test_a_bad_file_stores_nothing_and_names_the_cells(database, tmp_path):
    sheets = {k: list(v) for k, v in workbook.SHEETS.items()}
    sheets["persons"].append(("P18", "Vi Văn Sơn", "", "M", "1990-01-01", "VNM", "无此村", ""))
    sheets["crossings"].append(("P01", "yesterday", "in", "东兴", "T0001"))
    bad = workbook.build(tmp_path / "bad.xlsx", sheets)
    before = _persons(database)
    result = runner.invoke(app, ["residents", "import", str(bad), "--as", "nong.post"])
    assert result.exit_code == 1
    assert f"sheet crossings, row {len(workbook.CROSSINGS) + 1}, column 时间 Time: BAD_TIME" \
        in result.output
    assert _persons(database) == before
    village = workbook.build(tmp_path / "village.xlsx", {
        **workbook.SHEETS, "persons": [*workbook.PERSONS,
                                       ("P18", "Vi Văn Sơn", "", "M", "", "VNM", "无此村", "")]})
    result = runner.invoke(app, ["residents", "import", str(village), "--as", "nong.post"])
    assert result.exit_code == 1 and "UNKNOWN_VILLAGE" in result.output, result.output
    assert _persons(database) == before


def test_users_without_the_import_function_are_refused(database):
    with _session(database) as session:
        agent = session.scalar(select(User).join(Agency, Agency.id == User.agency_id)
                               .where(Agency.kind == "shipping_agency"))
    for who in ("he.auxiliary", agent.username, "nobody.at.all"):
        result = runner.invoke(app, ["residents", "import", str(workbook.OUT), "--as", who])
        assert result.exit_code == 2, (who, result.output)
        assert "Traceback" not in result.output


def _counts(url) -> dict[str, int]:
    from bastion.residents.models import Lodging, Marriage, Permit, ResidentDocument

    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            return {m.__name__: session.scalar(select(func.count()).select_from(m)) for m in (
                Resident, ResidentDocument, Crossing, Lodging, Permit, Marriage, RiskFlag)}
    finally:
        engine.dispose()


def test_importing_the_same_file_twice_stores_nothing_twice(database, tmp_path):
    import json

    day = ["--on", workbook.CHECK_DAY, "--json"]
    offline = runner.invoke(app, ["residents", "check", str(workbook.OUT), *day])
    assert offline.exit_code == 0 and "duplicates" not in json.loads(offline.stdout)
    fresh = runner.invoke(app, ["residents", "check", str(workbook.OUT), *day,
                                "--as", "nong.post"])
    assert fresh.exit_code == 0, fresh.output
    assert json.loads(fresh.stdout)["duplicates"] == []
    first = runner.invoke(app, ["residents", "import", str(workbook.OUT), "--as", "nong.post"])
    assert first.exit_code == 0 and "persons: 17, merged: 0" in first.output, first.output
    after_first = _counts(database)
    again = runner.invoke(app, ["residents", "import", str(workbook.OUT), "--as", "nong.post"])
    assert again.exit_code == 0, again.output
    assert "persons: 0, merged: 17" in again.output and "crossings: 0" in again.output
    assert "sheet persons, row 2, person P01: merged into #" in again.output
    assert _counts(database) == after_first
    # the check, as the same user, now names the stored person of each row
    checked = runner.invoke(app, ["residents", "check", str(workbook.OUT), *day,
                                  "--as", "nong.post"])
    assert checked.exit_code == 0, checked.output
    out = json.loads(checked.stdout)
    assert {(d["sheet"], d["row"], d["person_id"], d["match"], d["merged"])
            for d in out["duplicates"]} == {
        ("persons", n + 1, f"P{n:02d}", "document", True) for n in range(1, 18)}
    p01 = next(d for d in out["duplicates"] if d["person_id"] == "P01")
    assert p01["existing"][0]["name"] == "Nguyễn Văn An" and p01["document"] == "T0001"
    assert {(f["person_id"], f["flag"]) for f in out["flags"]} == workbook.EXPECTED
    # a user who does not see those persons is told of none of them
    with _session(database) as session:
        agent = session.scalar(select(User).join(Agency, Agency.id == User.agency_id)
                               .where(Agency.kind == "shipping_agency")).username
    refused = runner.invoke(app, ["residents", "check", str(workbook.OUT), *day, "--as", agent])
    assert refused.exit_code == 2 and "Traceback" not in refused.output
