"""The MQTT subscriber: alarms from the broker into the intake, in the server process that
leads (``core/leader.py``), when ``BASTION_FIELDALARMS__MQTT_URL`` is set.

It subscribes to ``bastion/alarms/+`` (QoS 1) and hands each message to ``intake.receive`` in
a worker thread with its own transaction, so that a slow database never stalls the socket.
Nothing a device sends can end it: a refused message is counted by its reason (``intake``),
a message that breaks the code is counted as ``error`` and logged; a lost broker is retried
with a backoff doubling from 1 s to 60 s (reset after a connection that worked). Its state and
counters are ``GET /api/v1/field-alarms/intake/stats``.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from bastion.fieldalarms import intake

log = logging.getLogger("bastion.fieldalarms")


@dataclass
class State:
    url: str = ""
    state: str = "off"  # off | connecting | connected | reconnecting | stopped
    connects: int = 0
    reconnects: int = 0
    error: str | None = None
    connected_at: datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        parts = urlsplit(self.url)
        shown = f"{parts.scheme}://{parts.hostname}:{parts.port or 1883}" if self.url else ""
        return {"url": shown, "state": self.state, "connects": self.connects,
                "reconnects": self.reconnects, "error": self.error,
                "connected_at": self.connected_at.isoformat() if self.connected_at else None,
                **intake.COUNTERS["mqtt"].as_dict()}


STATE = State()


def handle(sessions: Any, *, topic: str, payload: bytes, secret: str, settings: Any) -> str:
    """One message, in its own transaction; returns what it was counted as. Never raises."""
    device = topic.rsplit("/", 1)[-1]
    try:
        with sessions() as session:
            try:
                outcome = intake.receive(session, raw=payload, secret=secret, settings=settings,
                                         via="mqtt", topic_device=device)
                session.commit()
                what = outcome.kind
            except intake.Refused as refused:
                session.rollback()
                what = refused.reason
                log.info("MQTT alarm on %s refused: %s (%s)", topic, refused.reason,
                         refused.message)
    except Exception as exc:  # a retransmit racing its first copy, the database gone, a bug
        from sqlalchemy.exc import IntegrityError

        what = "duplicates" if isinstance(exc, IntegrityError) else "error"
        if what == "error":
            log.exception("MQTT alarm on %s could not be stored", topic)
    intake.COUNTERS["mqtt"].count(what)
    return what


async def run(url: str, sessions: Any, *, secret: str, settings: Any, state: State = STATE,
              backoff_initial: float = 1.0, backoff_max: float = 60.0) -> None:
    parts = urlsplit(url)
    state.url = url
    delay = backoff_initial
    client_id = settings.mqtt_client_id or f"bastion-{uuid.uuid4().hex[:12]}"
    try:
        while True:
            delay = await _session(parts, client_id, sessions, secret=secret,
                                   settings=settings, state=state, delay=delay,
                                   backoff_initial=backoff_initial)
            await asyncio.sleep(delay)
            delay = min(delay * 2, backoff_max)
    except asyncio.CancelledError:
        state.state = "stopped"
        raise


async def _session(parts: Any, client_id: str, sessions: Any, *, secret: str, settings: Any,
                   state: State, delay: float, backoff_initial: float) -> float:
    """One connection to the broker, until it is lost; returns the pause before the next."""
    import aiomqtt

    state.state = "connecting" if state.connects == 0 else "reconnecting"
    try:
        async with aiomqtt.Client(
                hostname=parts.hostname or "127.0.0.1", port=parts.port or 1883,
                username=parts.username, password=parts.password, identifier=client_id,
                clean_session=not settings.mqtt_client_id, keepalive=30) as client:
            await client.subscribe(settings.mqtt_topic, qos=1)
            state.state, state.error = "connected", None
            state.connects += 1
            state.connected_at = datetime.now(UTC)
            delay = backoff_initial  # it worked: the next loss is retried soon
            log.info("field alarms: subscribed to %s at %s", settings.mqtt_topic,
                     state.as_dict()["url"])
            async for message in client.messages:
                payload = message.payload
                if not isinstance(payload, bytes | bytearray):
                    payload = str(payload or "").encode()
                await asyncio.to_thread(handle, sessions, topic=str(message.topic),
                                        payload=bytes(payload), secret=secret,
                                        settings=settings)
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # noqa: BLE001 - aiomqtt.MqttError or anything: retry, never die
        state.error = f"{type(exc).__name__}: {exc}"
    state.reconnects += 1
    state.state = "reconnecting"
    log.warning("field alarms: MQTT %s lost (%s); again in %.1f s", state.as_dict()["url"],
                state.error, delay)
    return delay


def start(app: Any) -> list[asyncio.Task]:
    """The manifest's ``startup``: one subscriber, in the leading process, when configured."""
    settings = app.state.settings
    url = settings.fieldalarms.mqtt_url
    if not url or not getattr(app.state, "leads", True):
        return []
    return [asyncio.create_task(run(url, app.state.sessionmaker, secret=settings.secret_key,
                                    settings=settings.fieldalarms),
                                name="fieldalarms-mqtt")]
