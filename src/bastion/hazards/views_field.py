"""The field page (``/hazards/field``): report a hazard from the phone with a photo and a GPS
fix, with no network. A shell like the patrol field page: the categories and posts come from
``GET /api/v1/hazards/field-kit`` (kept on the phone), each report is queued by the floor's
offline kit (``static/js/offline/``) with a client UUID and sent to ``POST /api/v1/hazards``
(a replay is answered "duplicate"), then its photo to ``/api/v1/hazards/field/photos``. The
service worker keeps the page (``web.offline.register_page``)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bastion.core.i18n import gettext as _
from bastion.org.capabilities import require
from bastion.web.deps import CurrentUser
from bastion.web.offline import register_page
from bastion.web.templating import render

router = APIRouter(prefix="/hazards", include_in_schema=False)
PATH = "/hazards/field"
ASSETS = ("/static/js/hazards-field.js", "/static/css/hazards.css")
register_page(PATH, assets=ASSETS)


def _words() -> dict[str, object]:
    """Everything hazards-field.js says, in the user's language."""
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
        "kit_offline": _("Working from the lists kept on this phone (saved {time})."),
        "kit_missing": _("Nothing kept on this phone yet: open this page once with a network."),
        "locating": _("Finding the position…"),
        "fix": _("Position {lat}, {lon} (±{acc} m)"),
        "no_fix": _("No position: the report needs one. Go outside and try again."),
        "choose_category": _("Choose a category."),
        "choose_post": _("Choose the post responsible."),
        "kept": _("Report kept; it will be sent with the rest."),
        "op_report": _("Hazard report"),
        "op_photo": _("Photo of a hazard report"),
        "sent_list": _("Reports from this phone"),
    }


@router.get("/field", response_class=HTMLResponse)
def field_page(request: Request, user: CurrentUser) -> Response:
    require(user, "hazards.report")
    return render(request, "hazards/field.html", words=json.dumps(_words(), ensure_ascii=False))
