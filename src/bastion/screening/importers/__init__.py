"""Watchlist import: parse and validate watchlist files into plain dataclasses, no database.

``read_watchlist(path)`` (or ``parse_watchlist(bytes, filename=...)`` for an upload) reads
OpenSanctions FollowTheMoney JSON lines, CSV or xlsx and returns an ``ImportResult`` holding
either every entry or every error (file, sheet, row, column, code), never a partial list,
so the caller can make the database import atomic. ``template()`` gives the spreadsheet
template to download, in English or Chinese.
"""

from .headings import COLUMNS, headings
from .model import Document, ImportError_, ImportResult, PersonEntry, VesselEntry
from .reader import parse_watchlist, read_watchlist, sniff_format
from .template import template

__all__ = [
    "COLUMNS",
    "Document",
    "ImportError_",
    "ImportResult",
    "PersonEntry",
    "VesselEntry",
    "headings",
    "parse_watchlist",
    "read_watchlist",
    "sniff_format",
    "template",
]
