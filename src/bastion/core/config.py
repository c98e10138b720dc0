"""Settings, read once from the environment (``BASTION_*``) or a ``.env`` file.

Every knob lives here so that an operator can see all of them in one place (the README lists
them). Defaults suit a single laptop with no services: an embedded SQLite file, in-process bus.
"""

from __future__ import annotations

import os
import secrets
import sys
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, create_model, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bastion.core import domains

SUPPORTED_LANGUAGES = ("zh-CN", "en")
DATABASE_FILE = "bastion.db"


def default_data_dir() -> Path:
    """Where an installation keeps its database when ``BASTION_DATA_DIR`` is not set: the
    platform's per-user data folder, so that a command finds the same database from any
    working directory (a relative default created a new ``./var/bastion.db`` wherever a
    command happened to run)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "bastion"


class FloorSettings(BaseSettings):
    """The floor's own settings; ``Settings`` adds one nested model per domain that has any."""

    model_config = SettingsConfigDict(env_prefix="BASTION_", env_file=".env", extra="ignore",
                                      env_nested_delimiter="__")

    # The folder of the embedded database (and later attachments); `make run` sets it to the
    # repository's var/. Relative values are taken from the working directory once, here.
    data_dir: Path = Field(default_factory=default_data_dir)
    # Empty: SQLite in data_dir. A relative SQLite path is made absolute from the working
    # directory, so that every message names the file actually used.
    database_url: str = ""
    # Connections the server keeps open (10 more for a burst): enough for its thread pool
    # (40 threads), so that requests never wait for a connection. On PostgreSQL mind
    # max_connections (100 by default) across the server, the worker and the commands.
    db_pool_size: int = 40
    # A fresh random key per process would log everyone out at every restart and break
    # multi-worker deployments; `make run` writes a persistent one into .env instead.
    secret_key: str = Field(default_factory=lambda: secrets.token_urlsafe(32))
    # Processes answering requests. One process is held to one core by Python's lock; on a
    # machine with more cores, more processes serve more users at once. One of them (the
    # leader, core/leader.py) runs the jobs and feeds. 0: one per core, at most 4.
    web_workers: int = Field(default=0, ge=0, le=32)
    host: str = "127.0.0.1"
    port: int = 8000
    timezone: str = "Asia/Shanghai"
    language: str = "zh-CN"

    session_hours: int = 12
    # API bearer tokens live this long at most (a client may ask for less). Short, like a
    # session: a token copied into a script or a log is a key to everything its user may see.
    # Feeds that must run for months get their own revocable secret URLs, not a long token.
    api_token_hours: int = Field(default=12, ge=1, le=24 * 90)
    # Lockout after repeated failures (per account) and a login rate limit (per client address),
    # in the spirit of OWASP ASVS 2.2.1: slow down guessing without locking out a whole post.
    lockout_failures: int = 5
    lockout_minutes: int = 15
    login_rate_per_minute: int = 20

    cookie_secure: bool = False
    # Serve HTTPS with the unit's own CA (`bastion tls init`; core/tls.py), as `serve --https`.
    tls: bool = False
    max_attachment_mb: int = 10
    # A request body (an upload with its form) larger than this is refused, 413, before any of
    # it is read: the largest upload is a 200 MB watchlist.
    max_request_mb: int = 256

    # --- background work and events across processes ------------------------------------
    # "memory": the server reads the event log for other processes' events (no services);
    # "nats://host:4222": NATS JetStream carries them (stream ``bus_stream``).
    bus: str = "memory"
    bus_stream: str = "BASTION_EVENTS"
    # How often the event log is read for new rows (seconds): the delay before a browser hears
    # of another process's event. 0 turns the reading off (tests sharing one connection).
    event_poll_seconds: float = 0.25
    # The server runs the domains' scheduled jobs (and, with NATS, the relay) itself; set false
    # where a separate `bastion worker` runs them.
    jobs_in_server: bool = True

    # --- maritime picture ------------------------------------------------------------------
    # Feeds started with the server, e.g. ["tcp://10.0.0.5:10110", "udp://:10111"].
    ais_listeners: list[str] = Field(default_factory=list)
    # Agency (code) that owns machine-raised alerts; default: the first border inspection station.
    maritime_agency: str | None = None
    alert_tlp: str = "amber"
    alert_distribution: str = "all"
    position_retention_days: int = 90
    position_min_interval_s: float = 60.0
    # GeoJSON zones (port limits, anchorages, restricted areas, controlled coast); empty: the
    # illustrative zones shipped for the Guangdong demo.
    zones_file: str | None = None
    # Detector thresholds, e.g. BASTION_DETECTORS__GAP_HOURS=4, are the maritime domain's own
    # nested settings (named in its manifest; defaults and sources in maritime/risk/settings.py).

    # --- port clearance: green channel service levels (minutes) ------------------------------
    # Station policy, not a published norm: set them to the station's own service commitment
    # (e.g. "emergency landings handled on arrival, 随到随检"). Acknowledge = an officer has
    # taken the case; landing = the person is ashore. An unmet deadline escalates to the
    # station's supervisors at once, and to its administrators after ``escalate_after``.
    green_channel_ack_minutes: int = 10
    green_channel_landing_minutes: int = 60
    expedite_ack_minutes: int = 30
    green_channel_escalate_after_minutes: int = 15
    # The server checks those deadlines this often (seconds); 0 turns the clock off (tests
    # that share one connection, or a deployment where cron runs `bastion clearance escalate`).
    green_channel_check_seconds: float = 60.0

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("bus")
    @classmethod
    def _known_bus(cls, value: str) -> str:
        if value != "memory" and not value.startswith(("nats://", "tls://")):
            raise ValueError("bus must be 'memory' or a NATS URL (nats://host:4222)")
        return value

    @field_validator("language")
    @classmethod
    def _supported_language(cls, value: str) -> str:
        if value not in SUPPORTED_LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(SUPPORTED_LANGUAGES)}")
        return value

    @model_validator(mode="after")
    def _absolute_paths(self) -> Settings:
        self.data_dir = self.data_dir.expanduser().absolute()
        if not self.web_workers:
            self.web_workers = min(os.cpu_count() or 1, 4)
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / DATABASE_FILE}"
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix):
            path, sep, query = self.database_url[len(prefix):].partition("?")
            if path and path != ":memory:" and not Path(path).expanduser().is_absolute():
                path = str(Path(path).expanduser().absolute())
                self.database_url = prefix + path + sep + query
        return self

    def sqlite_path(self) -> Path | None:
        """The database file when the URL is SQLite, so callers can create its folder."""
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and ":memory:" not in self.database_url:
            return Path(self.database_url[len(prefix):].partition("?")[0])
        return None

    if TYPE_CHECKING:  # a domain's nested settings, added by settings_class()
        def __getattr__(self, name: str) -> Any: ...


def settings_class() -> type[FloorSettings]:
    """The floor's settings plus, under the name each manifest gives, each domain's model.

    Built from the manifests so that the floor never imports a domain, while every knob still
    comes from one place: ``BASTION_DETECTORS__GAP_HOURS=6`` reaches
    ``settings.detectors.gap_hours`` through pydantic-settings' nested delimiter. Built when
    this module is imported, so a domain's settings module (and its package's ``__init__``)
    must not import ``core.config`` itself; a domain registered later is not in it.
    """
    fields: dict[str, Any] = {}
    for domain in domains.registered():
        if domain.settings:
            name, target = domain.settings
            model = domains.load(target)
            fields[name] = (model, Field(default_factory=model))
    return create_model("Settings", __base__=FloorSettings, __module__=__name__, **fields)


if TYPE_CHECKING:
    Settings = FloorSettings
else:
    Settings = settings_class()


@lru_cache
def get_settings() -> Settings:
    return Settings()
