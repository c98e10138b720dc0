"""Turn CSV or xlsx bytes into sheets of text rows, numbered as a spreadsheet shows them.

Encoding is detected, not asked: a BOM decides (UTF-8, or UTF-16 from Excel's "Unicode text"
export); otherwise strict UTF-8, then GB18030 (what Excel on Chinese Windows saves). Strict
UTF-8 almost never accepts GB18030 text by accident, so the order is safe. A file that is
neither is refused rather than read as mojibake. The delimiter is the most frequent of
',', ';' (European Excel) and tab in the first line.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

from bastion.core.i18n import gettext as _

from .model import Collector

csv.field_size_limit(1 << 20)


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


def read_csv(data: bytes, out: Collector) -> list[Sheet]:
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


def read_xlsx(data: bytes, out: Collector) -> list[Sheet]:
    from openpyxl import load_workbook  # imported here: CSV and FtM imports do not need it

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        out.add(1, None, "BAD_XLSX", _("The file is not a readable xlsx workbook (%(error)s)")
                % {"error": type(exc).__name__})
        return []
    try:
        return [Sheet(ws.title, list(_xlsx_rows(ws))) for ws in workbook.worksheets]
    except Exception as exc:  # noqa: BLE001 - a damaged workbook may fail anywhere inside openpyxl
        out.add(1, None, "BAD_XLSX", _("The file is not a readable xlsx workbook (%(error)s)")
                % {"error": type(exc).__name__})
        return []
    finally:
        workbook.close()


def _xlsx_rows(ws) -> Iterator[tuple[int, list[str]]]:
    for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
        yield number, [cell_text(v) for v in row]
