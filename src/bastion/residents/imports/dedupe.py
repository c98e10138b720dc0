"""Who in a workbook is already in the registry: the duplicate warnings of ``check --as`` and of
the import, and the persons the import merges into instead of creating a second one.

Among the persons the importer sees (need-to-know: a person one may not see is neither named
nor merged into), a row of the ``persons`` sheet is

- the **same person** when one of its documents (the ``documents`` sheet) has the number of a
  stored document (spaces and case aside): merged into that person;
- the **same record again** when its name as written, birth date and village are those of a
  stored person (a file imported twice whose persons carry no documents): merged as well;
- **perhaps the same person** when its name, in any script (``residents.names.similar``:
  阮文安 = Nguyễn Văn An), and its birth date are those of a stored person: a warning only, the
  import creates the person (a post decides, as at registration).

Each finding is reported at its sheet and row with the existing person (id, name, birth date).
A document number found on two stored persons merges into neither and is reported as such.
:class:`Stored` is what the merged persons already hold, so that no row is stored twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date
from typing import Any, ClassVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bastion.border.geo.models import BorderPlace
from bastion.org.models import User
from bastion.residents.access import residents_query
from bastion.residents.crossings.models import Crossing
from bastion.residents.crossings.points import fold
from bastion.residents.flags.engine import normalise_number
from bastion.residents.models import (
    Employment,
    Lodging,
    Marriage,
    Permit,
    Resident,
    ResidentDocument,
)

CHUNK = 500  # ids or numbers per IN (...)


@dataclass
class Finding:
    """One row of the persons sheet that matches a stored person."""

    row: int
    person_id: str
    match: str  # document | same_record | name | ambiguous_document
    existing: list[Resident]
    document: str = ""
    why: list[dict[str, Any]] = field(default_factory=list)

    @property
    def merge_into(self) -> Resident | None:
        return self.existing[0] if self.match in ("document", "same_record") else None

    def as_dict(self, *, merged: bool) -> dict[str, Any]:
        return {"sheet": "persons", "row": self.row, "person_id": self.person_id,
                "match": self.match, "document": self.document, "merged": merged,
                "why": self.why,
                "existing": [{"id": r.id, "name": r.name, "name_latin": r.name_latin,
                              "birth_date": r.birth_date.isoformat() if r.birth_date else None}
                             for r in self.existing]}


def _chunks(values: list[Any]) -> list[list[Any]]:
    return [values[i:i + CHUNK] for i in range(0, len(values), CHUNK)]


def _by_document(session: Session, user: User, numbers: set[str]) -> dict[str, set[int]]:
    """Stored document numbers (normalised) -> the visible persons holding them."""
    held: dict[str, set[int]] = {}
    seen = residents_query(user).with_only_columns(Resident.id).subquery()
    key = func.upper(func.replace(ResidentDocument.number, " ", ""))
    for chunk in _chunks(sorted(numbers)):
        for number, rid in session.execute(
                select(key, ResidentDocument.resident_id)
                .where(key.in_(chunk), ResidentDocument.resident_id.in_(select(seen.c.id)))):
            held.setdefault(normalise_number(number), set()).add(rid)
    return held


def _persons(session: Session, user: User, ids: set[int]) -> dict[int, Resident]:
    out: dict[int, Resident] = {}
    for chunk in _chunks(sorted(ids)):
        out.update({r.id: r for r in session.scalars(
            residents_query(user).where(Resident.id.in_(chunk)))})
    return out


def _same_records(session: Session, user: User, persons: list[dict[str, Any]],
                  villages: dict[str, BorderPlace]) -> dict[str, Resident]:
    """Rows whose name as written, birth date and village are a stored person's."""
    days = sorted({p["birth_date"] for p in persons if p["birth_date"]})
    stored: dict[tuple[str, date, int | None], Resident] = {}
    for chunk in _chunks(days):
        for r in session.scalars(residents_query(user).where(Resident.birth_date.in_(chunk))
                                 .order_by(Resident.id)):
            stored.setdefault((" ".join(r.name.split()).casefold(), r.birth_date,
                               r.village_id), r)
    out = {}
    for p in persons:
        if not p["birth_date"]:
            continue
        village = villages.get(fold(p["village"])) if p["village"] else None
        key = (" ".join(p["name"].split()).casefold(), p["birth_date"],
               village.id if village else None)
        if key in stored:
            out[p["person_id"]] = stored[key]
    return out


