"""A station's pre-check rules: the shipped defaults until a supervisor saves a version.

A save is validated as a whole (every problem named by its path, e.g. ``rules[2].value``) and
either stored as the next version or not at all; the pre-check of each call records the
version it applied, so a decision can always be traced to the rules in force at the time.
"""

from __future__ import annotations

from collections.abc import Sequence
from string import Formatter
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.clearance import precheck
from bastion.clearance.rulesets.models import PrecheckRuleSet
from bastion.core import events
from bastion.core.errors import Conflict, Invalid
from bastion.core.i18n import gettext as _
from bastion.org.models import User

LEVELS = tuple(level.code for level in precheck.Level)
OUTCOMES = ("clear", "check", "stop")
ALERT_KINDS = ("gap", "encounter", "loitering", "teleport", "mmsi_conflict", "invalid_identity",
               "identity_change", "zone_entry", "shore_approach", "on_land", "dark_rendezvous",
               "encounter_short")
LANGUAGES = ("en", "zh-CN")
# Values a reason may use, per test (a custom wording is checked against them on save).
SAMPLE_VALUES = {
    "persons_with": {"n": 1}, "risk_at_least": {"score": 50.0, "value": 30},
    "alert_within_days": {"days": 14}, "last_port_mismatch": {"declared": "HKHKG", "seen": "VNHPH"},
    "violations_at_least": {"n": 1}, "first_call": {}, "identity_mismatch": {"fields": "imo"},
}


def example_values(rule: dict[str, Any]) -> dict[str, Any]:
    """The values a rule's reason would read with when the rule only just fires, taken from the
    rule's own threshold: a rule "at least 60" is shown firing at 60, never with another rule's
    sample (which once read "risk score 50 is at least 30" beside a threshold of 60)."""
    test, value = rule.get("test"), rule.get("value")
    values = dict(SAMPLE_VALUES.get(test, {}))
    try:
        if test == "risk_at_least":
            values.update(score=float(value), value=float(value) if float(value) % 1 else
                          int(float(value)))
        elif test == "violations_at_least":
            values["n"] = max(1, int(value))
        elif test == "alert_within_days":
            values["days"] = int(value[1])
        elif test == "identity_mismatch":  # a field as the reader's language names it
            values["fields"] = _(precheck.IDENTITY_FIELDS["imo"])
    except (TypeError, ValueError, IndexError):
        pass  # an invalid threshold being corrected: the sample still reads
    return values


def defaults() -> list[dict[str, Any]]:
    """The shipped rules as storable data (their reasons stay the translated defaults)."""
    return [{"id": r["id"], "test": r["test"], "value": r["value"], "level": r["level"],
             "enabled": True} for r in precheck.DEFAULT_RULES]


def latest(session: Session, *, station_org_id: int) -> PrecheckRuleSet | None:
    return session.scalar(select(PrecheckRuleSet).where(
        PrecheckRuleSet.station_org_id == station_org_id)
        .order_by(PrecheckRuleSet.version.desc()).limit(1))


def in_force(session: Session, *, station_org_id: int) -> tuple[int, list[dict[str, Any]]]:
    """(version, rules); version 0 means the shipped defaults."""
    saved = latest(session, station_org_id=station_org_id)
    return (saved.version, saved.rules) if saved else (0, defaults())


def versions_query(*, station_org_id: int) -> Select[tuple[PrecheckRuleSet]]:
    return select(PrecheckRuleSet).where(
        PrecheckRuleSet.station_org_id == station_org_id).order_by(
        PrecheckRuleSet.version.desc())


def versions(session: Session, *, station_org_id: int) -> Sequence[PrecheckRuleSet]:
    return session.scalars(versions_query(station_org_id=station_org_id)).all()


def save(session: Session, *, user: User, rules: list[dict[str, Any]],
         note: str | None = None) -> PrecheckRuleSet:
    from bastion.org import capabilities

    capabilities.require(user, "precheck_rules.edit")
    cleaned, problems = validate(rules)
    if problems:
        error = Invalid(_("The rules have {n} problems; nothing was saved.").format(
            n=len(problems)), field=problems[0][0])
        error.problems = problems  # type: ignore[attr-defined]
        raise error
    station = user.organisation_id
    current = latest(session, station_org_id=station)
    row = PrecheckRuleSet(station_org_id=station, version=(current.version if current else 0) + 1,
                          rules=cleaned, note=note, saved_by_id=user.id)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise Conflict(_("Someone saved the rules at the same time; reload and save again."),
                       field="rules") from None
    events.emit(session, kind="precheck_rules.saved", actor_id=user.id,
                record_kind="precheck_rule_set", record_id=row.id,
                payload={"version": row.version, "rules": len(cleaned)})
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind="precheck_rule_set",
                 record_id=row.id, summary=f"pre-check rules v{row.version}", reason=note)
    return row


