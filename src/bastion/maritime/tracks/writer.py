"""Storing the live picture: vessel registry upserts and down-sampled position history.

AIS class A ships report every 2-10 s under way (ITU-R M.1371-5, table 1); keeping each report
would store ~30,000 rows per vessel per day for no operational gain. A fix is kept when it adds
information: the first one, one per ``min_interval`` seconds, or a turn, a speed change or a new
navigational status (the "significant change" rule of track compression). Writes are batched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from bastion.maritime.tracks.models import Position, Vessel

POSITION_FIELDS = {"lat", "lon", "speed", "course", "status", "heading", "last_seen"}
STATIC_FIELDS = {"shipname": "name", "callsign": "callsign", "imo": "imo",
                 "ship_type": "ship_type", "destination": "destination", "draught": "draught_m"}


@dataclass
class DownSampling:
    min_interval_s: float = 60.0
    min_turn_deg: float = 20.0
    min_speed_change_kn: float = 3.0


def message_time(message: dict[str, Any], arrival: datetime | None = None) -> datetime:
    """The message's own time (tag block, suffix, CSV) when it has one, else its arrival."""
    stamp = message.get("time")
    if stamp:
        return datetime.fromisoformat(stamp)
    return arrival or datetime.now(UTC)


# The columns of a vessel row the writer sets, in fixed shapes (see ``TrackWriter.write``).
_FIX_SHAPE = ("last_seen", "lat", "lon", "speed", "course", "status", "heading")
_SCORE_SHAPE = ("risk_score", "risk_factors")
_NEW_VESSEL = {**dict.fromkeys((*STATIC_FIELDS.values(), "length_m", "beam_m", *_FIX_SHAPE)),
               "risk_score": 0.0, "risk_factors": []}

# A stored fix as gathered on the hot path; rows for the insert are built in ``flush``.
_ROW = ("mmsi", "at", "lat", "lon", "speed", "course", "heading", "status")


@dataclass
class Gathered:
    """One batch of the writer's work: vessel updates by MMSI and kept fixes."""

    vessels: dict[int, dict[str, Any]]
    positions: list[tuple]


