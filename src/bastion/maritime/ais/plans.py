"""pyais's own decoder plans, run straight into a dict.

pyais describes each fixed-layout message type as a plan of (name, offset, width, signed, kind,
converter) and builds an attrs object from it; we then need a dict, which costs a second pass
(``asdict``). Here the same plan and the same converters fill the dict in one pass, and six-bit
text comes out of one base64 round trip in C instead of one shift per character. On the AISHub
sample this cut the cost of the non-position types (4, 5, 9, 19, 20, ...: one message in eight)
roughly in half; ``tests/maritime/ais/test_fast_path.py`` checks it against pyais (with the
corrections of ``conventions.py``) on every message. Text and codes follow ``conventions.py``.

Types whose layout depends on content (6, 8, 16, 22, 24-26), with variable-length fields (12, 14,
17, 21) or with computed attributes fall back to pyais, as do payloads shorter than the layout.
"""

from __future__ import annotations

from pyais.messages import BOOL, FLOAT, INT, MSG_CLASS, STR, Payload

from bastion.maritime.ais.conventions import is_code, text


def _compile(cls: type[Payload]) -> tuple[int, list] | None:
    """(total width, steps) for a class whose plan we can run, else None."""
    if cls.from_vector.__func__ is not Payload.from_vector.__func__:
        return None
    fields = cls.fields()
    if tuple(f.name for f in fields) != tuple(cls.__slots__):
        return None  # computed attributes (e.g. type 21 full_name)
    steps = []
    total = 0
    for (name, offset, width, signed, kind, converter), field in zip(
            cls.decoder_plan(), fields, strict=True):
        md = field.metadata
        if md["variable_length"] or (kind == STR and width % 6):
            return None
        total = offset + width
        if is_code(converter):
            converter = None  # the code as sent, not pyais's enum default (conventions.py)
        steps.append((None if md["is_spare"] else name, offset, width, signed, kind, converter,
                       (1 << width) - 1))
    return total, steps


_PLANS = {kind: plan for kind, cls in MSG_CLASS.items() if kind and (plan := _compile(cls))}
PLANNED_TYPES = frozenset(_PLANS)


def run_plan(kind: int, value: int, length: int) -> dict | None:
    """Decode ``length`` bits in ``value``; None when pyais must do it (unknown shape)."""
    plan = _PLANS.get(kind)
    if plan is None or length < plan[0]:
        return None
    out = {}
    for name, offset, width, signed, ftype, converter, mask in plan[1]:
        if name is None:
            continue
        val = (value >> (length - offset - width)) & mask
        if ftype == INT:
            if signed and val >> (width - 1):
                val -= 1 << width
        elif ftype == FLOAT:
            if signed and val >> (width - 1):
                val -= 1 << width
            val = float(val)
        elif ftype == BOOL:
            val = bool(val)
        elif ftype == STR:
            val = text(val, width)
        else:  # bytes, left-aligned in whole bytes as pyais's get_bytes
            size = (width + 7) >> 3
            val = (val << (size * 8 - width)).to_bytes(size, "big")
        if converter is not None:
            val = converter(val)
        out[name] = val
    return out
