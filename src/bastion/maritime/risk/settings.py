"""Detector thresholds and risk weights, each with the source of its default.

The lead mounts this model as nested settings (``BASTION_DETECTORS__GAP_HOURS=12``), so every
field is a plain scalar or list with a default taken from published practice where there is one.
GFW = Global Fishing Watch; "GFW encounters" is Miller et al. 2018, "Identifying global patterns
of transshipment behavior", Front. Mar. Sci. 5:240, and GFW's events API documentation;
"GFW gaps" is Welch et al. 2022, "Hot spots of unseen fishing vessels", Sci. Adv. 8(44).
"""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

from bastion.maritime.places.settings import PlaceSettings


class RiskWeights(BaseModel):
    """Points per factor in the 0-100 vessel score. Illustrative defaults, to be tuned locally."""

    alert_points: dict[str, float] = Field(
        default={"gap": 15, "encounter": 25, "loitering": 10, "teleport": 15, "mmsi_conflict": 25,
                 "invalid_identity": 15, "identity_change": 10, "zone_entry": 15,
                 "shore_approach": 25, "on_land": 15, "dark_rendezvous": 30,
                 "encounter_short": 10},
        description="points of a high-severity alert of each kind (medium x0.6, low x0.3)")
    half_life_days: float = Field(7.0, description="alert contributions halve every N days")
    watch_flags: list[str] = Field(default=[], description="ISO2 flags on the local watch list")
    watch_flag_points: float = 20
    flag_mismatch_points: float = Field(15, description="MID flag differs from declared flag")
    reefer_points: float = Field(10, description="on GFW's reefer list (transshipment partners)")
    spoofing_list_points: float = Field(
        15, description="on GFW's 2018 list of MMSIs used by several vessels at once")
    ship_type_points: dict[str, float] = Field(
        default={"high_speed": 10, "unknown": 5, "fishing": 5, "pleasure": 3},
        description="by AIS ship type category: HSC 40-49, unknown 0/90-99, fishing 30, 37")


