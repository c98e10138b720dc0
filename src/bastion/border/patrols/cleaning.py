"""Track cleaning: which fixes of a track to drop, and why, so the page can show what went.

A phone's or a hand-held unit's fixes include wild jumps (multipath under trees and in
valleys, a first fix from the cell network), fixes with a poor stated accuracy, and fixes out
of time order. Nothing is deleted: the chunk keeps every point as received and lists the
dropped ones with a reason; distances, coverage and the map use the kept points only.

Reasons, in the order they are judged:

- ``accuracy``: the stated accuracy is worse than the limit (100 m: beyond it the fix is a
  cell-tower guess).
- ``time``: not later than the fix before it (the clock ran backwards, or a duplicate).
- ``outlier``: a spike the transport could in theory reach — one fix far off that both its
  neighbours contradict: both legs to it longer than ``SPIKE_MIN_M`` (or three times its
  stated accuracy) and together more than ``SPIKE_RATIO`` times the direct step between the
  neighbours, within ``SPIKE_MAX_GAP_S``, and going out and back that fast needs at least
  half the transport's top speed (a parked vehicle's fix jumping 100 m for 5 s). A walk up a
  spur and back logged every two minutes is kept; a real fast turn-back in a single fix looks
  the same as a spike and costs one vertex. A spike no transport of the kind could reach is
  reported as ``speed``, the more telling reason.
- ``speed``: reaching it from the last kept fix would need a speed impossible for the
  transport (``MAX_SPEED_MPS``). The next fix is judged against the last *kept* one, so a jump
  out and back is dropped and a real move is not. When the last kept fix was itself the bad
  one (a chunk's first fix from the cell network, with nothing before it to judge it by), the
  fixes after it all look impossible; once ``REANCHOR`` of them in a row agree with each
  other, they are kept and, if that first fix belongs to this chunk, it is dropped as
  ``outlier`` instead.
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
SPIKE_MIN_M = 50.0  # both legs to a spike at least this long (hand-held GPS wanders 5-20 m)
SPIKE_RATIO = 5.0  # out and back together this many times the direct step (or JITTER_M)
SPIKE_MAX_GAP_S = 300.0  # judged only when its neighbours are this close in time
SPIKE_SPEED_SHARE = 0.5  # and only when out and back needs half the transport's top speed
REANCHOR = 4  # consistent fixes in a row that outvote the last kept one
REASONS = ("accuracy", "time", "outlier", "speed")


def clean(points: Sequence[Sequence[Any]], *, transport: str,
          max_accuracy_m: float = MAX_ACCURACY_M,
          start_from: Sequence[Any] | None = None,
          max_speed_mps: float | None = None) -> list[list[Any]]:
    """The points to drop, as ``[[index, reason], ...]`` in index order.

    ``points`` are ``[epoch_s, lon, lat, accuracy_m | None]`` in the order received;
    ``start_from`` is the last kept fix of the patrol's previous chunk (so a jump at the
    start of a chunk is judged like any other); ``max_speed_mps`` overrides the transport's
    limit (a unit's own setting)."""
    limit = max_speed_mps or MAX_SPEED_MPS.get(transport, MAX_SPEED_MPS["vehicle"])
    reasons: dict[int, str] = {}
    # accuracy and time: each fix on its own, or against the fix before it
    last_t = float(start_from[0]) if start_from is not None else None
    for index, point in enumerate(points):
        accuracy = _accuracy(point)
        if accuracy is not None and accuracy > max_accuracy_m:
            reasons[index] = "accuracy"
        elif last_t is not None and float(point[0]) <= last_t:
            reasons[index] = "time"
        else:
            last_t = float(point[0])
    # spikes: judged against both neighbours among the fixes still in
    alive = [i for i in range(len(points)) if i not in reasons]
    chain: list[Sequence[Any]] = ([start_from] if start_from is not None else []) + [
        points[i] for i in alive]
    offset = 1 if start_from is not None else 0
    for k in range(1, len(chain) - 1):
        if _spike(chain[k - 1], chain[k], chain[k + 1], limit):
            reasons[alive[k - offset]] = "outlier"
    # speed: against the last kept fix, outvoted by a consistent run
    alive = [i for i in alive if i not in reasons]
    last: Sequence[Any] | None = start_from
    last_index: int | None = None  # the last kept fix's index in this chunk
    first_kept: int | None = None
    run: list[int] = []  # consecutive fixes refused for speed that agree with each other
    for index in alive:
        point = points[index]
        if last is None or _reachable(last, point, limit):
            last, last_index, run = point, index, []
            first_kept = index if first_kept is None else first_kept
            continue
        run = run + [index] if run and _reachable(points[run[-1]], point, limit) else [index]
        reasons[index] = "speed"
        if len(run) >= REANCHOR:
            for kept_index in run:
                del reasons[kept_index]
            if last_index is not None and last_index == first_kept and start_from is None:
                reasons[last_index] = "outlier"  # the chunk's first fix was the bad one
            last, last_index, run = point, index, []
    return [[index, reasons[index]] for index in sorted(reasons)]


def _accuracy(point: Sequence[Any]) -> float | None:
    return float(point[3]) if len(point) > 3 and point[3] is not None else None


def _reachable(a: Sequence[Any], b: Sequence[Any], limit: float) -> bool:
    step = fast_m(float(a[2]), float(a[1]), float(b[2]), float(b[1]))
    dt = float(b[0]) - float(a[0])
    return step <= JITTER_M or (dt > 0 and step / dt <= limit)


def _spike(before: Sequence[Any], point: Sequence[Any], after: Sequence[Any],
           limit: float) -> bool:
    gap = float(after[0]) - float(before[0])
    if gap > SPIKE_MAX_GAP_S:
        return False
    floor = max(SPIKE_MIN_M, 3.0 * (_accuracy(point) or 0.0))
    out = fast_m(float(before[2]), float(before[1]), float(point[2]), float(point[1]))
    back = fast_m(float(point[2]), float(point[1]), float(after[2]), float(after[1]))
    if out <= floor or back <= floor:
        return False
    if not _reachable(before, point, limit):
        return False  # impossible to reach at all: the speed rule drops it, and says so
    if gap > 0 and (out + back) / gap <= SPIKE_SPEED_SHARE * limit:
        return False  # a walk up a spur and back, logged sparsely: believable
    direct = fast_m(float(before[2]), float(before[1]), float(after[2]), float(after[1]))
    return out + back > SPIKE_RATIO * max(direct, JITTER_M)




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
