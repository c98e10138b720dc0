"""Tide test helpers: the independent peer (uptide) and the real station files."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "tides"


def load_uptide() -> types.ModuleType:
    """uptide's prediction module: a dev dependency, so a missing peer fails, never skips."""
    import uptide.tides

    return uptide.tides


@pytest.fixture(scope="session")
def uptide_tides() -> types.ModuleType:
    return load_uptide()
