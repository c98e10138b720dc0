"""Agencies and users from a spreadsheet: a unit brings its own organisation chart and staff
list instead of typing them in one by one.

All rows or none: every row is checked first (through the tabular kit, so errors carry file,
sheet, row and column), and only a file without errors is written, inside the caller's
transaction. Kinds and roles are accepted as their codes, English labels or Chinese labels.
A user row without a password gets a one-time random one, returned so the caller can show it
once; a row's password is checked like any other (length, not the username).
"""

from __future__ import annotations

import secrets
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.auth.service import MIN_PASSWORD_LENGTH
from bastion.core.i18n import gettext as _
from bastion.core.i18n import translations
from bastion.core.tabular import Collector, Column, Record, read_table, records, template
from bastion.org import service
from bastion.org.models import Agency, AgencyKind, Role, User
from bastion.org.schemas import AgencyCreate, UserCreate

AGENCY_COLUMNS = [
    Column("code", "Code", "代码", True, ("Agency code", "单位代码", "机构代码"), "YJ-BIS-T1"),
    Column("name", "Name", "名称", True, ("单位名称", "机构名称"), "执勤一队"),
    Column("name_en", "English name", "英文名称", False, ("Name (English)",), "Duty team 1"),
    Column("kind", "Kind", "类型", True, ("Agency kind", "单位类型"), "border_inspection"),
    Column("parent", "Parent code", "上级代码", False, ("Parent", "上级单位", "上级"), "YJ-BIS"),
]
USER_COLUMNS = [
    Column("username", "Username", "用户名", True, ("Login", "账号"), "li.officer"),
    Column("display_name", "Name", "姓名", True, ("Display name", "名字"), "李警官"),
    Column("agency", "Agency code", "单位代码", True, ("Agency", "单位", "机构代码"), "YJ-BIS-T1"),
    Column("role", "Role", "角色", False, ("权限",), "officer"),
    Column("password", "Password", "密码", False, ("初始密码",), ""),
    Column("language", "Language", "语言", False, (), "zh-CN"),
    Column("timezone", "Time zone", "时区", False, ("Timezone",), "Asia/Shanghai"),
]


def _choices(enum_cls: type[Any]) -> dict[str, Any]:
    """Codes, English labels and Chinese labels of an enum, normalised, to its members."""
    from bastion.core.labels import LABELS
    from bastion.core.tabular import normalise
    from bastion.org import labels  # (also registers the kinds' and roles' words)

    zh = translations("zh-CN")
    found: dict[str, Any] = {}
    for member in enum_cls:
        english = str(LABELS.get(enum_cls, {}).get(member.value, member.value))
        for spelling in (member.value, member.value.replace("_", " "), english,
                         zh.gettext(english)):
            found.setdefault(normalise(spelling), member)
    if enum_cls is Role:  # an officer is also called by the words of each kind of agency
        for english in {*labels.OFFICER_BY_KIND.values(), *labels.OFFICER_FORMERLY}:
            for spelling in (english, zh.gettext(english)):
                found.setdefault(normalise(spelling), Role.OFFICER)
    return found


def _choice(record: Record, key: str, choices: dict[str, Any], out: Collector, code: str,
            default: Any = None) -> Any:
    from bastion.core.tabular import normalise

    text = record.get(key)
    if not text:
        return default
    found = choices.get(normalise(text))
    if found is None:
        out.add(record.row, record.headings.get(key, key), code,
                _("\"%(value)s\" is not one of: %(choices)s")
                % {"value": text, "choices": ", ".join(sorted({m.value for m in choices.values()}))},
                record.sheet)
    return found


def _payload(model: type[BaseModel], record: Record, out: Collector, fields: dict[str, str],
             **values: Any) -> Any:
    """A schema checked row; each field error lands on its column (``fields``: field → key)."""
    try:
        return model(**values)
    except ValidationError as exc:
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else ""
            key = fields.get(field, field)
            out.add(record.row, record.headings.get(key, key), f"BAD_{key.upper()}",
                    str(error["msg"]), record.sheet)
        return None


def _read(data: bytes, filename: str, columns: list[Column]) -> tuple[list[Record], Collector]:
    out = Collector(filename)
    sheets = read_table(data, out, filename=filename)
    rows = records(sheets, columns, out) if sheets else []
    if sheets and not rows and not out.errors:
        out.add(None, None, "NO_ROWS", _("The file has headings but no rows"))
    return rows, out


