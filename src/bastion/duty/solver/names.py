"""Posts and roles a PROBLEM.json names without declaring them (``posts``, ``roles``): the
names a file knows are those its people name, so a demand row for a post no person works at
or a role no person holds is an error where it stands (with the near name when there is one:
``duty_leadr`` is a typo of ``duty_leader``, not a role nobody holds); a person's post or role
no demand row names is a warning, since it changes nothing and is often a typo. Called by
``parse.parse_problem`` with its reader (``err``, ``warnings``)."""

from __future__ import annotations

import difflib
from typing import Any


def _names(rows: list[Any], key: str) -> set[str]:
    """The strings under ``key`` (a string or a list of them) in the objects of ``rows``, as
    written: a row refused for another reason still names its post and role."""
    found: set[str] = set()
    for item in rows:
        value = item.get(key) if isinstance(item, dict) else None
        for name in value if isinstance(value, list) else [value]:
            if isinstance(name, str) and name.strip():
                found.add(name.strip())
    return found


def undeclared(r: Any, top: dict[str, Any], posts: bool, roles: bool) -> None:
    """Without ``posts`` (``roles``) declared, the posts (roles) a file knows are those its
    people name: a demand row naming another is an error; a person's post or role that no
    demand row names is a warning (it changes nothing, and is often a typo)."""
    rows = top.get("demand") if isinstance(top.get("demand"), list) else []
    persons = top.get("people") if isinstance(top.get("people"), list) else []
    if not rows or not persons:
        return  # nothing to hold one side against: the list's own errors say why
    sides = {"post": (_names(persons, "post"), _names(rows, "post")),
             "role": (_names(persons, "roles"), _names(rows, "role"))}
    checked = [k for k, wanted in (("post", posts), ("role", roles)) if wanted]
    for i, item in enumerate(rows):
        for key in checked:
            name = item.get(key) if isinstance(item, dict) else None
            if isinstance(name, str) and name.strip() and name.strip() not in sides[key][0]:
                r.err(f"demand[{i}].{key}", f"unknown {key} {name.strip()!r}: no person "
                      + ("works there" if key == "post" else "holds it")
                      + f" and \"{key}s\" does not declare it"
                      + _near(name.strip(), sides[key][0]))
    for i, item in enumerate(persons):
        if not isinstance(item, dict):
            continue
        for key, field in (("post", "post"), ("role", "roles")):
            value = item.get(field) if key in checked else None
            named = enumerate(value) if isinstance(value, list) else [(None, value)]
            for j, name in named:
                if isinstance(name, str) and name.strip() and name.strip() not in sides[key][1]:
                    path = f"people[{i}].{field}" + (f"[{j}]" if j is not None else "")
                    r.warnings.append((path, f"{key} {name.strip()!r} is named by no demand "
                                       "row: it changes nothing" + _near(name.strip(),
                                                                         sides[key][1])))


def _near(name: str, known: set[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""
