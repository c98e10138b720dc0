"""Display names for enum values, in the user's language (``{{ value|label }}`` in templates)."""

from __future__ import annotations

import enum

from bastion.core.i18n import gettext, lazy
from bastion.core.marking import TLP, Distribution

# The floor's own enums; each domain registers its words in its ``labels`` module (named in
# its manifest and imported when the app starts).
LABELS: dict[type[enum.Enum], dict[str, str]] = {
    TLP: {
        "clear": lazy("TLP:CLEAR — no limit on disclosure"),
        "green": lazy("TLP:GREEN — the community named by the distribution"),
        "amber": lazy("TLP:AMBER — officers of the agencies in the distribution"),
        "amber+strict": lazy("TLP:AMBER+STRICT — officers of my own agency only"),
        "red": lazy("TLP:RED — named people only"),
    },
    Distribution: {
        "own": lazy("My own agency"),
        "named": lazy("Named agencies or people"),
        "all": lazy("All agencies"),
    },
}


def label(value: enum.Enum | None) -> str:
    if value is None:
        return ""
    text = LABELS.get(type(value), {}).get(value.value)
    return gettext(text) if text else str(value.value)


# Plain-string vocabularies (not enums), registered by their domains: {namespace: {value: text}}.
VOCABULARIES: dict[str, dict[str, str]] = {}


def register_labels(enum_cls: type[enum.Enum] | None = None, *, namespace: str | None = None,
                    labels: dict[str, str]) -> None:
    if enum_cls is not None:
        LABELS[enum_cls] = labels
    if namespace is not None:  # a domain may add words to a vocabulary in several places
        VOCABULARIES.setdefault(namespace, {}).update(labels)


def term(value: str | None, namespace: str) -> str:
    """``{{ alert.kind|term("alert_kind") }}``: a vocabulary word in the user's language."""
    if value is None:
        return ""
    text = VOCABULARIES.get(namespace, {}).get(value)
    return gettext(text) if text else value

