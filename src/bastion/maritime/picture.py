"""The live picture: decoded AIS → tracks → risk engine → stored alerts and risk scores.

One object serves the replay command, the server's feed listeners and the benchmark, so the
same code path is measured and tested. Work is gathered in memory and written in batches, each
batch one transaction; an alert makes its batch due at once (see ``Picture``), and is published
on the bus when that batch commits.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bastion.core.config import Settings
from bastion.core.db import transaction
from bastion.core.errors import Invalid
from bastion.core.marking import TLP, Distribution
from bastion.maritime.alerts.service import AlertOwner, apply_engine_event
from bastion.maritime.tracks.writer import (
    DownSampling,
    Gathered,
    TrackWriter,
    message_time,
    purge_positions,
)
from bastion.org.models import Agency, AgencyKind

SENSOR_USERNAME = "ais-sensor"
log = logging.getLogger("bastion.ais")


def sensor_owner(session: Session, settings: Settings) -> AlertOwner:
    """The organisation that owns machine alerts and its non-login sensor account."""
    agency = owning_agency(session, settings)
    from bastion.org.service import system_account

    # Inactive: it authors machine alerts but can never log in or read anything.
    user = system_account(session, agency=agency, username=SENSOR_USERNAME,
                          display_name="AIS sensor", active=False)
    return AlertOwner(org_id=agency.organisation_id, author_id=user.id,
                      tlp=TLP(settings.alert_tlp), distribution=Distribution(settings.alert_distribution))


def owning_agency(session: Session, settings: Settings) -> Agency:
    """``BASTION_MARITIME_AGENCY``, else the first border inspection station, else the only
    organisation there is; anything else is an operator's choice to make, said in one line."""
    if settings.maritime_agency:
        agency = session.scalar(select(Agency).where(Agency.code == settings.maritime_agency))
        if agency is None:
            raise Invalid(f"BASTION_MARITIME_AGENCY={settings.maritime_agency} names no agency "
                          "(see `bastion agency list`)")
        return agency
    top = select(Agency).where(Agency.parent_id.is_(None)).order_by(Agency.id)
    agency = session.scalars(top.where(Agency.kind == AgencyKind.BORDER_INSPECTION)).first()
    if agency is not None:
        return agency
    organisations = session.scalars(top.limit(2)).all()
    if len(organisations) == 1:
        return organisations[0]
    if not organisations:
        raise Invalid("no agency owns the maritime picture: the database has no agencies yet "
                      "(run `bastion setup`)")
    raise Invalid("no agency owns the maritime picture: set BASTION_MARITIME_AGENCY to the code "
                  "of the organisation that should (see `bastion agency list`)")


@dataclass
class Batch:
    """What a picture gathered since its last write: positions and vessel updates, alert
    events in the order the engine raised them, and the risk scores of the vessels touched
    (worked out when taken, while the engine is not moving under them)."""

    gathered: Gathered
    events: list[tuple[str, dict[str, Any], str | None]]
    scores: dict[int, tuple[float, list[dict[str, Any]]]]

    def __bool__(self) -> bool:
        return bool(self.events or self.scores or self.gathered.vessels
                    or self.gathered.positions)


