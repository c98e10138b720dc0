"""Who left and who joined between arrival and departure: pure.

A person is the same on both lists when the identity document is (issuing state and number,
spaces and case aside) — how an officer checks it at the gangway; a row without a document
falls back on name and date of birth. A person moving between the crew and passenger lists
stays aboard. Each change carries the reason an officer or the agent gave, if any: an
unexplained change is what the departure inspection must settle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Someone on the arrival lists who is not leaving with the ship ...
MISSING_REASONS = ("signed_off", "hospital", "deserted", "deceased")
# ... and someone leaving who did not arrive with it.
ADDED_REASONS = ("signed_on", "stowaway")
# (their words: labels.py, namespace "departure_reason")


def _norm(value: Any) -> str:
    return "".join(str(value or "").split()).upper()


def person_key(row: dict[str, Any]) -> str:
    if row.get("document_number"):
        return f"{_norm(row.get('issuing_state'))}:{_norm(row['document_number'])}"
    return f"{_norm(row.get('family_name'))}/{_norm(row.get('given_names'))}/{row.get('birth_date')}"


def display_name(row: dict[str, Any]) -> str:
    return f"{row.get('family_name') or ''} {row.get('given_names') or ''}".strip()


@dataclass(frozen=True)
class Change:
    key: str
    kind: str                  # "missing" (arrived, not leaving) or "added" (leaving, not arrived)
    person: dict[str, Any]     # the row as declared, with "list": crew or passengers
    reason: str | None = None
    note: str | None = None

    @property
    def explained(self) -> bool:
        return self.reason is not None


def compare(arrival: list[dict[str, Any]], departure: list[dict[str, Any]],
            reasons: dict[str, tuple[str, str | None]] | None = None) -> list[Change]:
    """Changes in list order: the missing (arrival order), then the added (departure order).
    ``reasons``: person key -> (reason, note); a reason that does not fit the kind of change
    (a "stowaway" who is missing) is ignored."""
    reasons = reasons or {}
    before = {person_key(p): p for p in arrival}
    after = {person_key(p): p for p in departure}
    out = []
    for kind, rows, other, allowed in (("missing", before, after, MISSING_REASONS),
                                       ("added", after, before, ADDED_REASONS)):
        for key, person in rows.items():
            if key in other:
                continue
            reason, note = reasons.get(key, (None, None))
            out.append(Change(key, kind, person, reason if reason in allowed else None,
                              note if reason in allowed else None))
    return out


def counts(arrival: list[dict[str, Any]], departure: list[dict[str, Any]],
           changes: list[Change]) -> dict[str, int]:
    """Figures for statistics and the page: persons in and out, each reason, unexplained."""
    result = {"persons_in": len(arrival), "persons_out": len(departure)}
    for reason in MISSING_REASONS + ADDED_REASONS:
        result[reason] = sum(1 for c in changes if c.reason == reason)
    result["unexplained"] = sum(1 for c in changes if not c.explained)
    return result
