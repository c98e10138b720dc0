"""Words of supplies in the user's language (categories, movements, conditions, where a
person of a post is known from)."""

from __future__ import annotations

from bastion.core.i18n import lazy
from bastion.core.labels import register_labels
from bastion.supplies.models import (
    Category,
    Condition,
    MovementKind,
    PersonSource,
    RequestStatus,
)

register_labels(Category, labels={
    "vehicle": lazy("Vehicle"), "equipment": lazy("Equipment"), "tool": lazy("Tool"),
    "uniform": lazy("Uniform and kit"), "consumable": lazy("Consumable"),
    "material": lazy("Material")})
register_labels(MovementKind, labels={
    "receipt": lazy("Receipt"), "issue": lazy("Issue"), "return": lazy("Return"),
    "transfer": lazy("Transfer"), "write_off": lazy("Write-off"),
    "repair_out": lazy("Out for repair"), "repair_in": lazy("Back from repair")})
register_labels(Condition, labels={
    "good": lazy("Good"), "worn": lazy("Worn"), "damaged": lazy("Damaged"), "lost": lazy("Lost")})
register_labels(RequestStatus, labels={
    "open": lazy("Open"), "fulfilled": lazy("Fulfilled"), "refused": lazy("Refused")})
register_labels(PersonSource, labels={
    "duty": lazy("On the duty list"), "account": lazy("Account of the post"),
    "issued": lazy("Earlier issue")})