def import_agencies(session: Session, *, data: bytes, filename: str,
                    actor: User | None) -> list[Agency]:
    """Create every agency of the file, or raise ``Problems`` and create none. A parent is an
    agency already in the database or one on an earlier row of the file."""
    rows, out = _read(data, filename, AGENCY_COLUMNS)
    kinds = _choices(AgencyKind)
    existing = {code for (code,) in session.execute(select(Agency.code))}
    planned: list[tuple[Record, AgencyCreate, str | None]] = []
    seen: dict[str, int] = {}
    for record in rows:
        code, parent = record.get("code"), record.get("parent") or None
        kind = _choice(record, "kind", kinds, out, "BAD_KIND")
        if code in existing:
            out.add(record.row, record.headings["code"], "DUPLICATE_CODE",
                    _("An agency with code %(code)s exists already") % {"code": code},
                    record.sheet)
        elif code in seen:
            out.add(record.row, record.headings["code"], "DUPLICATE_CODE",
                    _("The code %(code)s is on row %(row)s already")
                    % {"code": code, "row": seen[code]}, record.sheet)
        if parent and parent not in existing and parent not in seen:
            out.add(record.row, record.headings.get("parent"), "UNKNOWN_PARENT",
                    _("The parent %(code)s is neither an agency nor on an earlier row")
                    % {"code": parent}, record.sheet)
        seen.setdefault(code, record.row)
        # a bad kind is reported above; the rest of the row is still checked
        payload = _payload(AgencyCreate, record, out, {}, code=code, name=record.get("name"),
                           name_en=record.get("name_en") or None, kind=kind or AgencyKind.OTHER)
        if payload is not None and kind is not None:
            planned.append((record, payload, parent))
    out.raise_errors()
    created: list[Agency] = []
    for _record, payload, parent in planned:
        if parent:
            found = service.get_agency_by_code(session, code=parent)
            assert found is not None  # checked above: in the database or created earlier
            payload.parent_id = found.id
        created.append(service.create_agency(session, actor=actor, data=payload))
    return created


def import_users(session: Session, *, data: bytes, filename: str,
                 actor: User | None) -> list[tuple[str, str | None]]:
    """Create every user of the file, or raise ``Problems`` and create none. Returns
    ``(username, one-time password or None)`` per user, in file order."""
    from bastion.auth.service import check_new_password
    from bastion.core.errors import Invalid

    rows, out = _read(data, filename, USER_COLUMNS)
    roles = _choices(Role)
    agencies = {a.code: a for a in session.scalars(select(Agency))}
    taken = {name for (name,) in session.execute(select(User.username))}
    seen: dict[str, int] = {}
    planned: list[tuple[UserCreate, bool]] = []
    fields = {"display_name": "display_name", "agency_id": "agency", "role": "role",
              "password": "password", "language": "language", "timezone": "timezone",
              "username": "username"}
    for record in rows:
        username = record.get("username")
        role = _choice(record, "role", roles, out, "BAD_ROLE", default=Role.VIEWER)
        agency = agencies.get(record.get("agency"))
        if agency is None and record.get("agency"):
            out.add(record.row, record.headings["agency"], "UNKNOWN_AGENCY",
                    _("No agency has the code %(code)s") % {"code": record.get("agency")},
                    record.sheet)
        if username in taken:
            out.add(record.row, record.headings["username"], "DUPLICATE_USERNAME",
                    _("The username %(name)s is taken") % {"name": username}, record.sheet)
        elif username in seen:
            out.add(record.row, record.headings["username"], "DUPLICATE_USERNAME",
                    _("The username %(name)s is on row %(row)s already")
                    % {"name": username, "row": seen[username]}, record.sheet)
        seen.setdefault(username, record.row)
        given = record.get("password")
        password = given or one_time_password(username or 'x')
        if given:
            try:
                check_new_password(given, username=username)
            except Invalid as exc:
                out.add(record.row, record.headings["password"], "BAD_PASSWORD", exc.message,
                        record.sheet)
                password = one_time_password(username or "x")  # reported once, not twice
        payload = _payload(UserCreate, record, out, fields, username=username,
                           display_name=record.get("display_name"),
                           # a stand-in id when the agency is unknown (reported above; such
                           # a row is never created), so the schema checks the other fields
                           agency_id=agency.id if agency else 1, role=role or Role.VIEWER,
                           password=password, language=record.get("language") or None,
                           timezone=record.get("timezone") or None)
        if payload is not None and agency is not None and role is not None:
            planned.append((payload, not given))
    out.raise_errors()
    created = []
    for payload, generated in planned:
        user = service.create_user(session, actor=actor, data=payload)
        created.append((user.username, payload.password if generated else None))
    return created


def agency_template(format: str = "xlsx") -> bytes:
    return template(AGENCY_COLUMNS, format=format, title="Agencies 单位")


def user_template(format: str = "xlsx") -> bytes:
    return template(USER_COLUMNS, format=format, title="Users 用户")


def one_time_password(username: str) -> str:
    """16 URL-safe characters (96 bits), longer than the minimum, never holding the username."""
    while True:
        password = secrets.token_urlsafe(12)
        if len(password) >= MIN_PASSWORD_LENGTH and username.lower() not in password.lower():
            return password
