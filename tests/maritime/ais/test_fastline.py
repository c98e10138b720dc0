"""The compiled common-line decoder (``_fastline.pyx``) against the Python path: the same
message for every line it takes, None for every line it must leave to the parser, and the same
alerts downstream. Built here when no current build exists (needs Cython and a C compiler)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from tests.maritime.ais.conftest import DATA

from bastion.maritime.ais import pipeline as pipeline_module
from bastion.maritime.ais.pipeline import Pipeline, load_fastline
from bastion.maritime.memory_replay import drive
from bastion.maritime.risk import RiskEngine
from bastion.maritime.zones import demo_zones

ROOT = Path(__file__).resolve().parents[3]
SHARED = next((p / "shared/data/ais/aishub-3min.nmea" for p in ROOT.parents
               if (p / "shared/data/ais/aishub-3min.nmea").exists()), ROOT / "missing")
FILES = ["pyais-nmea_data_sample.txt", "pyais-mixed.txt", "sample.aivdm", "libais-test.aivdm",
         "libais-tagblock.nmea", "libais-typeexamples.nmea"]


@pytest.fixture(scope="module")
def fast_line(tmp_path_factory):
    built = load_fastline()
    if built is None:
        pytest.importorskip("Cython")
        sys.path.insert(0, str(ROOT / "scripts"))
        try:
            from build_speedups import build
        finally:
            sys.path.remove(str(ROOT / "scripts"))
        folder = tmp_path_factory.mktemp("compiled")
        build(folder, quiet=True)
        built = load_fastline(folder)
    assert built is not None
    return built


@pytest.fixture
def compiled(fast_line, monkeypatch):
    monkeypatch.setattr(pipeline_module, "_fast_line", fast_line)  # for pipelines made now
    return fast_line


def _lines() -> list[bytes]:
    lines = [line for name in FILES for line in (DATA / name).read_bytes().splitlines(True)]
    return lines + (SHARED.read_bytes().splitlines(True) if SHARED.exists() else [])


def test_every_sample_line_decodes_as_the_python_path(compiled):
    lines = _lines()
    taken, kinds = 0, set()
    for line in lines:
        message = compiled(line)
        if message is not None:
            taken += 1
            kinds.add(message["type"])
            expected = Pipeline(compiled=False).feed(line)
            assert list(message.items()) == list(expected.items()), line  # order too
    assert taken >= 762  # the pyais sample's class A/B lines at least
    assert kinds == {1, 2, 3, 4, 18}  # position reports and base station reports
    python, fast = Pipeline(compiled=False), Pipeline()
    assert fast._fast_line is compiled
    assert list(fast.run(lines)) == list(python.run(lines))
    assert fast.stats.as_dict() == python.stats.as_dict()


def test_mutated_lines_are_decoded_alike_or_left_to_the_parser(compiled):
    rng = random.Random(15)
    seeds = [line.rstrip(b"\r\n") for line in (DATA / "pyais-nmea_data_sample.txt")
             .read_bytes().splitlines() if compiled(line) is not None]
    alphabet = b"!$*,0123456789ABCDEFVDMOabcdef`w@X \r\n\t"
    mutations = [
        lambda b: b[:1] + b"AIVDO" + b[6:],
        lambda b: b + b",1541030311",  # a receiver's time after the checksum
        lambda b: b + rng.choice([b" ", b"\r\n", b"x", b" \t\r\n", b"*"]),
        lambda b: b.replace(b",0*", b",2*"),
        lambda b: b[:-2] + b[-2:].lower(),
        lambda b: b[:-2] + b[-2:-1].lower() + b[-1:],
        lambda b: b"\\c:1418169601*" + b"00\\" + b,
    ]
    seen = {"taken": 0, "left": 0}
    for _ in range(20_000):
        line = bytearray(rng.choice(seeds))
        if rng.random() < 0.5:
            line = bytearray(rng.choice(mutations)(bytes(line)))
        for _ in range(rng.choice((0, 1, 1, 2))):
            line[rng.randrange(len(line))] = rng.choice(alphabet)
        line = bytes(line)
        message = compiled(line)
        expected = Pipeline(compiled=False).feed(line)
        if message is None:
            seen["left"] += 1
        else:
            seen["taken"] += 1
            assert expected is not None and list(message.items()) == list(expected.items()), line
    assert seen["taken"] > 1000 and seen["left"] > 1000


def test_both_paths_give_the_same_alerts(compiled):
    """The AISHub sample has no times: each line gets the same synthetic clock in both runs."""
    lines = SHARED.read_bytes().splitlines() if SHARED.exists() else \
        (DATA / "pyais-nmea_data_sample.txt").read_bytes().splitlines()
    runs = []
    for use in (True, False):
        clock = iter(1_700_000_000.0 + i * 0.01 for i in range(10**7)).__next__
        events: list = []
        drive(Pipeline(compiled=use).run(lines), RiskEngine(zones=demo_zones()),
              on_alert=lambda *event, events=events: events.append(event), clock=clock)
        runs.append(events)
    assert runs[0] and runs[0] == runs[1]


def test_without_a_build_every_line_takes_the_python_path(monkeypatch, tmp_path):
    assert load_fastline(tmp_path) is None  # nothing built there
    monkeypatch.setattr(pipeline_module, "_fast_line", None)
    lines = (DATA / "pyais-nmea_data_sample.txt").read_bytes().splitlines()
    pipeline = Pipeline()
    assert pipeline._fast_line is None and len(list(pipeline.run(lines))) > 700
