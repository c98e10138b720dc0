"""``bastion --help`` and every group's help answer without importing the heavy modules
(how fast: ``bench/cli_help.py``)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bastion.core.domains import registered
from tests.cli.helpers import clean_env

HEAVY = ("numpy", "openpyxl", "sqlalchemy", "alembic", "shapely", "pypinyin", "pyais",
         "bastion.maritime.risk", "bastion.maritime.ais.pipeline", "bastion.screening.names.keys",
         "bastion.web", "bastion.core.config")
GROUPS = ["db", "demo", "serve", "backup", "restore", *(c.name for d in registered() for c in d.commands)]

PROBE = """
import json, sys
from bastion.cli import app
try:
    app(sys.argv[1:], prog_name="bastion")
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "heavy": [m for m in %r if m in sys.modules]}))
"""


def _help(*args: str) -> tuple[str, dict]:
    done = subprocess.run([sys.executable, "-c", PROBE % (HEAVY,), *args, "--help"],
                          check=False, env=clean_env(), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    text, _sep, last = done.stdout.rstrip().rpartition("\n")
    return text, json.loads(last)


def test_the_listing_names_every_manifest_command_without_importing_it():
    text, probe = _help()
    assert probe == {"code": 0, "heavy": []}
    for group in GROUPS:
        assert f" {group} " in text, group
    assert "setup" in text and "agency" in text and "user" in text


@pytest.mark.parametrize("group", GROUPS)
def test_each_group_helps_without_heavy_imports(group):
    text, probe = _help(group)
    assert probe == {"code": 0, "heavy": []}, probe
    assert "Usage:" in text


def test_cli_defaults_agree_with_the_code_they_stand_in_for():
    from bastion.org.cli import KINDS, ROLES
    from bastion.org.models import AgencyKind, Role
    from bastion.screening.cli import DEFAULT_THRESHOLD
    from bastion.screening.names.score import DEFAULT_THRESHOLD as SCORE_DEFAULT

    assert KINDS == tuple(k.value for k in AgencyKind)
    assert ROLES == tuple(r.value for r in Role)
    assert DEFAULT_THRESHOLD == SCORE_DEFAULT
