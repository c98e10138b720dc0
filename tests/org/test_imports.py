"""Agencies and users from a spreadsheet: all rows or none, problems by file, sheet, row,
column and code; on SQLite and PostgreSQL."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bastion.core.security import verify_password
from bastion.core.tabular import Problems
from bastion.org import imports
from bastion.org.models import Agency, AgencyKind, Role, User


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _filled_template(kind: str, rows: list[list[str]]) -> bytes:
    """The downloadable template, filled in as a person would (xlsx)."""
    data = imports.agency_template() if kind == "agency" else imports.user_template()
    workbook = load_workbook(io.BytesIO(data))
    for number, row in enumerate(rows, start=2):  # under the headings, as typed in Excel
        for column, value in enumerate(row, start=1):
            workbook.worksheets[0].cell(row=number, column=column, value=value or None)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_agencies_from_the_template_with_units_in_file_order(session, world):
    data = _filled_template("agency", [
        ["ZJ-BIS", "湛江边检站", "Zhanjiang BIS", "边检站", ""],
        ["ZJ-BIS-T1", "执勤一队", "", "border inspection station", "ZJ-BIS"],
        ["ZJ-CUS", "湛江海关", "", "customs", "ORG-A"],
    ])
    created = imports.import_agencies(session, data=data, filename="units.xlsx", actor=None)
    assert [(a.code, a.kind) for a in created] == [
        ("ZJ-BIS", AgencyKind.BORDER_INSPECTION), ("ZJ-BIS-T1", AgencyKind.BORDER_INSPECTION),
        ("ZJ-CUS", AgencyKind.CUSTOMS)]
    assert created[1].organisation_id == created[0].id
    assert created[2].organisation_id == world.a.id


def test_a_bad_agency_file_is_refused_whole_with_every_place(session, world):
    before = _count(session, Agency)
    data = ("Code,Name,Kind,Parent code\n"
            "NEW-1,新单位,customs,\n"
            "ORG-A,重复,customs,\n"
            "bad code,,nonsense,NOPE\n"
            "NEW-1,again,army,\n").encode()
    with pytest.raises(Problems) as refused:
        imports.import_agencies(session, data=data, filename="units.csv", actor=None)
    found = {(p.file, p.sheet, p.row, p.column, p.code) for p in refused.value.errors}
    assert found == {
        ("units.csv", None, 3, "Code", "DUPLICATE_CODE"),
        ("units.csv", None, 4, "Kind", "BAD_KIND"),
        ("units.csv", None, 4, "Parent code", "UNKNOWN_PARENT"),
        ("units.csv", None, 4, "Code", "BAD_CODE"),
        ("units.csv", None, 4, "Name", "BAD_NAME"),
        ("units.csv", None, 5, "Code", "DUPLICATE_CODE"),
    }
    assert refused.value.status_code == 422
    assert _count(session, Agency) == before


def test_users_get_their_password_or_a_one_time_one(session, world):
    data = ("用户名,姓名,单位代码,角色,密码\n"
            "qian.one,钱一,ORG-A-T1,民警干部,\n"
            "sun.two,孙二,ORG-B,supervisor,a-chosen-password\n").encode("utf-8-sig")
    created = dict(imports.import_users(session, data=data, filename="staff.csv", actor=None))
    assert set(created) == {"qian.one", "sun.two"} and created["sun.two"] is None
    one = session.scalar(select(User).where(User.username == "qian.one"))
    two = session.scalar(select(User).where(User.username == "sun.two"))
    assert one.role == Role.OFFICER and one.agency_id == world.a_unit.id
    assert verify_password(one.password_hash, created["qian.one"])
    assert two.role == Role.SUPERVISOR and verify_password(two.password_hash, "a-chosen-password")


def test_a_bad_user_file_stores_nobody(session, world):
    before = _count(session, User)
    data = _filled_template("user", [
        ["ok.user", "好", "ORG-A", "officer", "", "", ""],
        ["author", "taken", "ORG-A", "", "", "", ""],
        ["Bad Name", "x", "NOPE", "king", "short", "fr", "Mars/Base"],
        ["ok.user", "again", "ORG-A", "", "", "", ""],
    ])
    with pytest.raises(Problems) as refused:
        imports.import_users(session, data=data, filename="staff.xlsx", actor=None)
    found = {(p.sheet, p.row, p.column, p.code) for p in refused.value.errors}
    sheet = "Users 用户"
    assert {(sheet, 3, "用户名 Username", "DUPLICATE_USERNAME"),
            (sheet, 4, "单位代码 Agency code", "UNKNOWN_AGENCY"),
            (sheet, 4, "角色 Role", "BAD_ROLE"),
            (sheet, 4, "密码 Password", "BAD_PASSWORD"),
            (sheet, 4, "用户名 Username", "BAD_USERNAME"),
            (sheet, 4, "语言 Language", "BAD_LANGUAGE"),
            (sheet, 4, "时区 Time zone", "BAD_TIMEZONE"),
            (sheet, 5, "用户名 Username", "DUPLICATE_USERNAME")} == found
    assert all(p.file == "staff.xlsx" for p in refused.value.errors)
    assert _count(session, User) == before


def test_an_empty_file_is_an_error_not_a_success(session, world):
    with pytest.raises(Problems) as refused:
        imports.import_users(session, data=imports.user_template("csv"), filename="u.csv",
                             actor=None)
    assert [p.code for p in refused.value.errors] == ["NO_ROWS"]
