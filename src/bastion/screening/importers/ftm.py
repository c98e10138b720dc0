"""Read FollowTheMoney entities (OpenSanctions exports and delta files) as JSON lines.

Person and Vessel entities become entries. Passport/Identification entities whose ``holder``
is a person in the same file add a document to that person, and Sanction entities whose
``entity`` is imported give the entry its reason. Everything else (companies, addresses,
ownership, family links...) is counted in ``skipped`` by schema. Choices:

- ``nationality`` and ``citizenship`` are nationalities; ``country`` is only an associated
  country in FtM (residence, business) and goes to ``countries``, never to nationalities.
- ``weakAlias`` is not imported: OpenSanctions marks those as too short or generic to match on.
- FtM country codes that have no ISO 3166 alpha-3 (regions like ``ua-dpr``, ``eu``, ``zz``)
  are dropped and counted; a value that is not a country code at all is a BAD_COUNTRY error.
- Validity is left empty: a foreign sanction's dates are not this agency's listing period.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bastion.core.i18n import gettext as _

from . import values as v
from .model import Collector, Document, Entry, PersonEntry, VesselEntry

# FtM schema names; a schema outside this list means the file is not FtM (UNKNOWN_SCHEMA).
SCHEMATA = frozenset(["Address", "Airplane", "Analyzable", "Article", "Assessment", "Asset", "Associate", "Audio", "BankAccount", "Call", "CallForTenders", "Company", "Contract", "ContractAward", "Control", "CourtCase", "CourtCaseParty", "CryptoWallet", "Debt", "Directorship", "Document", "Documentation", "EconomicActivity", "Email", "Employment", "Event", "Family", "Folder", "HyperText", "Identification", "Image", "Interest", "Interval", "LegalEntity", "License", "Membership", "Mention", "Message", "Note", "Occupancy", "Organization", "Ownership", "Package", "Page", "Pages", "Passport", "Payment", "Person", "PlainText", "Position", "Project", "ProjectParticipant", "PublicBody", "RealEstate", "Representation", "Risk", "Sanction", "Security", "Similar", "Succession", "Table", "TaxRoll", "Territory", "Thing", "Transaction", "Trip", "UnknownLink", "UserAccount", "Value", "Vehicle", "Vessel", "Video", "Workbook"])
FTM_COUNTRY = re.compile(r"^[a-z]{2}(-[a-z0-9]+)?$|^[a-z]{4}$")


def _lines(text: str, out: Collector):
    """(line number, entity dict) pairs; a whole-file JSON array is accepted too."""
    if text.lstrip().startswith(("[", "{")):
        try:
            whole = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            whole = None  # not one document: read it line by line below
        if isinstance(whole, list):
            yield from enumerate(whole, start=1)
            return
        if isinstance(whole, dict) and "\n" in text.strip():
            if "schema" in whole or "op" in whole:  # one entity, pretty-printed
                yield 1, whole
            else:
                out.add(1, None, "BAD_JSON", _("The file is one JSON document, not "
                                               "FollowTheMoney entities (one per line)"))
            return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            out.add(number, None, "BAD_JSON", _("Line %(n)s is not JSON: %(error)s")
                    % {"n": number, "error": getattr(exc, "msg", type(exc).__name__)})


def _props(obj: dict[str, Any]) -> dict[str, list[str]] | None:
    raw = obj.get("properties", {})
    if not isinstance(raw, dict):
        return None
    props: dict[str, list[str]] = {}
    for key, value in raw.items():
        items = value if isinstance(value, list) else [value]
        props[str(key)] = [str(i) for i in items if isinstance(i, str | int) and str(i).strip()]
    return props


def read_ftm(text: str, out: Collector) -> tuple[list[Entry], list[str]]:
    """Entries in file order and the ids deleted by delta lines."""
    entities: list[tuple[int, str, str, dict[str, list[str]], dict]] = []
    deleted: list[str] = []
    seen: dict[str, int] = {}
    for number, obj in _lines(text, out):
        if out.full:
            break
        if not isinstance(obj, dict):
            out.add(number, None, "BAD_JSON", _("Line %(n)s is not a JSON object") % {"n": number})
            continue
        if "op" in obj:  # delta file: {"op": "ADD"|"MOD"|"DEL", "entity": {...}}
            op, obj = obj.get("op"), obj.get("entity")
            if op not in ("ADD", "MOD", "DEL") or not isinstance(obj, dict):
                out.add(number, "op", "BAD_JSON", _("Unknown delta operation '%(op)s'")
                        % {"op": v.shown(str(op))})
                continue
            if op == "DEL":
                if isinstance(obj.get("id"), str) and obj["id"]:
                    deleted.append(obj["id"])
                else:
                    out.add(number, "id", "MISSING_SOURCE_ID", _("The entity has no id"))
                continue
        entity_id, schema, props = obj.get("id"), obj.get("schema"), _props(obj)
        if not isinstance(entity_id, str) or not entity_id.strip():
            out.add(number, "id", "MISSING_SOURCE_ID", _("The entity has no id"))
            continue
        if schema not in SCHEMATA:
            out.add(number, "schema", "UNKNOWN_SCHEMA", _("'%(schema)s' is not a FollowTheMoney "
                                                          "schema") % {"schema": v.shown(str(schema))})
            continue
        if props is None:
            out.add(number, "properties", "BAD_JSON", _("'properties' is not a JSON object"))
            continue
        if entity_id in seen:
            out.add(number, "id", "DUPLICATE_SOURCE_ID", _("Entity id '%(id)s' already appears on "
                                                           "line %(row)s")
                    % {"id": v.shown(entity_id), "row": seen[entity_id]})
            continue
        seen[entity_id] = number
        entities.append((number, entity_id, schema, props, obj))
    entries: dict[str, Entry] = {}
    for number, entity_id, schema, props, obj in entities:
        if schema == "Person":
            entries[entity_id] = _person(number, entity_id, props, obj, out)
        elif schema == "Vessel":
            entries[entity_id] = _vessel(number, entity_id, props, obj, out)
    for number, _id, schema, props, _obj in entities:
        if schema in ("Passport", "Identification"):
            _attach_document(number, schema, props, entries, out)
        elif schema == "Sanction":
            _attach_reason(props, entries, out)
        elif schema not in ("Person", "Vessel"):
            out.skip(f"{schema}: schema not imported")
    return list(entries.values()), deleted


def _names(number: int, props: dict[str, list[str]], obj: dict, out: Collector) -> list[str]:
    names = v.split_list("\n".join(props.get("name", [])))
    caption = v.clean(obj.get("caption")) if isinstance(obj.get("caption"), str) else ""
    if caption in names:  # OpenSanctions' caption is its pick of the display name
        names.remove(caption)
        names.insert(0, caption)
    if not names:
        out.add(number, "name", "MISSING_NAME", _("The entity has no name"))
    return names


def _aliases(props: dict[str, list[str]], names: list[str]) -> list[str]:
    found = v.split_list("\n".join(props.get("alias", []) + props.get("previousName", [])))
    return [a for a in found if a not in names]


def _countries(number: int, prop: str, props: dict[str, list[str]], out: Collector) -> list[str]:
    codes: list[str] = []
    for value in props.get(prop, []):
        code = v.lookup_country(value)
        if code is None and FTM_COUNTRY.match(value.strip().lower()):
            out.skip(f"country code without ISO 3166 alpha-3: {value.strip().lower()}")
        elif code is None:
            out.add(number, prop, "BAD_COUNTRY", _("'%(value)s' is not a country code")
                    % {"value": v.shown(value)})
        elif code not in codes:
            codes.append(code)
    return codes


def _check(number: int, prop: str, props: dict[str, list[str]], parse, out: Collector) -> list:
    results = []
    for value in props.get(prop, []):
        try:
            result = parse(value)
        except v.FieldError as exc:
            out.add(number, prop, exc.code, exc.message)
            continue
        if result is not None and result not in results:
            results.append(result)
    return results


def _person(number: int, entity_id: str, props, obj, out: Collector) -> PersonEntry:
    names = _names(number, props, obj, out)
    births = _check(number, "birthDate", props, lambda s: v.partial_date(s[:10]), out)
    genders = _check(number, "gender", props, lambda s: None if s == "other" else v.gender(s), out)
    nationalities = _countries(number, "nationality", props, out)
    for code in _countries(number, "citizenship", props, out):
        if code not in nationalities:
            nationalities.append(code)
    documents = [Document(n, "passport") for n in v.split_list("\n".join(
        props.get("passportNumber", [])))]
    documents += [Document(n, "id") for n in v.split_list("\n".join(props.get("idNumber", [])))]
    return PersonEntry(
        source_id=entity_id, names=names, aliases=_aliases(props, names),
        birth_date=births[0] if births else None, other_birth_dates=births[1:],
        gender=genders[0] if len(genders) == 1 else None, nationalities=nationalities,
        countries=_countries(number, "country", props, out), documents=documents,
        topics=props.get("topics", []))


def _vessel(number: int, entity_id: str, props, obj, out: Collector) -> VesselEntry:
    names = _names(number, props, obj, out)
    imos = _check(number, "imoNumber", props, v.imo, out)
    mmsis = _check(number, "mmsi", props, v.mmsi, out)
    calls = _check(number, "callSign", props, v.callsign, out)
    flags = _countries(number, "flag", props, out)
    return VesselEntry(
        source_id=entity_id, name=names[0] if names else "",
        aliases=names[1:] + _aliases(props, names), imo=imos[0] if imos else None,
        mmsi=mmsis[0] if mmsis else None, callsign=calls[0] if calls else None,
        flag=flags[0] if flags else None, topics=props.get("topics", []))


def _attach_document(number: int, schema: str, props, entries, out: Collector) -> None:
    numbers = v.split_list("\n".join(props.get("number", []) + props.get("passportNumber", [])))
    holders = [entries[h] for h in props.get("holder", [])
               if isinstance(entries.get(h), PersonEntry)]
    if not holders:
        out.skip(f"{schema}: holder not an imported person")
        return
    if not numbers:
        out.skip(f"{schema}: no document number")
        return
    countries = _countries(number, "country", props, out)
    kind = "passport" if schema == "Passport" else v.clean(" ".join(props.get("type", []))) or "id"
    try:
        kind = v.document_type(kind) or kind
    except v.FieldError:
        kind = "other"
    for person in holders:
        for doc_number in numbers:
            document = Document(doc_number, kind, countries[0] if countries else None)
            # the holder's own passportNumber/idNumber may name the same document, without country
            person.documents = [d for d in person.documents if d.number != doc_number]
            person.documents.append(document)


def _attach_reason(props, entries, out: Collector) -> None:
    targets = [entries[e] for e in props.get("entity", []) if e in entries]
    if not targets:
        out.skip("Sanction: not about an imported entry")
        return
    for entry in targets:
        reasons = entry.reason.split("\n") if entry.reason else []
        reasons += [r for r in (v.clean(x) for x in props.get("reason", [])) if r not in reasons]
        entry.reason = "\n".join(reasons) or None
