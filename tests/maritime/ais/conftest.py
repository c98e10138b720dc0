"""Shared helpers for the AIS tests: the fixture directory and a one-shot decoder."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.maritime.ais.pipeline import Pipeline

DATA = Path(__file__).resolve().parents[2] / "data" / "ais"


def decode_file(name: str, **options) -> tuple[list[dict], Pipeline]:
    pipeline = Pipeline(**options)
    lines = (DATA / name).read_bytes().splitlines()
    return list(pipeline.run(lines)), pipeline


@pytest.fixture
def data_dir() -> Path:
    return DATA
