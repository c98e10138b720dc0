"""The hourly job's own path (columns read once, Facts of the flagged built from them, a bulk
writer that compares before it writes) stores exactly the flags the engine gives person by
person from ``load_facts``; a second run with nothing changed writes nothing; a flag raised
again after a dismissal with a new occurrence, or no longer raised, is reopened or cleared
with its event, as the service does."""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select

from bastion.core.events import EventRecord
from bastion.residents.crossings.models import Crossing, CrossingPoint, PointKind
from bastion.residents.flags import jobs
from bastion.residents.flags import rules as rules_mod
from bastion.residents.flags.engine import evaluate
from bastion.residents.flags.load import facts_from_columns, load_columns, load_facts
from bastion.residents.flags.models import FlagStatus, RiskFlag
from bastion.residents.models import (
    Employment,
    Lodging,
    Marriage,
    Permit,
    Resident,
    ResidentDocument,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
import residents_flags as bench

NOW = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # end of 2026-11-30 in Asia/Shanghai


def _write(session, rw, facts) -> list[int]:
    """The bench's made-up persons as rows (one crossing in two at a registered point whose
    name the flag must show, the rest by path), with the world's post and owner."""
    point = CrossingPoint(code="GX-DONGXING", name_zh="东兴", name_vi="Móng Cái",
                          kind=PointKind.INTERNATIONAL)
    session.add(point)
    session.flush()
    ids, linked = [], {}
    for f in facts:
        person = Resident(name=f.person_id, owner_org_id=rw.command.id,
                          created_by_id=rw.users["command"].id, post_agency_id=rw.post_a.id)
        session.add(person)
        session.flush()
        ids.append(person.id)
        session.add_all([ResidentDocument(resident_id=person.id, doc_type=d.doc_type,
                                          number=d.number, expires=d.expires,
                                          issued=d.issued, stay_days=d.stay_days)
                         for d in f.documents])
        session.flush()
        linked[person.id] = session.scalar(select(ResidentDocument.id).where(
            ResidentDocument.resident_id == person.id).order_by(ResidentDocument.id).limit(1))
        spouse = rw.anh.id
        session.add_all([Marriage(resident_id=person.id, spouse_id=spouse, spouse_name="",
                                  registered=m.registered, since=m.since) for m in f.marriages])
        session.add_all([Permit(resident_id=person.id, kind=p.kind, valid_from=p.valid_from,
                                valid_to=p.valid_to) for p in f.permits])
        session.add_all([Employment(resident_id=person.id, employer=e.employer, since=e.since)
                         for e in f.employment])
        session.add_all([Lodging(resident_id=person.id, registered_at=x.registered_at)
                         for x in f.lodgings])
    session.flush()
    # one crossing in three linked to the person's pass (its number written wrong: the
    # document's own counts), the others by the number as written
    session.execute(insert(Crossing), [
        {"resident_id": rid, "at": c.at, "direction": c.direction, "designated": c.designated,
         "point_id": point.id if c.designated and n % 2 == 0 else None,
         "path": "" if c.designated else c.place,
         "document_id": linked[rid] if n % 3 == 0 else None,
         "doc_number": "X" if n % 3 == 0 else c.doc_number}
        for rid, f in zip(ids, facts, strict=True) for n, c in enumerate(f.crossings)])
    # one crossing of the first person at a registered point that is not designated: the
    # flag names the point
    first = session.scalar(select(Crossing).where(Crossing.resident_id == ids[0]).limit(1))
    first.designated, first.point_id, first.path = False, point.id, ""
    session.flush()
    return ids


def _stored(session) -> dict[tuple[int, str], list]:
    return {(r.resident_id, r.kind): r.why for r in session.scalars(
        select(RiskFlag).where(RiskFlag.status != FlagStatus.CLEARED))}


def test_the_job_stores_the_engines_flags_and_a_second_run_writes_nothing(
        session, session_factory, rw, settings):
    rng = random.Random(5)
    ids = _write(session, rw, [bench.person(rng, n, rng.randrange(2, 40)) for n in range(150)])
    session.commit()
    rules, zone = rules_mod.load(settings), ZoneInfo(settings.timezone)
    expected = {(rid, f.flag): f.why for rid, facts in load_facts(session, ids).items()
                for f in evaluate(facts, as_of=NOW, rules=rules, zone=zone)}
    assert {kind for _, kind in expected} == set(rules_mod.KINDS)  # every kind occurs
    assert any(w["params"].get("place") == "东兴" for (rid, kind), why in expected.items()
               if kind == "undesignated_crossing" for w in why)
    monkey = jobs.BATCH
    try:
        jobs.BATCH = 40  # several batches, the last one short
        assert jobs.recompute_all(session_factory, settings, now=NOW) >= len(ids)
    finally:
        jobs.BATCH = monkey
    session.expire_all()
    got = {k: v for k, v in _stored(session).items() if k[0] in set(ids)}
    assert got == expected
    raised = session.scalar(select(func.count(EventRecord.id)).where(
        EventRecord.kind == "residents.flag.raised"))
    assert raised == session.scalar(select(func.count(RiskFlag.id)))
    computed = dict(session.execute(select(RiskFlag.id, RiskFlag.computed_at)).all())
    events = session.scalar(select(func.count(EventRecord.id)))

    jobs.recompute_all(session_factory, settings, now=NOW + timedelta(seconds=1))
    session.expire_all()
    assert dict(session.execute(select(RiskFlag.id, RiskFlag.computed_at)).all()) == computed
    assert session.scalar(select(func.count(EventRecord.id))) == events


def test_facts_from_the_columns_are_what_load_facts_reads_for_the_engine(session, rw):
    rng = random.Random(9)
    ids = _write(session, rw, [bench.person(rng, n, rng.randrange(2, 30)) for n in range(60)])
    cols = load_columns(session, ids)
    built = facts_from_columns(cols, list(range(len(ids))), ids)
    read = load_facts(session, ids)
    for rid in ids:
        a, b = built[rid], read[rid]
        assert [(c.at, c.direction, c.designated, c.doc_number) for c in a.crossings] == [
            (c.at, c.direction, c.designated, c.doc_number) for c in b.crossings]
        assert [c.place for c in a.crossings if not c.designated] == [
            c.place for c in b.crossings if not c.designated]
        assert [x.registered_at for x in a.lodgings] == [x.registered_at for x in b.lodgings]
        assert (a.documents, a.permits, a.employment, a.marriages) == (
            b.documents, b.permits, b.employment, b.marriages)


def test_the_job_reopens_a_dismissed_flag_on_a_new_occurrence_and_clears(
        session, session_factory, rw, settings):
    def cross(when, path):
        session.add(Crossing(resident_id=rw.anh.id, at=when, direction="in", path=path,
                             designated=False, doc_number="T100"))
        session.add(Crossing(resident_id=rw.anh.id, at=when + timedelta(hours=2),
                             direction="out", path=path, designated=False, doc_number="T100"))
        session.commit()

    cross(NOW - timedelta(days=5), "小道")
    jobs.recompute_all(session_factory, settings, now=NOW)
    flag = session.scalar(select(RiskFlag).where(RiskFlag.resident_id == rw.anh.id))
    flag.status, flag.outcome = FlagStatus.DISMISSED, "村民带路，已核实"
    session.commit()
    jobs.recompute_all(session_factory, settings, now=NOW + timedelta(hours=1))
    session.refresh(flag)
    assert flag.status == FlagStatus.DISMISSED  # nothing new: the decision stands
    cross(NOW - timedelta(days=1), "河边")
    jobs.recompute_all(session_factory, settings, now=NOW + timedelta(hours=2))
    session.refresh(flag)
    assert flag.status == FlagStatus.OPEN and len(flag.why) == 4
    assert flag.outcome == "村民带路，已核实" and flag.raised_at == NOW + timedelta(hours=2)
    for row in session.scalars(select(Crossing).where(Crossing.resident_id == rw.anh.id)):
        session.delete(row)
    session.commit()
    jobs.recompute_all(session_factory, settings, now=NOW + timedelta(hours=3))
    session.refresh(flag)
    assert flag.status == FlagStatus.CLEARED
    kinds = [e.kind for e in session.scalars(select(EventRecord).where(
        EventRecord.record_id == rw.anh.id, EventRecord.kind.like("residents.flag.%"))
        .order_by(EventRecord.id))]
    assert kinds == ["residents.flag.raised", "residents.flag.raised", "residents.flag.cleared"]
