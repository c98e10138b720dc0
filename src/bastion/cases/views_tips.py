"""The tip page (``/tips``): a village committee member enters what a villager saw, from the
phone, with no network too; below it, their own tips and whether each was received and acted
on (nothing else of the case).

A shell like the patrol and home-visit field pages: each tip is queued on the phone by the
floor's offline kit (``static/js/offline/``) as one multipart operation with a client UUID,
the phone's time, a fix and the photo, and sent to ``POST /api/v1/tips`` when a network is
there (a re-send answers "duplicate"). The service worker keeps the page
(``web.offline.register_page``)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bastion.cases.models import TipKind
from bastion.core.i18n import gettext as _
from bastion.core.labels import label
from bastion.org.capabilities import require
from bastion.web.deps import CurrentUser
from bastion.web.offline import register_page
from bastion.web.templating import render

router = APIRouter(prefix="/tips", include_in_schema=False)
PATH = "/tips/field"
ASSETS = ("/static/js/cases-tip.js", "/static/css/residents-visits.css")
register_page(PATH, assets=ASSETS)


def _words() -> dict[str, object]:
    """Everything cases-tip.js says, in the user's language."""
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
        "op": _("Tip from the public"),
        "kept": _("Tip kept on this phone; it will be sent with the rest."),
        "not_sent": _("Not yet sent"),
        "choose_kind": _("Choose what was seen."),
        "describe": _("Say what was seen, or add a photo."),
        "no_fix": _("No position: the village's place will be used."),
        "fix": _("Position {lat}, {lon} (±{m} m)"),
        "none": _("No tips yet."),
        "mine_offline": _("Your tips as last seen online (saved {time})."),
        "kinds": {k.value: label(k) for k in TipKind},
        "states": {"received": _("Received, being looked into"), "acted_on": _("Acted on")},
    }


@router.get("/field", response_class=HTMLResponse)
def tip_page(request: Request, user: CurrentUser) -> Response:
    require(user, "cases.tips.submit")
    return render(request, "cases/tip.html", kinds=list(TipKind),
                  words=json.dumps(_words(), ensure_ascii=False))
