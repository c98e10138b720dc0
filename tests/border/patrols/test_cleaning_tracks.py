"""``tracks.add_chunk``: the phone's batches stored once, cleaned against the chunk before
them in time, bad points named by their path, the patrol's running totals kept."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from bastion.border.patrols import tracks
from bastion.border.patrols.models import TrackChunk, Transport
from bastion.core.errors import Conflict, Invalid
from tests.border.patrols.test_cleaning import T0, moved, walk
from tests.border.patrols.test_gpx import Land


@pytest.fixture
def patrol(session):
    return Land(session).patrol(transport=Transport.FOOT)


def _add(session, patrol, points, client_id=None, **kwargs):
    return tracks.add_chunk(session, patrol=patrol, client_id=client_id or str(uuid.uuid4()),
                            points=points, **kwargs)


def test_batches_join_up_and_a_replay_changes_nothing(session, patrol):
    points = walk()
    half = len(points) // 2
    first, created = _add(session, patrol, points[:half], client_id="a")
    assert created and first.kept == half
    second, _created = _add(session, patrol, points[half:], client_id="b")
    whole = patrol.distance_m
    # the join between the batches is counted: the same as one batch of everything
    single = Land(session).patrol()
    _add(session, single, points)
    assert whole == pytest.approx(single.distance_m, rel=1e-9)
    again, created = _add(session, patrol, points[half:], client_id="b")
    assert not created and again.id == second.id and patrol.distance_m == whole
    assert len(session.scalars(select(TrackChunk).where(TrackChunk.patrol_id == patrol.id))
               .all()) == 2


def test_the_same_client_id_with_other_points_is_a_conflict(session, patrol):
    points = walk()
    _add(session, patrol, points[:10], client_id="c")
    with pytest.raises(Conflict) as refused:
        _add(session, patrol, points[:11], client_id="c")
    assert refused.value.field == "client_id"


def test_a_jump_at_the_start_of_a_batch_is_judged_against_the_batch_before(session, patrol):
    points = walk()
    _add(session, patrol, points[:50])
    batch = [moved(points[50], 1_500), *points[51:80]]
    chunk, _created = _add(session, patrol, batch)
    assert chunk.removed == [[0, "speed"]]


def test_the_unit_s_own_speed_limit(session):
    land = Land(session)
    drive = walk(speed=15.0, every_s=5.0, start_m=10_000, end_m=11_000)
    on_foot = land.patrol(transport=Transport.FOOT)
    chunk, _c = _add(session, on_foot, drive)
    assert chunk.kept == 1  # a drive is no walk
    chunk, _c = _add(session, land.patrol(transport=Transport.FOOT), drive, max_speed_mps=25.0)
    assert chunk.kept == len(drive)


@pytest.mark.parametrize(("points", "field"), [
    ([], "points"),
    ([[T0, 106.7]], "points[0]"),
    ([[T0, 106.7, 22.0], [T0 + 5, "106.7", 22.0]], "points[1]"),
    ([[T0, 186.7, 22.0]], "points[0][1]"),
    ([[T0, 106.7, -92.0]], "points[0][2]"),
    ([[T0 * 1000, 106.7, 22.0]], "points[0][0]"),  # milliseconds, not seconds
])
def test_bad_points_are_named(session, patrol, points, field):
    with pytest.raises(Invalid) as refused:
        _add(session, patrol, points)
    assert refused.value.field == field
    assert session.scalars(select(TrackChunk).where(TrackChunk.patrol_id == patrol.id)).all() \
        == []
