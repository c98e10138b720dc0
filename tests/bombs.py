"""Hostile files of our own making, small on disk: each builds in well under a second and
names the limit the readers must refuse it by (``CODES``: the problem code of the tabular
reader)."""

from __future__ import annotations

import functools
import io
import re
import zipfile

from openpyxl import Workbook

from bastion.core.tabular import reader

CREW_HEADINGS = ["Family name", "Given names", "Nationality", "Document number"]


def _workbook(sheets: int = 1) -> bytes:
    wb = Workbook()
    wb.active.append(CREW_HEADINGS)
    for n in range(1, sheets):
        wb.create_sheet(f"S{n}")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _repack(xlsx: bytes, change=None, add: dict[str, bytes] | None = None) -> bytes:
    """The workbook with each part passed through ``change(name, data)`` and parts added."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            out.writestr(item.filename, change(item.filename, data) if change else data)
        for name, data in (add or {}).items():
            out.writestr(name, data)
    return buffer.getvalue()


def far_cell(declared: bool = True) -> bytes:
    """One cell at XFD1048576 (the issue's 4.6 KB file that grew a server past 3.5 GB);
    without its ``<dimension>`` the rows themselves must stop the read."""
    wb = Workbook()
    wb.active["XFD1048576"] = "x"
    buffer = io.BytesIO()
    wb.save(buffer)
    if declared:
        return buffer.getvalue()
    return _repack(buffer.getvalue(), lambda name, data: re.sub(
        rb"<dimension [^>]*>", b"", data) if name.startswith("xl/worksheets/") else data)


def deflate_bomb() -> bytes:
    """A part that unpacks to 64 MB from about 64 KB (1000x): the ratio check refuses it."""
    return _repack(_workbook(), add={"xl/media/padding.bin": b"\0" * (64 * 2**20)})


def many_sheets() -> bytes:
    return _workbook(sheets=reader.MAX_SHEETS + 1)


def huge_shared_strings() -> bytes:
    """``xl/sharedStrings.xml`` just over its limit (and, being repetitive, a bomb too: the
    limit of the part is checked first, so that is the one named)."""
    size = reader.MAX_SHARED_STRINGS + 1024

    head = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
    tail = b"</t></si></sst>"
    strings = head + b"A" * (size - len(head) - len(tail)) + tail
    rel = (b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
           b'relationships/sharedStrings" Target="strings.xml"/></Relationships>')

    def change(name: str, data: bytes) -> bytes:
        # under a name of its own: the workbook's relationships say where it is
        return data.replace(b"</Relationships>", rel) \
            if name == "xl/_rels/workbook.xml.rels" else data

    return _repack(_workbook(), change, add={"xl/strings.xml": strings})


def million_rows() -> bytes:
    """A CSV of a million tiny lines (2 MB)."""
    return b"a\n" * 1_000_000


def giant_line() -> bytes:
    """A CSV of one 3 MB line: one field far over the field limit."""
    return b"a" * (3 * 2**20)


def wide_line() -> bytes:
    """A CSV whose one line has millions of columns."""
    return b"," * (3 * 2**20)


# name -> (bytes builder, file name, the problem code that names the limit)
BOMBS = {
    "far_cell": (far_cell, "crew.xlsx", "TOO_LARGE_RANGE"),
    "far_cell_undeclared": (lambda: far_cell(declared=False), "crew.xlsx", "TOO_MANY_ROWS"),
    "deflate_bomb": (deflate_bomb, "crew.xlsx", "XLSX_BOMB"),
    "many_sheets": (many_sheets, "crew.xlsx", "TOO_MANY_SHEETS"),
    "huge_shared_strings": (huge_shared_strings, "crew.xlsx", "SHARED_STRINGS_TOO_LARGE"),
    "million_rows": (million_rows, "crew.csv", "TOO_MANY_ROWS"),
    "giant_line": (giant_line, "crew.csv", "FIELD_TOO_LARGE"),
    "wide_line": (wide_line, "crew.csv", "TOO_MANY_COLUMNS"),
}
XLSX_BOMBS = {k: v for k, v in BOMBS.items() if v[1].endswith(".xlsx")}


@functools.cache
def build(name: str) -> bytes:
    """The bomb's bytes, built once a test run."""
    return BOMBS[name][0]()