def find(session: Session, *, user: User, persons: list[dict[str, Any]],
         documents: list[dict[str, Any]], villages: dict[str, BorderPlace],
         names: bool = True) -> list[Finding]:
    """The findings for the parsed ``persons`` and ``documents`` rows, in the sheet's order.
    ``names=False`` skips the cross-script name search (document numbers and same records
    only)."""
    numbers: dict[str, list[str]] = {}
    for d in documents:
        numbers.setdefault(d["person_id"], []).append(normalise_number(d["number"]))
    held = _by_document(session, user, {n for ns in numbers.values() for n in ns if n})
    again = _same_records(session, user, persons, villages)
    wanted = {rid for ids in held.values() for rid in ids}
    stored = _persons(session, user, wanted)
    findings: list[Finding] = []
    for p in persons:
        pid = p["person_id"]
        hits = [(n, held[n]) for n in numbers.get(pid, []) if n in held]
        owners = sorted({rid for _n, ids in hits for rid in ids if rid in stored})
        if len(owners) == 1:
            findings.append(Finding(p["row"], pid, "document", [stored[owners[0]]],
                                    document=hits[0][0]))
            continue
        if len(owners) > 1:
            findings.append(Finding(p["row"], pid, "ambiguous_document",
                                    [stored[i] for i in owners], document=hits[0][0]))
            continue
        if pid in again:
            findings.append(Finding(p["row"], pid, "same_record", [again[pid]]))
            continue
        if names and p["birth_date"]:
            found = _similar(session, user, p)
            if found:
                findings.append(Finding(p["row"], pid, "name", [m.resident for m in found],
                                        why=found[0].why))
    return findings


def _similar(session: Session, user: User, p: dict[str, Any]) -> list[Any]:
    """Stored persons of the same birth date whose name is this one in any script."""
    from bastion.residents import names

    matches = names.similar(session, user=user, name=p["name"], birth_date=p["birth_date"],
                            name_latin=p.get("name_latin", ""), limit=5)
    return [m for m in matches if m.resident.birth_date == p["birth_date"]]


class Stored:
    """What the merged persons already hold, by the identity of each kind of record: a row
    of the file that is already stored is not stored again (importing a file twice)."""

    KEYS: ClassVar[dict[str, Any]] = {
        "documents": lambda r: (r.resident_id, normalise_number(r.number)),
        "crossings": lambda r: (r.resident_id, _instant(r.at), str(r.direction)),
        "lodgings": lambda r: (r.resident_id, _instant(r.registered_at)),
        "permits": lambda r: (r.resident_id, str(r.kind), r.valid_from, r.valid_to),
        "employment": lambda r: (r.resident_id, r.employer, r.since),
        "marriages": lambda r: (r.resident_id, r.spouse_id, r.spouse_name, r.since),
    }
    MODELS: ClassVar[dict[str, Any]] = {"documents": ResidentDocument, "crossings": Crossing,
                              "lodgings": Lodging, "permits": Permit, "employment": Employment,
                              "marriages": Marriage}

    def __init__(self, session: Session, resident_ids: list[int]) -> None:
        self.keys: dict[str, set[Any]] = {k: set() for k in self.KEYS}
        self.documents: dict[tuple[int, str], ResidentDocument] = {}
        for sheet, model in self.MODELS.items():
            for chunk in range(0, len(resident_ids), 500):
                for row in session.scalars(select(model).where(
                        model.resident_id.in_(resident_ids[chunk:chunk + 500]))):
                    self.add(sheet, row)
                    if sheet == "documents":
                        self.documents[(row.resident_id, normalise_number(row.number))] = row

    def has(self, sheet: str, row: Any) -> bool:
        return self.KEYS[sheet](row) in self.keys[sheet]

    def add(self, sheet: str, row: Any) -> None:
        self.keys[sheet].add(self.KEYS[sheet](row))


def _instant(at: Any) -> Any:
    """An instant to compare, whatever zone the database gave it back in."""
    return at.astimezone(UTC).replace(microsecond=0) if at is not None else None