@dataclass
class TrackWriter:
    flag_of: Callable[[int], str | None] = lambda mmsi: None
    sampling: DownSampling = field(default_factory=DownSampling)
    # mmsi -> (at, course, speed, status) of the last kept fix (the down-sampling state)
    _last: dict[int, tuple] = field(default_factory=dict)
    _positions: list[tuple] = field(default_factory=list)
    _vessels: dict[int, dict[str, Any]] = field(default_factory=dict)

    def observe(self, message: dict[str, Any], at: datetime | float) -> bool:
        """Take one decoded message; returns True when a position was kept for storage.

        On the hot path of every feed (measured in bench/ais_throughput.py --stage full):
        position reports skip the static-field work, nothing is built for dropped fixes, and a
        kept fix is one tuple (the insert's row dicts are made by ``flush``).
        """
        mmsi = message.get("mmsi")
        if not mmsi:
            return False
        vessels = self._vessels
        update = vessels.get(mmsi)
        if update is None:
            update = vessels[mmsi] = {}
        if "shipname" in message or "callsign" in message or "ship_type" in message:
            self._static(update, message)  # type 5/19/24, or a CSV row carrying both
        lat = message.get("lat")
        lon = message.get("lon")
        if lat is None or lon is None:
            return False
        speed, course, status = message.get("speed"), message.get("course"), message.get("status")
        # Epoch seconds on the hot path; datetimes are made only for what is stored (flush).
        t = at if type(at) is float else float(at) if isinstance(at, int) else at.timestamp()
        latest = update.get("_fix")
        if latest is None or t >= latest[0]:
            update["_fix"] = (t, lat, lon, speed, course, status, message.get("heading"))
        last = self._last.get(mmsi)
        if last is not None:
            last_at, last_course, last_speed, last_status = last
            if t < last_at:
                return False
            if t - last_at < self.sampling.min_interval_s and status == last_status:
                sampling = self.sampling
                turn = 0.0
                if course is not None and last_course is not None:
                    turn = abs(course - last_course) % 360.0
                    if turn > 180.0:
                        turn = 360.0 - turn
                if turn < sampling.min_turn_deg and \
                        abs((speed or 0) - (last_speed or 0)) < sampling.min_speed_change_kn:
                    return False
        self._last[mmsi] = (t, course, speed, status)
        self._positions.append((mmsi, t, lat, lon, speed, course, message.get("heading"), status))
        return True

    @staticmethod
    def _static(update: dict[str, Any], message: dict[str, Any]) -> None:
        for source, column in STATIC_FIELDS.items():
            value = message.get(source)
            if value not in (None, "", 0):
                update[column] = value.strip() if isinstance(value, str) else value
        if message.get("to_bow") is not None and message.get("to_stern") is not None:
            length = (message.get("to_bow") or 0) + (message.get("to_stern") or 0)
            beam = (message.get("to_port") or 0) + (message.get("to_starboard") or 0)
            if length:
                update["length_m"], update["beam_m"] = float(length), float(beam or 0) or None

    @property
    def pending(self) -> int:
        return len(self._positions) + len(self._vessels)

    def flush(self, session: Session) -> tuple[int, int]:
        """Write what was gathered in the caller's transaction; returns (vessels, positions)."""
        return self.write(session, self.take())

    def take(self) -> Gathered:
        """What was gathered so far, handed over (the writer starts a new batch): a feed takes
        it on its event loop and writes it in a thread while the next batch gathers."""
        taken = Gathered(self._vessels, self._positions)
        self._vessels, self._positions = {}, []
        return taken

    def give_back(self, taken: Gathered) -> None:
        """A batch whose write failed, put back under what was gathered since (newer wins)."""
        self._positions[:0] = taken.positions
        for mmsi, values in taken.vessels.items():
            self._vessels[mmsi] = {**values, **self._vessels.get(mmsi, {})}

    def write(self, session: Session, taken: Gathered,
              scores: dict[int, dict[str, Any]] | None = None) -> tuple[int, int]:
        """Write a taken batch in the caller's transaction, with ``scores`` (column values by
        MMSI: the risk score) for vessels already stored or in the batch; returns (vessels,
        positions).

        Core statements, one executemany per shape of row, not an ORM object per vessel: a
        feed's batch touches thousands of vessels, and the unit of work spent most of a
        storing replay's time updating them one by one; a feed writes a batch at each alert
        (bench/alert_latency.py), so a batch costs few statements however many it touches.
        """
        positions = taken.positions
        rows = [dict(zip(_ROW, (p[0], datetime.fromtimestamp(p[1], UTC), *p[2:]), strict=True))
                for p in positions]
        updates: dict[int, dict[str, Any]] = {}
        for mmsi, gathered in taken.vessels.items():
            values = {k: v for k, v in gathered.items() if k != "_fix"}
            fix = gathered.get("_fix")
            if fix is not None:
                t, lat, lon, speed, course, status, heading = fix
                values.update(last_seen=datetime.fromtimestamp(t, UTC), lat=lat, lon=lon,
                              speed=speed, course=course, status=status, heading=heading)
            updates[mmsi] = values
        for mmsi, values in (scores or {}).items():
            updates.setdefault(mmsi, {}).update(values)
        stored = _last_seen(session, updates.keys())
        new: list[dict[str, Any]] = []
        shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for mmsi, values in updates.items():
            if mmsi not in stored:
                if mmsi in taken.vessels:  # (scored, but never stored: nothing to score)
                    new.append({**_NEW_VESSEL, "mmsi": mmsi, "flag": self.flag_of(mmsi),
                                "first_seen": values.get("last_seen") or datetime.now(UTC),
                                **values})
                continue
            seen, last = values.get("last_seen"), stored[mmsi]
            # A late message (a replay, a slow satellite feed) must not move the picture back.
            stale = seen is not None and last is not None and seen < last
            # A few fixed shapes (the fix, the score, static data as reported), so that each
            # is one executemany however many vessels the batch touched.
            for shape in (_FIX_SHAPE, _SCORE_SHAPE):
                if shape[0] in values and not (stale and shape is _FIX_SHAPE):
                    shapes.setdefault(shape, []).append(
                        {"_mmsi": mmsi, **{k: values[k] for k in shape}})
            static = tuple(sorted(k for k in values if k not in _FIX_SHAPE + _SCORE_SHAPE))
            if static:
                shapes.setdefault(static, []).append(
                    {"_mmsi": mmsi, **{k: values[k] for k in static}})
        table = Vessel.__table__
        if new:
            session.execute(insert(table), new)
        for shape, group in shapes.items():
            session.execute(update(table).where(table.c.mmsi == bindparam("_mmsi"))
                            .values({k: bindparam(k) for k in shape}), group)
        if rows:
            session.execute(_insert_new(session), rows)
        session.flush()
        return len(taken.vessels), len(positions)


def _insert_new(session: Session):
    """INSERT of positions that skips a fix already stored (same vessel, same instant): what
    makes a replay after a crash store nothing twice (unique index, migration 0009)."""
    dialect = session.get_bind().dialect.name
    table = Position.__table__  # Core, not the ORM entity: see below
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:
        return insert(table)
    # On the table, the rows go to the driver as one executemany. On the ORM entity they went
    # through the ORM's bulk insert, which groups rows by the columns that are not None and
    # sent the AISHub sample's positions as 10,961 statements: at 5,000 messages/s the alerts
    # waited seconds behind them (bench/alert_latency.py).
    return dialect_insert(table).on_conflict_do_nothing(index_elements=["mmsi", "at"])


def _last_seen(session: Session, mmsis: Iterable[int]) -> dict[int, datetime | None]:
    """The stored vessels among ``mmsis``, with their last-seen time."""
    ids = list(mmsis)
    found: dict[int, datetime | None] = {}
    for start in range(0, len(ids), 500):  # stay under bind-parameter limits
        rows = session.execute(select(Vessel.mmsi, Vessel.last_seen)
                               .where(Vessel.mmsi.in_(ids[start:start + 500])))
        found.update((mmsi, seen) for mmsi, seen in rows)
    return found


def purge_positions(session: Session, *, older_than: datetime) -> int:
    """Retention: drop stored fixes older than the cut-off (the registry keeps the vessel)."""
    result = session.execute(delete(Position).where(Position.at < older_than))
    return result.rowcount or 0
