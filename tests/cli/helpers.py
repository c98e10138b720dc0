"""Running the real ``bastion`` command in a subprocess, with nothing from the developer's own
environment (no BASTION_* variables, no .env in the working directory)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BASTION_")}
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["BASTION_SECRET_KEY"] = "cli-test-secret"
    env["BASTION_GREEN_CHANNEL_CHECK_SECONDS"] = "0"
    env.update(extra)
    return env


def bastion(*args: str, env: dict[str, str], cwd: Path,
            input: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bastion.cli", *args], check=False, env=env,
                          cwd=cwd, capture_output=True, text=True, input=input, timeout=300)


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The command failed as a user's mistake: exit 2, one line on stderr, no traceback."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]
