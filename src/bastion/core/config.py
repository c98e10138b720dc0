"""Settings, read once from the environment (``BASTION_*``) or a ``.env`` file.

Every knob lives here so that an operator can see all of them in one place (the README lists
them). Defaults suit a single laptop with no services: an embedded SQLite file, in-process bus.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bastion.maritime.risk.settings import DetectorSettings

SUPPORTED_LANGUAGES = ("zh-CN", "en")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BASTION_", env_file=".env", extra="ignore",
                                      env_nested_delimiter="__")

    database_url: str = "sqlite:///var/bastion.db"
    # A fresh random key per process would log everyone out at every restart and break
    # multi-worker deployments; `make run` writes a persistent one into .env instead.
    secret_key: str = Field(default_factory=lambda: secrets.token_urlsafe(32))
    host: str = "127.0.0.1"
    port: int = 8000
    timezone: str = "Asia/Shanghai"
    language: str = "zh-CN"

    session_hours: int = 12
    # Lockout after repeated failures (per account) and a login rate limit (per client address),
    # in the spirit of OWASP ASVS 2.2.1: slow down guessing without locking out a whole post.
    lockout_failures: int = 5
    lockout_minutes: int = 15
    login_rate_per_minute: int = 20

    cookie_secure: bool = False
    max_attachment_mb: int = 10

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
    # Detector thresholds, e.g. BASTION_DETECTORS__GAP_HOURS=4 (defaults and their sources in
    # bastion/maritime/risk/settings.py).
    detectors: DetectorSettings = Field(default_factory=DetectorSettings)

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

    def sqlite_path(self) -> Path | None:
        """The database file when the URL is SQLite, so callers can create its folder."""
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and ":memory:" not in self.database_url:
            return Path(self.database_url[len(prefix):])
        return None


@lru_cache
def get_settings() -> Settings:
    return Settings()
