"""Store a residents' workbook (``bastion residents import FILE --as USER``): all rows or none.

The file is read and checked first (``reader``); then what needs the database: each
``village`` must name a village on the border map (``border_place`` of kind village) and the
crossing points are recognised against the stored ones (the command's edits included).
Persons are written with the marking rule of registration: GREEN, shared (NAMED) with the
village committee(s) given the person's village as an area, unless the importer asks AMBER;
owned by the importer's organisation. The post responsible is a post linked to the village.
Everything ends with the flags of the persons written (``flags.service.recompute_many``).

Rows are written through the models in the caller's transaction (one duplicate search and one
flag computation per person, as ``residents.service.register`` would do, is too slow for a
file of thousands); the marking is the registry's own (``residents.service.mark``), the points
its recogniser (``residents.crossings.points.recogniser``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.border.geo.models import BorderPlace, BorderPost, PlaceKind, PostVillage
from bastion.core.i18n import gettext as _
from bastion.core.marking import TLP
from bastion.core.tabular import Collector
from bastion.org import capabilities
from bastion.org.models import AgencyKind, User
from bastion.residents import service as registry
from bastion.residents.crossings.models import Crossing, CrossingSource, Direction
from bastion.residents.crossings.points import fold, recogniser
from bastion.residents.flags.engine import normalise_number
from bastion.residents.flags.service import recompute_many
from bastion.residents.models import (
    Employment,
    Household,
    Lodging,
    Marriage,
    Permit,
    PermitKind,
    Resident,
    ResidentDocument,
)

from . import dedupe
from .reader import Parsed, parse, read_bytes, read_sheets


def _villages(session: Session) -> dict[str, BorderPlace]:
    places = session.scalars(select(BorderPlace).where(BorderPlace.kind == PlaceKind.VILLAGE))
    return {fold(p.name): p for p in places}


def _keys(name: str, latin: str) -> list[str]:
    from bastion.residents.names import keys  # the matcher's tables load when first used

    return keys(name, name_latin=latin)


def import_path(session: Session, *, user: User, path: Path, amber: bool = False,
                zone: ZoneInfo | None = None) -> dict[str, Any]:
    """Read, check and store ``path`` (a file or a folder of CSV files); ``Problems``
    (nothing stored) on any error."""
    capabilities.require(user, "residents.import")
    out = Collector(path.name)
    sheets = read_sheets(path, out)
    return _store(session, user=user, sheets=sheets, out=out, name=path.name, amber=amber,
                  zone=zone)


def import_bytes(session: Session, *, user: User, data: bytes, filename: str,
                 amber: bool = False, zone: ZoneInfo | None = None) -> dict[str, Any]:
    """The same for an uploaded xlsx or zip of CSV files."""
    capabilities.require(user, "residents.import")
    out = Collector(filename)
    sheets = read_bytes(data, out, filename=filename)
    return _store(session, user=user, sheets=sheets, out=out, name=filename, amber=amber,
                  zone=zone)


def duplicates(session: Session, *, user: User, zone: ZoneInfo, path: Path | None = None,
               data: bytes | None = None, filename: str = "") -> list[dict[str, Any]]:
    """The check's duplicate warnings: the persons of a file (``path``, or uploaded ``data``)
    among those ``user`` sees, storing nothing (what the import would merge is marked
    ``merged``); ``Problems`` when the file has errors."""
    capabilities.require(user, "residents.read")
    parsed = checked(session, zone=zone, path=path, data=data, filename=filename)
    return found_in(session, user=user, parsed=parsed)


def checked(session: Session, *, zone: ZoneInfo, path: Path | None = None,
            data: bytes | None = None, filename: str = "") -> Parsed:
    """A file read and checked against the stored crossing points; ``Problems`` on errors."""
    out = Collector(path.name if path is not None else filename)
    sheets = read_sheets(path, out) if path is not None else read_bytes(
        data or b"", out, filename=filename)
    out.raise_errors()
    parsed = parse(sheets, out, zone=zone, recognise=recogniser(session))
    out.raise_errors()
    return parsed


def found_in(session: Session, *, user: User, parsed: Parsed) -> list[dict[str, Any]]:
    """The duplicate warnings of a checked file, as the import's result shows them."""
    found = dedupe.find(session, user=user, persons=parsed.persons,
                        documents=parsed.rows.get("documents", []), villages=_villages(session))
    return [f.as_dict(merged=f.merge_into is not None) for f in found]


