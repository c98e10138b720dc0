"""Per-vessel state: the last fix, a few recent fixes, and each detector's running values.

One ``Vessel`` per MMSI lives as long as the engine, so it uses ``__slots__`` and plain floats
(about 1 KB per vessel; ``bench/ais_throughput.py`` prints the measured figure).
"""

from __future__ import annotations

RECENT = 8  # fixes kept: enough for a reporting rate and a gap's "before" evidence
CRUMB_S = 1200.0  # 20 min between breadcrumbs ...
CRUMBS = 10  # ... so ten cover the 3 h shore-approach look-back
HOURS = 12  # positions counted per clock hour over the last 12 h (GFW gaps: the 12 h before)
_HOUR_MAX = 255  # per-hour counts saturate: "reporting regularly" needs far fewer
# Reception grid of the engine (who was heard in which cell, at breadcrumb pace): 0.1-degree
# cells (~11 km), so a 3x3 block covers 11-22 km around a position at low and mid latitudes.
RX_CELL = 10  # cells per degree


class Vessel:
    __slots__ = (  # noqa: RUF023 - grouped by detector, not sorted
        "mmsi", "last_t", "lat", "lon", "speed", "status", "ring", "ri",
        # identity
        "shipname", "callsign", "imo", "ship_type", "checked_imo", "problems",
        # teleport / conflict: the other track head and hit counts since the last split
        "alt", "main_hits", "alt_hits",
        # gap: positions per clock hour (current hour, its end, the 12 before), the judgement
        "hour", "hour_end", "hour_n", "hours", "gap_judged_t", "gap_open", "silence",
        "on_land_open",
        # zones and land
        "zones", "zone_port", "place_at", "in_port", "seen_sea", "land_at", "shore_lat", "shore_lon", "shore_m", "shore_cap",
        "far_t", "crumbs", "crumb_due",
        # loitering run: start time, speed*seconds, seconds, first fix
        "loiter_t", "loiter_sum", "loiter_dt", "loiter_fix",
        # encounter grid cell
        "cell", "scan_t",
    )

    def __init__(self, mmsi: int) -> None:
        self.mmsi = mmsi
        self.last_t: float | None = None
        self.lat = self.lon = None
        self.speed: float | None = None
        self.status: int | None = None
        # The last RECENT fixes as a flat ring [t, lat, lon, speed, ...]: no tuple, no deque per
        # fix, so a busy feed allocates nothing the garbage collector has to walk.
        self.ring: list = []
        self.ri = 0
        self.shipname = self.callsign = self.imo = self.ship_type = None
        self.checked_imo = None
        # What is wrong with the identity it sends ("mmsi" / "imo" -> the problem, in English
        # as the evidence keeps it): a factor of the risk score (score.py), None when nothing.
        self.problems: dict[str, str] | None = None
        self.alt: tuple[float, float, float] | None = None
        self.main_hits = self.alt_hits = 0
        # Positions in the current clock hour (``hour``, ending at ``hour_end``) and in each of
        # the HOURS before it (``hours[h % HOURS]``): the "reporting regularly" count of a gap.
        self.hour = 0
        self.hour_end = float("-inf")
        self.hour_n = 0
        self.hours = bytearray(HOURS)
        self.gap_judged_t: float | None = None
        self.gap_open = self.on_land_open = False
        self.silence: dict | None = None  # an open silence judged not to be going dark
        self.zones: tuple[str, ...] = ()
        self.zone_port = False  # inside a drawn port or anchorage zone
        # (lat, lon, at a known port or learned anchorage): re-asked after moving LAND_REUSE
        self.place_at: tuple[float, float, bool] | None = None
        self.in_port = False  # either of the two
        self.seen_sea = False
        self.land_at: tuple[float, float, bool | None, bool | None] | None = None
        self.shore_lat = self.shore_lon = self.shore_m = self.shore_cap = None
        self.far_t: float | None = None
        # breadcrumbs every CRUMB_S: where the vessel came from over the last few hours
        self.crumbs: list[tuple[float, float, float]] = []
        self.crumb_due = float("-inf")
        self.loiter_t: float | None = None
        self.loiter_sum = self.loiter_dt = 0.0
        self.loiter_fix = None
        self.cell = None
        self.scan_t: float | None = None

    def push(self, t: float, lat: float, lon: float, speed: float | None) -> None:
        ring = self.ring
        if len(ring) < 4 * RECENT:
            ring += (t, lat, lon, speed)
            return
        i = self.ri
        ring[i], ring[i + 1], ring[i + 2], ring[i + 3] = t, lat, lon, speed
        self.ri = (i + 4) % (4 * RECENT)

    def crumb(self, t: float, lat: float, lon: float) -> bool:
        """Drop a breadcrumb if the last is CRUMB_S old; True if one was dropped."""
        if t < self.crumb_due:
            return False
        self.crumb_due = t + CRUMB_S
        crumbs = self.crumbs
        crumbs.append((t, lat, lon))
        if len(crumbs) > CRUMBS:
            del crumbs[0]
        return True

    def new_hour(self, t: float) -> None:
        """The first position of a later clock hour (the hot path counts within an hour)."""
        hour = int(t // 3600.0)
        if self.hour_end != float("-inf"):
            hours = self.hours
            hours[self.hour % HOURS] = min(self.hour_n, _HOUR_MAX)
            for skipped in range(self.hour + 1, min(hour, self.hour + HOURS + 1)):
                hours[skipped % HOURS] = 0  # silent hours
        self.hour, self.hour_end, self.hour_n = hour, (hour + 1) * 3600.0, 1

    def positions_before(self) -> int:
        """Positions in the clock hour of the last fix and the HOURS - 1 hours before it."""
        hours = self.hours
        return self.hour_n + sum(hours[(self.hour - k) % HOURS] for k in range(1, HOURS))

    @property
    def recent(self) -> list[tuple[float, float, float, float | None]]:
        """The last fixes, oldest first."""
        ring = self.ring
        fixes = [tuple(ring[i:i + 4]) for i in range(0, len(ring), 4)]
        if len(ring) == 4 * RECENT:
            k = self.ri // 4
            fixes = fixes[k:] + fixes[:k]
        return fixes

    def rate_per_hour(self, before: float, window_s: float) -> float:
        """Positions/hour over the recent fixes within ``window_s`` before ``before``."""
        times = [t for t, *_ in self.recent if before - window_s <= t <= before]
        if len(times) < 2:
            return 0.0
        span = times[-1] - times[0]
        if span <= 0:
            return float(len(times)) * 3600.0  # a burst at one instant: treat as dense
        return (len(times) - 1) * 3600.0 / span
