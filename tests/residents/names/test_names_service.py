"""residents.names as each kind of user: the duplicate warning at registration, the search
across scripts, and screening against watchlists."""

from __future__ import annotations

from datetime import date

import pytest

from bastion.core import context
from bastion.core.errors import Forbidden
from bastion.org.models import AgencyKind, Role
from bastion.residents import nameindex, names
from tests.factories import make_agency, make_user
from tests.residents.names.conftest import add_resident


@pytest.fixture
def people(session, border):
    return {
        "an": add_resident(session, border, "Nguyễn Văn An", name_han="阮文安",
                           birth_date=date(1988, 4, 12)),
        "anh": add_resident(session, border, "Nguyễn Văn Anh", birth_date=date(1985, 3, 2)),
        "hoa": add_resident(session, border, "黎氏花", name_latin="LE THI HOA",
                            village=border.village_b),
        "hoa2": add_resident(session, border, "Lê Thị Hòa", village=border.village_b),
        "hung": add_resident(session, border, "Trần Văn Hùng"),
    }


def in_language(language, fn):
    token = context.set_current(context.RequestContext(language=language))
    try:
        return fn()
    finally:
        context.reset(token)


def ids(matches):
    return [m.resident.id for m in matches]


def test_keys_cover_every_script():
    keys = names.keys("Nguyễn Văn An", name_han="阮文安")
    assert keys == sorted(set(keys))
    assert set(names.keys("NGUYEN VAN AN")) & set(names.keys("阮文安"))
    assert names.keys("") == []


def test_a_person_registered_in_characters_is_found_from_the_vietnamese(session, border, people):
    found = names.similar(session, user=border.users["command"], name="NGUYEN VAN AN")
    assert ids(found) == [people["an"].id]  # not Nguyễn Văn Anh
    found = names.similar(session, user=border.users["command"], name="阮文安")
    assert ids(found) == [people["an"].id]


def test_same_han_viet_reading_is_said_in_the_users_language(session, border, people):
    found = names.similar(session, user=border.users["command"], name="黎氏花",
                          name_latin="")
    assert ids(found) == [people["hoa"].id]  # Lê Thị Hòa is another name
    why = found[0].why[0]
    assert why["message"] == "same_chars"
    found = names.similar(session, user=border.users["command"], name="Lê Thị Hoa")
    assert ids(found) == [people["hoa"].id]
    assert found[0].why[0]["message"] in {"hanviet", "no_diacritics"}
    assert any("Hoa" in r for r in in_language("en", found[0].reasons))
    text = " ".join(in_language("zh-CN", found[0].reasons))
    assert "汉越" in text or "读音" in text or "变音" in text, text


def test_han_viet_reason_names_the_reading(session, border, people):
    found = names.similar(session, user=border.users["command"], name="Nguyễn Văn An",
                          exclude=None)
    an = next(m for m in found if m.resident.id == people["an"].id)
    assert an.name in {"Nguyễn Văn An", "阮文安"}
    found = names.search(session, user=border.users["command"], query="阮文安")
    first = found[0]
    assert first.resident.id == people["an"].id


def test_other_characters_same_reading_warn(session, border, people):
    other = add_resident(session, border, "阮文瑛")
    found = names.similar(session, user=border.users["command"], name="阮文英")
    assert other.id in ids(found)
    match = next(m for m in found if m.resident.id == other.id)
    assert match.why[0]["message"] == "hanviet_chars"
    assert people["an"].id not in ids(found)  # 阮文安 is An, not Anh


def test_hard_negatives_do_not_warn(session, border, people):
    user = border.users["command"]
    assert people["hung"].id not in ids(names.similar(session, user=user, name="Trần Văn Hưng"))
    assert people["hoa2"].id not in ids(names.similar(session, user=user, name="Lê Thị Hoa"))
    assert people["an"].id not in ids(names.similar(session, user=user, name="Nguyễn Văn Anh"))
    # written without diacritics it may be either: both are shown
    both = ids(names.similar(session, user=user, name="TRAN VAN HUNG"))
    assert people["hung"].id in both


def test_a_different_birth_year_drops_the_warning(session, border, people):
    user = border.users["command"]
    assert people["an"].id in ids(names.similar(session, user=user, name="Nguyen Van An",
                                                birth_date=date(1988, 4, 12)))
    assert people["an"].id not in ids(names.similar(session, user=user, name="Nguyen Van An",
                                                    birth_date=date(1962, 7, 1)))


