"""Requests: a post asks the command for items (``supplies.move`` at the post); the command
fulfils one — an issue from its store (or another it names) to the post, linked to the
request — or refuses it with a reason. The command's officers are told of a new request, the
post's of the decision. A post sees its own requests, the command all of its posts'."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.core.db import utcnow
from bastion.core.errors import Conflict, Invalid, NotFound
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.core.labels import label
from bastion.notifications import service as notifications
from bastion.org import capabilities
from bastion.org.models import Agency, User
from bastion.supplies import access
from bastion.supplies.models import Item, MovementKind, RequestStatus, SupplyRequest
from bastion.supplies.schemas import DecisionIn, MovementIn, RequestIn, RequestOut
from bastion.supplies.service import item_by_code, record

ASKED = lazy("{store} asks for {quantity} {unit} of {item}")
FULFILLED = lazy("Your request for {quantity} {unit} of {item} was fulfilled")
REFUSED = lazy("Your request for {quantity} {unit} of {item} was refused: {reason}")


def public(request: SupplyRequest, item: Item, language: str = "zh-CN") -> RequestOut:
    return RequestOut(
        id=request.id, agency_id=request.agency_id, item_code=item.code,
        item_name=item.display_name(language), unit=item.unit, quantity=request.quantity,
        note=request.note, status=request.status, status_label=label(request.status),
        requested_by_id=request.requested_by_id, requested_at=request.requested_at,
        decided_at=request.decided_at, decision_note=request.decision_note,
        movement_id=request.movement_id)


def list_query(user: User, *, status: RequestStatus | None = None
               ) -> Select[tuple[SupplyRequest, Item]]:
    capabilities.require(user, "supplies.read")
    query = select(SupplyRequest, Item).join(Item, Item.id == SupplyRequest.item_id).where(
        SupplyRequest.owner_org_id == user.organisation_id,
        access.in_stores(user, SupplyRequest.agency_id))
    if status is not None:
        query = query.where(SupplyRequest.status == status)
    return query.order_by(SupplyRequest.status != RequestStatus.OPEN,
                          SupplyRequest.requested_at.desc(), SupplyRequest.id.desc())


def _params(request: SupplyRequest, item: Item, store: Agency) -> dict:
    return {"store": store.name, "quantity": request.quantity, "unit": item.unit,
            "item": item.name}


def create(session: Session, *, user: User, data: RequestIn) -> tuple[SupplyRequest, bool]:
    capabilities.require(user, "supplies.move")
    if data.client_id:
        earlier = session.scalar(select(SupplyRequest).where(
            SupplyRequest.client_id == data.client_id))
        if earlier is not None:
            return find(session, user=user, request_id=earlier.id)[0], False
    store = access.find_store(session, user=user, agency_id=data.agency_id or user.agency_id)
    if store.id == store.organisation_id:
        raise Invalid(_("A post asks the command: choose a post."), field="agency_id")
    item = item_by_code(session, data.item_code)
    request = SupplyRequest(client_id=data.client_id, agency_id=store.id,
                            owner_org_id=store.organisation_id, item_id=item.id,
                            quantity=data.quantity, note=data.note, requested_by_id=user.id)
    session.add(request)
    session.flush()
    audit.record(session, action=AuditAction.CREATE, actor=user, record_kind="supply_request",
                 record_id=request.id, summary=f"{store.code} {data.quantity} {item.code}")
    officers = [u for u in session.scalars(select(User).where(
        User.agency_id == store.organisation_id)) if capabilities.can(u, "supplies.move")]
    notifications.notify(session, recipients=officers, title=str(ASKED), body=data.note,
                         link="/supplies#requests", params=_params(request, item, store),
                         sender=user)
    return request, True


def find(session: Session, *, user: User, request_id: int) -> tuple[SupplyRequest, Item]:
    row = session.execute(list_query(user).where(SupplyRequest.id == request_id)).first()
    if row is None:
        raise NotFound(_("No such request."))
    return row[0], row[1]


def decide(session: Session, *, user: User, request_id: int, data: DecisionIn
           ) -> SupplyRequest:
    """Only the command decides (403 for a post); 409 when already decided."""
    capabilities.require(user, "supplies.move")
    request, item = find(session, user=user, request_id=request_id)
    if not access.is_command(user):
        raise NotFound(_("No such request."))
    if request.status != RequestStatus.OPEN:
        raise Conflict(_("This request was already decided (%(status)s).")
                       % {"status": label(request.status)}, field="action")
    post = session.get(Agency, request.agency_id)
    if data.action == "fulfil":
        movement, _created = record(session, user=user, data=MovementIn(
            kind=MovementKind.ISSUE, item_code=item.code, quantity=request.quantity,
            from_agency_id=data.from_agency_id or user.organisation_id,
            to_agency_id=request.agency_id, note=data.note or _("Request %(id)s")
            % {"id": request.id}))
        request.status, request.movement_id = RequestStatus.FULFILLED, movement.id
        title = FULFILLED
    else:
        if not data.note.strip():
            raise Invalid(_("Say why it is refused."), field="note")
        request.status = RequestStatus.REFUSED
        title = REFUSED
    request.decided_by_id, request.decided_at = user.id, utcnow()
    request.decision_note = data.note
    session.flush()
    audit.record(session, action=AuditAction.UPDATE, actor=user, record_kind="supply_request",
                 record_id=request.id, summary=f"{data.action} {request.quantity} {item.code}")
    notifications.notify(session, recipients=[notifications.Holders("supplies.move", post.id)],
                         title=str(title), link="/supplies#requests", sender=user,
                         params={**_params(request, item, post), "reason": data.note})
    return request
