"""Bounded integers for everything a client sends: ids, offsets, counts.

A number above 2^63-1 overflows SQLite's INTEGER and PostgreSQL's BIGINT, and an id above
2^31-1 PostgreSQL's INTEGER (the type of every primary key); unbounded, it reached the database
and the request ended in a 500 instead of a 422. Routes and request schemas take
these types instead of a bare ``int`` (path, query, form or JSON body alike: the bounds are
plain ``annotated_types`` constraints that FastAPI and pydantic both honour, and that the
OpenAPI shows as ``minimum``/``maximum``); ``tests/web/test_bounds.py`` walks every route and
fails on an integer without a maximum.
"""

from __future__ import annotations

from typing import Annotated

from annotated_types import Interval

MAX_INT = 2**63 - 1  # SQLite INTEGER, PostgreSQL BIGINT (OFFSET takes a BIGINT)
MAX_ID = 2**31 - 1  # PostgreSQL INTEGER: primary keys and the columns that refer to them

Id = Annotated[int, Interval(ge=1, le=MAX_ID)]
"""A row's id (primary keys start at 1)."""

Offset = Annotated[int, Interval(ge=0, le=MAX_INT)]
"""Rows to skip."""

Mmsi = Annotated[int, Interval(ge=0, le=999_999_999)]
"""A Maritime Mobile Service Identity: nine digits (ITU-R M.585)."""

Count = Annotated[int, Interval(ge=0, le=MAX_INT)]
"""A non-negative whole number with no smaller natural bound."""
