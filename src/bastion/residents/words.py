"""Words of the registry shown through the ``label`` and ``term`` filters, in the reader's
language (imported by the registry's routers, so registered when the app starts)."""

from __future__ import annotations

from bastion.core.i18n import lazy
from bastion.core.labels import register_labels
from bastion.core.reference.people import DOCUMENT_TYPES, GENDERS
from bastion.residents.crossings.models import CrossingSource, Direction, PointKind
from bastion.residents.models import PermitKind

register_labels(PointKind, labels={
    "international": lazy("International port"), "bilateral": lazy("Bilateral port"),
    "border_resident": lazy("Border-resident crossing")})
register_labels(Direction, labels={"in": lazy("Entry into China"), "out": lazy("Exit from China")})
register_labels(CrossingSource, labels={
    "post": lazy("Entered by a post"), "inspection": lazy("Border inspection records"),
    "import": lazy("Imported")})
register_labels(PermitKind, labels={"work": lazy("Work permit"),
                                    "residence": lazy("Residence permit")})
register_labels(namespace="validity", labels={
    "valid": lazy("Valid"), "expired": lazy("Expired"), "expires_soon": lazy("Expires soon"),
    "open": lazy("No expiry date"), "not_yet": lazy("Not yet valid")})
register_labels(namespace="relation", labels={
    "spouse": lazy("Spouse"), "parent": lazy("Parent"), "child": lazy("Child"),
    "sibling": lazy("Sibling"), "other": lazy("Other relative")})
register_labels(namespace="record_kind", labels={
    "resident": lazy("Foreign resident"), "crossing_point": lazy("Crossing point"),
    "resident_household": lazy("Household")})
register_labels(namespace="duplicate_match", labels={
    "document": lazy("the same document number"),
    "ambiguous_document": lazy("a document number held by several persons"),
    "same_record": lazy("the same name, birth date and village"),
    "name": lazy("the same name in another script and birth date")})
# what the purpose select on the person page offers (a typed purpose is kept as typed)
PURPOSES = {
    "home_visit": lazy("Home visit"), "flag_review": lazy("Flag review"),
    "crossing_check": lazy("Crossing check"), "case": lazy("Case work"),
    "statistics": lazy("Statistics correction"), "registration": lazy("Registration"),
}
register_labels(namespace="read_purpose", labels=PURPOSES)
register_labels(namespace="resident_gender", labels=GENDERS.labels())
register_labels(namespace="resident_document", labels=DOCUMENT_TYPES.labels())
