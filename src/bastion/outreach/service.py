"""Legal outreach's services: record a visit (idempotent by its client id), read visits, the
compliance board and the year's statistics. Need-to-know is ``outreach.access``; services
never commit."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bastion.attachments import service as attachments
from bastion.attachments.models import Attachment
from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core import events
from bastion.core.errors import Invalid, NotFound
from bastion.core.exercise import operational
from bastion.core.i18n import gettext as _
from bastion.org import capabilities
from bastion.org.models import User
from bastion.outreach import access
from bastion.outreach.links import Link, linked
from bastion.outreach.models import OutreachVisit
from bastion.outreach.schemas import VisitIn
from bastion.outreach.topics import TOPICS

RECORD = "outreach.record"


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def listing(user: User, *, month: date | None = None, village_id: int | None = None,
            post_agency_id: int | None = None) -> Select[tuple[OutreachVisit]]:
    query = access.visits_query(user)
    if month is not None:
        query = query.where(OutreachVisit.visited_on >= month_start(month),
                            OutreachVisit.visited_on < next_month(month))
    if village_id is not None:
        query = query.where(OutreachVisit.village_id == village_id)
    if post_agency_id is not None:
        query = query.where(OutreachVisit.post_agency_id == post_agency_id)
    return query.order_by(OutreachVisit.visited_on.desc(), OutreachVisit.id.desc())


def record(session: Session, *, user: User, data: VisitIn,
           today: date | None = None) -> tuple[OutreachVisit, bool]:
    """A visit to one of the user's linked villages; ``(visit, created)``. The same client id
    again answers the stored visit."""
    capabilities.require(user, RECORD)
    client_id = str(data.client_id) if data.client_id else None
    if client_id:
        stored = session.scalar(select(OutreachVisit).where(OutreachVisit.client_id == client_id))
        if stored is not None:
            if session.scalar(access.visits_query(user).where(
                    OutreachVisit.id == stored.id)) is None:
                raise NotFound(_("No such outreach visit."))
            return stored, False
    post_id = data.post_agency_id or user.agency_id
    links = linked(session, user=user)
    if not any(link.post_agency_id == post_id for link in links):
        raise Invalid(_("This post is not one whose visits you record."), field="post_agency_id")
    if not any(link.post_agency_id == post_id and link.village_id == data.village_id
               for link in links):
        raise Invalid(_("This village is not linked to the post."), field="village_id")
    if data.topic not in TOPICS:
        raise Invalid(_("There is no topic %(topic)s.") % {"topic": data.topic}, field="topic")
    if data.visited_on > (today or date.today()) + timedelta(days=1):
        raise Invalid(_("A visit cannot be in the future."), field="visited_on")
    visit = OutreachVisit(
        client_id=client_id, org_id=user.organisation_id, post_agency_id=post_id,
        village_id=data.village_id, visited_on=data.visited_on, topic=data.topic,
        attendees=data.attendees, officers=[o.strip() for o in data.officers if o.strip()],
        materials=data.materials, materials_count=data.materials_count, notes=data.notes,
        exercise=data.exercise, created_by_id=user.id)
    session.add(visit)
    session.flush()
    audit.record(session, action=AuditAction.CREATE, actor=user,
                 record_kind=OutreachVisit.record_kind, record_id=visit.id,
                 summary=f"outreach visit to village {visit.village_id} on {visit.visited_on}")
    events.emit(session, kind="outreach.visit_recorded", actor_id=user.id,
                record_kind=OutreachVisit.record_kind, record_id=visit.id,
                payload={"village_id": visit.village_id, "post_agency_id": post_id,
                         "visited_on": visit.visited_on.isoformat()})
    return visit, True


def _may_attach(session: Session, user: User, record_id: int) -> None:
    capabilities.require(user, RECORD)
    access.find(session, user=user, visit_id=record_id)


attachments.register_owner(OutreachVisit.record_kind, _may_attach)


def add_photo(session: Session, *, user: User, client_id: str | None = None,
              visit_id: int | None = None, filename: str, data: bytes,
              max_bytes: int) -> tuple[Attachment, bool]:
    """A photo on a visit (by id, or by the client id the phone gave it); the same bytes twice
    on a visit store one."""
    query = access.visits_query(user)
    query = (query.where(OutreachVisit.client_id == client_id) if client_id
             else query.where(OutreachVisit.id == visit_id))
    visit = session.scalar(query)
    if visit is None:
        raise NotFound(_("No such outreach visit."))
    digest = hashlib.sha256(data).hexdigest()
    for stored in attachments.of_records(session, OutreachVisit.record_kind,
                                         [visit.id]).get(visit.id, []):
        if stored.sha256 == digest:
            return stored, False
    return attachments.add(session, user=user, record_kind=OutreachVisit.record_kind,
                           record_id=visit.id, filename=filename, data=data,
                           max_bytes=max_bytes), True


def photos(session: Session, visits: list[OutreachVisit]) -> dict[int, list[dict[str, Any]]]:
    found = attachments.of_records(session, OutreachVisit.record_kind, [v.id for v in visits])
    return {k: [{"id": a.id, "filename": a.filename} for a in v] for k, v in found.items()}


def public(v: OutreachVisit, names: dict[int, str] | None = None,
           photos: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    names = names or {}
    return {"id": v.id, "client_id": v.client_id, "post_agency_id": v.post_agency_id,
            "post": names.get(-v.post_agency_id), "village_id": v.village_id,
            "village": names.get(v.village_id), "visited_on": v.visited_on.isoformat(),
            "topic": v.topic, "attendees": v.attendees, "officers": list(v.officers or []),
            "materials": v.materials, "materials_count": v.materials_count, "notes": v.notes,
            "exercise": v.exercise, "photos": photos or [], "created_at": v.created_at}


def names_of(session: Session, user: User, language: str = "zh-CN") -> dict[int, str]:
    """Village ids -> names, and minus post agency ids -> names (one lookup for ``public``)."""
    found: dict[int, str] = {}
    for link in linked(session, user=user, language=language):
        found[link.village_id] = link.village
        found[-link.post_agency_id] = link.post
    return found


# --- the compliance board -------------------------------------------------------------------

def board(session: Session, *, user: User, month: date, minimum: int, months: int = 6,
          language: str = "zh-CN") -> dict[str, Any]:
    """Per post and linked village, the operational visits of ``month`` and the months before
    it (``months`` in all), each cell marked behind when under ``minimum``."""
    capabilities.require(user, "outreach.board")
    links: list[Link] = linked(session, user=user, language=language)
    first = month_start(month)
    columns = [first]
    for _n in range(months - 1):
        columns.insert(0, month_start(columns[0] - timedelta(days=1)))
    counts: dict[tuple[int, int, date], int] = {}
    if links:
        day = OutreachVisit.visited_on
        rows = session.execute(
            access.visits_query(user).with_only_columns(
                OutreachVisit.post_agency_id, OutreachVisit.village_id, OutreachVisit.visited_on)
            .where(operational(OutreachVisit), day >= columns[0], day < next_month(first)))
        for post_id, village_id, visited_on in rows:
            key = (post_id, village_id, month_start(visited_on))
            counts[key] = counts.get(key, 0) + 1
    out_rows = []
    for link in links:
        cells = [{"month": m.strftime("%Y-%m"),
                  "count": counts.get((link.post_agency_id, link.village_id, m), 0)}
                 for m in columns]
        for cell in cells:
            cell["behind"] = cell["count"] < minimum
        out_rows.append({"post_agency_id": link.post_agency_id, "post": link.post,
                         "village_id": link.village_id, "village": link.village,
                         "cells": cells, "behind": cells[-1]["behind"]})
    return {"month": first.strftime("%Y-%m"), "minimum": minimum,
            "months": [m.strftime("%Y-%m") for m in columns], "rows": out_rows,
            "behind": sum(1 for r in out_rows if r["behind"])}


# --- statistics -----------------------------------------------------------------------------

def totals(session: Session, *, user: User, start: date, end: date) -> dict[str, int]:
    """Operational visits in [start, end): count, people reached, villages visited."""
    query = access.visits_query(user).where(
        operational(OutreachVisit), OutreachVisit.visited_on >= start,
        OutreachVisit.visited_on < end)
    visits, people, villages = session.execute(query.with_only_columns(
        func.count(OutreachVisit.id), func.coalesce(func.sum(OutreachVisit.attendees), 0),
        func.count(func.distinct(OutreachVisit.village_id)))).one()
    return {"visits": int(visits), "people": int(people), "villages": int(villages)}


def by_month(session: Session, *, user: User, year: int) -> dict[str, Any]:
    """The year month by month (visits, people reached) and visits by topic."""
    query = access.visits_query(user).where(
        operational(OutreachVisit), OutreachVisit.visited_on >= date(year, 1, 1),
        OutreachVisit.visited_on < date(year + 1, 1, 1))
    found = {m: {"month": f"{year}-{m:02d}", "visits": 0, "people": 0} for m in range(1, 13)}
    topics: dict[str, int] = {}
    for day, attendees, topic in session.execute(query.with_only_columns(
            OutreachVisit.visited_on, OutreachVisit.attendees, OutreachVisit.topic)):
        found[day.month]["visits"] += 1
        found[day.month]["people"] += attendees
        topics[topic] = topics.get(topic, 0) + 1
    return {"year": year, "months": list(found.values()), "topics": topics}
