"""Keep the translation catalogues in step with the code.

    python scripts/i18n.py extract   # write src/bastion/locale/messages.pot from code and templates
    python scripts/i18n.py update    # merge the template into zh_CN and en catalogues
    python scripts/i18n.py check     # list messages without a Chinese translation (exit 1 if any)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "bastion" / "locale"
POT = LOCALE / "messages.pot"
PYBABEL = [sys.executable, "-m", "babel.messages.frontend"]


def extract() -> None:
    subprocess.run([*PYBABEL, "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_", "-k", "gettext",
                    "-k", "lazy", "-k", "ngettext:1,2", "--no-location", "--sort-output",
                    "--omit-header", "-o", str(POT), str(ROOT)], check=True, cwd=ROOT)


def update() -> None:
    for locale in ("zh_CN", "en"):
        po = LOCALE / locale / "LC_MESSAGES" / "messages.po"
        verb = "update" if po.exists() else "init"
        extra = ["--no-fuzzy-matching", "--ignore-obsolete"] if verb == "update" else []
        subprocess.run([*PYBABEL, verb, "-i", str(POT), "-d", str(LOCALE), "-l", locale,
                        "--no-wrap", *extra], check=True)


def missing() -> list[str]:
    with (LOCALE / "zh_CN" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    return [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else "check"
    if action == "extract":
        extract()
    elif action == "update":
        update()
    else:
        gaps = missing()
        for gap in gaps:
            print(f"untranslated: {gap!r}")
        sys.exit(1 if gaps else 0)