def validate(rules: Any) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """Clean rules and the problems found, each as (path, message)."""
    if not isinstance(rules, list) or not rules:
        return [], [("rules", _("Give at least one rule."))]
    cleaned, problems, seen = [], [], set()
    for i, rule in enumerate(rules):
        where = f"rules[{i}]"
        if not isinstance(rule, dict):
            problems.append((where, _("A rule is an object.")))
            continue
        rid, test = str(rule.get("id") or "").strip(), rule.get("test")
        if not rid or len(rid) > 40:
            problems.append((f"{where}.id", _("Give the rule a short id.")))
        elif rid in seen:
            problems.append((f"{where}.id", _("Two rules have the id {id}.").format(id=rid)))
        seen.add(rid)
        if test not in precheck.TESTS:
            problems.append((f"{where}.test", _("Unknown test.")))
            continue
        value, problem = _value(test, rule.get("value"))
        if problem:
            problems.append((f"{where}.value", problem))
        if rule.get("level") not in LEVELS:
            problems.append((f"{where}.level", _("Level must be one of {levels}.").format(
                levels=", ".join(LEVELS))))
        out = {"id": rid, "test": test, "value": value, "level": rule.get("level"),
               "enabled": bool(rule.get("enabled", True))}
        reason = rule.get("reason")
        if reason:
            problem = _reason_problem(reason, test)
            if problem:
                problems.append((f"{where}.reason", problem))
            else:
                out["reason"] = {k: v.strip() for k, v in reason.items() if v and v.strip()}
        cleaned.append(out)
    return cleaned, problems


def _value(test: str, value: Any) -> tuple[Any, str | None]:
    if test == "persons_with":
        return (value, None) if value in OUTCOMES else (value, _(
            "Must be one of {values}.").format(values=", ".join(OUTCOMES)))
    if test in ("risk_at_least", "violations_at_least"):
        high = 100 if test == "risk_at_least" else 1000
        try:
            number = float(value) if test == "risk_at_least" else int(value)
        except (TypeError, ValueError):
            return value, _("Must be a number.")
        return (number, None) if 0 <= number <= high else (value, _(
            "Must be between 0 and {high}.").format(high=high))
    if test == "alert_within_days":
        if not (isinstance(value, list | tuple) and len(value) == 2):
            return value, _("Give an alert kind and a number of days.")
        kind, days = value
        if kind not in ALERT_KINDS:
            return value, _("Unknown alert kind {kind}.").format(kind=kind)
        if not isinstance(days, int) or not 1 <= days <= 365:
            return value, _("Days must be a whole number from 1 to 365.")
        return [kind, days], None
    return None, None


def _reason_problem(reason: Any, test: str) -> str | None:
    """A supervisor's wording may name the test's values ({n}, {score}, ...) and nothing else:
    no attribute or index lookups, no format specs, so no wording can fail at pre-check time."""
    if not isinstance(reason, dict) or not set(reason) <= set(LANGUAGES) or \
            not all(isinstance(v, str) and len(v) <= 500 for v in reason.values()):
        return _("A reason gives texts by language (en, zh-CN).")
    allowed = set(SAMPLE_VALUES[test])
    for text in reason.values():
        try:
            fields = [(name, spec, conv) for _lit, name, spec, conv in Formatter().parse(text)
                      if name is not None]
        except ValueError:
            fields = [("?", "", None)]
        if any(name not in allowed or spec or conv for name, spec, conv in fields):
            return _("The text uses a value this test does not give; it may use {names}.").format(
                names=", ".join("{" + k + "}" for k in sorted(allowed)) or "-")
    return None


def _may_see(session: Session, user: User, record_id: int) -> bool:
    """A station's rules are its own staff's business (as on the rules page)."""
    row = session.get(PrecheckRuleSet, record_id)
    return row is not None and row.station_org_id == user.organisation_id


events.register_visibility("precheck_rule_set", _may_see)
