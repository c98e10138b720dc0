"""The days a client may ask the duty pages and API about.

A day is parsed fine from 0001-01-01 to 9999-12-31, but the pages step a day or a month either
side of it (the previous and next links, a day's bounds in UTC), and stepping past
``date.min``/``date.max`` raised ``OverflowError``: a 500 instead of a 422. Every duty query
that takes a day, a month or a range checks it here first and names the field.
"""

from __future__ import annotations

from datetime import date

from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)


def within(day: date, field: str) -> date:
    """The day itself, or a 422 naming ``field`` when it is outside 1900 to 2999."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise Invalid(_("Choose a day between %(first)s and %(last)s.")
                      % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
                      field=field)
    return day
