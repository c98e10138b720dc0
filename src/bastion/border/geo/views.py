"""Pages of the border map: the map itself and the printable checkpoint QR sheet.

``OVERLAYS`` is the hook other parts of #12 add live layers through (CONTRACT.md): entries
``(capability, label, url)``; the page lists those the user holds and the script draws each
URL's GeoJSON, skipping one whose request fails, so an overlay can never break the map.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bastion.border.geo import (
    access,
    labels,  # noqa: F401  (registers the vocabulary)
    qr,
    service,
)
from bastion.border.geo.models import DefenceSegment
from bastion.core import context
from bastion.core.bounds import Id
from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _
from bastion.org import capabilities
from bastion.org.models import Agency
from bastion.web.deps import CurrentUser, SessionDep
from bastion.web.templating import render

router = APIRouter(prefix="/border", include_in_schema=False)

# (capability, label, url): appended to by the measures helper (live positions, blind spots).
OVERLAYS: list[tuple[str, str, str]] = []


def overlays_for(user) -> list[dict[str, str]]:
    return [{"label": _(str(label)), "url": url}
            for capability, label, url in OVERLAYS if capabilities.can(user, capability)]


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    access.require_read(user)
    printable = service.visible_segments(session, user=user) if access.can_write(user) else []
    return render(request, "border/map.html", overlays=overlays_for(user), printable=printable)


@router.get("/checkpoints/print", response_class=HTMLResponse)
def print_sheet(request: Request, session: SessionDep, user: CurrentUser,
                segment: Id | None = None, post: Id | None = None) -> Response:
    """A segment's or a post's checkpoints, each with its QR code, to print and post up."""
    access.require_write(user)
    if (segment is None) == (post is None):
        raise Invalid(_("Choose a segment or a post"), field="segment")
    title = ""
    if segment is not None:
        row: DefenceSegment = service.get_segment(session, user=user, segment_id=segment)
        title = f"{row.code} {row.name}"
    else:
        agency = session.get(Agency, post)
        title = agency.display_name(context.current().language) if agency else ""
    rows = service.for_sheet(session, user=user, segment_id=segment, post_agency_id=post)
    sheet = [{"code": c.code, "name": c.name, "radius_m": c.radius_m, "windows": c.windows,
              "lon": c.lon, "lat": c.lat, "qr": qr.data_uri(service.qr_text(c))} for c in rows]
    return render(request, "border/checkpoint_sheet.html", title=title, checkpoints=sheet)

