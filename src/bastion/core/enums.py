"""Helpers for enums stored as their string values (portable: no PostgreSQL ENUM types)."""

from __future__ import annotations

import enum

from sqlalchemy import Enum as SAEnum


def str_enum_column(enum_cls: type[enum.Enum], length: int = 32) -> SAEnum:
    return SAEnum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )
