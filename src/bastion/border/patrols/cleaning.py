"""Track cleaning: which fixes of a track to drop, and why, so the page can show what went.

A phone's or a hand-held unit's fixes include wild jumps (multipath under trees and in
valleys, a first fix from the cell network), fixes with a poor stated accuracy, and fixes out
of time order. Nothing is deleted: the chunk keeps every point as received and lists the
dropped ones with a reason; distances, coverage and the map use the kept points only.

Reasons: ``time`` (not after the last kept fix), ``accuracy`` (stated accuracy worse than the
limit), ``speed`` (reaching it from the last kept fix would need a speed impossible for the
transport: a jump out and back is dropped, a real move is not, because the next fix is judged
against the last *kept* one).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bastion.core.geo import fast_m

# Highest believable speed per transport, m/s, with margin for GPS jitter over short steps:
# foot 12 km/h (running downhill), motorbike 100 km/h, vehicle 130 km/h on border roads,
# boat 60 km/h (river patrol boats), drone 90 km/h (small multirotor).
MAX_SPEED_MPS = {"foot": 3.4, "motorbike": 28.0, "vehicle": 36.0, "boat": 17.0, "drone": 25.0}
MAX_ACCURACY_M = 100.0  # phones report 3-20 m outdoors; beyond 100 m the fix is a cell guess
JITTER_M = 30.0  # distance always allowed between fixes, whatever the time between them


def clean(points: Sequence[Sequence[Any]], *, transport: str,
          max_accuracy_m: float = MAX_ACCURACY_M,
          start_from: Sequence[Any] | None = None) -> list[list[Any]]:
    """The points to drop, as ``[[index, reason], ...]``.

    ``points`` are ``[epoch_s, lon, lat, accuracy_m | None]`` in the order received;
    ``start_from`` is the last kept fix of the patrol's previous chunk (so a jump at the
    start of a chunk is judged like any other)."""
    limit = MAX_SPEED_MPS.get(transport, MAX_SPEED_MPS["vehicle"])
    removed: list[list[Any]] = []
    last = start_from
    for index, point in enumerate(points):
        t, lon, lat = float(point[0]), float(point[1]), float(point[2])
        accuracy = point[3] if len(point) > 3 else None
        if accuracy is not None and float(accuracy) > max_accuracy_m:
            removed.append([index, "accuracy"])
            continue
        if last is not None:
            dt = t - float(last[0])
            if dt <= 0:
                removed.append([index, "time"])
                continue
            step = fast_m(float(last[2]), float(last[1]), lat, lon)
            if step > JITTER_M and step / dt > limit:
                removed.append([index, "speed"])
                continue
        last = point
    return removed


def kept(points: Sequence[Sequence[Any]], removed: Sequence[Sequence[Any]]) -> list[Sequence[Any]]:
    dropped = {int(index) for index, _reason in removed}
    return [point for index, point in enumerate(points) if index not in dropped]


def length_m(points: Sequence[Sequence[Any]], start_from: Sequence[Any] | None = None) -> float:
    """Length of the polyline through ``points`` (kept ones), from ``start_from`` if given."""
    total = 0.0
    last = start_from
    for point in points:
        if last is not None:
            total += fast_m(float(last[2]), float(last[1]), float(point[2]), float(point[1]))
        last = point
    return total