@dataclass
class Picture:
    """Positions are stored in batches (one transaction each, ``batch`` messages at most), but
    an alert does not wait for its batch: the engine returning an alert event makes the batch
    due, and it is written at once with the alert in it. The alert then commits in the same
    transaction as the positions before it (and a replay's checkpoint), so a resume after a
    crash stores nothing twice; its event is published on the bus when that transaction
    commits.

    ``autoflush`` (a replay): ``ingest`` writes a due batch itself. A feed sets it False,
    watches ``due`` and writes the batches it takes in a thread (``feeds.py``), so the socket
    is read while the database writes."""

    sessions: sessionmaker[Session]
    settings: Settings
    engine: Any  # bastion.maritime.risk.RiskEngine
    store: bool = True
    batch: int = 5000
    on_alert: Callable[[str, dict[str, Any], str | None], None] | None = None
    # Called in each batch's transaction (a replay records how far its file is stored).
    on_flush: Callable[[Session], None] | None = None
    autoflush: bool = True
    writer: TrackWriter = field(init=False)
    _events: list[tuple[str, dict[str, Any], str | None]] = field(default_factory=list)
    _touched: set[int] = field(default_factory=set)
    _seen: set[int] = field(default_factory=set)
    _owner: AlertOwner | None = None
    # One batch written at a time, in the order taken (feeds sharing a picture; see feeds.py).
    writing: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)
    now: datetime | None = None
    # Messages the picture could not take, by reason (the pipeline counts the lines before).
    skipped: Counter = field(default_factory=Counter)

    def __post_init__(self) -> None:
        from bastion.maritime.tracks.flags import flag_of

        self.writer = TrackWriter(flag_of=flag_of, sampling=DownSampling(
            min_interval_s=self.settings.position_min_interval_s))

    @property
    def due(self) -> bool:
        """An alert event waits to be stored, or the batch is full."""
        return self.store and bool(self._events or
                                   self.writer.pending >= self.batch)

    def ingest(self, message: dict[str, Any], arrival: datetime | None = None) -> bool:
        """Take one decoded message; False (and counted in ``skipped``) when it could not be.

        Never raises on a message: one odd report must not stop a replay or a feed.
        """
        try:
            at = message_time(message, arrival)
        except (TypeError, ValueError, OverflowError):
            self.skipped["bad_time"] += 1
            return False
        try:
            self._ingest(message, at)
        except Exception:
            log.exception("AIS message not taken: %r", message)
            self.skipped["ingest_error"] += 1
            return False
        if self.autoflush and self.due:
            self.flush()
        return True

    def _ingest(self, message: dict[str, Any], at: datetime) -> None:
        self.now = at if self.now is None or at > self.now else self.now
        mmsi = message.get("mmsi")
        if mmsi and (mmsi not in self._seen or message.get("type") in (5, 19, 24)):
            self._seen.add(mmsi)
            self._touched.add(mmsi)  # first sight or new static data: score it
        t = at.timestamp()  # parsed once here, not again by the writer or the engine
        if self.store:
            self.writer.observe(message, t)
        self._take(self.engine.observe(message, t))

    def tick(self, now: datetime | None = None) -> None:
        self._take(self.engine.tick(now or self.now or datetime.now(UTC)))

    def finish(self) -> None:
        self._take(self.engine.finish())
        self.flush()

    def _take(self, events) -> None:
        for event in events:
            alert = event.alert.to_dict()
            if self.store:
                self._events.append((event.action, alert, event.reason))
                self._touched.add(int(alert["mmsi"]))
            if self.on_alert:
                self.on_alert(event.action, alert, event.reason)

    def take(self) -> Batch:
        """Everything gathered since the last batch, handed over; scored now, on the thread
        that feeds the engine (a feed's event loop), so ``write`` may run in another."""
        now = self.now or datetime.now(UTC)
        touched, self._touched = self._touched, set()
        scores = {}
        for mmsi in touched:
            risk = self.engine.risk(mmsi, now)
            scores[mmsi] = (float(risk.score),
                            [f if isinstance(f, dict) else f.to_dict() for f in risk.factors])
        events, self._events = self._events, []
        return Batch(self.writer.take(), events, scores)

    def give_back(self, batch: Batch) -> None:
        """A batch whose write failed goes back in front of what came since: retried next."""
        self.writer.give_back(batch.gathered)
        self._events[:0] = batch.events
        self._touched.update(batch.scores)

    def write(self, batch: Batch) -> None:
        """Store a taken batch in one transaction; its alert events are published on the bus
        when it commits."""
        with transaction(self.sessions) as session:
            if self._owner is None:
                self._owner = sensor_owner(session, self.settings)
            self.writer.write(session, batch.gathered, scores={
                mmsi: {"risk_score": score, "risk_factors": factors}
                for mmsi, (score, factors) in batch.scores.items()})
            for action, alert, reason in batch.events:
                apply_engine_event(session, owner=self._owner, action=action, alert=alert,
                                   reason=reason)
            if self.on_flush:
                self.on_flush(session)

    def flush(self) -> None:
        if not self.store:
            self._events.clear()
            self._touched.clear()
            return
        batch = self.take()
        try:
            self.write(batch)
        except BaseException:
            self.give_back(batch)
            raise


def retention_cutoff(settings: Settings, now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)) - timedelta(days=settings.position_retention_days)


def purge_old_positions(sessions: sessionmaker[Session], settings: Settings) -> int:
    """Retention, a scheduled job (maritime manifest): drop stored positions older than
    ``BASTION_POSITION_RETENTION_DAYS``, hourly wherever the jobs run."""
    with transaction(sessions) as session:
        return purge_positions(session, older_than=retention_cutoff(settings))
