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
17 billion empty cells). Reading then ignores declared dimensions and stops at ``max_rows``.
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

from bastion.core.i18n import gettext as _

from .problems import Collector

csv.field_size_limit(1 << 20)

MAX_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED = 256 * 1024 * 1024  # all members of an xlsx, unpacked
MAX_RATIO = 200  # per member; real sheets compress 5-30x, bombs 1000x+
MAX_ROWS = 200_000
MAX_COLUMNS = 1000
MAX_MEMBERS = 10_000
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
               max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS) -> list[Sheet]:
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
        return read_xlsx(data, out, max_rows=max_rows)
    if data.startswith(b"\xd0\xcf\x11\xe0") or filename.lower().endswith(".xls"):
        out.add(None, None, "UNKNOWN_FORMAT", _("Old .xls workbooks are not read: save it as "
                                                ".xlsx or CSV UTF-8"))
        return []
    return read_csv(data, out, max_rows=max_rows)


def read_csv(data: bytes, out: Collector, *, max_rows: int = MAX_ROWS) -> list[Sheet]:
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
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, row in enumerate(reader, start=1):
            if number > max_rows:
                out.add(number, None, "TOO_MANY_ROWS", _("The file has more than %(n)s rows")
                        % {"n": max_rows})
                return []
            rows.append((number, row))
    except csv.Error as exc:
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
        if sum(m.file_size for m in members) > MAX_UNZIPPED or any(
                m.file_size > 1024 * 1024 and m.file_size > MAX_RATIO * max(m.compress_size, 1)
                for m in members):
            out.add(None, None, "XLSX_BOMB", _("The workbook unpacks to far more than its size: "
                                               "it is refused"))
            return False
        for member in members:
            if not (member.filename.startswith("xl/worksheets/")
                    and member.filename.endswith(".xml")):
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


def read_xlsx(data: bytes, out: Collector, *, max_rows: int = MAX_ROWS) -> list[Sheet]:
    if not check_xlsx(data, out, max_rows=max_rows):
        return []
    from openpyxl import load_workbook  # imported here: CSV imports do not need it

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - a damaged workbook may fail anywhere inside openpyxl
        return _bad_xlsx(out, type(exc).__name__)
    try:
        sheets = []
        for ws in workbook.worksheets:
            rows = list(_xlsx_rows(ws, max_rows + 1))
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


def _xlsx_rows(ws, limit: int) -> Iterator[tuple[int, list[str]]]:
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # rows as stored, not padded out to a declared range
    for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if number > limit:
            return
        cells = [cell_text(v) for v in row[:MAX_COLUMNS]]
        while cells and not cells[-1]:
            cells.pop()
        yield number, cells
