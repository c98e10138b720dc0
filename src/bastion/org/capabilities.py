"""Capabilities: which kinds of agency, and which roles in them, may use each function.

Every function of Bastion is guarded by a named capability (``alerts.act``,
``precheck_rules.edit``, ...). Domains declare their capabilities in their manifest and ship
their grants as a table (``grants.csv`` beside the manifest): one row a capability, one column
a kind of agency, and in each cell the lowest role that has it (empty: nobody of that kind).
The tables of all domains are one table at run time, shown on ``/admin/capabilities``; a
deployment may replace rows with its own file (``BASTION_GRANTS_FILE``) without touching code.

Capabilities say what a person may *do*; TLP markings (core.marking) still decide which
records they see. Services check both: ``require(user, "alerts.act")`` before acting, and
``visible_to`` in every query.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bastion.core import domains
from bastion.core.errors import Forbidden
from bastion.core.i18n import gettext as _
from bastion.org.models import AgencyKind, Role, User

PLATFORM_GRANTS = Path(__file__).resolve().parent / "data" / "grants.csv"


@dataclass(frozen=True)
class Grants:
    """The effective table: capability -> kind -> lowest role; and each capability's label."""

    table: dict[str, dict[AgencyKind, Role]]
    labels: dict[str, str]
    domain_of: dict[str, str]

    def lowest_role(self, capability: str, kind: AgencyKind) -> Role | None:
        return self.table.get(capability, {}).get(kind)


class UnknownCapability(KeyError):
    """A check named a capability no domain declares: a programming error, never a 403."""


def read_table(path: Path) -> dict[str, dict[AgencyKind, Role]]:
    """One grants file: ``capability`` then a column per agency kind, cells a role or empty."""
    table: dict[str, dict[AgencyKind, Role]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            name = (row.pop("capability") or "").strip()
            if not name or name.startswith("#"):
                continue
            cells: dict[AgencyKind, Role] = {}
            for column, value in row.items():
                value = (value or "").strip()
                if not value:
                    continue
                try:
                    cells[AgencyKind(column.strip())] = Role(value)
                except ValueError:
                    raise ValueError(f"{path}:{line}: column {column!r}: {value!r} is not an "
                                     "agency kind with a role") from None
            table[name] = cells
    return table


@lru_cache
def grants() -> Grants:
    table: dict[str, dict[AgencyKind, Role]] = {}
    labels: dict[str, str] = {}
    domain_of: dict[str, str] = {}
    for domain in domains.registered():
        for capability in domain.capabilities:
            labels[capability.name] = capability.label
            domain_of[capability.name] = domain.name
        if domain.grants:
            table.update(read_table(domain.path / domain.grants))
    override = os.environ.get("BASTION_GRANTS_FILE")
    if override:
        table.update(read_table(Path(override)))
    undeclared = sorted(set(table) - set(labels))
    if undeclared:
        raise ValueError(f"grants name undeclared capabilities: {', '.join(undeclared)}")
    for name in labels:
        table.setdefault(name, {})
    return Grants(table=table, labels=labels, domain_of=domain_of)


def can(user: User | None, capability: str) -> bool:
    """Whether ``user`` may use ``capability``, by their own agency's kind and their role."""
    table = grants()
    if capability not in table.table:
        raise UnknownCapability(capability)
    if user is None or not user.active:
        return False
    lowest = table.lowest_role(capability, user.agency.kind)
    return lowest is not None and user.has_role(lowest)


def require(user: User, capability: str) -> None:
    """Refuse (403) a function the user's agency kind or role does not have."""
    if not can(user, capability):
        label = _(grants().labels[capability])
        raise Forbidden(_("Your agency or role does not have this function: {what}.").format(
            what=label))


def holders(capability: str) -> list[tuple[AgencyKind, Role]]:
    """(kind, lowest role) pairs that hold a capability: for queries of who may act."""
    return sorted(grants().table.get(capability, {}).items())


def of(user: User) -> list[str]:
    """Every capability the user has (for the UI to show only what they can use)."""
    return sorted(name for name in grants().table if can(user, name))


def matrix() -> list[dict]:
    """The whole table for the admin page and the API: one row a capability."""
    table = grants()
    return [{"name": name, "label": table.labels[name], "domain": table.domain_of[name],
             "cells": dict(table.table[name])} for name in sorted(table.table)]


def reset() -> None:
    grants.cache_clear()
