"""The duty hub (``/duty``): one nav link for the whole room, and from it the parts this user
may use — the page lists only what the user's capabilities allow."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from bastion.core.errors import Forbidden
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.org import capabilities
from bastion.web.deps import CurrentUser
from bastion.web.templating import render

router = APIRouter(prefix="/duty", include_in_schema=False)

# (path, title, what it is for, the capability it needs)
ROOMS = (
    ("/duty/me", lazy("My duties"),
     lazy("Your shifts across published rosters, swap requests and your calendar feed"),
     "duty.roster.read"),
    ("/duty/checkin", lazy("Check in"),
     lazy("Confirm presence while on online duty"), "duty.checkin"),
    ("/duty/rosters", lazy("Duty rosters"),
     lazy("Monthly rosters: solve, pin, publish, swaps"), "duty.roster.read"),
    ("/duty/log", lazy("Duty log"),
     lazy("Calls and reports with the five elements, followed to closure"), "duty.log.read"),
    ("/duty/handovers", lazy("Handovers"),
     lazy("Open items handed to the incoming officer, confirmed before release"),
     "duty.log.read"),
    ("/duty/hotline", lazy("Hotline"),
     lazy("Each call to the 24-hour line, tracked to closure on time"), "duty.hotline.read"),
    ("/duty/stats", lazy("Duty statistics"),
     lazy("Duty hours, calls by kind, closure on time"), "duty.stats"),
    ("/duty/setup", lazy("Duty set-up"),
     lazy("Roles, people, shifts, demand, holidays and rules"), "duty.roster.plan"),
)

HUB_CAPABILITIES = frozenset(capability for *_, capability in ROOMS)


def may_enter(user) -> bool:
    return any(capabilities.can(user, capability) for capability in HUB_CAPABILITIES)


@router.get("", response_class=HTMLResponse)
def hub(request: Request, user: CurrentUser) -> HTMLResponse:
    rooms = [(path, title, purpose) for path, title, purpose, capability in ROOMS
             if capabilities.can(user, capability)]
    if not rooms:
        raise Forbidden(_("Your agency has no part in 24-hour duty."))
    return render(request, "duty/home.html", rooms=rooms)
