"""A unit installs Bastion for itself, with the real command in subprocesses: the database is
found from any directory, a missing or unmigrated one is one line and exit 2, ``bastion setup``
makes the first organisation and administrator, who can then log in through the API."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bastion.core.config import Settings
from bastion.web.app import create_app
from tests.cli.helpers import bastion, clean_env, one_line_error

DATA = Path(__file__).resolve().parents[1] / "data"
NMEA = DATA / "ais" / "libais-typeexamples.nmea"
SETUP = ["setup", "--agency-code", "HK-BIS", "--agency-name", "海口边检站",
         "--agency-name-en", "Haikou Border Inspection Station", "--kind", "border_inspection",
         "--admin", "first.admin", "--admin-name", "管理员", "--password", "a-long-password-1"]


@pytest.fixture
def place(tmp_path):
    """A data folder and an unrelated working directory to run commands from."""
    data, elsewhere = tmp_path / "data", tmp_path / "elsewhere"
    elsewhere.mkdir()
    return data, elsewhere, clean_env(BASTION_DATA_DIR=str(data))


@pytest.mark.parametrize("args", [
    ["agency", "list"], ["demo", "load"], ["serve"], SETUP,
    ["user", "create", "x.y", "--agency", "A", "--name", "n", "--password", "p" * 12],
    ["ais", "replay", str(NMEA)], ["clearance", "escalate"], ["ais", "purge"],
    ["watchlist", "import", str(DATA / "watchlist" / "LICENSES.md"), "--list", "x", "--as", "y"],
])
def test_a_missing_database_is_one_line_and_creates_nothing(place, args):
    data, elsewhere, env = place
    line = one_line_error(bastion(*args, env=env, cwd=elsewhere))
    assert f"no database at {data / 'bastion.db'}" in line
    assert "bastion db upgrade" in line and "bastion setup" in line
    assert not (data / "bastion.db").exists() and not (elsewhere / "var").exists()


def test_an_unmigrated_database_is_named_with_the_next_step(place):
    data, elsewhere, env = place
    data.mkdir()
    with sqlite3.connect(data / "bastion.db") as db:
        db.execute("CREATE TABLE something_else (x INTEGER)")
    line = one_line_error(bastion("agency", "list", env=env, cwd=elsewhere))
    assert "is not migrated" in line and "bastion db upgrade" in line


def test_setup_then_the_admin_logs_in_and_manages_through_the_api(place):
    data, elsewhere, env = place
    upgraded = bastion("db", "upgrade", env=env, cwd=elsewhere)
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"created the database {data / 'bastion.db'}" in upgraded.stdout
    again = bastion("db", "upgrade", env=env, cwd=elsewhere)
    assert "already" in again.stdout

    assert "has no users yet" in one_line_error(bastion("serve", env=env, cwd=elsewhere))
    assert "bastion setup" in one_line_error(bastion(
        "user", "create", "x.y", "--agency", "A", "--name", "n", "--password", "p" * 12,
        env=env, cwd=elsewhere))

    made = bastion(*SETUP, env=env, cwd=elsewhere)
    assert made.returncode == 0, made.stderr
    assert "HK-BIS" in made.stdout and "first.admin" in made.stdout
    assert "set up already" in one_line_error(bastion(*SETUP, env=env, cwd=elsewhere))

    settings = Settings(database_url=f"sqlite:///{data / 'bastion.db'}", secret_key="x" * 32,
                        green_channel_check_seconds=0, _env_file=None)
    with TestClient(create_app(settings), base_url="http://testserver") as client:
        login = client.post("/api/v1/auth/token", json={"username": "first.admin",
                                                        "password": "a-long-password-1"})
        assert login.status_code == 200, login.text
        admin = {"Authorization": f"Bearer {login.json()['access_token']}"}
        team = client.post("/api/v1/agencies", headers=admin, json={
            "code": "HK-BIS-T1", "name": "执勤一队", "kind": "border_inspection_team",
            "parent_id": client.get("/api/v1/agencies", headers=admin).json()["items"][0]["id"]})
        assert team.status_code == 201, team.text
        user = client.post("/api/v1/users", headers=admin, json={
            "username": "wu.officer", "display_name": "吴警官", "agency_id": team.json()["id"],
            "role": "officer", "password": "another-long-password"})
        assert user.status_code == 201, user.text
        assert client.post("/api/v1/auth/token", json={
            "username": "wu.officer", "password": "another-long-password"}).status_code == 200


def test_setup_asks_for_what_the_options_leave_out(place):
    _data, elsewhere, env = place
    bastion("db", "upgrade", env=env, cwd=elsewhere)
    typed = "SY-BIS\n三亚边检站\nSanya BIS\nborder_inspection\nsy.admin\n王站长\n"
    made = bastion("setup", "--password", "a-long-password-2", env=env, cwd=elsewhere,
                   input=typed)
    assert made.returncode == 0, made.stderr
    listed = bastion("agency", "list", env=env, cwd=elsewhere).stdout
    assert listed.split("\t")[:5] == ["SY-BIS", "border_inspection", "", "三亚边检站", "Sanya BIS"]


def test_the_data_folder_is_found_from_any_directory(tmp_path):
    """No BASTION_DATA_DIR: the user's data folder (XDG_DATA_HOME here), wherever one runs."""
    home, first, second = tmp_path / "home", tmp_path / "a", tmp_path / "b"
    for folder in (home, first, second):
        folder.mkdir()
    env = clean_env(HOME=str(home), XDG_DATA_HOME=str(home / "share"))
    assert bastion("db", "upgrade", env=env, cwd=first).returncode == 0
    assert bastion(*SETUP, env=env, cwd=first).returncode == 0
    listed = bastion("agency", "list", env=env, cwd=second)
    assert listed.returncode == 0 and listed.stdout.startswith("HK-BIS\t"), listed.stderr
    assert (home / "share" / "bastion" / "bastion.db").exists()
    assert not (first / "var").exists() and not (second / "var").exists()


