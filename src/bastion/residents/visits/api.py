"""REST API of home visits (``/api/v1/residents/visits``): the user's open tasks, a task made
for a person (or one of their flags), the field kit a phone keeps for offline use, the result
recorded on the phone (idempotent by its client id: a replay answers 200 with
``"duplicate": true``) and cancelling. Need-to-know and capabilities are in the service.

The field page (``/residents/visits/field``) lives in ``visits/views.py``; its router is
included here so the manifest's one line for this package serves both."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from fastapi.encoders import jsonable_encoder

from bastion.core.bounds import Id
from bastion.core.pagination import Page, PageDep, paginate
from bastion.residents import views_reads, views_stats
from bastion.residents.manifest import DOMAIN
from bastion.residents.visits import service, views
from bastion.residents.visits.models import VisitStatus
from bastion.residents.visits.schemas import CancelIn, ResultIn, VisitIn
from bastion.web.deps import CurrentUser, SessionDep

api = APIRouter(prefix="/api/v1/residents/visits", tags=["residents"])

StatusQ = Annotated[VisitStatus | None, Query(description="open (default), done or cancelled")]


@api.get("")
def list_visits(session: SessionDep, user: CurrentUser, page: PageDep,
                status: StatusQ = VisitStatus.OPEN,
                resident_id: Id | None = None) -> Page[dict[str, Any]]:
    query = service.listing(user, status=status, resident_id=resident_id)
    return paginate(session, query, page, lambda row: jsonable_encoder(service.public(*row)),
                    scalars=False)


@api.post("", status_code=201)
def create(data: VisitIn, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    return jsonable_encoder(service.public(service.create(session, user=user, data=data)))


@api.get("/field-kit")
def field_kit(session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    return jsonable_encoder(service.field_kit(session, user=user))


@api.get("/{task_id:int}")
def get_visit(task_id: Id, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    return jsonable_encoder(service.public(*service.get(session, user=user, task_id=task_id)))


@api.post("/{task_id:int}/result", status_code=201)
def result(task_id: Id, data: ResultIn, response: Response, session: SessionDep,
           user: CurrentUser) -> dict[str, Any]:
    task, created = service.record_result(session, user=user, task_id=task_id, data=data)
    response.status_code = 201 if created else 200
    return jsonable_encoder({**service.public(task), "duplicate": not created})


@api.post("/{task_id:int}/cancel")
def cancel(task_id: Id, session: SessionDep, user: CurrentUser,
           data: CancelIn | None = None) -> dict[str, Any]:
    task = service.cancel(session, user=user, task_id=task_id,
                          reason=data.reason if data else "")
    return jsonable_encoder(service.public(task))


# The manifest names this module's ``router``: the API above and the field page, included
# after their routes are defined (``include_router`` copies the routes there are). The reads
# audit and the statistics ride along until the manifest names their own routers (then they
# are left to it, not served twice).
router = APIRouter()
router.include_router(api)
router.include_router(views.router)
for _name, _module in (("bastion.residents.views_reads:router", views_reads),
                       ("bastion.residents.views_stats:router", views_stats)):
    if _name not in DOMAIN.routers:
        router.include_router(_module.router)
