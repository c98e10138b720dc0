"""Writing flags: the rules of an upsert (shared with the service's ORM path) and the hourly
job's bulk writer, which compares before it writes.

The rules (issue 14 item 3; ``service`` module docstring): a flag raised again keeps its
decision and outcome; a cleared flag raised again, or a dismissed one with a new occurrence,
is opened again and told to the post; a flag no longer raised is cleared.

:func:`store_batch` applies them to a batch of persons with one statement per kind of write
(insert, reopen, change, clear: executemany, the new rows' ids by RETURNING) and writes only
rows whose content changes: an hourly run in which nothing changed writes nothing, and a
flag's ``computed_at`` is the time of the run that last changed it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, bindparam, select, type_coerce, update
from sqlalchemy.orm import Session

from bastion.core import events
from bastion.core.db import insert_many
from bastion.core.i18n import lazy
from bastion.notifications import service as notifications
from bastion.notifications.service import Holders
from bastion.residents.flags import rules as rules_mod
from bastion.residents.flags.engine import Flag
from bastion.residents.flags.models import FlagStatus, RiskFlag
from bastion.residents.models import Resident

VOLATILE = ("days",)  # params that grow with time: not a new occurrence
NEW_FLAG = lazy("Risk flag raised: {flag}")
NEW_FLAG_BODY = lazy("{person}: {flag} ({article})")
NEW_FLAGS = lazy("{n} new risk flags in the queue")


@dataclass(frozen=True)
class Raised:
    """A flag new or opened again: what the post is told, and the event."""

    resident_id: int
    person: str
    flag_id: int
    kind: str
    article: str
    post_agency_id: int | None
    status: str = FlagStatus.OPEN.value


def _occurrences(why: Iterable[dict[str, Any]] | None) -> set[str]:
    return {repr((w.get("message"), sorted((k, v) for k, v in (w.get("params") or {}).items()
                                           if k not in VOLATILE))) for w in why or []}


def reopens(status: str, old_why: Any, new_why: Any) -> bool:
    """Whether a stored flag raised again goes back to the post as open."""
    return status == FlagStatus.CLEARED or (
        status == FlagStatus.DISMISSED and bool(_occurrences(new_why) - _occurrences(old_why)))


def tell(session: Session, fresh: Sequence[Raised]) -> None:
    """Tell each post of its new flags: one message for one flag, one for many (the hourly
    job may raise hundreds at once; the queue lists them)."""
    by_post: dict[int, list[Raised]] = defaultdict(list)
    for item in fresh:
        if item.post_agency_id is not None:
            by_post[item.post_agency_id].append(item)
    for post, items in by_post.items():
        recipients = [Holders("residents.flags", post)]
        if len(items) > 1:
            notifications.notify(session, recipients=recipients, title=NEW_FLAGS,
                                 link="/residents/queue", severity="warning",
                                 params={"n": len(items)})
            continue
        item = items[0]
        notifications.notify(
            session, recipients=recipients, title=NEW_FLAG, body=NEW_FLAG_BODY,
            link=f"/residents/queue?flag={item.flag_id}", severity="warning",
            record_kind=Resident.record_kind, record_id=item.resident_id,
            params={"flag": str(rules_mod.FLAG_LABELS.get(item.kind, item.kind)),
                    "person": item.person, "article": item.article}, translate=("flag",))


def announce(session: Session, fresh: Sequence[Raised],
             cleared: Sequence[tuple[int, int, str]]) -> None:
    """The events of a batch (``residents.flag.raised`` / ``.cleared``, one per flag, in one
    flush) and the posts told. ``cleared``: (resident id, flag id, kind)."""
    events.emit_many(session, [
        {"kind": "residents.flag.raised", "record_kind": Resident.record_kind,
         "record_id": r.resident_id,
         "payload": {"flag_id": r.flag_id, "flag": r.kind, "status": r.status}}
        for r in fresh] + [
        {"kind": "residents.flag.cleared", "record_kind": Resident.record_kind,
         "record_id": rid, "payload": {"flag_id": fid, "flag": kind,
                                       "status": FlagStatus.CLEARED.value}}
        for rid, fid, kind in cleared])
    tell(session, fresh)


_T = RiskFlag.__table__
_CONTENT = {"rule": bindparam("rule"), "article": bindparam("article"),
            "why": bindparam("why", type_=_T.c.why.type),
            "post_agency_id": bindparam("post"),
            "computed_at": bindparam("now", type_=_T.c.computed_at.type)}
_CHANGE = update(_T).where(_T.c.id == bindparam("fid")).values(**_CONTENT)
_REOPEN = update(_T).where(_T.c.id == bindparam("fid")).values(
    **_CONTENT, status=FlagStatus.OPEN.value, decided_by_id=None, decided_at=None,
    raised_at=bindparam("now", type_=_T.c.raised_at.type))
_CLEAR = update(_T).where(_T.c.id == bindparam("fid")).values(
    status=FlagStatus.CLEARED.value, computed_at=bindparam("now", type_=_T.c.computed_at.type))


def store_batch(session: Session, *, found: dict[int, list[Flag]],
                persons: dict[int, tuple[int | None, str]], lo: int, hi: int,
                now: datetime) -> tuple[int, int]:
    """Make the stored flags of the persons with ids ``lo``..``hi`` what ``found`` says
    (person id → its flags; a person absent has none); ``persons``: id → (post, name) for
    every person of ``found`` or with a flag stored. Returns (rows written, flags told)."""
    run = session.connection().execute
    stored: dict[int, list[Any]] = defaultdict(list)
    for row in run(select(_T.c.id, _T.c.resident_id, _T.c.kind,
                          type_coerce(_T.c.status, String).label("status"), _T.c.rule,
                          _T.c.article, _T.c.why, _T.c.post_agency_id)
                   .where(_T.c.resident_id.between(lo, hi))):
        stored[row.resident_id].append(row)
    inserts: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    reopened: list[dict[str, Any]] = []
    clears: list[dict[str, Any]] = []
    fresh: list[Raised] = []
    cleared: list[tuple[int, int, str]] = []
    for rid in sorted(set(found) | set(stored)):
        have = {row.kind: row for row in stored.get(rid, ())}
        post, name = persons.get(rid, (None, ""))
        for flag in found.get(rid, ()):
            row = have.pop(flag.flag, None)
            content = {"rule": flag.rule, "article": flag.article, "why": flag.why,
                       "post": post, "now": now}
            if row is None:
                inserts.append({"resident_id": rid, "kind": flag.flag, "rule": flag.rule,
                                "article": flag.article, "why": flag.why,
                                "status": FlagStatus.OPEN.value, "outcome": "",
                                "post_agency_id": post, "raised_at": now,
                                "computed_at": now})
            elif reopens(row.status, row.why, flag.why):
                reopened.append({"fid": row.id, **content})
                fresh.append(Raised(rid, name, row.id, flag.flag, flag.article, post))
            elif (row.rule, row.article, row.why, row.post_agency_id) != (
                    flag.rule, flag.article, flag.why, post):
                changes.append({"fid": row.id, **content})
        for row in have.values():
            if row.status != FlagStatus.CLEARED:
                clears.append({"fid": row.id, "now": now})
                cleared.append((rid, row.id, row.kind))
    if inserts:
        ids = insert_many(session.connection(), _T, inserts)
        fresh += [Raised(r["resident_id"], persons.get(r["resident_id"], (None, ""))[1], fid,
                         r["kind"], r["article"], r["post_agency_id"])
                  for r, fid in zip(inserts, ids, strict=True)]
    for statement, params in ((_REOPEN, reopened), (_CHANGE, changes), (_CLEAR, clears)):
        if params:
            run(statement, params)
    fresh.sort(key=lambda r: (r.resident_id, r.flag_id))
    announce(session, fresh, cleared)
    return len(inserts) + len(reopened) + len(changes) + len(clears), len(fresh)
