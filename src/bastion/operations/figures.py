"""The annual report's figures of joint operations: how many were held (started in the
period) and how many of their tasks were done in it. Operational records only (drills are
left out), and only the operations the user may see."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bastion.core import context
from bastion.core.exercise import operational
from bastion.core.figures import Figure
from bastion.core.i18n import lazy
from bastion.operations import access
from bastion.operations.models import Operation, Task, TaskStatus
from bastion.org import capabilities


def _instant(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(context.current().timezone))


def figures(*, session: Any, user: Any, start: date, end: date) -> list[Figure] | None:
    if not capabilities.can(user, "operations.read"):
        return None
    since, until = _instant(start), _instant(end)
    held = session.scalar(select(func.count()).select_from(Operation).where(
        access.visible(user), operational(Operation), Operation.starts_at >= since,
        Operation.starts_at < until)) or 0
    done = session.scalar(select(func.count()).select_from(Task).join(
        Operation, Operation.id == Task.operation_id).where(
        access.visible(user), operational(Operation), Task.status == TaskStatus.DONE,
        Task.done_at >= since, Task.done_at < until)) or 0
    return [Figure("operations.count", lazy("Joint operations held"), held,
                   lazy("operations"), link="/operations"),
            Figure("operations.tasks_done", lazy("Joint-operation tasks done"), done,
                   lazy("tasks"), link="/operations")]