def test_exclude_the_person_being_edited(session, border, people):
    found = names.similar(session, user=border.users["command"], name="Nguyễn Văn An",
                          exclude=people["an"].id)
    assert people["an"].id not in ids(found)


@pytest.mark.parametrize(("who", "sees_a", "sees_b"), [
    ("command", True, True),
    ("post", True, False),        # its linked village A only
    ("auxiliary", True, False),
    ("village", False, True),     # its own village B only
    ("police", True, True),
])
def test_only_persons_the_user_may_see(session, border, people, who, sees_a, sees_b):
    user = border.users[who]
    a = ids(names.search(session, user=user, query="Nguyen Van An"))
    b = ids(names.search(session, user=user, query="LE THI HOA"))
    assert (people["an"].id in a) is sees_a
    assert (people["hoa"].id in b) is sees_b
    warned = ids(names.similar(session, user=user, name="阮文安"))
    assert (people["an"].id in warned) is sees_a


@pytest.mark.parametrize("kind", [AgencyKind.ARMY, AgencyKind.BORDER_INSPECTION,
                                  AgencyKind.CUSTOMS, AgencyKind.SHIPPING_AGENCY])
def test_no_capability_is_refused(session, border, people, kind):
    user = make_user(session, agency=make_agency(session, kind=kind), role=Role.SUPERVISOR)
    with pytest.raises(Forbidden):
        names.search(session, user=user, query="Nguyen Van An")
    with pytest.raises(Forbidden):
        names.similar(session, user=user, name="Nguyen Van An")


def test_search_across_scripts_and_the_index_follows_the_database(session, border, people):
    user = border.users["command"]
    assert ids(names.search(session, user=user, query="Nguyễn Văn Anh"))[:1] == [people["anh"].id]
    assert names.search(session, user=user, query="   ") == []
    new = add_resident(session, border, "陳氏蘭", birth_date=date(1995, 6, 30))
    assert ids(names.search(session, user=user, query="Tran Thi Lan")) == [new.id]
    assert ids(names.search(session, user=user, query="陈氏兰")) == [new.id]  # simplified
    new.name = "陳氏花"
    new.name_keys = names.keys(new.name)
    session.flush()
    names.note(session, resident=new)  # what the registry does after an edit
    assert ids(names.search(session, user=user, query="Tran Thi Lan")) == []
    assert ids(names.search(session, user=user, query="Trần Thị Hoa")) == [new.id]


def test_display_reading():
    assert names.display_han("阮文安") == "Nguyễn Văn An"
    assert names.display_han("Nguyễn Văn An") == ""


def test_screen_against_a_watchlist(session, border, people):
    from bastion.screening import service as screening

    police = border.users["police"]
    police_supervisor = make_user(session, agency=border.police, role=Role.SUPERVISOR)
    watchlist = screening.create_list(session, user=police_supervisor, name="Wanted")
    screening.add_entry(session, user=police_supervisor, watchlist=watchlist, fields={
        "source_id": "W-1", "type": "person", "name": "NGUYEN VAN AN", "birth_date": "1988-04-12",
        "nationality": "VNM"})
    results = names.screen(session, resident=people["an"], user=police)
    assert results and any(r.hits for r in results)
    assert {r.outcome for r in results} & {"check", "stop"}
    han_only = add_resident(session, border, "阮文安", birth_date=date(1988, 4, 12))
    assert any(r.hits for r in names.screen(session, resident=han_only, user=police))
    clear = names.screen(session, resident=people["anh"], user=police)
    assert all(not r.hits for r in clear)
    # without a user: the registering command's screening account (its lists)
    assert names.screen(session, resident=people["an"]) is not None


def test_edits_elsewhere_are_seen_within_the_check_interval(session, border, people, monkeypatch):
    user = border.users["command"]
    assert ids(names.search(session, user=user, query="Tran Van Hung")) == [people["hung"].id]
    people["hung"].name = "Trần Văn Hưng"
    people["hung"].name_keys = names.keys(people["hung"].name)
    session.flush()  # no note(): another process wrote it
    monkeypatch.setattr(nameindex, "CHECK_EVERY_S", 0.0)
    assert ids(names.search(session, user=user, query="Trần Văn Hùng")) == []
    assert ids(names.search(session, user=user, query="Trần Văn Hưng")) == [people["hung"].id]
