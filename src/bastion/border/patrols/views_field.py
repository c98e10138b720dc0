"""The patrol field page: an installable page that records a whole patrol with no network.

The page is a shell: what it works with comes from ``GET /api/v1/patrols/field-kit`` (kept on
the phone for offline use) and what it makes goes through the floor's offline kit
(``static/js/offline/``: IndexedDB queue, sync engine) to the field API. The service worker
keeps this page and its files (``web.offline.register_page``), so it opens with no network.
The words its script shows are given here, translated, as JSON in a data attribute (no
inline script).
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bastion.core.i18n import gettext as _
from bastion.org.capabilities import require
from bastion.web.deps import CurrentUser
from bastion.web.offline import register_page
from bastion.web.templating import render

router = APIRouter(prefix="/patrols", include_in_schema=False)
PATH = "/patrols/field"
ASSETS = ("/static/js/patrol-field.js", "/static/css/patrol-field.css")
register_page(PATH, assets=ASSETS)


def _words() -> dict[str, object]:
    """Everything patrol-field.js says, in the user's language."""
    return {
        "online": _("Online"),
        "offline": _("Offline: everything is kept on this phone and sent when a network returns."),
        "queue": _("{n} waiting to be sent"),
        "queue_empty": _("Everything has been sent."),
        "progress": _("{sent} of {total} sent"),
        "syncing": _("Sending…"),
        "waiting": _("Will try again at {time}."),
        "login": _("Your login has expired: log in again (nothing is lost), then sync."),
        "conflict": _("Conflict: the server has this record with different content"),
        "rejected": _("Refused by the server"),
        "retry": _("Try again"),
        "discard": _("Discard"),
        "discard_confirm": _("Discard this unsent item for good?"),
        "kit_offline": _("Working from the patrol data kept on this phone (saved {time})."),
        "kit_missing": _("No patrol data on this phone yet: open this page once with a network."),
        "new_patrol": _("New patrol (not planned)"),
        "planned": _("Planned {start}–{end}"),
        "started": _("Patrol under way"),
        "paused": _("Patrol paused"),
        "ended": _("Patrol ended"),
        "fixes": _("{n} positions recorded"),
        "no_fix": _("No position yet: allow location for this site and go outdoors."),
        "accuracy": _("accuracy {m} m"),
        "within": _("You are at this checkpoint ({m} m): check in?"),
        "distance": _("{m} m away"),
        "checked_in": _("Checked in"),
        "qr_unknown": _("No checkpoint has this code: {code}"),
        "qr_none": _("No code was found in the photo: type the code instead."),
        "qr_unsupported": _("This browser cannot read codes from photos: type the code."),
        "observation_saved": _("Observation kept; it will be sent with the rest."),
        "fix_errors": _("Correct the marked fields."),
        "choose_category": _("Choose a category."),
        "choose_member": _("Choose at least one member."),
        "sos_confirm": _("Send an SOS to the command and the post now?"),
        "sos_sent": _("SOS queued: it is sent as soon as a network is there. Call by phone too if you can."),
        "end_confirm": _("End this patrol?"),
        "wake_on": _("The screen stays on while recording."),
        "wake_off": _("This phone cannot keep the screen on: touch it now and then."),
        "leader": _("leader"),
        "pilot": _("driver/pilot"),
        "required": _("Required."),
        "number": _("Enter a number."),
        "min": _("At least"),
        "max": _("At most"),
        "format": _("Not in the expected form."),
        "transport": {"foot": _("On foot"), "vehicle": _("Vehicle"), "motorbike": _("Motorbike"),
                      "boat": _("Boat"), "drone": _("Drone")},
        "ops": {"start": _("Start of patrol"), "pause": _("Pause"), "resume": _("Resume"),
                "end": _("End of patrol"), "track": _("Track positions"),
                "check_in": _("Check-in"), "observation": _("Observation"),
                "photo": _("Photo"), "sos": _("SOS")},
    }


@router.get("/field", response_class=HTMLResponse)
def field_page(request: Request, user: CurrentUser) -> Response:
    require(user, "patrols.record")
    return render(request, "border/field.html", words=json.dumps(_words(), ensure_ascii=False))
