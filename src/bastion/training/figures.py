"""The annual report's figures of training, drills and meetings, counted from the records
the user may see (``core.figures``): events of each kind held or scheduled in the period
(cancelled ones left out), certificates earned at them, and person-attendances.

A drill run in exercise mode is a drill held and counts once as a drill; what it simulated
(its injects, exercise records) is never read here, so never enters a figure.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bastion.core.figures import Figure
from bastion.core.i18n import lazy
from bastion.org import capabilities
from bastion.org.models import User
from bastion.training import access, kinds
from bastion.training.models import Attendance, Certificate, EventStatus, TrainingEvent
from bastion.training.service import local_day

UNIT_EVENTS = lazy("events")
UNIT_PEOPLE = lazy("person-attendances")

# key, label, the kinds it counts (None: every kind of the category)
EVENTS = (
    ("training.skills_trainings", lazy("Skills trainings"), ("skills_training",)),
    ("training.drills_tactical", lazy("Military-police-civil tactical drills"),
     ("drill_tactical",)),
    ("training.meetings_military_civil", lazy("Military-civil joint meetings"),
     ("meeting_military_civil",)),
    ("training.meetings_quarterly", lazy("Quarterly border-control meetings"),
     ("meeting_quarterly",)),
    ("training.meetings_weekly", lazy("Weekly Monday meetings"), ("meeting_weekly",)),
    ("training.study_days", lazy("Study days"), ("study_day",)),
)


def counted(user: User, start: date, end: date):
    """The events counted for [start, end): seen by the user, not cancelled."""
    return access.events_query(user).where(
        TrainingEvent.status != EventStatus.CANCELLED,
        TrainingEvent.starts_at >= local_day(start), TrainingEvent.starts_at < local_day(end))


def figures(*, session: Session, user: User, start: date, end: date) -> list[Figure] | None:
    if not capabilities.can(user, "training.read"):
        return None
    events = counted(user, start, end).subquery()
    by_kind = dict(session.execute(select(events.c.kind, func.count()).group_by(events.c.kind))
                   .all())
    by_category = dict(session.execute(select(events.c.category, func.count())
                                       .group_by(events.c.category)).all())
    ids = select(events.c.id)
    certificates = session.scalar(select(func.count()).select_from(Certificate).where(
        Certificate.event_id.in_(ids))) or 0
    attendance = session.scalar(select(func.count()).select_from(Attendance).where(
        Attendance.event_id.in_(ids), Attendance.present.is_(True))) or 0
    found = [Figure(key, str(label), sum(by_kind.get(k, 0) for k in codes), str(UNIT_EVENTS),
                    f"/training/{kinds.kind(codes[0]).category}")
             for key, label, codes in EVENTS]
    found.insert(1, Figure("training.certificates", str(lazy("Skills certificates earned")),
                           certificates, str(lazy("certificates")), "/training/skills"))
    found.insert(3, Figure("training.drills", str(lazy("Drills (all kinds)")),
                           by_category.get("drill", 0), str(UNIT_EVENTS),
                           "/training/drill"))
    found.append(Figure("training.attendance", str(lazy("Attendance at training, drills and "
                                                        "meetings")), attendance,
                        str(UNIT_PEOPLE), "/training/figures"))
    return found
