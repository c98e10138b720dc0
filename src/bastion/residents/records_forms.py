"""What the person page's record forms need besides the record: the choices they offer
(households of the village, the relatives one may name, villages, permit kinds, relations) and
the values of a row being edited. Plain values, no web: ``views`` and ``views_records`` render
them."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.border.geo.models import BorderPlace, PlaceKind
from bastion.core.marking import visible_to
from bastion.org.models import User
from bastion.residents import persons
from bastion.residents.models import PermitKind, Resident
from bastion.residents.schemas import RELATIONS

# the fields each editable kind's form shows (the schema's, in the form's order)
FIELDS = {
    "residence": ("village_id", "address", "since", "until"),
    "permits": ("kind", "number", "valid_from", "valid_to"),
    "employment": ("employer", "since", "until"),
    "marriages": ("spouse_id", "spouse_name", "spouse_id_number", "registered", "since",
                  "until", "certificate_no"),
}


def _shown(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return getattr(value, "value", value)


def editing(record: dict[str, Any], edit: str) -> dict[str, Any] | None:
    """``edit`` is ``part:id`` (``?edit=permits:7``): that row's values for its form, or
    None when there is no such row on this person."""
    part, _sep, rid = edit.partition(":")
    if part not in FIELDS or not rid.isdigit():
        return None
    row = next((x for x in record.get(part, []) if x["id"] == int(rid)), None)
    if row is None:
        return None
    return {"part": part, "id": row["id"], "values": {k: _shown(row.get(k))
                                                      for k in FIELDS[part]}}


def choices(session: Session, *, user: User, resident: Resident,
            record: dict[str, Any]) -> dict[str, Any]:
    """The options of the forms for a writer: households in the person's village, the
    persons of the household (a relative or spouse chosen by name), villages, kinds."""
    villages = list(session.scalars(select(BorderPlace).where(
        BorderPlace.kind == PlaceKind.VILLAGE, visible_to(BorderPlace, user))
        .order_by(BorderPlace.name)))
    household = record.get("household")
    return {
        "households": persons.households_for(session, user=user, resident=resident),
        "relatives": household["members"] if household else [],
        "record_villages": villages,
        "permit_kinds": list(PermitKind),
        "relations": list(RELATIONS),
        "ends": persons.ENDS,
    }
