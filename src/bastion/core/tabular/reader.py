"""CSV or xlsx bytes → sheets of text rows, numbered as a spreadsheet shows them; files that
are hostile or broken become problems, never exceptions.

CSV encoding is detected, not asked: a BOM decides (UTF-8, or UTF-16 from Excel's "Unicode
text"); otherwise strict UTF-8, then GB18030 (what Excel on Chinese Windows saves). Strict UTF-8
almost never accepts GB18030 text by accident, so the order is safe; a file that is neither is
refused rather than read as mojibake. The delimiter is the most frequent of ',', ';' and tab in
the first line.

An xlsx file is a zip of XML, so a small upload can be a bomb. Before openpyxl parses anything
the archive is checked: its size, the total it unpacks to and each member's compression ratio,
and each sheet's declared range (``<dimension ref="A1:XFD1048576"/>`` would make openpyxl pad
17 billion empty cells), the number of sheets, and the unpacked size of the shared strings and
of each sheet part. Reading then ignores declared dimensions and stops at ``max_rows``, at
``max_rows * CELLS_PER_ROW`` cells (the memory budget) or after ``max_seconds`` of wall-clock
time, whichever comes first. Every refusal is a problem whose code and message name the limit
that was broken.

Callers parse off the event loop (a sync route, or ``run_in_threadpool``): the budgets bound
how long a hostile file can hold one worker thread, not the server.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from time import monotonic

from bastion.core.i18n import gettext as _

from .problems import Collector

csv.field_size_limit(1 << 20)

MAX_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED = 256 * 1024 * 1024  # all members of an xlsx, unpacked
MAX_RATIO = 200  # per member; real sheets compress 5-30x, bombs 1000x+
MAX_ROWS = 200_000
MAX_COLUMNS = 1000
MAX_MEMBERS = 10_000
MAX_SHEETS = 100
MAX_SHARED_STRINGS = 64 * 1024 * 1024  # xl/sharedStrings.xml, unpacked
MAX_SHEET_BYTES = 128 * 1024 * 1024  # each xl/worksheets/*.xml, unpacked
CELLS_PER_ROW = 25  # the cell budget (memory) is this many cells a row allowed, on average
MAX_SECONDS = 30.0  # wall-clock budget of one read
MB = 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')


@dataclass
class Sheet:
    name: str | None  # None for CSV
    rows: list[tuple[int, list[str]]]  # (1-based row number, cell texts)


def decode(data: bytes) -> str | None:
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def read_table(data: bytes, out: Collector, *, filename: str = "",
               max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS,
               max_seconds: float = MAX_SECONDS) -> list[Sheet]:
    """Sheets of an xlsx workbook (by content) or the one sheet of a CSV file; ``[]`` with
    problems in ``out`` when the file cannot be read."""
    if len(data) > max_bytes:
        out.add(None, None, "FILE_TOO_LARGE", _("The file is larger than %(mb)s MB")
                % {"mb": max_bytes // (1024 * 1024)})
        return []
    if not data.strip():
        out.add(None, None, "EMPTY_FILE", _("The file is empty"))
        return []
    if data.startswith(XLSX_MAGIC):
        return read_xlsx(data, out, max_rows=max_rows, max_seconds=max_seconds)
    if data.startswith(b"\xd0\xcf\x11\xe0") or filename.lower().endswith(".xls"):
        out.add(None, None, "UNKNOWN_FORMAT", _("Old .xls workbooks are not read: save it as "
                                                ".xlsx or CSV UTF-8"))
        return []
    return read_csv(data, out, max_rows=max_rows, max_seconds=max_seconds)


def _out_of_time(out: Collector, row: int | None, max_seconds: float,
                 sheet: str | None = None) -> list[Sheet]:
    out.add(row, None, "TIME_LIMIT", _("Reading the file took longer than %(seconds)s seconds: "
                                       "it is refused") % {"seconds": f"{max_seconds:g}"}, sheet)
    return []


def _too_many_cells(out: Collector, row: int | None, limit: int,
                    sheet: str | None = None) -> list[Sheet]:
    out.add(row, None, "TOO_MANY_CELLS", _("The file has more than %(n)s cells")
            % {"n": limit}, sheet)
    return []


def read_csv(data: bytes, out: Collector, *, max_rows: int = MAX_ROWS,
             max_seconds: float = MAX_SECONDS) -> list[Sheet]:
    text = decode(data)
    if text is None:
        out.add(1, None, "BAD_ENCODING", _("The file is neither UTF-8 nor GB18030 text: save it "
                                           "as \"CSV UTF-8\""))
        return []
    if "\x00" in text:
        out.add(1, None, "BAD_ENCODING", _("The file holds NUL characters: it is not a CSV file"))
        return []
    first = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    rows: list[tuple[int, list[str]]] = []
    deadline = monotonic() + max_seconds
    cells = 0
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, row in enumerate(reader, start=1):
            if number > max_rows:
                out.add(number, None, "TOO_MANY_ROWS", _("The file has more than %(n)s rows")
                        % {"n": max_rows})
                return []
            if len(row) > MAX_COLUMNS:
                out.add(number, None, "TOO_MANY_COLUMNS", _("A row has more than %(n)s columns")
                        % {"n": MAX_COLUMNS})
                return []
            cells += len(row)
            if cells > max_rows * CELLS_PER_ROW:
                return _too_many_cells(out, number, max_rows * CELLS_PER_ROW)
            if number % 1000 == 0 and monotonic() > deadline:
                return _out_of_time(out, number, max_seconds)
            rows.append((number, row))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            out.add(len(rows) + 1, None, "FIELD_TOO_LARGE",
                    _("A cell or line is longer than %(mb)s MB") % {"mb": csv.field_size_limit()
                                                                    // MB})
            return []
        out.add(len(rows) + 1, None, "BAD_CSV", _("The CSV file cannot be read here: %(error)s")
                % {"error": str(exc)})
        return []
    return [Sheet(None, rows)]


def cell_text(value: object) -> str:
    """Excel stores typed dates and numbers; give them back as the text the person meant."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _bad_xlsx(out: Collector, reason: str) -> list[Sheet]:
    out.add(1, None, "BAD_XLSX", _("The file is not a readable xlsx workbook (%(error)s)")
            % {"error": reason})
    return []


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_ATTRIBUTE = re.compile(rb'(Type|Target)\s*=\s*"([^"]*)"')


