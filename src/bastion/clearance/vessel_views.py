"""From a call (or a hit on one) to its vessel's page on the maritime picture."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

from bastion.clearance.calls import service
from bastion.core.bounds import Id
from bastion.core.errors import NotFound
from bastion.core.i18n import gettext as _
from bastion.web.deps import CurrentUser, SessionDep

router = APIRouter(prefix="/clearance", include_in_schema=False)


@router.get("/{call_id}/vessel")
def vessel(session: SessionDep, user: CurrentUser, call_id: Id) -> RedirectResponse:
    """The vessel page of the call's MMSI (404 for a call the user may not see, or one
    declared without an MMSI)."""
    call = service.get_call(session, user=user, call_id=call_id)
    if not call.mmsi:
        raise NotFound(_("The call names no MMSI."))
    return RedirectResponse(f"/maritime/vessels/{call.mmsi}", status_code=303)
