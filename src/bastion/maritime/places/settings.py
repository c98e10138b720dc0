"""Thresholds for places known without drawing: ports, learned anchorages, learned water.

Mounted under the detectors (``BASTION_DETECTORS__PLACES__ANCHORAGE_MIN_VESSELS=10``). GFW
anchorages = Global Fishing Watch, "Anchorages" (globalfishingwatch.github.io/anchorages, 2017)
and its ``anchorages_pipeline``: S2 level-14 cells (~0.5 km), a vessel "stationary" when all its
positions stay within 0.5 km for at least 12 h, a cell an anchorage when at least 20 distinct
MMSIs were stationary in it over 2012-2017, anchorage points within 4 km grouped into a port.
A station learns from weeks of its own feed, not from five years of the world's, so the vessel
counts here are smaller; raise them as the history grows.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class PlaceSettings(BaseModel):
    """How anchorages and water are learned, and how near a place counts as "at" it."""

    cell_m: float = Field(
        1000.0, description="side of a learning cell in metres (GFW anchorages: S2 level 14, "
        "~0.5 km; level 13, ~1.1 km, in GFW's earlier port-visit work). 1 km keeps one "
        "anchored ship's swinging circle in one cell")
    stationary_radius_m: float = Field(
        500.0, description="a vessel is stationary while every position stays within this of "
        "the first (GFW anchorages: 0.5 km)")
    stationary_hours: float = Field(
        4.0, description="... for at least this long (GFW anchorages: 12 h over years of data; "
        "4 h here, the loitering threshold, so that a few days of a station's own history "
        "already show where ships wait)")
    anchorage_min_vessels: int = Field(
        3, description="distinct vessels stationary in a cell before it is an anchorage (GFW "
        "anchorages: 20 over 2012-2017 worldwide; a station's weeks of history see fewer)")
    anchorage_rings: int = Field(
        1, description="... counted over the cell and this many rings of cells around it "
        "(1: a 3 x 3 block): ships at anchor spread over kilometres, so a few days of history "
        "rarely put several in one cell (GFW groups anchorage points within 4 km into ports)")
    water_min_knots: float = Field(
        3.0, description="a vessel crossing a cell at least this fast (reported, or implied by "
        "two fixes) is afloat there: a moored or spoofed-still position teaches nothing")
    water_max_knots: float = Field(
        50.0, description="faster than this between two fixes is a jump, not a crossing "
        "(the teleport detector's threshold)")
    water_max_step_m: float = Field(
        10_000.0, description="two fixes farther apart than this are not joined: the straight "
        "line between them may cut across land at a bend")
    water_min_vessels: int = Field(
        5, description="distinct vessels that crossed a cell at speed before it is water "
        "whatever the land mask says: one spoofed identity cannot teach it")
    port_radius_m: float = Field(
        4000.0, description="a UN/LOCODE port is a circle of this radius around its position "
        "(UNECE gives degrees and minutes, ~1.8 km, of the locality; GFW names anchorages "
        "after a World Port Index port within 4 km)")
    near_m: float = Field(
        3000.0, description="a fix within this of a learned anchorage point is at the "
        "anchorage: no loitering, shore approach or encounter there, and a silence there is a "
        "port gap (GFW port visits: a visit begins within 3 km of an anchorage point; ships at "
        "anchor swing and spread over a few cells)")
