"""Entry point: pick the format, run the reader, and return all entries or all errors.

It never raises on file content (garbage in gives errors out), so the CLI, the API upload and
a scheduled refresh can show the result instead of a stack trace; only a wrong ``format``
argument, a programming error, raises.
"""

from __future__ import annotations

import os
from pathlib import Path

from bastion.core.i18n import gettext as _
from bastion.core.tabular import decode, read_csv, read_xlsx

from .ftm import read_ftm
from .model import Collector, ImportError_, ImportResult
from .rows import read_sheets

FORMATS = ("ftm", "csv", "xlsx")
EXTENSIONS = {".json": "ftm", ".jsonl": "ftm", ".ijson": "ftm", ".ndjson": "ftm", ".ftm": "ftm",
              ".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx"}
MAX_BYTES = 512 * 1024 * 1024
MAX_ROWS = 2_000_000  # a national list in one CSV; xlsx stops at Excel's 1,048,576 anyway


def sniff_format(filename: str, data: bytes) -> str | None:
    """Content first for the unambiguous cases (a zip is xlsx), then the extension."""
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    by_extension = EXTENSIONS.get(Path(filename).suffix.lower())
    if by_extension:
        return by_extension
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        return "ftm"
    return "csv" if data else None


def read_watchlist(path: str | os.PathLike[str], *, format: str | None = None) -> ImportResult:
    """Parse a watchlist file (FtM JSON lines, CSV or xlsx) into entries, or report errors."""
    name = os.fspath(path)
    try:
        if os.path.getsize(name) > MAX_BYTES:
            return _fail(name, format, "FILE_TOO_LARGE", _("The file is larger than 512 MB"))
        data = Path(name).read_bytes()
    except OSError as exc:
        return _fail(name, format, "UNREADABLE_FILE", _("The file cannot be read: %(error)s")
                     % {"error": exc.strerror or type(exc).__name__})
    return parse_watchlist(data, filename=Path(name).name, format=format)


def parse_watchlist(data: bytes, *, filename: str,
                    format: str | None = None) -> ImportResult:
    """The same for bytes already in memory (an upload); ``filename`` names it in errors."""
    if format is not None and format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS} or None")
    fmt = format or sniff_format(filename, data)
    out = Collector(filename)
    if fmt == "xls":
        return _fail(filename, fmt, "UNKNOWN_FORMAT", _("Old .xls workbooks are not read: save "
                                                        "it as .xlsx or CSV UTF-8"))
    if fmt is None:
        return _fail(filename, fmt, "EMPTY_FILE", _("The file is empty"))
    entries, deleted = [], []
    if fmt == "ftm":
        text = decode(data)
        if text is None:
            out.add(1, None, "BAD_ENCODING", _("JSON lines must be UTF-8 text"))
        else:
            entries, deleted = read_ftm(text, out)
    else:
        sheets = (read_csv(data, out, max_rows=MAX_ROWS) if fmt == "csv"
                  else read_xlsx(data, out, max_rows=MAX_ROWS))
        if sheets:
            entries = read_sheets(sheets, out)
    if not entries and not deleted and not out.errors:
        # an error, not an empty success: replacing a list by "nothing" is never what was meant
        out.add(1, None, "NO_ENTRIES", _("The file holds no person or vessel"))
    if out.full:
        out.problems.append(ImportError_(
            filename, None, out.errors[-1].row, None, "TOO_MANY_ERRORS",
            _("Reading stopped after %(n)s errors") % {"n": Collector.MAX_ERRORS}))
    return ImportResult(file=filename, format=fmt, entries=entries, errors=out.errors,
                        skipped=out.skipped, deleted=deleted)


def _fail(file: str, fmt: str | None, code: str, message: str) -> ImportResult:
    out = Collector(file)
    out.add(1, None, code, message)
    return ImportResult(file=file, format=fmt, errors=out.errors)
