"""Statistics of the registry: ``GET /api/v1/residents/stats`` (JSON), the page
``/residents/stats`` and its workbook ``/residents/stats.xlsx`` (audited). What is counted and
who sees what is ``residents.stats``."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, Response

from bastion.core.i18n import gettext as _
from bastion.core.reference.people import DOCUMENT_TYPES
from bastion.residents import stats
from bastion.residents.flags import rules
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.templating import render

api = APIRouter(prefix="/api/v1/residents/stats", tags=["residents"])
pages = APIRouter(prefix="/residents", include_in_schema=False)
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@api.get("")
def get_stats(session: SessionDep, user: CurrentUser, settings: SettingsDep,
              since: date | None = None, until: date | None = None) -> dict[str, Any]:
    return jsonable_encoder(stats.compute(session, user=user, zone=settings.timezone,
                                          since=since, until=until))


def _labels() -> dict[str, Any]:
    statuses = {"open": _("Open"), "in_hand": _("In hand"), "confirmed": _("Confirmed"),
                "dismissed": _("Dismissed"), "cleared": _("Cleared")}
    return {
        "sheets": {"village": _("By village"), "nationality": _("By nationality"),
                   "document": _("By document"), "month": _("Crossings by month"),
                   "point": _("Crossings by point"), "flags": _("Flags"),
                   "marriages": _("Marriages")},
        "heads": {"village": _("Village"), "persons": _("Persons"),
                  "nationality": _("Nationality"), "document": _("Document"),
                  "type_code": _("Type code"), "month": _("Month"), "in": _("Entries"),
                  "out": _("Exits"), "total": _("Total"), "code": _("Code"),
                  "point": _("Crossing point"), "point_vi": _("Vietnamese name"),
                  "crossings": _("Crossings"), "flag": _("Flag"),
                  "registered": _("Registered marriages"),
                  "unregistered": _("Unregistered marriages")},
        "statuses": statuses,
        "flags": {k: rules.label(k) for k in rules.KINDS},
        "documents": {k: _(v) for k, v in DOCUMENT_TYPES.labels().items()},
        "none": _("None"),
        "undesignated": _("Not at a designated crossing"),
    }


@pages.get("/stats", response_class=HTMLResponse)
def stats_page(request: Request, session: SessionDep, user: CurrentUser,
               settings: SettingsDep, since: date | None = None,
               until: date | None = None) -> Response:
    data = stats.compute(session, user=user, zone=settings.timezone, since=since, until=until)
    return render(request, "residents/stats.html", s=data, labels=_labels())


@pages.get("/stats.xlsx")
def stats_xlsx(session: SessionDep, user: CurrentUser, settings: SettingsDep,
               since: date | None = None, until: date | None = None) -> Response:
    data = stats.compute(session, user=user, zone=settings.timezone, since=since, until=until)
    body = stats.xlsx(session, user=user, stats=data, labels=_labels())
    p = data["period"]
    return Response(body, media_type=MEDIA_TYPE, headers={
        "content-disposition":
            f"attachment; filename=residents-stats-{p['since']}-{p['until']}.xlsx"})


router = APIRouter()
router.include_router(api)
router.include_router(pages)
