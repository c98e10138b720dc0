"""``bastion ais decode`` through typer's CliRunner: JSON lines out, reasons summarised."""

from __future__ import annotations

import gzip
import json

from tests.maritime.ais.conftest import DATA
from typer.testing import CliRunner

from bastion.maritime.ais.cli import app


def test_decode_prints_json_lines_and_a_summary(tmp_path):
    gz = tmp_path / "tagblock.nmea.log"  # gzip recognised by content, not by name
    gz.write_bytes(gzip.compress((DATA / "libais-tagblock.nmea").read_bytes()))
    result = CliRunner().invoke(app, ["decode", str(DATA / "sample.aivdm"), str(gz)])
    assert result.exit_code == 0, result.output
    objects = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(objects) == 102 + 4
    assert objects[-1]["time"] == "2014-12-10T00:32:41Z"
    summary = result.stderr if result.stderr_bytes is not None else result.output
    assert "skipped comment:" in summary


def test_decode_csv(tmp_path):
    result = CliRunner().invoke(app, ["decode", "--csv", str(DATA / "dma-aisdk-style-sample.csv")])
    assert result.exit_code == 0
    objects = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(objects) == 7 and objects[0]["mmsi"] == 219000001
