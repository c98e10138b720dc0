"""The post's issue/return page for the phone (``/supplies/field``), working with no network.

A shell like the home-visit field page: the post's stores, the catalogue and its people come
from ``GET /api/v1/supplies/field-kit`` (kept on the phone), and each issue or return goes
through the floor's offline kit (``static/js/offline/``) to ``POST /api/v1/supplies/movements``
with a client id, so a re-upload is answered "duplicate". The words its script shows are given
here, translated, as JSON in a data attribute (no inline script)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bastion.core import context
from bastion.core.i18n import gettext as _
from bastion.org.capabilities import require
from bastion.supplies import access, catalogue, service
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.offline import register_page
from bastion.web.templating import render

router = APIRouter(include_in_schema=False)
PATH = "/supplies/field"
ASSETS = ("/static/js/supplies-field.js",)
register_page(PATH, assets=ASSETS)


def _words() -> dict[str, object]:
    return {
        "online": _("Online"),
        "offline": _("Offline: everything is kept on this phone and sent when a network returns."),
        "queue": _("{n} waiting to be sent"),
        "queue_empty": _("Everything has been sent."),
        "conflict": _("Conflict: the server has this record with different content"),
        "rejected": _("Refused by the server"),
        "kit_offline": _("Working from the list kept on this phone (saved {time})."),
        "kit_missing": _("Nothing on this phone yet: open this page once with a network."),
        "kept": _("Kept; it will be sent with the rest."),
        "choose": _("Choose an item and say who."),
        "op": _("Supply movement"),
    }


@router.get(PATH, response_class=HTMLResponse)
def field_page(request: Request, user: CurrentUser) -> Response:
    require(user, "supplies.move")
    return render(request, "supplies/field.html", words=json.dumps(_words(), ensure_ascii=False))


@router.get("/api/v1/supplies/field-kit", tags=["supplies"])
def field_kit(session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """What the phone keeps: the user's stores, the catalogue, and the people of each store
    (``service.post_people``: its duty list first)."""
    require(user, "supplies.move")
    language = context.current().language
    stores = access.stores(session, user)[:20]
    return {
        "stores": [{"id": s.id, "name": s.display_name(language)} for s in stores],
        "items": [{"code": i.code, "name": i.display_name(language), "unit": i.unit,
                   "tracked": i.tracked}
                  for i in session.scalars(catalogue.items_query(user).limit(1000))],
        "people": {s.id: [p.name for p in service.post_people(session, user=user,
                                                               agency_id=s.id)]
                   for s in stores},
    }
