"""Reading the event log for other processes' events: each row once, in id order, late commits
included, a rolled-back id given up after a grace period; the bus delivers each id once."""

from __future__ import annotations

import pytest

from bastion.core.bus import Event, InProcessBus
from bastion.core.eventlog import LogReader, last_id
from tests.core.conftest import insert


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_rows_come_in_order_each_once(writer, reader_engine, base):
    reader = LogReader(reader_engine, after=base)
    for i in (1, 2, 3):
        insert(writer, base + i)
    events = reader.read()
    assert [e.id for e in events] == [base + 1, base + 2, base + 3]
    assert events[0].kind == "test.happened" and events[0].payload == {"n": base + 1}
    for event in events:
        reader.done(event.id)
    assert reader.read() == [] and reader.low == base + 3
    assert last_id(reader_engine) >= base + 3


def test_an_undelivered_row_is_offered_again(writer, reader_engine, base):
    reader = LogReader(reader_engine, after=base)
    insert(writer, base + 1)
    insert(writer, base + 2)
    first = reader.read()
    reader.done(first[0].id)  # the second one's delivery failed
    assert [e.id for e in reader.read()] == [base + 2]


def test_a_late_commit_is_read_and_a_lost_id_given_up(writer, reader_engine, base):
    clock = Clock()
    reader = LogReader(reader_engine, after=base, grace=60, clock=clock)
    insert(writer, base + 2)  # id 1 was taken by a transaction still open
    assert [e.id for e in reader.read()] == [base + 2]
    reader.done(base + 2)
    assert reader.low == base  # held at the gap
    clock.now = 30
    insert(writer, base + 1)  # it commits after all
    assert [e.id for e in reader.read()] == [base + 1]
    reader.done(base + 1)
    assert reader.low == base + 2
    insert(writer, base + 6)  # 3-5 were rolled back: they never come
    reader.done(reader.read()[0].id)
    clock.now = 89
    assert reader.read() == [] and reader.low == base + 2
    clock.now = 91
    assert reader.read() == [] and reader.low == base + 6  # the whole run given up at once


def test_out_of_order_commits_on_postgresql(writer, reader_engine, base):
    """Two real transactions: the one holding the lower id commits second."""
    if writer.dialect.name != "postgresql":
        pytest.skip("SQLite commits ids in order (one writer at a time)")
    reader = LogReader(reader_engine, after=base)
    with writer.connect() as slow:
        tx = slow.begin()
        insert(writer, base + 1, conn=slow)
        insert(writer, base + 2)
        assert [e.id for e in reader.read()] == [base + 2]
        reader.done(base + 2)
        tx.commit()
    assert [e.id for e in reader.read()] == [base + 1]


def test_the_bus_delivers_each_id_once():
    bus = InProcessBus()
    event = Event(7, "x", None)  # type: ignore[arg-type]
    bus.claim(5)  # written here: published after commit, ignored when read back
    assert not bus.publish_remote(Event(5, "x", None))  # type: ignore[arg-type]
    assert bus.publish_remote(event) and not bus.publish_remote(event)
    bus.claim(9)
    bus.release(9)  # rolled back: SQLite may give id 9 to another process's row
    assert bus.publish_remote(Event(9, "x", None))  # type: ignore[arg-type]


def test_many_open_gaps_are_all_read_when_they_commit(writer, reader_engine, base):
    """More runs of missing ids than the reader queries one by one (MAX_RUNS)."""
    reader = LogReader(reader_engine, after=base)
    evens = [base + i for i in range(2, 142, 2)]
    for event_id in evens:
        insert(writer, event_id)
    for event in reader.read():
        reader.done(event.id)
    odds = [base + i for i in range(1, 141, 2)]
    for event_id in odds:
        insert(writer, event_id)
    late = reader.read()
    assert [e.id for e in late] == odds
    for event in late:
        reader.done(event.id)
    assert reader.low == base + 140 and reader.read() == []
