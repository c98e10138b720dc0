"""What the solver and the checker say, in the reader's words: their messages name posts and
roles by code (``NP-JDC-PM``, ``duty_officer``); shown to people, those are the unit's and the
role's names in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bastion.core import context
from bastion.core.i18n import gettext
from bastion.duty.rosters.models import CalendarDay, DutyPerson, DutyRole, Roster, ShiftTemplate
from bastion.org.models import Agency


@dataclass
class Words:
    units: dict[str, Agency]  # by code
    units_by_id: dict[int, Agency]
    roles: dict[str, DutyRole]
    shifts: dict[str, ShiftTemplate]
    days: dict[date, CalendarDay]

    @classmethod
    def of(cls, session: Session, roster: Roster) -> Words:
        # The roster's posts, and the posts of the organisation's people (a refusal names the
        # post a person belongs to, which need not be on this roster).
        units = list(session.scalars(select(Agency).where(or_(
            Agency.id.in_(roster.unit_ids or []),
            Agency.id.in_(select(DutyPerson.unit_id).where(
                DutyPerson.org_id == roster.owner_org_id))))))
        return cls(units={a.code: a for a in units}, units_by_id={a.id: a for a in units},
                   roles={r.code: r for r in session.scalars(select(DutyRole).where(
                       DutyRole.org_id == roster.owner_org_id))},
                   shifts={s.code: s for s in session.scalars(select(ShiftTemplate).where(
                       ShiftTemplate.org_id == roster.owner_org_id))},
                   days={d.day: d for d in session.scalars(select(CalendarDay).where(
                       CalendarDay.day >= roster.start))})

    @staticmethod
    def zh() -> bool:
        return context.current().language == "zh-CN"

    def unit(self, code_or_id: str | int) -> str:
        unit = (self.units_by_id.get(code_or_id) if isinstance(code_or_id, int)
                else self.units.get(code_or_id))
        return unit.display_name(context.current().language) if unit else str(code_or_id)

    def role(self, code: str) -> str:
        role = self.roles.get(code)
        return (role.name_zh if self.zh() else role.name_en) if role else code

    def shift(self, code: str) -> str:
        shift = self.shifts.get(code)
        return f"{shift.name} {code}" if shift else code

    def params(self, params: dict[str, Any]) -> dict[str, Any]:
        out = dict(params)
        for key in ("post", "own_post"):  # own_post: the refusal showed "NP-JDC-PM"
            if isinstance(out.get(key), str):
                out[key] = self.unit(out[key])
        if isinstance(out.get("role"), str):
            out["role"] = self.role(out["role"])
        if isinstance(out.get("roles"), str):
            out["roles"] = " / ".join(self.role(r) for r in out["roles"].split(" / "))
        if isinstance(out.get("shift"), str):
            out["shift"] = self.shift(out["shift"])
        return out

    def text(self, reason: Any) -> str:
        """A solver ``Reason`` or a checker ``Violation`` in the reader's language."""
        template = gettext(reason.message)
        try:
            return template % self.params(reason.params)
        except (KeyError, ValueError, TypeError):
            return reason.text(gettext)

    def calendar(self, days: Iterable[date]) -> dict[date, CalendarDay]:
        return {d: self.days[d] for d in days if d in self.days}

    def day_name(self, day: CalendarDay) -> str:
        return day.name_zh if self.zh() else day.name_en