def _is_sheet(name: str) -> bool:
    return name.startswith(("xl/worksheets/", "xl/chartsheets/")) and name.endswith(".xml") \
        and "/_rels/" not in name


def _workbook_parts(archive: zipfile.ZipFile) -> tuple[set[str], set[str]]:
    """(sheet parts, shared-string parts): where the workbook's relationships put them (a
    hostile file need not use the usual names), and the usual names besides."""
    sheets = {n for n in archive.namelist() if _is_sheet(n)}
    shared = {"xl/sharedStrings.xml"}
    try:
        with archive.open("xl/_rels/workbook.xml.rels") as handle:
            rels = handle.read(MB)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        return sheets, shared
    for tag in _RELATIONSHIP.findall(rels):
        attributes = dict(_ATTRIBUTE.findall(tag))
        kind = attributes.get(b"Type", b"").rsplit(b"/", 1)[-1]
        target = attributes.get(b"Target", b"").decode("utf-8", "replace")
        name = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if kind in (b"worksheet", b"chartsheet"):
            sheets.add(name)
        elif kind == b"sharedStrings":
            shared.add(name)
    return sheets, shared


def _archive_sizes(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo],
                   out: Collector) -> bool:
    """Sheets, shared strings, each sheet, the whole and each part's ratio, by the sizes the
    archive declares (zipfile never unpacks a member past its declared size)."""
    sheet_parts, shared_parts = _workbook_parts(archive)
    sheets = len(sheet_parts)
    if sheets > MAX_SHEETS:
        out.add(None, None, "TOO_MANY_SHEETS", _("The workbook has %(n)s sheets; at most "
                                                 "%(max)s are read") % {"n": sheets,
                                                                        "max": MAX_SHEETS})
        return False
    for member in members:
        if member.filename in shared_parts and member.file_size > MAX_SHARED_STRINGS:
            out.add(None, None, "SHARED_STRINGS_TOO_LARGE",
                    _("The workbook's shared strings unpack to %(size)s MB; at most %(max)s MB "
                      "are read") % {"size": -(-member.file_size // MB),
                                     "max": MAX_SHARED_STRINGS // MB})
            return False
        if member.filename in sheet_parts and member.file_size > MAX_SHEET_BYTES:
            out.add(None, None, "SHEET_TOO_LARGE",
                    _("A sheet unpacks to %(size)s MB; at most %(max)s MB are read")
                    % {"size": -(-member.file_size // MB), "max": MAX_SHEET_BYTES // MB})
            return False
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED:
        out.add(None, None, "UNZIPPED_TOO_LARGE",
                _("The workbook unpacks to %(size)s MB; at most %(max)s MB are read")
                % {"size": -(-total // MB), "max": MAX_UNZIPPED // MB})
        return False
    if any(m.file_size > MB and m.file_size > MAX_RATIO * max(m.compress_size, 1)
           for m in members):
        out.add(None, None, "XLSX_BOMB", _("A part of the workbook unpacks to more than %(ratio)s "
                                           "times its packed size: it is refused")
                % {"ratio": MAX_RATIO})
        return False
    return True


def check_xlsx(data: bytes, out: Collector, *, max_rows: int = MAX_ROWS) -> bool:
    """The archive checks above, without parsing any sheet; False (with a problem) to refuse."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        _bad_xlsx(out, type(exc).__name__)
        return False
    with archive:
        if len(members) > MAX_MEMBERS or "xl/workbook.xml" not in archive.namelist():
            _bad_xlsx(out, "not a workbook")
            return False
        if not _archive_sizes(archive, members, out):
            return False
        sheet_parts = _workbook_parts(archive)[0]
        for member in members:
            if member.filename not in sheet_parts:
                continue
            try:
                with archive.open(member) as handle:
                    head = handle.read(8192)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                _bad_xlsx(out, type(exc).__name__)
                return False
            found = _DIMENSION.search(head)
            if found and found.group(3):
                rows = int(found.group(4))
                columns = _column_number(found.group(3))
                if rows > max_rows or columns > MAX_COLUMNS:
                    out.add(None, None, "TOO_LARGE_RANGE",
                            _("A sheet declares %(rows)s rows and %(columns)s columns; at most "
                              "%(max_rows)s rows and %(max_columns)s columns are read")
                            % {"rows": rows, "columns": columns, "max_rows": max_rows,
                               "max_columns": MAX_COLUMNS})
                    return False
    return True


def read_xlsx(data: bytes, out: Collector, *, max_rows: int = MAX_ROWS,
              max_seconds: float = MAX_SECONDS) -> list[Sheet]:
    if not check_xlsx(data, out, max_rows=max_rows):
        return []
    from openpyxl import load_workbook  # imported here: CSV imports do not need it

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - a damaged workbook may fail anywhere inside openpyxl
        return _bad_xlsx(out, type(exc).__name__)
    try:
        sheets = []
        deadline = monotonic() + max_seconds
        cells = 0
        for ws in workbook.worksheets:
            rows = []
            for number, row, stored in _xlsx_rows(ws, max_rows + 1):
                cells += stored
                if cells > max_rows * CELLS_PER_ROW:
                    return _too_many_cells(out, number, max_rows * CELLS_PER_ROW, ws.title)
                if number % 1000 == 0 and monotonic() > deadline:
                    return _out_of_time(out, number, max_seconds, ws.title)
                rows.append((number, row))
            if monotonic() > deadline:
                return _out_of_time(out, None, max_seconds, ws.title)
            if len(rows) > max_rows:
                out.add(max_rows + 1, None, "TOO_MANY_ROWS", _("The file has more than %(n)s "
                                                               "rows") % {"n": max_rows}, ws.title)
                return []
            sheets.append(Sheet(ws.title, rows))
        return sheets
    except Exception as exc:  # noqa: BLE001 - as above
        return _bad_xlsx(out, type(exc).__name__)
    finally:
        workbook.close()


def _xlsx_rows(ws, limit: int) -> Iterator[tuple[int, list[str], int]]:
    """(row number, its texts, how many cells openpyxl made for it)."""
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # rows as stored, not padded out to a declared range
    for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if number > limit:
            return
        cells = [cell_text(v) for v in row[:MAX_COLUMNS]]
        while cells and not cells[-1]:
            cells.pop()
        yield number, cells, len(row)
