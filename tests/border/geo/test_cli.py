"""``bastion border import-line|import-markers|add-segment`` on a real database file."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from bastion.border.geo.models import BorderLine, BoundaryMarker, DefenceSegment
from bastion.cli import app
from bastion.core import migrate
from bastion.core.config import get_settings
from bastion.core.db import make_engine, make_sessionmaker
from tests.border.geo.land import LINE_FILE, markers_csv

runner = CliRunner()


@pytest.fixture
def database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("BASTION_DATABASE_URL", url)
    get_settings.cache_clear()
    migrate.upgrade(url)
    assert runner.invoke(app, ["demo", "load", "--no-border"]).exit_code == 0
    yield url
    get_settings.cache_clear()


def _count(url, model) -> int:
    with make_sessionmaker(make_engine(url))() as session:
        return session.scalar(select(func.count(model.id)))


def test_line_markers_and_a_segment_from_files(database, tmp_path):
    line = runner.invoke(app, ["border", "import-line", str(LINE_FILE), "--as", "huang.command",
                               "--share", "NP-POL", "--share", "NP-ARMY"])
    assert line.exit_code == 0, line.output
    assert "1050.488 km" in line.output
    again = runner.invoke(app, ["border", "import-line", str(LINE_FILE), "--as", "huang.command",
                                "--share", "NP-POL", "--share", "NP-ARMY"])
    assert again.exit_code == 0 and "already there" in again.output
    assert _count(database, BorderLine) == 1

    csv = tmp_path / "markers.csv"
    csv.write_bytes(markers_csv())
    markers = runner.invoke(app, ["border", "import-markers", str(csv), "--as", "huang.command"])
    assert markers.exit_code == 0, markers.output
    assert "4 markers: 4 new" in markers.output

    segment = runner.invoke(app, ["border", "add-segment", "S1", "平孟段", "--from", "T580",
                                  "--to", "T600", "--as", "huang.command", "--post", "NP-JDC-PM",
                                  "--chief", "韦段长"])
    assert segment.exit_code == 0, segment.output
    assert "segment S1: 20.0" in segment.output
    assert _count(database, DefenceSegment) == 1


def test_bad_files_exit_with_the_row_named_and_store_nothing(database, tmp_path):
    assert runner.invoke(app, ["border", "import-line", str(LINE_FILE),
                               "--as", "huang.command"]).exit_code == 0
    csv = tmp_path / "markers.csv"
    csv.write_bytes(markers_csv([("A1", "界桩", "105.5", "23.1"), ("A2", "界桩", "east", "23.1")]))
    result = runner.invoke(app, ["border", "import-markers", str(csv), "--as", "huang.command"])
    assert result.exit_code == 1
    assert "markers.csv, row 3, column 经度: BAD_NUMBER" in result.output
    assert _count(database, BoundaryMarker) == 0
    refused = runner.invoke(app, ["border", "import-line", str(LINE_FILE), "--as", "nong.post"])
    assert refused.exit_code == 2 and "Traceback" not in refused.output
    bad = tmp_path / "bad.kml"
    bad.write_bytes(b"<kml><Document>")
    kml = runner.invoke(app, ["border", "import-line", str(bad), "--as", "huang.command"])
    assert kml.exit_code == 2 and "bad.kml" in kml.output
