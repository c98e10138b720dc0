"""Plain result types of a watchlist import: what the database layer stores, or why it may not.

They are dataclasses, not ORM rows, so the parser can be tested and reused (CLI, API upload,
scheduled OpenSanctions refresh) without a database; the caller maps them onto its models
inside one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar, Literal

from bastion.core import tabular
from bastion.core.tabular import Problem

Gender = Literal["male", "female"]


@dataclass(frozen=True)
class Document:
    """An identity document. ``type`` is one of DOCUMENT_TYPES or None when the list omits it."""

    number: str
    type: str | None = None
    country: str | None = None  # ISO 3166 alpha-3 (or an ICAO 9303 code such as XXA)


@dataclass
class PersonEntry:
    """A listed person. ``names[0]`` is the primary name, every name as written (any script).

    ``birth_date`` keeps the precision the source gave ("1975", "1975-04", "1975-04-03");
    ``other_birth_dates`` holds further candidate dates (lists often give several) and
    ``countries`` the FtM ``country`` property (associated countries, *not* nationality).
    """

    kind: ClassVar[str] = "person"
    source_id: str
    names: list[str]
    aliases: list[str] = field(default_factory=list)
    birth_date: str | None = None
    gender: Gender | None = None
    nationalities: list[str] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    reason: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    topics: list[str] = field(default_factory=list)
    other_birth_dates: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)


@dataclass
class VesselEntry:
    """A listed vessel; identifiers are validated (IMO check digit, 9-digit MMSI)."""

    kind: ClassVar[str] = "vessel"
    source_id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    imo: int | None = None
    mmsi: int | None = None
    callsign: str | None = None
    flag: str | None = None
    reason: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    topics: list[str] = field(default_factory=list)


Entry = PersonEntry | VesselEntry


# One problem, located the way the person who made the file can find it (the floor's
# ``core.tabular.Problem``): ``row`` is 1-based as a spreadsheet shows it (the heading row
# included) or the line number of a JSON-lines file; ``column`` is the heading as written in the
# file, or the FtM property; ``code`` is stable; ``message`` is already translated.
ImportError_ = Problem


@dataclass
class ImportResult:
    """All entries or all errors, never half: any error empties ``entries`` (atomic imports).

    ``skipped`` counts what the file held but a watchlist does not import, by reason;
    ``deleted`` lists source ids an FtM delta file removes (``"op": "DEL"``).
    """

    file: str
    format: str | None
    entries: list[Entry] = field(default_factory=list)
    errors: list[ImportError_] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.errors:
            self.entries = []
            self.deleted = []

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def persons(self) -> list[PersonEntry]:
        return [e for e in self.entries if isinstance(e, PersonEntry)]

    @property
    def vessels(self) -> list[VesselEntry]:
        return [e for e in self.entries if isinstance(e, VesselEntry)]


class Collector(tabular.Collector):
    """The kit's collector (errors of one file, skipped things by reason); stops the parse once
    there are too many errors to read."""
