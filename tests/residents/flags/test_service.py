"""recompute: one flag per person and kind upserted from what is stored, cleared when no longer
raised, a decision kept, a dismissed flag reopened by a new occurrence, queued and told to the
person's post; the hourly job over everyone in batches."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from bastion.core.events import EventRecord
from bastion.notifications.models import Notification, NotificationRecipient
from bastion.residents.crossings.models import Crossing, CrossingPoint, Direction, PointKind
from bastion.residents.flags import jobs, service
from bastion.residents.flags.models import FlagStatus, RiskFlag
from bastion.residents.models import Employment, Lodging, Permit, PermitKind

NOW = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)


def _cross(session, person, when, direction="in", point=None, path="", number="T100"):
    row = Crossing(resident_id=person.id, at=when, direction=Direction(direction),
                   point_id=point.id if point else None, path=path, designated=point is not None,
                   doc_number=number)
    session.add(row)
    session.flush()
    return row


def _point(session):
    point = CrossingPoint(code="GX-DONGXING", name_zh="东兴", name_vi="Móng Cái",
                          kind=PointKind.INTERNATIONAL)
    session.add(point)
    session.flush()
    return point


def _told(session, user) -> int:
    return session.scalar(select(func.count(NotificationRecipient.id)).where(
        NotificationRecipient.user_id == user.id)) or 0


def test_a_crossing_at_no_designated_point_raises_one_flag_for_the_post(session, rw):
    when = NOW - timedelta(days=3)
    _cross(session, rw.anh, when, path="念井小道")
    _cross(session, rw.anh, when + timedelta(hours=2), "out", path="河边")
    flags = service.recompute(session, resident=rw.anh, now=NOW)
    assert [f.kind for f in flags] == ["undesignated_crossing"]
    flag = flags[0]
    assert flag.status == FlagStatus.OPEN and flag.post_agency_id == rw.post_a.id
    assert flag.article == "出境入境管理法 第二十四条、第七十一条" and flag.rule.startswith("RES-04")
    assert [w["params"]["place"] for w in flag.why] == ["念井小道", "河边"]
    assert _told(session, rw.users["post_a"]) == 1  # holds residents.flags at the post
    assert _told(session, rw.users["aux_a"]) == 0  # a viewer does not work the queue
    assert _told(session, rw.users["post_b"]) == 0
    note = session.scalar(select(Notification).order_by(Notification.id.desc()))
    assert note.link == f"/residents/queue?flag={flag.id}" and note.record_id == rw.anh.id
    assert session.scalar(select(func.count(EventRecord.id)).where(
        EventRecord.kind == "residents.flag.raised", EventRecord.record_id == rw.anh.id)) == 1
    again = service.recompute(session, resident=rw.anh, now=NOW + timedelta(hours=1))
    assert [f.id for f in again] == [flag.id]  # upserted, not doubled
    assert _told(session, rw.users["post_a"]) == 1
    assert session.scalar(select(func.count(RiskFlag.id))) == 1


def test_a_decision_is_kept_a_new_occurrence_reopens_a_dismissed_flag_and_it_clears(session, rw):
    first = _cross(session, rw.anh, NOW - timedelta(days=5), path="小道")
    _cross(session, rw.anh, NOW - timedelta(days=5) + timedelta(hours=3), "out",
           point=_point(session))
    [flag] = service.recompute(session, resident=rw.anh, now=NOW)
    service.decide(session, user=rw.users["post_a"], flag_id=flag.id,
                   status=FlagStatus.DISMISSED, outcome="村民带路，已核实")
    service.recompute(session, resident=rw.anh, now=NOW + timedelta(hours=1))
    assert flag.status == FlagStatus.DISMISSED and flag.outcome == "村民带路，已核实"
    _cross(session, rw.anh, NOW - timedelta(days=1), path="河边")
    _cross(session, rw.anh, NOW - timedelta(days=1) + timedelta(hours=2), "out", path="河边")
    service.recompute(session, resident=rw.anh, now=NOW + timedelta(hours=2))
    assert flag.status == FlagStatus.OPEN and len(flag.why) == 3
    for row in session.scalars(select(Crossing).where(Crossing.path != "")):
        if row.id != first.id:
            session.delete(row)
    session.delete(first)
    session.flush()
    assert service.recompute(session, resident=rw.anh, now=NOW + timedelta(hours=3)) == []
    assert flag.status == FlagStatus.CLEARED and flag.outcome == "村民带路，已核实"


def test_time_alone_turns_an_entry_into_a_missing_lodging_and_an_overstay(session, rw):
    point = _point(session)
    entered = datetime(2026, 6, 20, 1, 0, tzinfo=UTC)
    _cross(session, rw.binh, entered, point=point, number="T200")
    assert service.recompute(session, resident=rw.binh, now=entered + timedelta(hours=23)) == []
    flags = service.recompute(session, resident=rw.binh, now=entered + timedelta(hours=25))
    assert [f.kind for f in flags] == ["no_lodging_registration"]
    session.add(Lodging(resident_id=rw.binh.id, registered_at=entered + timedelta(hours=20)))
    session.flush()
    assert service.recompute(session, resident=rw.binh, now=entered + timedelta(hours=26)) == []
    after = datetime(2027, 7, 1, 0, 0, tzinfo=UTC)  # the pass ran out on 30 June 2027
    assert {f.kind for f in service.recompute(session, resident=rw.binh, now=after)} == {
        "overstay", "expired_document"}


def test_work_with_only_a_residence_permit(session, rw):
    session.add_all([Permit(resident_id=rw.anh.id, kind=PermitKind.RESIDENCE,
                            valid_from=date(2026, 1, 1), valid_to=date(2027, 12, 31)),
                     Employment(resident_id=rw.anh.id, employer="木材厂", since=date(2026, 5, 1))])
    session.flush()
    [flag] = service.recompute(session, resident=rw.anh, now=NOW)
    assert flag.kind == "work_without_permit" and "第四十三条" in flag.article


def test_the_job_recomputes_everyone_in_batches(session, session_factory, rw, settings,
                                                monkeypatch):
    _cross(session, rw.anh, NOW - timedelta(days=2), path="小道")
    _cross(session, rw.binh, NOW - timedelta(days=2), path="小道", number="T200")
    session.commit()
    monkeypatch.setattr(jobs, "BATCH", 1)
    assert jobs.recompute_all(session_factory, settings) == 2
    kinds = {(f.resident_id, f.kind) for f in session.scalars(select(RiskFlag))}
    assert (rw.anh.id, "undesignated_crossing") in kinds
    assert (rw.binh.id, "undesignated_crossing") in kinds
