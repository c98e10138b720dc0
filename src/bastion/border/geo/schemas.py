"""Payloads of the border map. Coordinates are WGS 84 degrees, bounded where they enter, so a
swapped latitude/longitude is a 422 naming the field rather than a marker in the sea."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, Field, field_validator

from bastion.border.geo.models import MarkerKind, PlaceKind
from bastion.core.bounds import Id
from bastion.org.sharing import MarkingIn

Lon = Annotated[float, Field(ge=-180, le=180)]
Lat = Annotated[float, Field(ge=-90, le=90)]
Text = Annotated[str, Field(max_length=200)]

_TIME = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$")


def check_windows(windows: list[list[str]]) -> list[list[str]]:
    """Each window is ["HH:MM", "HH:MM"], local time, start before end; an overnight window
    (22:00-02:00) is two windows, so that "inside" is one comparison."""
    for i, window in enumerate(windows):
        if len(window) != 2:
            raise ValueError(f"windows[{i}]: give a start and an end, e.g. [\"08:30\", \"11:30\"]")
        for j, value in enumerate(window):
            if not _TIME.match(value):
                raise ValueError(f"windows[{i}][{j}]: {value!r} is not a time HH:MM (00:00-23:59)")
        if window[0] >= window[1]:
            raise ValueError(f"windows[{i}]: the start {window[0]} is not before the end "
                             f"{window[1]}")
    return windows


class SegmentCreate(MarkingIn):
    code: str = Field(min_length=1, max_length=32)
    name: Text = Field(min_length=1)
    line_id: Id | None = Field(default=None, description="default: the organisation's only line")
    from_marker: str = Field(min_length=1, max_length=32, description="marker number")
    to_marker: str = Field(min_length=1, max_length=32, description="marker number")
    chief_name: str = Field(default="", max_length=100)
    chief_phone: str = Field(default="", max_length=40)
    post_agency_id: Id | None = None


class PostCreate(MarkingIn):
    agency_id: Id
    grade: int = Field(default=2, ge=1, le=3)
    lon: Lon
    lat: Lat
    staff: int = Field(default=0, ge=0, le=10_000)
    village_ids: list[Id] = Field(default_factory=list, max_length=200,
                                  description="places of kind village (挂联村)")


class CheckpointCreate(MarkingIn):
    code: str = Field(min_length=1, max_length=32)
    name: Text = Field(min_length=1)
    lon: Lon
    lat: Lat
    radius_m: float = Field(default=50.0, gt=0, le=5000)
    windows: list[list[str]] = Field(default_factory=list, max_length=24)
    segment_id: Id | None = None
    post_agency_id: Id | None = None

    @field_validator("windows")
    @classmethod
    def _windows(cls, value: list[list[str]]) -> list[list[str]]:
        return check_windows(value)


class PlaceCreate(MarkingIn):
    kind: PlaceKind
    name: Text = Field(min_length=1)
    lon: Lon
    lat: Lat
    segment_id: Id | None = None
    properties: dict[Annotated[str, Field(max_length=50)],
                     Annotated[str, Field(max_length=500)] | float | bool | None] = Field(
        default_factory=dict, max_length=50, description="extra fields shown in the popup")


class LinePublic(BaseModel):
    id: int
    name: str
    source: str
    length_m: float
    bounds: list[float]  # west, south, east, north


class MarkerPublic(BaseModel):
    id: int
    number: str
    kind: MarkerKind
    lon: float
    lat: float
    elevation_m: float | None
    line_id: int | None
    chainage_m: float | None
    offset_m: float | None
    note: str


class SegmentPublic(BaseModel):
    id: int
    code: str
    name: str
    line_id: int
    from_marker: str
    to_marker: str
    length_m: float
    chief_name: str
    chief_phone: str
    post_agency_id: int | None
    geometry: dict[str, Any]


class PostPublic(BaseModel):
    id: int
    agency_id: int
    name: str
    grade: int
    lon: float
    lat: float
    staff: int
    village_ids: list[int]


class CheckpointPublic(BaseModel):
    id: int
    code: str
    name: str
    lon: float
    lat: float
    radius_m: float
    windows: list[list[str]]
    segment_id: int | None
    post_agency_id: int | None
    active: bool
    qr_text: str | None = Field(default=None, description="only for border.map.write")


class PlacePublic(BaseModel):
    id: int
    kind: PlaceKind
    name: str
    lon: float
    lat: float
    segment_id: int | None
    properties: dict[str, Any]


class MarkerImport(BaseModel):
    created: int
    unchanged: int
    markers: list[MarkerPublic]
