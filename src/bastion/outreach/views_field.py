"""The outreach field page (``/outreach/field``): a visit entered on the phone with no network.

A shell like the patrol field page: the linked villages and topics come from the API and are
kept on the phone; each visit is queued by the floor's offline kit (``static/js/offline/``)
with a client UUID and sent to ``POST /api/v1/outreach/visits`` (a replay is answered
``"duplicate"``), its photo after it to ``POST /api/v1/outreach/photos`` by the same client
id. The service worker keeps the page and its files (``web.offline.register_page``)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bastion.core.i18n import gettext as _
from bastion.org.capabilities import require
from bastion.outreach.topics import TOPICS
from bastion.web.deps import CurrentUser
from bastion.web.offline import register_page
from bastion.web.templating import render

router = APIRouter(prefix="/outreach", include_in_schema=False)
PATH = "/outreach/field"
ASSETS = ("/static/js/outreach-field.js",)
register_page(PATH, assets=ASSETS)


def _words() -> dict[str, object]:
    return {
        "online": _("Online"),
        "offline": _("Offline: everything is kept on this phone and sent when a network returns."),
        "queue": _("{n} waiting to be sent"),
        "queue_empty": _("Everything has been sent."),
        "progress": _("{sent} of {total} sent"),
        "login": _("Your login has expired: log in again (nothing is lost), then sync."),
        "rejected": _("Refused by the server"),
        "conflict": _("Conflict: the server has this record with different content"),
        "kit_offline": _("Working from the villages kept on this phone (saved {time})."),
        "kit_missing": _("No villages on this phone yet: open this page once with a network."),
        "saved": _("Visit kept; it will be sent with the rest."),
        "choose_village": _("Choose a village."),
        "op": _("Outreach visit"),
        "op_photo": _("Outreach photo"),
        "topics": {k: _(v) for k, v in TOPICS.items()},
    }


@router.get("/field", response_class=HTMLResponse)
def field_page(request: Request, user: CurrentUser) -> Response:
    require(user, "outreach.record")
    return render(request, "outreach/field.html", words=json.dumps(_words(), ensure_ascii=False))
