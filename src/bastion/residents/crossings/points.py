"""Crossing points: the China–Vietnam land ports and designated crossings as reference data
(``residents/data/crossing_points.json``, with its sources), loaded idempotently and edited by
the command (``residents.points.edit``); border-resident crossings are often not published, so
the command adds them.

:func:`recognise` finds the point a form or a file names: by its code, its Chinese or its
Vietnamese name or an alias, with or without 口岸 / cửa khẩu, whatever the case and the
diacritics (``Móng Cái`` = ``mong cai`` = ``MONG CAI CUA KHAU``). Anything else is a
non-designated crossing (None): the crossing keeps the text as its ``path``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core.errors import Conflict, NotFound
from bastion.core.i18n import gettext as _
from bastion.org import capabilities
from bastion.org.models import User
from bastion.residents.crossings.models import CrossingPoint, PointKind

DATA = Path(__file__).resolve().parent.parent / "data" / "crossing_points.json"
FIELDS = ("name_zh", "name_vi", "name_en", "kind", "province_cn", "province_vn", "lon", "lat",
          "aliases", "source", "active")

# Words around a name that do not change which point it is: "口岸", "cửa khẩu (quốc tế)",
# "border gate", "port"; compared after folding case and diacritics.
_NOISE = re.compile(r"(口岸|关口|cua khau|quoc te|border gate|border crossing|crossing point|"
                    r"\bport\b|\bgate\b|\bck\b|\bckqt\b)")
_D = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})
_SPACE = re.compile(r"[\s\-_.,;:/()（）·'’\"]+")


def fold(text: str) -> str:
    """Lower case, no diacritics (đ as d), no 口岸 / cửa khẩu, no spaces or punctuation."""
    # Đ/đ (and the look-alike Ð/ð, U+00D0, that keyboards and files put for it) as d
    text = unicodedata.normalize("NFKD", text or "").translate(_D)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _NOISE.sub(" ", text)
    return _SPACE.sub("", text)


def _keys(point: CrossingPoint) -> set[str]:
    names = [point.code, point.name_zh, point.name_vi, point.name_en, *(point.aliases or [])]
    return {key for key in (fold(n) for n in names if n) if key}


def recogniser(session: Session) -> Callable[[str], CrossingPoint | None]:
    """A lookup built once from the active points, for a file's many rows."""
    table: dict[str, CrossingPoint] = {}
    points = session.scalars(select(CrossingPoint).where(CrossingPoint.active)
                             .order_by(CrossingPoint.id)).all()
    for point in points:  # an own name wins over another point's alias
        for key in _keys(point):
            table.setdefault(key, point)
    for point in points:
        for key in {fold(point.code), fold(point.name_zh), fold(point.name_vi)} - {""}:
            table[key] = point

    def find(text: str) -> CrossingPoint | None:
        key = fold(text)
        return table.get(key) if key else None

    return find


def recognise(session: Session, text: str) -> CrossingPoint | None:
    """The designated point ``text`` names, or None (a non-designated crossing)."""
    return recogniser(session)(text)


def reference() -> list[dict[str, Any]]:
    return list(json.loads(DATA.read_text(encoding="utf-8"))["points"])


def load_reference(session: Session) -> int:
    """Add the shipped points whose code is not there yet; points already there (perhaps
    edited by the command) are left as they are. Returns how many were added."""
    have = set(session.scalars(select(CrossingPoint.code)))
    added = 0
    for row in reference():
        if row["code"] in have:
            continue
        session.add(CrossingPoint(code=row["code"], **{k: row[k] for k in FIELDS if k in row}))
        added += 1
    session.flush()
    return added


def load_shipped(session: Session, *, user: User) -> int:
    """The command loads the shipped reference (new codes only), audited."""
    capabilities.require(user, "residents.points.edit")
    added = load_reference(session)
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind="crossing_point",
                 summary=f"crossing points reference: {added} added")
    return added


# --- reading and editing (the command) ----------------------------------------------------

def _may_read(user: User) -> None:
    if not (capabilities.can(user, "residents.read")
            or capabilities.can(user, "residents.crossings.record")):
        capabilities.require(user, "residents.read")


def list_query(*, user: User, kind: PointKind | None = None,
               active: bool | None = None) -> Select[tuple[CrossingPoint]]:
    _may_read(user)
    query = select(CrossingPoint).order_by(CrossingPoint.province_cn, CrossingPoint.code)
    if kind is not None:
        query = query.where(CrossingPoint.kind == kind)
    if active is not None:
        query = query.where(CrossingPoint.active == active)
    return query


def get(session: Session, *, user: User, point_id: int) -> CrossingPoint:
    _may_read(user)
    point = session.get(CrossingPoint, point_id)
    if point is None:
        raise NotFound(_("No such crossing point."))
    return point


def _check_code(session: Session, code: str, own_id: int | None) -> None:
    other = session.scalar(select(CrossingPoint).where(CrossingPoint.code == code))
    if other is not None and other.id != own_id:
        raise Conflict(_("Another crossing point has the code {code}.").format(code=code),
                       field="code")


def create(session: Session, *, user: User, data: Any) -> CrossingPoint:
    capabilities.require(user, "residents.points.edit")
    _check_code(session, data.code, None)
    point = CrossingPoint(code=data.code, **{k: getattr(data, k) for k in FIELDS})
    session.add(point)
    session.flush()
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind="crossing_point",
                 record_id=point.id, summary=f"crossing point {point.code}")
    return point


def update(session: Session, *, user: User, point: CrossingPoint, data: Any) -> CrossingPoint:
    capabilities.require(user, "residents.points.edit")
    _check_code(session, data.code, point.id)
    before = {k: getattr(point, k) for k in ("code", *FIELDS)}
    point.code = data.code
    for key in FIELDS:
        setattr(point, key, getattr(data, key))
    session.flush()
    changed = sorted(k for k, v in before.items() if getattr(point, k) != v)
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind="crossing_point",
                 record_id=point.id, summary=f"crossing point {point.code}",
                 detail={"changed": changed})
    return point
