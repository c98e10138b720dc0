"""The retention purge: exactly the rows past their period go (crossings, the audit of reads,
closed home visits; open visits and recent rows stay; 0 keeps a kind), in batches, and every
run writes one audit entry with its counts, shown in Chinese on the audit page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bastion.audit.display import summary as shown_summary
from bastion.audit.models import AuditAction, AuditEntry
from bastion.residents import retention
from bastion.residents.crossings.models import Crossing, Direction
from bastion.residents.models import RecordRead
from bastion.residents.visits.models import VisitResult, VisitStatus, VisitTask
from tests.residents.flags.world import build

NOW = datetime(2026, 12, 7, 4, 0, tzinfo=UTC)


def _days(n: float) -> datetime:
    return NOW - timedelta(days=n)


def _fill(session, rw):
    a, b = rw.anh, rw.binh
    reader = rw.users["command"]
    cross = {}
    for label, rid, age in (("old_a", a.id, 731), ("old_b", b.id, 900), ("edge", a.id, 729),
                            ("new", b.id, 3)):
        c = Crossing(resident_id=rid, at=_days(age), direction=Direction.IN, path="x")
        session.add(c)
        cross[label] = c
    reads = {}
    for label, age in (("old", 1096), ("older", 2000), ("new", 10)):
        r = RecordRead(resident_id=a.id, user_id=reader.id, purpose="home_visit", at=_days(age))
        session.add(r)
        reads[label] = r
    visits = {}
    for label, status, age in (("done_old", VisitStatus.DONE, 1100),
                               ("cancelled_old", VisitStatus.CANCELLED, 1200),
                               ("open_old", VisitStatus.OPEN, 1300),
                               ("done_new", VisitStatus.DONE, 100)):
        v = VisitTask(resident_id=a.id, post_agency_id=rw.post_a.id, status=status,
                      result=VisitResult.VERIFIED if status == VisitStatus.DONE else None,
                      visited_at=_days(age) if status == VisitStatus.DONE else None,
                      created_at=_days(age + 5), created_by_id=reader.id)
        session.add(v)
        visits[label] = v
    session.commit()
    ids = lambda rows: {k: v.id for k, v in rows.items()}
    return ids(cross), ids(reads), ids(visits)


def _ids(session, model):
    return set(session.scalars(select(model.id)))


def test_purge_deletes_exactly_the_old_rows_and_audits_the_run(session, session_factory,
                                                               settings):
    rw = build(session)
    cross, reads, visits = _fill(session, rw)
    before = session.scalar(select(func.count()).select_from(AuditEntry))
    gone = retention.purge(session_factory, settings, now=NOW, batch=1)  # batches of one
    assert gone == 2 + 2 + 2
    session.expire_all()
    assert _ids(session, Crossing) == {cross["edge"], cross["new"]}
    assert _ids(session, RecordRead) >= {reads["new"]}
    assert not _ids(session, RecordRead) & {reads["old"], reads["older"]}
    assert _ids(session, VisitTask) == {visits["open_old"], visits["done_new"]}
    entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).all()
    assert len(entries) == before + 1
    entry = entries[0]
    assert entry.action == AuditAction.DELETE and entry.actor_name == retention.ACTOR
    assert entry.summary == "residents purge: 2 crossings, 2 reads, 2 home visits"
    assert entry.detail["crossings"] == 2 and entry.detail["retention_days"]["crossings"] == 730
    text = shown_summary(entry.summary)  # the default context reads zh-CN
    assert text != entry.summary and "2" in text
    # a second run deletes nothing and is audited all the same
    assert retention.purge(session_factory, settings, now=NOW) == 0
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last.summary == "residents purge: 0 crossings, 0 reads, 0 home visits"


def test_zero_keeps_a_kind(session, session_factory, settings):
    rw = build(session)
    cross, _reads, visits = _fill(session, rw)
    kept = settings.model_copy(update={"residents": settings.residents.model_copy(update={
        "retention_crossings_days": 0, "retention_visits_days": 0})})
    assert retention.purge(session_factory, kept, now=NOW) == 2  # the two old reads only
    session.expire_all()
    assert set(cross.values()) <= _ids(session, Crossing)
    assert set(visits.values()) <= _ids(session, VisitTask)
