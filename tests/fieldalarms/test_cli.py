"""``bastion field-alarms register|rotate|revoke|list|sign`` on a real database file: the key is
printed once and works, a rotated key replaces it, a revoked device is refused, and a device
post outside the command is a one-line error (exit 2)."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from bastion.cli import app
from bastion.core import migrate
from bastion.core.config import get_settings
from bastion.core.db import make_engine, make_sessionmaker
from bastion.fieldalarms import intake, keys

runner = CliRunner()


@pytest.fixture
def database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("BASTION_DATABASE_URL", url)
    monkeypatch.setenv("BASTION_SECRET_KEY", "cli-test-secret")
    get_settings.cache_clear()
    migrate.upgrade(url)
    assert runner.invoke(app, ["demo", "load", "--no-border"]).exit_code == 0
    yield url
    get_settings.cache_clear()


def _accepted(url: str, body: dict) -> str:
    settings = get_settings()
    with make_sessionmaker(make_engine(url))() as session:
        try:
            outcome = intake.receive(session, raw=json.dumps(body), secret=settings.secret_key,
                                     settings=settings.fieldalarms, via="http")
        except intake.Refused as refused:
            return refused.reason
        session.commit()
        return outcome.kind


def _signed(code: str, key: str) -> dict:
    out = runner.invoke(app, ["field-alarms", "sign", code, "--key", key])
    assert out.exit_code == 0, out.output
    body = json.loads(out.output)
    assert keys.verify(body, key) and body["device"] == code
    return body


def test_register_rotate_revoke(database):
    made = runner.invoke(app, ["field-alarms", "register", "CLI-01", "--as", "huang.command",
                               "--kind", "button", "--lon", "105.88", "--lat", "22.96",
                               "--post", "NP-JDC-PM", "--name", "一键报警桩"])
    assert made.exit_code == 0, made.output
    key = re.search(r"key \(shown once\): (\S+)", made.output).group(1)
    assert _accepted(database, _signed("CLI-01", key)) == "alarms"
    listed = runner.invoke(app, ["field-alarms", "list", "--as", "huang.command"])
    assert "CLI-01\tbutton" in listed.output and "in service" in listed.output
    rotated = runner.invoke(app, ["field-alarms", "rotate", "CLI-01", "--as", "huang.command"])
    new_key = re.search(r"new key \(shown once\): (\S+)", rotated.output).group(1)
    assert _accepted(database, _signed("CLI-01", key)) == "bad_signature"
    assert _accepted(database, _signed("CLI-01", new_key)) == "alarms"
    revoked = runner.invoke(app, ["field-alarms", "revoke", "CLI-01", "--as", "huang.command"])
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    assert _accepted(database, _signed("CLI-01", new_key)) == "revoked"
    for args, field in ((["--post", "NP-POL"], "post_agency_id"), (["--post", "NOPE"], "--post")):
        refused = runner.invoke(app, ["field-alarms", "register", "CLI-02", "--as",
                                      "huang.command", "--kind", "infrared", "--lon", "105.8",
                                      "--lat", "22.9", *args])
        assert refused.exit_code == 2 and field in refused.output, refused.output
    nobody = runner.invoke(app, ["field-alarms", "rotate", "CLI-01", "--as", "nong.post"])
    assert nobody.exit_code == 2
