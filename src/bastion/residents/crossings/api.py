"""REST API of crossing points (``/api/v1/residents/crossing-points``): the list every
registry user reads, what a text is recognised as, and the command's edits
(``residents.points.edit``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from bastion.core.bounds import Id
from bastion.core.pagination import Page, PageDep, paginate
from bastion.residents.crossings import points
from bastion.residents.crossings.models import PointKind
from bastion.residents.schemas import CrossingPointIn, CrossingPointOut
from bastion.web.deps import CurrentUser, SessionDep

router = APIRouter(prefix="/api/v1/residents/crossing-points", tags=["residents"])


@router.get("", response_model=Page[CrossingPointOut])
def list_points(session: SessionDep, user: CurrentUser, page: PageDep,
                kind: PointKind | None = None,
                active: bool | None = None) -> Page[CrossingPointOut]:
    return paginate(session, points.list_query(user=user, kind=kind, active=active), page,
                    CrossingPointOut.model_validate)


@router.get("/recognise")
def recognise(session: SessionDep, user: CurrentUser,
              text: Annotated[str, Query(min_length=1, max_length=200)]) -> dict[str, Any]:
    """The designated point ``text`` names, or ``designated: false``."""
    points.list_query(user=user)  # the capability check
    point = points.recognise(session, text)
    return {"text": text, "designated": point is not None,
            "point": CrossingPointOut.model_validate(point).model_dump() if point else None}


@router.post("/load-reference")
def load_reference(session: SessionDep, user: CurrentUser) -> dict[str, int]:
    """Add the shipped China–Vietnam points whose code is not there yet (edits are kept)."""
    return {"added": points.load_shipped(session, user=user)}


@router.get("/{point_id}", response_model=CrossingPointOut)
def get_point(point_id: Id, session: SessionDep, user: CurrentUser) -> CrossingPointOut:
    return CrossingPointOut.model_validate(points.get(session, user=user, point_id=point_id))


@router.post("", response_model=CrossingPointOut, status_code=201)
def add_point(data: CrossingPointIn, session: SessionDep, user: CurrentUser) -> CrossingPointOut:
    return CrossingPointOut.model_validate(points.create(session, user=user, data=data))


@router.put("/{point_id}", response_model=CrossingPointOut)
def edit_point(point_id: Id, data: CrossingPointIn, session: SessionDep,
               user: CurrentUser) -> CrossingPointOut:
    point = points.get(session, user=user, point_id=point_id)
    return CrossingPointOut.model_validate(points.update(session, user=user, point=point,
                                                         data=data))