def test_ais_replay_finds_its_owner_or_says_what_to_set(place):
    _data, elsewhere, env = place
    bastion("db", "upgrade", env=env, cwd=elsewhere)
    customs = [a if a != "border_inspection" else "customs" for a in SETUP]
    assert bastion(*customs, env=env, cwd=elsewhere).returncode == 0
    alone = bastion("ais", "replay", str(NMEA), env=env, cwd=elsewhere)
    assert alone.returncode == 0, alone.stderr  # the only organisation owns the picture

    assert bastion("agency", "create", "HK-MSA", "--name", "海口海事局", "--kind",
                   "maritime_safety", env=env, cwd=elsewhere).returncode == 0
    line = one_line_error(bastion("ais", "replay", str(NMEA), env=env, cwd=elsewhere))
    assert "BASTION_MARITIME_AGENCY" in line
    chosen = bastion("ais", "replay", str(NMEA), env={**env, "BASTION_MARITIME_AGENCY": "HK-MSA"},
                     cwd=elsewhere)
    assert chosen.returncode == 0, chosen.stderr
    wrong = bastion("ais", "replay", str(NMEA), env={**env, "BASTION_MARITIME_AGENCY": "NOPE"},
                    cwd=elsewhere)
    assert "names no agency" in one_line_error(wrong)


def test_a_bad_import_file_is_reported_by_place_and_stores_nothing(place, tmp_path):
    _data, elsewhere, env = place
    bastion("db", "upgrade", env=env, cwd=elsewhere)
    bastion(*SETUP, env=env, cwd=elsewhere)
    bad = tmp_path / "agencies.csv"
    bad.write_text("代码,名称,类型,上级代码\nHK-BIS-T1,一队,边检站,HK-BIS\n"
                   "HK-BIS-T2,二队,nonsense,HK-BIS\n", encoding="gb18030")
    refused = bastion("agency", "import", str(bad), env=env, cwd=elsewhere)
    assert refused.returncode == 1
    assert "agencies.csv, row 3, column 类型: BAD_KIND" in refused.stderr
    assert bastion("agency", "list", env=env, cwd=elsewhere).stdout.count("\n") == 1

    users = tmp_path / "users.csv"
    users.write_text("Username,Name,Agency code,Role\nzhao.one,赵一,HK-BIS,officer\n",
                     encoding="utf-8-sig")
    imported = bastion("user", "import", str(users), env=env, cwd=elsewhere)
    assert imported.returncode == 0, imported.stderr
    password = imported.stdout.strip().splitlines()[-1].split("\t")
    assert password[0] == "zhao.one" and len(password[1]) >= 16


def test_a_postgresql_database_that_is_not_there_is_one_line(tmp_path):
    from tests.conftest import pg_url

    url = pg_url()
    if url is None:
        pytest.skip("BASTION_TEST_PG not set")
    missing = url.rsplit("/", 1)[0] + "/bastion_no_such_database"
    env = clean_env(BASTION_DATABASE_URL=missing)
    for args in (["agency", "list"], ["db", "upgrade"]):
        line = one_line_error(bastion(*args, env=env, cwd=tmp_path))
        assert "cannot open the database" in line and "bastion_no_such_database" in line
