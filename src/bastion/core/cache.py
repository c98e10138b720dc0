"""Where an installation keeps what it can rebuild: the platform's per-user cache folder.

Anything here is derived from data shipped with Bastion (e.g. the land mask's index,
``maritime/zones/land.py``), named after a hash of what it was built from, and safe to delete;
a reader rebuilds what is missing, stale or damaged, and carries on when it cannot write.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/bastion`` (``~/.cache/bastion``); the macOS and Windows equivalents."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "bastion" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "bastion"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "bastion"
