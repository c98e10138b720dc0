"""Package re-exports imported on first use (PEP 562).

A domain package's ``__init__`` is imported whenever anything under it is: its manifest (the
CLI reads every manifest to list its commands), its ``cli`` module for ``--help``. Re-exporting
the heavy modules eagerly there made ``bastion --help`` import the AIS decoder and the name
matcher; ``__getattr__ = lazy_exports(__name__, {...})`` keeps ``from pkg import name`` working
without that cost.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any


def lazy_exports(package: str, names: dict[str, str]) -> Callable[[str], Any]:
    """``names``: exported name → module relative to ``package`` (e.g. ``".score"``)."""
    import sys

    def __getattr__(name: str) -> Any:
        if name not in names:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(names[name], package), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
