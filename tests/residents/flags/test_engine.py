"""The pure flag engine, rule by rule, with the edges the issue names: valid through the
expiry date, a day trip, a lodging 23 h after arrival, a residence permit, as-of cut-off."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bastion.residents.flags import rules as rules_mod
from bastion.residents.flags.engine import (
    CrossingFact,
    DocumentFact,
    EmploymentFact,
    Facts,
    LodgingFact,
    MarriageFact,
    PermitFact,
    evaluate,
)
from bastion.residents.settings import ResidentSettings

ZONE = ZoneInfo("Asia/Shanghai")
RULES = rules_mod.shipped()
PASS = DocumentFact("T1", "cn_vn_border_pass", expires=date(2026, 11, 20))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZONE)


def kinds(facts: Facts, as_of: str, rules=RULES) -> set[str]:
    return {f.flag for f in evaluate(facts, as_of=at(as_of), rules=rules, zone=ZONE)}


def entry(when: str, doc="T1", designated=True, place="东兴") -> CrossingFact:
    return CrossingFact(at(when), "in", designated, place, doc)


def exit_(when: str, doc="T1", designated=True, place="东兴") -> CrossingFact:
    return CrossingFact(at(when), "out", designated, place, doc)


def test_the_rules_file_names_every_kind_with_its_article_and_catalogued_messages():
    assert set(RULES.by_flag) == set(rules_mod.KINDS)
    assert RULES["overstay"].article.endswith("第七十八条")
    assert "第三十九条" in RULES["no_lodging_registration"].article
    assert "第七十六条" in RULES["no_lodging_registration"].article
    assert all(a in RULES["work_without_permit"].article
               for a in ("第四十一条", "第四十三条", "第八十条"))
    used = {m for r in RULES.by_flag.values() for m in r.messages.values()}
    assert used == set(rules_mod.MESSAGES)
    assert RULES.frequent_crossings == 8 and RULES.lodging_hours == 24


def test_settings_set_the_parameters():
    rules = rules_mod.load(ResidentSettings(frequent_crossings=2, lodging_hours=48))
    assert rules.frequent_crossings == 2 and rules.lodging_hours == 48
    facts = Facts("p", (PASS,), (entry("2026-11-01 08:00"), exit_("2026-11-01 09:00"),
                                 entry("2026-11-02 08:00"), exit_("2026-11-02 09:00")))
    assert "frequent_crossing" not in kinds(facts, "2026-11-03 00:00")
    assert "frequent_crossing" in kinds(facts, "2026-11-03 00:00", rules)


def test_a_document_is_valid_through_its_expiry_date():
    facts = Facts("p", (PASS,), (entry("2026-11-10 08:00"),),
                  (LodgingFact(at("2026-11-10 12:00")),))
    assert kinds(facts, "2026-11-20 23:59:59") == set()
    assert kinds(facts, "2026-11-21 00:00") == {"overstay", "expired_document"}


def test_overstay_needs_presence_but_expired_document_does_not():
    left = Facts("p", (PASS,), (entry("2026-11-10 08:00"), exit_("2026-11-10 18:00")))
    assert kinds(left, "2026-12-01 00:00") == {"expired_document"}


def test_the_permitted_stay_of_the_entry_document():
    short = DocumentFact("T1", "cn_vn_border_pass", expires=date(2027, 1, 1), stay_days=7)
    facts = Facts("p", (short,), (entry("2026-11-10 08:00"),),
                  (LodgingFact(at("2026-11-10 12:00")),))
    assert kinds(facts, "2026-11-17 07:59") == set()
    flags = evaluate(facts, as_of=at("2026-11-17 08:00"), rules=RULES, zone=ZONE)
    assert [f.flag for f in flags] == ["overstay"]
    assert flags[0].why[0]["params"]["stay_days"] == 7


def test_a_residence_permit_covers_the_stay_but_is_not_a_work_permit():
    residence = PermitFact("residence", date(2026, 1, 1), date(2027, 12, 31))
    facts = Facts("p", (PASS,), (entry("2026-11-10 08:00"),),
                  (LodgingFact(at("2026-11-10 12:00")),), (residence,))
    assert kinds(facts, "2026-11-25 00:00") == {"expired_document"}
    employed = Facts("p", permits=(residence,),
                     employment=(EmploymentFact("木材厂", date(2026, 5, 1)),))
    flags = evaluate(employed, as_of=at("2026-11-25 00:00"), rules=RULES, zone=ZONE)
    assert [f.flag for f in flags] == ["work_without_permit"]
    assert len(flags[0].why) == 2  # the job, and the residence permit that does not cover it
    work = PermitFact("work", date(2026, 1, 1), date(2026, 12, 31))
    covered = Facts("p", permits=(residence, work),
                    employment=(EmploymentFact("木材厂", date(2026, 5, 1)),))
    assert kinds(covered, "2026-11-25 00:00") == set()
    assert kinds(covered, "2027-01-01 00:00") == {"work_without_permit"}  # the permit ran out


@pytest.mark.parametrize(("lodged", "out", "expected"), [
    (None, "2026-11-10 20:00", set()),  # a day trip needs none
    ("2026-11-11 07:00", None, set()),  # registered 23 h after arrival
    ("2026-11-11 08:00", None, set()),  # exactly 24 h
    ("2026-11-11 09:00", None, {"no_lodging_registration"}),  # late
    (None, None, {"no_lodging_registration"}),
    (None, "2026-11-11 10:00", {"no_lodging_registration"}),  # out after 26 h, never registered
])
def test_lodging_registration_within_24_hours(lodged, out, expected):
    crossings = (entry("2026-11-10 08:00"),) + ((exit_(out),) if out else ())
    lodgings = (LodgingFact(at(lodged)),) if lodged else ()
    doc = DocumentFact("T1", expires=date(2027, 1, 1))
    assert kinds(Facts("p", (doc,), crossings, lodgings), "2026-11-15 00:00") == expected


def test_lodging_is_not_due_before_the_hours_are_up():
    facts = Facts("p", (DocumentFact("T1", expires=date(2027, 1, 1)),),
                  (entry("2026-11-10 08:00"),))
    assert kinds(facts, "2026-11-11 07:59") == set()
    assert kinds(facts, "2026-11-11 08:01") == {"no_lodging_registration"}


def test_undesignated_crossings_are_one_flag_with_each_occurrence():
    doc = DocumentFact("T1", expires=date(2027, 1, 1))
    facts = Facts("p", (doc,), (
        entry("2026-11-01 08:00", designated=False, place="小道"),
        exit_("2026-11-01 10:00", designated=False, place="河边"),
        entry("2026-11-02 08:00"), exit_("2026-11-02 10:00")))
    flags = evaluate(facts, as_of=at("2026-11-05 00:00"), rules=RULES, zone=ZONE)
    assert [f.flag for f in flags] == ["undesignated_crossing"]
    assert [w["params"]["place"] for w in flags[0].why] == ["小道", "河边"]
    assert flags[0].article == RULES["undesignated_crossing"].article


def test_frequent_crossing_counts_calendar_months_in_the_units_zone():
    doc = DocumentFact("T1", expires=date(2027, 1, 1))
    # 4 round trips in November (8: not more than 8) + one at 00:30 on 1 December local time,
    # which is still 30 November in UTC: it belongs to December.
    trips = [c for d in (3, 10, 17, 24) for c in (entry(f"2026-11-{d:02d} 07:00"),
                                                  exit_(f"2026-11-{d:02d} 18:00"))]
    facts = Facts("p", (doc,), (*trips, entry("2026-12-01 00:30"), exit_("2026-12-01 06:00")))
    assert kinds(facts, "2026-12-02 00:00") == set()
    more = Facts("p", (doc,), (*trips, entry("2026-11-30 20:00"), exit_("2026-11-30 22:00")))
    flags = evaluate(more, as_of=at("2026-12-02 00:00"), rules=RULES, zone=ZONE)
    assert [f.flag for f in flags] == ["frequent_crossing"]
    assert flags[0].why[0]["params"] == {"count": 10, "month": "2026-11", "limit": 8}


def test_records_after_as_of_are_ignored():
    doc = DocumentFact("T1", expires=date(2027, 1, 1))
    facts = Facts("p", (doc,), (entry("2026-11-01 08:00"),
                                exit_("2026-11-01 10:00"),
                                entry("2026-11-20 08:00", designated=False, place="小道")),
                  marriages=(MarriageFact("李明", False, date(2026, 11, 25)),))
    assert kinds(facts, "2026-11-10 00:00") == set()
    assert kinds(facts, "2026-11-26 00:00") == {"no_lodging_registration",
                                                "undesignated_crossing",
                                                "unregistered_marriage"}


def test_the_expired_passport_of_a_former_entry_does_not_count():
    passport = DocumentFact("C1", "passport", expires=date(2026, 6, 30))
    pass_ = DocumentFact("T1", "cn_vn_border_pass", expires=date(2027, 6, 30))
    facts = Facts("p", (passport, pass_), (
        entry("2026-03-01 10:00", doc="C1"), exit_("2026-03-01 18:00", doc="C1"),
        entry("2026-11-01 10:00", doc="T1"), exit_("2026-11-01 18:00", doc="T1")))
    assert kinds(facts, "2026-11-30 00:00") == set()


def test_unregistered_marriage_and_a_registered_one():
    facts = Facts("p", marriages=(MarriageFact("李明", False, date(2019, 6, 1)),
                                  MarriageFact("黄伟", True, date(2018, 1, 1))))
    flags = evaluate(facts, as_of=at("2026-11-30 00:00"), rules=RULES, zone=ZONE)
    assert [(f.flag, len(f.why)) for f in flags] == [("unregistered_marriage", 1)]
    assert flags[0].why[0]["params"]["spouse"] == "李明"


def test_why_is_rendered_in_the_readers_language():
    from bastion.core import context

    facts = Facts("p", marriages=(MarriageFact("李明", False, date(2019, 6, 1)),))
    why = evaluate(facts, as_of=datetime(2026, 11, 30, tzinfo=UTC), rules=RULES, zone=ZONE)[0].why
    token = context.set_current(context.RequestContext(language="zh-CN"))
    try:
        text = rules_mod.render_why(why)[0]
        article = rules_mod.article_for("overstay", RULES["overstay"].article, "zh-CN")
    finally:
        context.reset(token)
    assert "李明" in text and "2019-06-01" in text and "Married" not in text
    assert article == "出境入境管理法 第七十八条"
    assert rules_mod.article_for("overstay", "x", "en") == "Exit-Entry Administration Law art. 78"
    assert rules_mod.render_why([{"message": "%(x)s missing", "params": {"y": 1}}]) == [
        "%(x)s missing"]