def _store(session: Session, *, user: User, sheets: dict, out: Collector, name: str,
           amber: bool, zone: ZoneInfo | None) -> dict[str, Any]:
    if zone is None:
        from bastion.core.config import get_settings

        zone = ZoneInfo(get_settings().timezone)
    out.raise_errors()
    parsed = parse(sheets, out, zone=zone, recognise=recogniser(session))
    villages = _villages(session)
    for person in parsed.persons:
        if person["village"] and fold(person["village"]) not in villages:
            out.add(person["row"], "village", "UNKNOWN_VILLAGE",
                    _("No village \"%(value)s\" on the border map") % {"value": person["village"]},
                    "persons")
    out.raise_errors()

    posts: dict[int, int] = dict(session.execute(
        select(PostVillage.place_id, BorderPost.agency_id)
        .join(BorderPost, BorderPost.id == PostVillage.post_id).order_by(PostVillage.id)).all())

    own_post = user.agency_id if user.agency.kind == AgencyKind.JOINT_DEFENCE_POST else None
    findings = {f.person_id: f for f in dedupe.find(
        session, user=user, persons=parsed.persons, documents=parsed.rows.get("documents", []),
        villages=villages)}
    ids: dict[str, Resident] = {}
    merged: set[str] = set()
    households: dict[tuple[str, int | None], Household] = {}
    for p in parsed.persons:
        village = villages.get(fold(p["village"])) if p["village"] else None
        village_id = village.id if village else None
        household = None
        if p["household_id"]:
            key = (p["household_id"], village_id)
            household = households.get(key) or session.scalar(select(Household).where(
                Household.code == p["household_id"], Household.village_id == village_id,
                Household.owner_org_id == user.organisation_id))
            if household is None:
                household = Household(owner_org_id=user.organisation_id, code=p["household_id"],
                                      village_id=village_id)
                session.add(household)
                session.flush()
            households[key] = household
        finding = findings.get(p["person_id"])
        existing = finding.merge_into if finding is not None else None
        if existing is not None:  # the same person: what the row adds, nothing twice
            filled = _fill(existing, p, village_id=village_id,
                           household_id=household.id if household else None)
            if "village_id" in filled:  # now of a village: its post and committee, as at
                existing.post_agency_id = existing.post_agency_id or own_post or posts.get(
                    village_id)  # registration
                if existing.tlp == TLP.GREEN:
                    registry.mark(session, existing, amber=False)
            ids[p["person_id"]] = existing
            merged.add(p["person_id"])
            continue
        resident = Resident(
            name=p["name"], name_latin=p["name_latin"], sex=p["sex"], birth_date=p["birth_date"],
            nationality=p["nationality"] or "VNM", village_id=village_id,
            post_agency_id=own_post or (posts.get(village_id) if village_id else None),
            household_id=household.id if household else None,
            name_keys=_keys(p["name"], p["name_latin"]),
            owner_org_id=user.organisation_id, created_by_id=user.id)
        session.add(resident)
        session.flush()
        registry.mark(session, resident, amber=amber)  # the registration's marking rule
        ids[p["person_id"]] = resident

    stored = dedupe.Stored(session, [ids[pid].id for pid in merged])
    written: dict[str, int] = {}

    def put(sheet: str, row: Any) -> None:
        if stored.has(sheet, row):
            return
        session.add(row)
        stored.add(sheet, row)
        written[sheet] = written.get(sheet, 0) + 1

    documents: dict[tuple[int, str], ResidentDocument] = dict(stored.documents)
    for d in parsed.rows.get("documents", []):
        rid = ids[d["person_id"]].id
        number = normalise_number(d["number"])
        if (rid, number) in documents:
            continue
        doc = ResidentDocument(resident_id=rid, doc_type=d["doc_type"],
                               type_code=d["type_code"], number=d["number"],
                               issued=d["issued"], expires=d["expires"],
                               stay_days=d["stay_days"])
        put("documents", doc)
        documents[(rid, number)] = doc
    session.flush()
    for c in parsed.rows.get("crossings", []):
        point = c["point"]
        resident = ids[c["person_id"]]
        doc = documents.get((resident.id, normalise_number(c["doc_number"])))
        put("crossings", Crossing(
            resident_id=resident.id, at=c["time"], direction=Direction(c["direction"]),
            point_id=point.id if point is not None else None,
            path="" if point is not None else c["crossing_point"][:200],
            designated=point is not None, document_id=doc.id if doc else None,
            doc_number=c["doc_number"], source=CrossingSource.IMPORT, recorded_by_id=user.id,
            post_agency_id=resident.post_agency_id))
    for x in parsed.rows.get("lodgings", []):
        put("lodgings", Lodging(resident_id=ids[x["person_id"]].id,
                                registered_at=x["registered_at"], address=x["address"]))
    for x in parsed.rows.get("permits", []):
        put("permits", Permit(resident_id=ids[x["person_id"]].id, kind=PermitKind(x["kind"]),
                              valid_from=x["valid_from"], valid_to=x["valid_to"]))
    for x in parsed.rows.get("employment", []):
        put("employment", Employment(resident_id=ids[x["person_id"]].id, employer=x["employer"],
                                     since=x["since"], until=x["until"]))
    for x in parsed.rows.get("marriages", []):
        spouse = ids.get(x["spouse_id"]) if x["spouse_id"] else None
        put("marriages", Marriage(resident_id=ids[x["person_id"]].id,
                                  spouse_id=spouse.id if spouse else None,
                                  spouse_name=x["spouse_name"] or (spouse.name if spouse else ""),
                                  registered=x["registered"], since=x["since"]))
    session.flush()
    raised = recompute_many(session, residents=list({r.id: r for r in ids.values()}.values()))
    counts: dict[str, Any] = {"persons": len(ids) - len(merged), "merged": len(merged)}
    counts.update({k: written.get(k, 0) for k in parsed.rows if k != "persons"})
    counts["already_stored"] = sum(len(v) for k, v in parsed.rows.items()
                                   if k != "persons") - sum(written.values())
    counts["flags"] = sum(len(v) for v in raised.values())
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind="resident",
                 summary=f"residents import {name}: {counts['persons']} persons, "
                         f"{counts['merged']} merged",
                 detail={"file": name, **counts,
                         "merged_into": sorted({ids[pid].id for pid in merged})})
    counts["duplicates"] = [f.as_dict(merged=f.person_id in merged)
                            for f in findings.values()]
    return counts


def _fill(resident: Resident, p: dict[str, Any], *, village_id: int | None,
          household_id: int | None) -> set[str]:
    """A merged row fills what the stored person lacks (the names of the fields filled); what
    is stored is kept (a post may have corrected it since)."""
    filled = set()
    for key, value in (("name_latin", p["name_latin"]), ("sex", p["sex"]),
                       ("birth_date", p["birth_date"]), ("village_id", village_id),
                       ("household_id", household_id)):
        if value and not getattr(resident, key):
            setattr(resident, key, value)
            filled.add(key)
    if "name_latin" in filled:  # the Latin spelling found by the name search from now on
        resident.name_keys = list(dict.fromkeys([*(resident.name_keys or []),
                                                 *_keys(resident.name, resident.name_latin)]))
    return filled
