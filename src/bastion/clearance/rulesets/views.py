"""Page: the station's pre-check rules, read by officers and changed by supervisors."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bastion.clearance import labels  # noqa: F401  (registers the vocabulary)
from bastion.clearance.precheck import reason_text
from bastion.clearance.rulesets import service
from bastion.core.errors import BastionError
from bastion.org import capabilities
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.templating import render

router = APIRouter(prefix="/clearance", include_in_schema=False)


def _page(request, session, user, status_code=200, rules=None, **extra) -> Response:
    version, in_force = service.in_force(session, station_org_id=user.organisation_id)
    rules = rules if rules is not None else in_force
    shown = [{**r, "text": _example(r)} for r in rules]
    return render(request, "clearance/rules.html", status_code=status_code, rules=shown,
                  version=version, levels=service.LEVELS, outcomes=service.OUTCOMES,
                  may_edit=capabilities.can(user, "precheck_rules.edit"),
                  versions=service.versions(session, station_org_id=user.organisation_id),
                  **extra)


def _example(rule: dict) -> str:
    """The reason as an officer would read it, with sample values."""
    try:
        return reason_text(rule, service.example_values(rule))
    except (KeyError, IndexError, ValueError):
        return ""


@router.get("/rules", response_class=HTMLResponse)
def rules_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    capabilities.require(user, "precheck.read")  # never an agent: they show how to slip by
    return _page(request, session, user)


@router.post("/rules", response_class=HTMLResponse)
async def save_rules(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    capabilities.require(user, "precheck.read")  # never an agent: they show how to slip by
    form = await request.form()
    _version, current = service.in_force(session, station_org_id=user.organisation_id)
    edited = []
    for i, rule in enumerate(current):
        rule = dict(rule)
        rule["level"] = form.get(f"level_{i}", rule["level"])
        rule["enabled"] = form.get(f"enabled_{i}") == "on"
        if rule["test"] == "alert_within_days":
            days = str(form.get(f"value_{i}") or rule["value"][1])
            rule["value"] = [rule["value"][0], int(days) if days.isdigit() else days]
        elif rule["test"] in ("persons_with", "risk_at_least", "violations_at_least"):
            rule["value"] = form.get(f"value_{i}", rule["value"])
        edited.append(rule)
    try:
        service.save(session, user=user, rules=edited, note=str(form.get("note") or "") or None)
    except BastionError as exc:
        if exc.status_code != 422:
            raise
        session.rollback()
        problems = getattr(exc, "problems", [(exc.field or "", exc.message)])
        return _page(request, session, user, 422, rules=edited, problems=problems)
    return RedirectResponse("/clearance/rules", status_code=303)
