"""The ``bastion`` command on a real database file."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bastion.cli import app
from bastion.core import migrate
from bastion.core.config import get_settings
from bastion.core.db import make_engine, make_sessionmaker
from bastion.org.models import User

runner = CliRunner()


@pytest.fixture
def database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("BASTION_DATABASE_URL", url)
    get_settings.cache_clear()
    migrate.upgrade(url)
    yield url
    get_settings.cache_clear()


def test_demo_then_user_create(database):
    loaded = runner.invoke(app, ["demo", "load"])
    assert loaded.exit_code == 0, loaded.output
    assert "admin" in loaded.output and "bastion-demo" in loaded.output
    again = runner.invoke(app, ["demo", "load"])
    assert again.exit_code == 1  # never on top of real data

    created = runner.invoke(app, ["user", "create", "zhao.officer", "--agency", "YJ-BIS-T1",
                                  "--name", "赵警官", "--role", "officer",
                                  "--password", "a-long-password"])
    assert created.exit_code == 0, created.output
    engine = make_engine(database)
    with make_sessionmaker(engine)() as session:
        user = session.scalar(select(User).where(User.username == "zhao.officer"))
        assert user is not None and user.agency.code == "YJ-BIS-T1"
    engine.dispose()


def test_user_create_reports_what_is_wrong(database):
    runner.invoke(app, ["demo", "load"])
    unknown_agency = runner.invoke(app, ["user", "create", "someone", "--agency", "NOPE",
                                         "--name", "x", "--password", "a-long-password"])
    assert unknown_agency.exit_code == 2
    assert "NOPE" in unknown_agency.output
    weak = runner.invoke(app, ["user", "create", "someone", "--agency", "YJ-BIS",
                               "--name", "x", "--password", "short"])
    assert weak.exit_code == 2
    assert "password" in weak.output


def test_make_run_prints_the_demo_users_every_time(database):
    runner.invoke(app, ["demo", "load", "--if-empty"])
    again = runner.invoke(app, ["demo", "load", "--if-empty"])
    assert again.exit_code == 0
    assert "huang.command" in again.output and "bastion-demo" in again.output
