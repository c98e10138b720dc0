"""Pagination for every list the API returns: one response shape, one set of parameters.

A list endpoint takes :data:`PageDep` (``limit``, ``offset``; or its own bounds through
:func:`page_params`), builds its query with need-to-know already in the WHERE clause, and hands
it to :func:`paginate`. Clients get ``items`` and ``total`` (the shape the first ad-hoc pages
had, so their callers keep working) plus ``limit``, ``offset`` and the offsets of the next and
previous pages, so nobody computes them by hand and a list can never again grow without bound
(``/api/v1/port-calls`` once answered 112 KB in one go).

Offsets, not cursors: the lists are queues and registers read by people a page at a time, and
their orders (priority first) are not keys a cursor could resume from.
"""

# No ``from __future__ import annotations``: FastAPI reads the dependency's annotations, and
# the bounds in them are closure values a string annotation could not see.
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bastion.core.bounds import Offset

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


@dataclass(frozen=True)
class PageParams:
    limit: int = DEFAULT_LIMIT
    offset: int = 0


def page_params(*, default: int = DEFAULT_LIMIT, maximum: int = MAX_LIMIT) -> Callable[..., PageParams]:
    """A dependency with this list's own bounds (a map layer may take more rows than a queue)."""

    def dependency(
        limit: Annotated[int, Query(ge=1, le=maximum, description="rows per page")] = default,
        offset: Annotated[Offset, Query(description="rows to skip")] = 0,
    ) -> PageParams:
        return PageParams(limit=limit, offset=offset)

    dependency.__name__ = f"page_params_{default}_{maximum}"
    return dependency


PageDep = Annotated[PageParams, Depends(page_params())]


class Page(BaseModel, Generic[T]):
    """One page of a list, in the list's own order."""

    items: list[T]
    total: int = Field(description="rows in the whole list, all pages")
    limit: int
    offset: int
    next_offset: int | None = Field(default=None, description="offset of the next page; "
                                    "null on the last")
    prev_offset: int | None = Field(default=None, description="offset of the previous page; "
                                    "null on the first")

    @classmethod
    def build(cls, items: Sequence[Any], total: int, params: PageParams) -> "Page[Any]":
        following = params.offset + params.limit
        return cls(items=list(items), total=total, limit=params.limit, offset=params.offset,
                   next_offset=following if following < total else None,
                   prev_offset=max(0, params.offset - params.limit) if params.offset else None)


def count(session: Session, query: Select[Any]) -> int:
    """Rows the query would return: its ORDER BY dropped (it changes nothing in a count and
    costs a sort on PostgreSQL), counted over a subquery so joins and DISTINCT stay right."""
    inner = query.order_by(None).limit(None).offset(None).subquery()
    return session.scalar(select(func.count()).select_from(inner)) or 0


def fetch(session: Session, query: Select[Any], params: PageParams, *,
          scalars: bool = True) -> tuple[Sequence[Any], int]:
    """The page's rows and the whole list's count. ``scalars=False`` for multi-entity rows."""
    total = count(session, query)
    if total <= params.offset:
        return [], total
    window = query.limit(params.limit).offset(params.offset)
    if scalars:
        return session.scalars(window).unique().all(), total
    return session.execute(window).all(), total


def paginate(session: Session, query: Select[Any], params: PageParams,
             convert: Callable[[Any], R], *, scalars: bool = True) -> Page[R]:
    """Run ``query`` for one page and convert each row to its public model."""
    rows, total = fetch(session, query, params, scalars=scalars)
    return Page.build([convert(r) for r in rows], total, params)


def paginate_all(session: Session, query: Select[Any], params: PageParams,
                 convert_page: Callable[[Sequence[Any]], list[R]], *,
                 scalars: bool = True) -> Page[R]:
    """As ``paginate``, converting the whole page in one call: a converter that looks up
    what the rows hang on (work orders, devices, names) does it once per page, not once per
    row."""
    rows, total = fetch(session, query, params, scalars=scalars)
    return Page.build(convert_page(rows) if rows else [], total, params)


def from_rows(rows: Sequence[Any], total: int, params: PageParams,
              convert: Callable[[Any], R] | None = None) -> Page[R]:
    """A page from a service that already cut its rows (``(rows, total)``)."""
    items = [convert(r) for r in rows] if convert else list(rows)
    return Page.build(items, total, params)


def from_list(items: Sequence[T], params: PageParams) -> Page[T]:
    """A page of a list computed in memory (a table of code, a derived series)."""
    return Page.build(items[params.offset:params.offset + params.limit], len(items), params)
