"""The home-visit field page (``/residents/visits/field``): the post's open visits and a result
form for each, working with no network.

Like the patrol field page, it is a shell: the tasks and the few facts needed at the door come
from ``GET /api/v1/residents/visits/field-kit`` (kept on the phone) and each result goes
through the floor's offline kit (``static/js/offline/``: IndexedDB queue, sync engine) to
``POST /api/v1/residents/visits/{id}/result`` with a client id. The service worker keeps the
page and its files (``web.offline.register_page``). The words its script shows are given here,
translated, as JSON in a data attribute (no inline script)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.core.labels import register_labels
from bastion.org.capabilities import require
from bastion.residents.visits.models import VisitResult, VisitStatus
from bastion.web.deps import CurrentUser
from bastion.web.offline import register_page
from bastion.web.templating import render

router = APIRouter(prefix="/residents/visits", include_in_schema=False)
PATH = "/residents/visits/field"
ASSETS = ("/static/js/residents-visits.js", "/static/css/residents-visits.css")
register_page(PATH, assets=ASSETS)

RESULTS = {"verified": lazy("Found as recorded"), "changed": lazy("Found, records need changing"),
           "absent": lazy("Not at home"), "left": lazy("Has left"),
           "not_found": lazy("Unknown at the address")}
register_labels(VisitResult, labels=RESULTS)
register_labels(VisitStatus, labels={"open": lazy("Open"), "done": lazy("Done"),
                                     "cancelled": lazy("Cancelled")})


def _words() -> dict[str, object]:
    """Everything residents-visits.js says, in the user's language."""
    return {
        "online": _("Online"),
        "offline": _("Offline: everything is kept on this phone and sent when a network returns."),
        "queue": _("{n} waiting to be sent"),
        "queue_empty": _("Everything has been sent."),
        "progress": _("{sent} of {total} sent"),
        "waiting": _("Will try again at {time}."),
        "login": _("Your login has expired: log in again (nothing is lost), then sync."),
        "conflict": _("Conflict: the server has this record with different content"),
        "rejected": _("Refused by the server"),
        "retry": _("Try again"),
        "discard": _("Discard"),
        "discard_confirm": _("Discard this unsent item for good?"),
        "kit_offline": _("Working from the visits kept on this phone (saved {time})."),
        "kit_missing": _("No visits on this phone yet: open this page once with a network."),
        "no_tasks": _("No open home visits."),
        "due": _("Visit by {date}"),
        "village": _("Village"),
        "address": _("Address"),
        "result": _("Result"),
        "notes": _("Notes"),
        "save": _("Keep result"),
        "saved": _("Result kept; it will be sent with the rest."),
        "recorded": _("Result recorded: {result}"),
        "choose_result": _("Choose a result."),
        "op": _("Home visit result"),
        "results": {k: str(v) for k, v in RESULTS.items()},
    }


@router.get("/field", response_class=HTMLResponse)
def field_page(request: Request, user: CurrentUser) -> Response:
    require(user, "residents.visits")
    return render(request, "residents/visit_field.html",
                  words=json.dumps(_words(), ensure_ascii=False))
