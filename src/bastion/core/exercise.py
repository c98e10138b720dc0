"""Exercise mode: records made in a drill are real rows, marked, and kept out of the figures.

A drill (training's exercise mode, an emergency or a case opened for practice) produces the
same records as the real thing — hazard reports, cases, notifications, vessel statuses — so
that the drill exercises the real workflow. Each such record carries ``exercise = True``
(``ExerciseMixin``), shows a visible mark wherever it is listed (the ``exercise_badge`` macro
in ``web/templates/macros.html``), prefixes what it says to people with ``[EXERCISE]``
(``titled``), and every statistic and annual figure filters it out with ``operational``.

Why a column on each record rather than a separate database or table: a drill must walk the
same screens and rules as the real case, and the figures need only one filter to stay clean.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy

MARK = lazy("EXERCISE")
PREFIX = lazy("[EXERCISE] {text}")


class ExerciseMixin:
    """``exercise``: made in a drill; shown marked and never counted in operational figures."""

    @declared_attr
    def exercise(cls) -> Mapped[bool]:
        return mapped_column(default=False, server_default=false(), index=True)


def titled(text: str, exercise: bool) -> str:
    """What a notification or printout says, prefixed ``[EXERCISE]`` (``【演练】``) in a drill,
    in the current language."""
    return _(str(PREFIX)).format(text=text) if exercise else text


def operational(model: Any) -> ColumnElement[bool]:
    """The filter every figure applies: only records not made in a drill."""
    return model.exercise.is_(False)
