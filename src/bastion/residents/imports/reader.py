"""Read a residents' workbook: an xlsx file, or a folder or a zip of CSV files named after the
sheets (``persons.csv``, ``documents.csv``, ...; Chinese sheet names too). Every cell is
checked and every problem kept with its sheet, row, column and code; the caller refuses the
file whole when any is an error (all rows or none). Hostile files: the xlsx and CSV checks are
``core.tabular``'s; a zip of CSV files is held to the same limits (size, unpacked size,
ratio, members) before any member is read.

Times without a zone are in the unit's zone; dates are calendar days there.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bastion.core.i18n import gettext as _
from bastion.core.reference.countries import country
from bastion.core.reference.people import GENDERS, document_type
from bastion.core.tabular import (
    MAX_BYTES,
    Collector,
    Record,
    Sheet,
    normalise,
    read_csv,
    read_table,
    records,
)
from bastion.core.tabular.reader import MAX_MEMBERS, MAX_RATIO, MAX_UNZIPPED

from ..flags.engine import (
    CrossingFact,
    DocumentFact,
    EmploymentFact,
    Facts,
    LodgingFact,
    MarriageFact,
    PermitFact,
    normalise_number,
)
from .columns import BY_KEY, SHEETS, SheetSpec

Recognise = Callable[[str], Any]  # text -> a crossing point (any object) or None

RESIDENT_DOCUMENTS = frozenset({"passport", "identity_card", "cn_vn_border_pass",
                                "border_area_pass", "residence_permit", "visa", "travel_permit",
                                "other"})
TYPE_CODES = ("740", "743", "744", "711")
YES = {"yes", "y", "true", "1", "是", "已登记", "有"}
NO = {"no", "n", "false", "0", "否", "未登记", "无"}
DIRECTIONS = {"in": "in", "entry": "in", "入境": "in", "入": "in",
              "out": "out", "exit": "out", "出境": "out", "出": "out"}
PERMIT_KINDS = {"work": "work", "工作": "work", "工作许可": "work", "就业": "work",
                "residence": "residence", "居留": "residence", "居留许可": "residence"}
_CN_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$")


@dataclass
class Parsed:
    """What a file holds, cleaned: rows by sheet (values typed), and the problems."""

    problems: Collector
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems.errors

    @property
    def persons(self) -> list[dict[str, Any]]:
        return self.rows.get("persons", [])

    def facts(self) -> list[Facts]:
        """The engine's input, one per person, in the persons sheet's order."""
        by: dict[str, dict[str, list]] = {p["person_id"]: {} for p in self.persons}

        def put(sheet: str, pid: str, item: object) -> None:
            by[pid].setdefault(sheet, []).append(item)

        for r in self.rows.get("documents", []):
            put("documents", r["person_id"], DocumentFact(
                r["number"], r["doc_type"], r["expires"], r["issued"], r["stay_days"]))
        for r in self.rows.get("crossings", []):
            put("crossings", r["person_id"], CrossingFact(
                r["time"], r["direction"], r["designated"], r["place"], r["doc_number"]))
        for r in self.rows.get("lodgings", []):
            put("lodgings", r["person_id"], LodgingFact(r["registered_at"], r["address"]))
        for r in self.rows.get("permits", []):
            put("permits", r["person_id"], PermitFact(r["kind"], r["valid_from"], r["valid_to"]))
        for r in self.rows.get("employment", []):
            put("employment", r["person_id"], EmploymentFact(r["employer"], r["since"],
                                                             r["until"]))
        names = {p["person_id"]: p["name"] for p in self.persons}
        for r in self.rows.get("marriages", []):
            spouse = r["spouse_name"] or names.get(r["spouse_id"], r["spouse_id"])
            put("marriages", r["person_id"], MarriageFact(spouse, r["registered"], r["since"]))
        return [Facts(pid, **{k: tuple(v) for k, v in sheets.items()})
                for pid, sheets in by.items()]


# --- files -> sheets -----------------------------------------------------------------------

def _sheet_key(name: str) -> str | None:
    wanted = normalise(Path(name).stem if name.lower().endswith(".csv") else name)
    for spec in SHEETS:
        if wanted in {normalise(n) for n in spec.names()}:
            return spec.key
    return None


def _csv_sheets(files: list[tuple[str, bytes]], out: Collector) -> dict[str, Sheet]:
    found: dict[str, Sheet] = {}
    for name, data in files:
        key = _sheet_key(name)
        if key is None:
            continue  # a README or another file beside the sheets
        if len(data) > MAX_BYTES:
            out.add(None, None, "FILE_TOO_LARGE", _("The file is larger than %(mb)s MB")
                    % {"mb": MAX_BYTES // (1024 * 1024)}, key)
            continue
        here = Collector(out.file)
        sheets = read_csv(data, here)
        for problem in here.problems:
            out.add(problem.row, problem.column, problem.code, problem.message, key,
                    problem.severity)
        if sheets:
            found[key] = Sheet(key, sheets[0].rows)
    return found


def _zip_members(data: bytes, out: Collector) -> list[tuple[str, bytes]] | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError):
        out.add(None, None, "BAD_ZIP", _("The file is neither an xlsx workbook nor a zip of CSV "
                                         "files"))
        return None
    with archive:
        if len(members) > MAX_MEMBERS:
            out.add(None, None, "TOO_MANY_FILES", _("The zip holds more than %(n)s files")
                    % {"n": MAX_MEMBERS})
            return None
        if sum(m.file_size for m in members) > MAX_UNZIPPED or any(
                m.file_size > 1024 * 1024 and m.file_size > MAX_RATIO * max(m.compress_size, 1)
                for m in members):
            out.add(None, None, "ZIP_BOMB", _("The zip unpacks to too much: it is refused"))
            return None
        files = []
        for member in members:
            base = member.filename.replace("\\", "/").rsplit("/", 1)[-1]
            if _sheet_key(base) is None or not base.lower().endswith(".csv"):
                continue
            if member.file_size > MAX_BYTES:
                out.add(None, None, "FILE_TOO_LARGE", _("The file is larger than %(mb)s MB")
                        % {"mb": MAX_BYTES // (1024 * 1024)}, _sheet_key(base))
                continue
            try:
                with archive.open(member) as handle:
                    files.append((base, handle.read(MAX_BYTES + 1)))
            except (zipfile.BadZipFile, OSError, ValueError, EOFError):
                out.add(None, None, "BAD_ZIP", _("A file in the zip cannot be read"), base)
        return files


def read_sheets(path: Path, out: Collector) -> dict[str, Sheet]:
    """The sheets by key, from an xlsx, a zip of CSV files, a folder of them, or one CSV
    (the persons sheet alone)."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
        big = [p for p in files if p.stat().st_size > MAX_BYTES]
        for p in big:
            out.add(None, None, "FILE_TOO_LARGE", _("The file is larger than %(mb)s MB")
                    % {"mb": MAX_BYTES // (1024 * 1024)}, _sheet_key(p.name))
        return _csv_sheets([(p.name, p.read_bytes()) for p in files if p not in big], out)
    if path.stat().st_size > MAX_BYTES:
        out.add(None, None, "FILE_TOO_LARGE", _("The file is larger than %(mb)s MB")
                % {"mb": MAX_BYTES // (1024 * 1024)})
        return {}
    data = path.read_bytes()
    return read_bytes(data, out, filename=path.name)


def read_bytes(data: bytes, out: Collector, *, filename: str = "") -> dict[str, Sheet]:
    if data.startswith(b"PK\x03\x04"):
        try:
            is_xlsx = "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            is_xlsx = True  # let the xlsx reader say what is wrong
        if not is_xlsx:
            members = _zip_members(data, out)
            return {} if members is None else _csv_sheets(members, out)
        found = {}
        for sheet in read_table(data, out, filename=filename):
            key = _sheet_key(sheet.name or "")
            if key is not None and key not in found:
                found[key] = Sheet(key, sheet.rows)
        return found
    key = _sheet_key(filename) or "persons"
    return _csv_sheets([(f"{key}.csv", data)], out)


# --- cells -> values -----------------------------------------------------------------------

class _Cells:
    """Typed values of one row, problems reported at their cell."""

    def __init__(self, record: Record, spec: SheetSpec, out: Collector) -> None:
        self.record, self.spec, self.out = record, spec, out
        self.bad = False

    def problem(self, key: str, code: str, message: str) -> None:
        column = self.record.headings.get(key) or next(
            (c.en for c in self.spec.columns if c.key == key), key)
        self.out.add(self.record.row, column, code, message, self.spec.key)
        self.bad = True

    def text(self, key: str, *, required: bool = False, limit: int = 200) -> str:
        value = self.record.get(key)
        if required and not value:
            self.problem(key, "MISSING_VALUE", _("This cell must not be empty"))
        elif len(value) > limit:
            self.problem(key, "TOO_LONG", _("At most %(n)s characters") % {"n": limit})
            return value[:limit]
        return value

    def day(self, key: str, *, required: bool = False) -> date | None:
        value = self.text(key, required=required)
        if not value:
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.problem(key, "BAD_DATE", _("\"%(value)s\" is not a date (2026-11-03)")
                         % {"value": value})
        return parsed

    def moment(self, key: str, zone: ZoneInfo) -> datetime | None:
        value = self.text(key, required=True)
        if not value:
            return None
        parsed = parse_time(value, zone)
        if parsed is None:
            self.problem(key, "BAD_TIME", _("\"%(value)s\" is not a time (2026-11-03 08:30)")
                         % {"value": value})
        return parsed

    def choice(self, key: str, table: dict[str, str], code: str, message: str) -> str | None:
        value = self.text(key, required=True)
        if not value:
            return None
        found = table.get(value.strip().casefold())
        if found is None:
            self.problem(key, code, message % {"value": value})
        return found


def parse_date(value: str) -> date | None:
    text = value.strip()
    match = _CN_DATE.match(text)
    if match:
        text = f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}"
    text = text.replace("/", "-").replace(".", "-")
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        return date.fromisoformat(text[:10]) if len(text) <= 10 else None
    except ValueError:
        return None


def parse_time(value: str, zone: ZoneInfo) -> datetime | None:
    text = value.strip().replace("/", "-")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        day = parse_date(text)
        if day is None:
            return None
        moment = datetime.combine(day, time(0))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment


# --- sheets -> rows ------------------------------------------------------------------------

def _point_name(point: Any) -> str:
    if isinstance(point, dict):
        return point.get("name_zh") or point.get("code", "")
    return getattr(point, "name_zh", "") or getattr(point, "code", "")


def _row(spec: SheetSpec, cells: _Cells, zone: ZoneInfo, recognise: Recognise) -> dict[str, Any]:
    c = cells
    row: dict[str, Any] = {"row": c.record.row, "person_id": c.text("person_id", required=True,
                                                                    limit=40)}
    if spec.key == "persons":
        sex_text = c.text("sex")
        sex = GENDERS.parse(sex_text) if sex_text else None
        if sex_text and sex is None:
            c.problem("sex", "BAD_SEX", _("\"%(value)s\" is not a sex (M, F, 男, 女)")
                      % {"value": sex_text})
        nationality_text = c.text("nationality") or "VNM"
        nationality = country(nationality_text)
        if nationality is None:
            c.problem("nationality", "BAD_COUNTRY", _("\"%(value)s\" is not a country code "
                                                      "(VNM, VN)") % {"value": nationality_text})
        row.update(name=c.text("name", required=True), name_latin=c.text("name_latin"),
                   sex=sex.code if sex else None, birth_date=c.day("birth_date"),
                   nationality=nationality or "", village=c.text("village"),
                   household_id=c.text("household_id", limit=40))
    elif spec.key == "documents":
        written = c.text("doc_type", required=True)
        kind = document_type(written, RESIDENT_DOCUMENTS) if written else None
        if written and kind is None:
            c.problem("doc_type", "BAD_DOC_TYPE", _("\"%(value)s\" is not a document type "
                                                    "(743, 744, 740, 711, passport, ID)")
                      % {"value": written})
        stay = c.text("stay_days")
        if stay and not (stay.isdigit() and 0 < int(stay) <= 3650):
            c.problem("stay_days", "BAD_NUMBER", _("\"%(value)s\" is not a number of days")
                      % {"value": stay})
            stay = ""
        row.update(doc_type=kind or "", type_code=written if written in TYPE_CODES else "",
                   number=c.text("number", required=True, limit=40), issued=c.day("issued"),
                   expires=c.day("expires"), stay_days=int(stay) if stay else None)
        if row["issued"] and row["expires"] and row["expires"] < row["issued"]:
            c.problem("expires", "BAD_DATES", _("It expires before it was issued"))
    elif spec.key == "crossings":
        place = c.text("crossing_point", required=True)
        point = recognise(place) if place else None
        row.update(time=c.moment("time", zone), direction=c.choice(
            "direction", DIRECTIONS, "BAD_DIRECTION", _("\"%(value)s\" is neither in nor out")),
            crossing_point=place, point=point, designated=point is not None,
            place=_point_name(point) if point is not None else place,
            doc_number=c.text("doc_number", limit=40))
    elif spec.key == "lodgings":
        row.update(registered_at=c.moment("registered_at", zone),
                   address=c.text("address", limit=300))
    elif spec.key == "permits":
        row.update(kind=c.choice("kind", PERMIT_KINDS, "BAD_KIND",
                                 _("\"%(value)s\" is neither work nor residence")),
                   valid_from=c.day("valid_from"), valid_to=c.day("valid_to"))
    elif spec.key == "employment":
        row.update(employer=c.text("employer", required=True), since=c.day("since"),
                   until=c.day("until"))
    elif spec.key == "marriages":
        registered = c.text("registered", required=True).casefold()
        if registered and registered not in YES | NO:
            c.problem("registered", "BAD_YES_NO", _("\"%(value)s\" is neither yes nor no")
                      % {"value": registered})
        row.update(spouse_id=c.text("spouse_id", limit=40), spouse_name=c.text("spouse_name"),
                   registered=registered in YES, since=c.day("since"))
        if not row["spouse_id"] and not row["spouse_name"]:
            c.problem("spouse_name", "MISSING_VALUE", _("Give the spouse's name or ID"))
    return row


def parse(sheets: dict[str, Sheet], out: Collector, *, zone: ZoneInfo,
          recognise: Recognise) -> Parsed:
    parsed = Parsed(out)
    if "persons" not in sheets:
        out.add(None, None, "MISSING_SHEET", _("The sheet \"%(sheet)s\" is missing")
                % {"sheet": "persons"}, "persons")
        return parsed
    for spec in SHEETS:
        sheet = sheets.get(spec.key)
        if sheet is None:
            continue
        rows = []
        for record in records([sheet], list(spec.columns), out):
            cells = _Cells(record, spec, out)
            row = _row(spec, cells, zone, recognise)
            if not cells.bad:
                rows.append(row)
        parsed.rows[spec.key] = rows
    _cross_check(parsed, out)
    return parsed


def _cross_check(parsed: Parsed, out: Collector) -> None:
    """Person ids unique and known; a crossing's document among the person's documents."""
    heading = {s.key: {c.key: c.en for c in s.columns} for s in SHEETS}
    known: set[str] = set()
    for person in parsed.persons:
        if person["person_id"] in known:
            out.add(person["row"], heading["persons"]["person_id"], "DUPLICATE_ID",
                    _("The person ID \"%(value)s\" is used twice") % {"value": person["person_id"]},
                    "persons")
        known.add(person["person_id"])
    documents: dict[str, set[str]] = {}
    for key, rows in parsed.rows.items():
        if key == "persons":
            continue
        keep = []
        for row in rows:
            if row["person_id"] not in known:
                out.add(row["row"], heading[key]["person_id"], "UNKNOWN_PERSON",
                        _("No person \"%(value)s\" in the persons sheet")
                        % {"value": row["person_id"]}, key)
                continue
            if key == "marriages" and row["spouse_id"] and row["spouse_id"] not in known:
                out.add(row["row"], heading[key]["spouse_id"], "UNKNOWN_PERSON",
                        _("No person \"%(value)s\" in the persons sheet")
                        % {"value": row["spouse_id"]}, key)
                continue
            if key == "documents":
                documents.setdefault(row["person_id"], set()).add(normalise_number(row["number"]))
            keep.append(row)
        parsed.rows[key] = keep
    for row in parsed.rows.get("crossings", []):
        number = normalise_number(row["doc_number"])
        if number and number not in documents.get(row["person_id"], set()):
            out.add(row["row"], heading["crossings"]["doc_number"], "UNKNOWN_DOCUMENT",
                    _("The person has no document \"%(value)s\" in the documents sheet")
                    % {"value": row["doc_number"]}, "crossings")


def read(path: Path, *, zone: ZoneInfo, recognise: Recognise) -> Parsed:
    out = Collector(path.name)
    sheets = read_sheets(path, out)
    if out.errors:
        return Parsed(out)
    return parse(sheets, out, zone=zone, recognise=recognise)


__all__ = ["BY_KEY", "Parsed", "parse", "parse_date", "parse_time", "read", "read_bytes",
           "read_sheets"]
