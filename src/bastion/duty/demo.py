"""Demo data of 24-hour duty (SYNTHETIC): roles, people, shifts, demand, holidays and a
published roster for the current month at the Napo command and the Yangjiang station; duty-log
entries and a pending handover; hotline calls in Chinese, English and Vietnamese. Each room
loads its own part (``duty.<room>.demo.load``); this runs them in order."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bastion.core.db import utcnow
from bastion.org.models import User

ROOMS = ("bastion.duty.rosters.demo", "bastion.duty.log.demo", "bastion.duty.hotline.demo")


def load(session: Session, *, users: dict[str, User], now: datetime | None = None) -> None:
    import importlib

    now = now or utcnow()
    for name in ROOMS:
        importlib.import_module(name).load(session, users=users, now=now)
        session.flush()
