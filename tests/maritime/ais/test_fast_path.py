"""The fast paths (hand-written position reports, pyais plans run into dicts) agree with pyais.

The reference is ``Pipeline(fast_path=False)``: pyais message objects for every message, then
``asdict`` and the same normalisation. Every message of every sample file must come out equal.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.maritime.ais.conftest import DATA

from bastion.maritime.ais.pipeline import Pipeline

SAMPLES = ["sample.aivdm", "libais-typeexamples.nmea", "libais-tagblock.nmea",
           "libais-test.aivdm", "pyais-mixed.txt", "pyais-nmea_data_sample.txt"]
# The 85k-line AISHub feed, when the shared data set is present.
AISHUB = Path(__file__).resolve().parents[4] / "shared/data/ais/aishub-3min.nmea"


def _both(lines: list[bytes]) -> tuple[list[dict], list[dict]]:
    return list(Pipeline().run(lines)), list(Pipeline(fast_path=False).run(lines))


@pytest.mark.parametrize("name", SAMPLES)
def test_fast_path_equals_pyais(name):
    fast, reference = _both((DATA / name).read_bytes().splitlines())
    assert fast and fast == reference


def test_fast_path_equals_pyais_on_aishub():
    if not AISHUB.exists():
        pytest.skip(f"{AISHUB} not present")
    fast, reference = _both(AISHUB.read_bytes().splitlines())
    assert len(fast) == 82744  # the count the shared data README gives
    mismatched = [(a, b) for a, b in zip(fast, reference, strict=True) if a != b]
    assert mismatched == []
