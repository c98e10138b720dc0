"""Domains plug in: each declares itself in one manifest, and the app loops over them.

A domain is a package under ``bastion`` (or any installed package named by the
``bastion.domains`` entry-point group, or by ``BASTION_EXTRA_DOMAINS``) with a ``manifest``
module that defines ``DOMAIN = Domain(...)``. Everything the rest of the system needs from a
domain is named here as a dotted ``"module:attribute"`` string and imported only when used, so
that ``bastion --help`` does not import the AIS engine and the floor (``core/``) never imports
a domain.

Why strings rather than objects: importing a manifest must be cheap (the CLI reads every
manifest at start-up to list the commands), and the floor must not depend on the domains.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

ENTRY_POINT_GROUP = "bastion.domains"


@dataclass(frozen=True)
class Command:
    """A sub-command group of ``bastion`` (a Typer app), imported only when it runs."""

    name: str
    target: str  # "bastion.maritime.cli:app"
    help: str = ""


@dataclass(frozen=True)
class Job:
    """A periodic job run by ``bastion worker`` (and inside ``bastion serve`` by default).

    ``target`` is a function ``(sessions, settings) -> int | None`` (the number of things it
    did); ``every`` is seconds, or the name of a setting holding the seconds (0 turns it off).
    """

    name: str
    target: str
    every: float | str


@dataclass(frozen=True)
class Tile:
    """A dashboard tile: ``target`` returns the tile's data for a user, or None to hide it."""

    name: str
    target: str  # "module:function(session, user) -> dict | None"
    template: str  # a template that renders the data


@dataclass(frozen=True)
class Panel:
    """A section a domain adds to another domain's page (the vessel page shows the port calls
    of the vessel): ``target`` is ``function(*, session, user, **record) -> data | None``
    (None leaves it out: nothing to show, or the user may not read it), rendered by
    ``template`` with the data as ``panel``. The page names itself (``page``, e.g.
    ``"vessel"``) and what identifies its record; it never imports the other domain."""

    page: str
    target: str
    template: str


@dataclass(frozen=True)
class Capability:
    """A named function of the system (e.g. ``alerts.act``) that the grants table allows to
    some kinds of agency and roles. ``label`` is the English text (translated on display)."""

    name: str
    label: str


@dataclass(frozen=True)
class Domain:
    name: str
    package: str
    routers: tuple[str, ...] = ()  # "module:router", API and pages
    templates: str | None = None  # folder inside the package
    models: tuple[str, ...] = ()  # modules whose import registers ORM models
    migrations: str | None = None  # folder inside the package with this domain's Alembic versions
    commands: tuple[Command, ...] = ()
    settings: tuple[str, str] | None = None  # (field under Settings, "module:PydanticModel")
    labels: tuple[str, ...] = ()  # modules whose import registers labels (core.labels)
    visibility: tuple[str, ...] = ()  # modules whose import registers visibility checks
    reactions: tuple[str, ...] = ()  # modules whose import registers reactions (core.reactions)
    jobs: tuple[Job, ...] = ()
    tiles: tuple[Tile, ...] = ()
    panels: tuple[Panel, ...] = ()
    capabilities: tuple[Capability, ...] = ()
    grants: str | None = None  # a CSV file inside the package: capability,kind,min_role
    # "module:function(app) -> list[asyncio.Task]", in every server process; work that must run
    # once (a feed) starts only where ``app.state.leads`` (core/leader.py).
    startup: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        module = importlib.import_module(self.package)
        return Path(next(iter(module.__path__)))


def load(target: str) -> Any:
    """Import ``"module:attribute"`` (or a plain module name)."""
    module_name, _sep, attribute = target.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attribute) if attribute else module


def _manifest_modules() -> list[str]:
    import bastion

    names = [f"bastion.{info.name}.manifest" for info in pkgutil.iter_modules(bastion.__path__)
             if info.ispkg and _has_manifest(bastion.__path__, info.name)]
    names += [ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)]
    extra = os.environ.get("BASTION_EXTRA_DOMAINS", "")
    names += [name.strip() for name in extra.split(",") if name.strip()]
    return names


def _has_manifest(paths: Any, package: str) -> bool:
    return any((Path(p) / package / "manifest.py").exists() for p in paths)


@lru_cache
def registered() -> tuple[Domain, ...]:
    """Every installed domain, platform packages first, then the rest by name."""
    found: dict[str, Domain] = {}
    for module_name in _manifest_modules():
        domain = load(module_name).DOMAIN
        found.setdefault(domain.name, domain)
    return tuple(sorted(found.values(), key=lambda d: (d.extra.get("order", 50), d.name)))


def reset() -> None:
    """Forget the registry (tests that add a domain)."""
    registered.cache_clear()


def import_all(part: str) -> None:
    """Import every registered domain's modules of one kind: ``"models"`` (fills the ORM
    metadata), ``"labels"`` (registers words), ``"visibility"`` (registers the live stream's
    checks) or ``"reactions"`` (core.reactions). Importing twice is harmless: Python
    imports a module once."""
    for domain in registered():
        for module in getattr(domain, part):
            importlib.import_module(module)


def panels(page: str, **record: Any) -> list[tuple[str, Any]]:
    """The sections other domains add to ``page`` for this record: (template, data) pairs in
    registry order. ``record`` holds ``session``, ``user`` and what identifies the record."""
    found = []
    for domain in registered():
        for panel in domain.panels:
            if panel.page == page:
                data = load(panel.target)(**record)
                if data is not None:
                    found.append((panel.template, data))
    return found


def tiles(*, session: Any, user: Any) -> list[tuple[str, Any]]:
    """The dashboard's tiles for this user: (template, data) pairs in registry order; a
    tile whose target returns None (nothing for this user) is left out."""
    found = []
    for domain in registered():
        for tile in domain.tiles:
            data = load(tile.target)(session, user)
            if data is not None:
                found.append((tile.template, data))
    return found


def template_dirs() -> list[Path]:
    """Each domain's template folder, in registry order (the web shell puts its own first)."""
    return [domain.path / domain.templates for domain in registered() if domain.templates]


def migration_dirs() -> list[Path]:
    """Each domain's own Alembic versions folder, for ``version_locations``."""
    return [domain.path / domain.migrations for domain in registered() if domain.migrations]
