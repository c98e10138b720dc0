"""What the flag engine needs, read from the database: a batch of persons as the screen's
columns (:func:`load_columns`, the hourly job's hot path) and :class:`~.engine.Facts` for
the persons the screen flags, built from those same columns (:func:`facts_from_columns`),
or for a few persons read afresh (:func:`load_facts`, the registry and imports).

The job reads each table once per batch over the id range: the million crossings come as the
driver's tuples (no ORM or Core row objects, times as text parsed by numpy), and the persons
the screen flags (a quarter of them) get their Facts from the arrays already in memory rather
than from a second read. Both routes give the engine the same facts for what it looks at
(``tests/residents/flags/test_jobs.py`` compares them)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC
from typing import Any

from sqlalchemy import String, case, cast, false, func, select, text, type_coerce
from sqlalchemy.orm import Session

from bastion.residents.crossings.models import Crossing, CrossingPoint
from bastion.residents.flags.engine import (
    Columns,
    CrossingFact,
    DocumentFact,
    EmploymentFact,
    Facts,
    LodgingFact,
    MarriageFact,
    PermitFact,
)
from bastion.residents.models import (
    Employment,
    Lodging,
    Marriage,
    Permit,
    Resident,
    ResidentDocument,
)


def among(column: Any, ids: Sequence[int]) -> Any:
    """``column IN (ids)``; many ids are written into the SQL as numbers (they are ints from
    the database): compiling thousands of bound parameters cost more than the query."""
    ids = [int(i) for i in ids]
    if len(ids) <= 100:
        return column.in_(ids)
    return text(f"{column.table.name}.{column.name} IN ({','.join(map(str, ids))})")


def _micros(texts: Sequence[str]) -> Any:
    """Microseconds since the epoch (int64) of naive UTC times as the database writes them as
    text (``2026-11-03 08:30:00.000000``), parsed by numpy: no datetime objects."""
    import numpy as np

    stamps = np.array(texts, dtype="datetime64[us]") if len(texts) else np.zeros(
        0, dtype="datetime64[us]")
    return stamps.astype(np.int64)


def _raw(session: Session, statement: Any) -> list[tuple]:
    """The rows of a statement as the driver's tuples (the two big tables of a batch: a
    million rows an hour are worth skipping SQLAlchemy's row objects). The statement holds
    only columns whose driver values are what we want (text, ints, booleans)."""
    connection = session.connection()
    compiled = statement.compile(dialect=connection.dialect)
    params = compiled.construct_params()
    cursor = connection.connection.cursor()
    try:
        if compiled.positiontup:
            cursor.execute(str(compiled), [params[k] for k in compiled.positiontup])
        else:
            cursor.execute(str(compiled), params)
        return cursor.fetchall()
    finally:
        cursor.close()


def _spouses(session: Session, rows: Sequence[Any]) -> dict[int, str]:
    """Names of the spouses registered as persons, for marriages that give no name."""
    wanted = {m.spouse_id for m in rows if m.spouse_id and not m.spouse_name}
    if not wanted:
        return {}
    return dict(session.connection().execute(select(Resident.id, Resident.name).where(
        Resident.id.in_(wanted))).all())


def load_columns(session: Session, ids: Sequence[int]) -> Columns:
    """The records of the persons ``ids`` (ascending) as the screen's columns, person ``k``
    being ``ids[k]``; read over the id range, so one batch of the job is one query a table.
    Holds what :func:`facts_from_columns` needs too (times to the microsecond, the place of
    each crossing at no designated point, the spouses' names)."""
    import numpy as np

    lo, hi = ids[0], ids[-1]
    run = session.connection().execute  # plain rows: the ORM's row handling costs here
    index = {rid: k for k, rid in enumerate(ids)}
    dense = len(index) == hi - lo + 1  # every id of the range is asked for: no filtering
    documents: dict[int, list[DocumentFact]] = defaultdict(list)
    for row in run(select(
            ResidentDocument.resident_id, ResidentDocument.number, ResidentDocument.doc_type,
            ResidentDocument.expires, ResidentDocument.issued, ResidentDocument.stay_days)
            .where(ResidentDocument.resident_id.between(lo, hi))):
        if row[0] in index:
            documents[index[row[0]]].append(DocumentFact(*row[1:]))
    # the place is read only for crossings at no designated point (the engine names it in
    # the flag's why; nothing else reads it): NULL for the million others
    place = case((Crossing.designated == false(), func.coalesce(
        select(CrossingPoint.name_zh).where(CrossingPoint.id == Crossing.point_id)
        .scalar_subquery(), Crossing.path)), else_=None)
    # 2 for an entry + 1 for a designated point: one small int instead of a string and a bool
    code = (case((type_coerce(Crossing.direction, String) == "in", 2), else_=0)
            + case((Crossing.designated, 1), else_=0))
    # a crossing linked to one of the person's stored documents goes by that document's
    # number (looked up only for those crossings)
    number = case((Crossing.document_id.is_(None), Crossing.doc_number), else_=func.coalesce(
        select(ResidentDocument.number).where(
            ResidentDocument.id == Crossing.document_id,
            ResidentDocument.resident_id == Crossing.resident_id).scalar_subquery(),
        Crossing.doc_number))
    rows = _raw(session, select(
        Crossing.resident_id, cast(Crossing.at, String), code, number, place)
        .where(Crossing.resident_id.between(lo, hi)))
    if not dense:
        rows = [r for r in rows if r[0] in index]
    owner = [r[0] for r in rows]  # (list comprehensions: twice as fast as zip(*rows))
    at = [r[1] for r in rows]
    codes = [r[2] for r in rows]
    doc_number = [r[3] for r in rows]
    places = [r[4] for r in rows]
    lodgings = _raw(session, select(
        Lodging.resident_id, cast(Lodging.registered_at, String)).where(
        Lodging.resident_id.between(lo, hi)))
    if not dense:
        lodgings = [r for r in lodgings if r[0] in index]
    permits: dict[int, list[PermitFact]] = defaultdict(list)
    for rid, kind, since, until, number in run(select(
            Permit.resident_id, type_coerce(Permit.kind, String), Permit.valid_from,
            Permit.valid_to, Permit.number).where(Permit.resident_id.between(lo, hi))):
        if rid in index:
            permits[index[rid]].append(PermitFact(kind, since, until, number))
    employment: dict[int, list[EmploymentFact]] = defaultdict(list)
    for rid, employer, since, until in run(select(
            Employment.resident_id, Employment.employer, Employment.since, Employment.until)
            .where(Employment.resident_id.between(lo, hi))):
        if rid in index:
            employment[index[rid]].append(EmploymentFact(employer, since, until))
    marriages: dict[int, list[MarriageFact]] = defaultdict(list)
    married = [m for m in run(select(
        Marriage.resident_id, Marriage.spouse_id, Marriage.spouse_name, Marriage.registered,
        Marriage.since, Marriage.until).where(Marriage.resident_id.between(lo, hi)))
        if m.resident_id in index]
    spouses = _spouses(session, married)
    for m in married:
        marriages[index[m.resident_id]].append(MarriageFact(
            m.spouse_name or spouses.get(m.spouse_id, ""), bool(m.registered), m.since,
            m.until))
    at_us = _micros(at)
    lodging_us = _micros([r[1] for r in lodgings])
    person = np.array(owner, dtype=np.int64) - lo if dense else np.fromiter(
        (index[r] for r in owner), dtype=np.int64, count=len(owner))
    lodging_person = (
        np.fromiter((r[0] for r in lodgings), dtype=np.int64, count=len(lodgings)) - lo
        if dense else np.fromiter((index[r[0]] for r in lodgings), dtype=np.int64,
                                  count=len(lodgings)))
    code_array = np.array(codes, dtype=np.int8)
    return Columns(
        size=len(ids), person=person, at=at_us / 1e6, entry=code_array >= 2,
        designated=(code_array & 1).astype(bool), doc_number=doc_number,
        lodging_person=lodging_person, lodging_at=lodging_us / 1e6,
        documents=dict(documents), permits=dict(permits), employment=dict(employment),
        marriages=dict(marriages), at_us=at_us, lodging_us=lodging_us, place=places)


def facts_from_columns(cols: Columns, people: Sequence[int], ids: Sequence[int]
                       ) -> dict[int, Facts]:
    """Facts of the persons ``people`` (indices into ``cols``), keyed by their id
    (``ids[k]``): what :func:`load_facts` would read for them, less what the engine never
    looks at (the place of a crossing at a designated point, a lodging's address)."""
    import numpy as np

    if not len(people):
        return {}
    wanted = np.zeros(cols.size, dtype=bool)
    wanted[np.asarray(people, dtype=np.int64)] = True
    rows = np.nonzero(wanted[cols.person])[0]
    rows = rows[np.argsort(cols.person[rows], kind="stable")]  # by person, as read
    lodged = np.nonzero(wanted[cols.lodging_person])[0]
    lodged = lodged[np.argsort(cols.lodging_person[lodged], kind="stable")]
    crossings: dict[int, list[CrossingFact]] = defaultdict(list)
    # naive datetimes made by numpy, exact to the microsecond, then marked UTC
    moments = cols.at_us[rows].astype("datetime64[us]").tolist()
    for j, k, moment, entry, designated in zip(
            rows.tolist(), cols.person[rows].tolist(), moments, cols.entry[rows].tolist(),
            cols.designated[rows].tolist(), strict=True):
        crossings[k].append(CrossingFact(
            moment.replace(tzinfo=UTC), "in" if entry else "out", designated,
            "" if designated else (cols.place[j] or ""), cols.doc_number[j]))
    lodgings: dict[int, list[LodgingFact]] = defaultdict(list)
    for k, moment in zip(cols.lodging_person[lodged].tolist(),
                         cols.lodging_us[lodged].astype("datetime64[us]").tolist(),
                         strict=True):
        lodgings[k].append(LodgingFact(moment.replace(tzinfo=UTC)))
    out = {}
    for k in people:
        out[ids[k]] = Facts(
            str(ids[k]), tuple(cols.documents.get(k, ())), tuple(crossings.get(k, ())),
            tuple(lodgings.get(k, ())), tuple(cols.permits.get(k, ())),
            tuple(cols.employment.get(k, ())), tuple(cols.marriages.get(k, ())))
    return out


def load_facts(session: Session, resident_ids: Sequence[int]) -> dict[int, Facts]:
    """What the engine needs about each person, one query per table."""
    ids = list(resident_ids)
    run = session.connection().execute
    parts: dict[int, dict[str, list[Any]]] = {i: defaultdict(list) for i in ids}
    numbers: dict[int, str] = {}
    for doc_id, rid, number, doc_type, expires, issued, stay_days in run(select(
            ResidentDocument.id, ResidentDocument.resident_id, ResidentDocument.number,
            ResidentDocument.doc_type, ResidentDocument.expires, ResidentDocument.issued,
            ResidentDocument.stay_days).where(among(ResidentDocument.resident_id, ids))):
        numbers[doc_id] = number
        parts[rid]["documents"].append(DocumentFact(number, doc_type, expires, issued,
                                                    stay_days))
    rows = run(
        select(Crossing.resident_id, Crossing.at, type_coerce(Crossing.direction, String),
               Crossing.designated,
               Crossing.path, Crossing.doc_number, Crossing.document_id, CrossingPoint.name_zh)
        .outerjoin(CrossingPoint, CrossingPoint.id == Crossing.point_id)
        .where(among(Crossing.resident_id, ids)))
    for rid, at, direction, designated, path, doc_number, document_id, point in rows:
        number = numbers.get(document_id, doc_number) if document_id else doc_number
        parts[rid]["crossings"].append(CrossingFact(
            at, direction, bool(designated), point or path,
            number or ""))
    for rid, at, address in run(select(
            Lodging.resident_id, Lodging.registered_at, Lodging.address).where(
            among(Lodging.resident_id, ids))):
        parts[rid]["lodgings"].append(LodgingFact(at, address))
    for rid, kind, since, until, number in run(select(
            Permit.resident_id, type_coerce(Permit.kind, String), Permit.valid_from,
            Permit.valid_to, Permit.number).where(among(Permit.resident_id, ids))):
        parts[rid]["permits"].append(PermitFact(kind, since, until, number))
    for rid, employer, since, until in run(select(
            Employment.resident_id, Employment.employer, Employment.since, Employment.until)
            .where(among(Employment.resident_id, ids))):
        parts[rid]["employment"].append(EmploymentFact(employer, since, until))
    marriages = run(select(
        Marriage.resident_id, Marriage.spouse_id, Marriage.spouse_name, Marriage.registered,
        Marriage.since, Marriage.until).where(among(Marriage.resident_id, ids))).all()
    spouses = _spouses(session, marriages)
    for m in marriages:
        parts[m.resident_id]["marriages"].append(MarriageFact(
            m.spouse_name or spouses.get(m.spouse_id, ""), bool(m.registered), m.since,
            m.until))
    return {i: Facts(str(i), **{k: tuple(v) for k, v in parts[i].items()}) for i in ids}
