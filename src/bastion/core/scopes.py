"""Which records of a kind a user may see, as SQL: for records that point at another
domain's records (a screening hit at the port call its person came from).

Each domain registers, for its record kinds, a function ``(user) -> Select`` of the ids the
user may see; another domain filters on it without importing the first one's models. A kind
nobody registered is seen by nobody (default deny).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, and_, false, or_
from sqlalchemy.sql.elements import ColumnElement

_scopes: dict[str, Callable[[Any], Select[Any]]] = {}


def register_scope(record_kind: str, visible_ids: Callable[[Any], Select[Any]]) -> None:
    _scopes[record_kind] = visible_ids


def visible_source(kind_column: Any, id_column: Any, user: Any) -> ColumnElement[bool]:
    """True where (kind_column, id_column) names a record the user may see."""
    clauses = [and_(kind_column == kind, id_column.in_(visible_ids(user)))
               for kind, visible_ids in _scopes.items()]
    return or_(*clauses) if clauses else false()