class DetectorSettings(BaseModel):
    """Thresholds for the per-vessel detectors (see module docstring for sources)."""

    # gap ---------------------------------------------------------------------------------
    gap_hours: float = Field(6.0, description="silence that opens a gap (GFW raw gap: 6 h)")
    gap_prior_hours: float = Field(12.0, description="window for the rate before (GFW gaps: 12 h)")
    gap_min_prior_positions: int = Field(
        14, description="'reporting regularly' before the gap: positions in the gap_prior_hours "
        "before it (GFW AIS-off events: at least 14 positions in the 12 h before the gap)")
    gap_min_neighbours: int = Field(
        2, description="vessels heard around the silent one (3x3 reception cells, 11-22 km) in "
        "the 2 h before it went silent, needed to tell whether reception held for them")
    gap_min_neighbours_heard: float = Field(
        0.8, description="share of those neighbours heard again from 30 min into the silence; "
        "below it they went silent together: a coverage drop (receiver, feed), not one vessel "
        "going dark. Measured on Suez 2021-03: the recording's own drop on 22 March left 0.2-0.6 "
        "of them heard (tests/maritime/risk/data), silences injected into real tracks mostly "
        "1.0 (bench/detectors_eval.py)")
    gap_min_neighbours_silent: int = Field(
        2, description="... and at least this many of them fell silent with it: one other "
        "vessel falling silent at the same moment is chance (or two going dark together), "
        "a receiver's or feed's outage silences several (the recording's own drop on 22 March: "
        "4-11 of 7-20 neighbours)")
    gap_left_min_knots: float = Field(
        3.0, description="under way at least this fast, a vessel heading into open water where "
        "nobody was heard for a day left coverage (GFW gaps: vessels 'moving from terrestrial "
        "coverage to poor satellite reception' leave gaps that are not disabling)")
    gap_left_within_hours: float = Field(
        2.0, description="... if that water begins within this many hours at its speed")
    gap_left_look_km: float = Field(
        60.0, description="... and nobody is heard along its line for this far (past a "
        "terrestrial AIS receiver's typical 20-30 nm range)")
    gap_far_offshore_nm: float = Field(
        50.0, description="shore distance is measured up to twice this and reported as context "
        "(GFW gaps: disabling is judged at least 50 nm from shore, where satellites hear best)")
    # encounter ---------------------------------------------------------------------------
    encounter_distance_m: float = Field(500.0, description="GFW encounters: within 500 m")
    encounter_hours: float = Field(2.0, description="GFW encounters: for at least 2 h")
    encounter_max_median_knots: float = Field(2.0, description="GFW: median speed < 2 kn")
    encounter_min_port_distance_m: float = Field(
        10_000.0, description="GFW: at least 10 km from an anchorage (here: the port and "
        "anchorage zones, and the ports and learned anchorages of the engine's anchorage_m)")
    encounter_merge_hours: float = Field(4.0, description="GFW: events < 4 h apart are merged")
    encounter_break_hours: float = Field(
        1.0, description="both vessels heard this long after their last close fix without "
        "being close again ends an event (GFW resamples every 10 min and does not interpolate "
        "across more than 1 h; its run of adjacent fixes ends when a vessel is heard apart). A "
        "joint silence ends nothing: the event runs from the first close fix to the last")
    encounter_max_skew_minutes: float = Field(
        30.0, description="latest fixes of two vessels this far apart in time are not compared")
    encounter_min_seen_minutes: float = Field(
        30.0, description="besides GFW's 2 h from the first close fix to the last, seen "
        "alongside this long with joint silences left out: two moored ships heard for a few "
        "minutes either side of a day-long hole in the recording are no rendezvous anyone saw "
        "(the MarineCadastre slice: 00:00-00:25, then 23:59)")
    encounter_max_joint_silence_hours: float = Field(
        24.0, description="a pair silent together this long is let go: the event ends at its "
        "last close fix (vessels back later start a new one)")
    # encounter_short: the station's early warning, before GFW's 2 h -----------------------
    encounter_short_minutes: float = Field(
        15.0, description="alongside (within encounter_distance_m, median below "
        "encounter_max_median_knots, away from anchorages) this long inside the station's own "
        "waters raises an early warning (15 min: issue 15), so officers hear of a transfer "
        "before GFW's 2 h have passed")
    encounter_short_zone_kinds: list[str] = Field(
        default=["controlled_coast", "restricted"],
        description="the station's own waters: zones of these kinds (maritime/zones)")
    encounter_short_waters: list[tuple[float, float]] = Field(
        default=[], description="the station's own waters as a polygon of (lon, lat) vertices, "
        "besides its zones (e.g. BASTION_DETECTORS__ENCOUNTER_SHORT_WATERS='[[111.5,21.3],"
        "[112.3,21.3],[112.3,21.9],[111.5,21.9]]'); empty: zones only")

    @field_validator("encounter_short_waters")
    @classmethod
    def _polygon(cls, value: list[tuple[float, float]]) -> list[tuple[float, float]]:
        if value and len(value) < 3:
            raise ValueError("a polygon needs at least 3 (lon, lat) vertices")
        for lon, lat in value:
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise ValueError(f"({lon}, {lat}) is not a (lon, lat) position")
        return value

    # dark_rendezvous: alongside, then silent together -------------------------------------
    dark_rendezvous_silence_minutes: float = Field(
        60.0, description="both silent this long (and for at least 4 of their usual reporting "
        "intervals) makes a joint silence; beyond 1 h GFW's resampling no longer joins a track")
    dark_rendezvous_window_minutes: float = Field(
        30.0, description="their last positions at most this far apart in time: they fell "
        "silent together (slow or anchored ships report every 3 min, ITU-R M.1371; 30 min is "
        "encounter_max_skew_minutes, the most two fixes are compared across)")
    dark_rendezvous_min_alongside_minutes: float = Field(
        15.0, description="alongside at least this long before the silence (as encounter_short)")
    # loitering ---------------------------------------------------------------------------
    loitering_max_knots: float = Field(2.0, description="GFW loitering: average speed < 2 kn")
    loitering_hours: float = Field(4.0, description="GFW loitering events: at least 4 h")
    loitering_min_shore_nm: float = Field(20.0, description="GFW loitering: >= 20 nm offshore")
    loitering_exempt_ship_types: list[int] = Field(
        default=[30, 31, 32, 33, 34, 35, 50, 51, 52, 53, 54, 55, 58],
        description="fishing, towing, dredging, diving, military, pilot, SAR, tug, tender, "
        "anti-pollution, law enforcement, medical: slow by trade (ITU-R M.1371 table 53)")
    # teleport / MMSI conflict ------------------------------------------------------------
    teleport_max_knots: float = Field(
        50.0, description="implied speed above this is implausible (GFW segmenter: 30 kn for "
        "fishing; 50 kn leaves room for fast ferries and HSC)")
    teleport_min_distance_m: float = Field(1000.0, description="ignore jumps below GPS noise")
    teleport_min_track_fixes: int = Field(
        3, ge=1, le=8, description="a jump is a teleport only away from a track of at least "
        "this many fixes: between a vessel's first fixes nobody knows which position is wrong, "
        "and the fixes that follow decide (a second track that persists is an mmsi_conflict). "
        "MarineCadastre 2022-01-03 opens with fixes stamped 00:00:00 that carry positions from "
        "the day's end, 2-300 km from the vessel's next fix. At most 8, the fixes a vessel "
        "keeps (vessel.RECENT): above that no jump could ever count")
    teleport_quiet_hours: float = Field(1.0, description="no new jump this long closes a teleport")
    conflict_min_fixes: int = Field(
        2, description="fixes each on two incompatible tracks after the split before an "
        "mmsi_conflict is raised (GFW shared-MMSI test: overlapping segments)")
    conflict_window_hours: float = Field(6.0, description="a second track older than this lapses")
    # identity ----------------------------------------------------------------------------
    identity_quiet_hours: float = Field(24.0, description="an identity_change episode closes "
                                        "after this long without a further change")
    invalid_identity_alerts: bool = Field(
        False, description="also raise invalid_identity as an alert, an alarm on the station's "
        "screens. Off by default: an MMSI that is not a ship's or an IMO number that fails its "
        "check digit is a fact about the vessel, not behaviour; about 1 in 100 real vessels send "
        "one (MarineCadastre 2022-01-03: 124 of 10,277 in ten minutes, mostly US craft with "
        "their documentation number in the IMO field), and an alarm for each buries the alarms "
        "that matter. Either way the problem is a factor of the vessel's risk score, which the "
        "port call's pre-check reads")
    # zones, shore, land ------------------------------------------------------------------
    zone_entry_kinds: list[str] = Field(
        default=["restricted", "controlled_coast"],
        description="zone kinds whose entry is an alert; add port/anchorage to log arrivals "
        "too (every call at a port then raises a low-severity alert)")
    shore_approach_max_knots: float = Field(3.0, description="slow or stopped (issue brief)")
    shore_approach_distance_m: float = Field(2000.0, description="within 2 km of shore")
    shore_approach_from_m: float = Field(
        3000.0, description="must have come in from at least this far offshore in the last "
        "shore_approach_lookback_hours: boats moored all day are not landing runs")
    shore_approach_lookback_hours: float = Field(3.0)
    night_start_hour: float = Field(19.0, description="local night from (hours)")
    night_end_hour: float = Field(6.0, description="local night until (hours)")
    night_utc_offset_hours: float | None = Field(
        None, description="fixed local offset (8 for China); None = mean solar time from lon")
    on_land_min_inland_m: float = Field(
        2000.0, description="Natural Earth 10m coast is generalised to ~1 km; 2 km inland "
        "avoids flagging berths, and vessels first seen on land (rivers, lakes: not in NE land) "
        "are left alone")
    # engine ------------------------------------------------------------------------------
    sweep_minutes: float = Field(10.0, description="data-time interval of the gap/expiry sweep")
    evidence_max: int = Field(12, description="fixes kept as evidence per alert (first+last)")
    risk: RiskWeights = Field(default_factory=RiskWeights)
    places: PlaceSettings = Field(default_factory=PlaceSettings)
