"""Materials drawn by a hazard work order (``hazards.materials_drawn``): each line is an issue
from the post's store that names the work order, recorded in the work order's transaction.
An unknown item or too little stock is ``Invalid`` naming the line, so the work order is
refused whole (nothing of it is kept)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy.orm import Session

from bastion.core import reactions
from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _
from bastion.org.models import Agency, User
from bastion.supplies import access
from bastion.supplies.models import MovementKind
from bastion.supplies.schemas import MovementIn
from bastion.supplies.service import item_by_code, on_hand, record

KIND = "hazards.materials_drawn"


def materials_drawn(session: Session, *, work_order_id: int, post_agency_id: int,
                    lines: list[dict[str, Any]], actor_id: int | None = None,
                    **_facts: Any) -> None:
    post = session.get(Agency, post_agency_id)
    if post is None or post.kind not in access.STORE_KINDS:
        raise Invalid(_("No store for the post %(id)s.") % {"id": post_agency_id},
                      field="post_agency_id")
    actor = session.get(User, actor_id) if actor_id else None
    wanted: dict[int, int] = defaultdict(int)
    checked = []
    for n, line in enumerate(lines, start=1):
        field = f"lines.{n - 1}"
        code = str(line.get("item_code") or "")
        try:
            item = item_by_code(session, code, field=f"{field}.item_code", lock=True)
        except Invalid:
            raise Invalid(_("Materials line %(n)s: no item with the code %(code)s.")
                          % {"n": n, "code": code}, field=f"{field}.item_code") from None
        quantity = line.get("quantity")
        if (isinstance(quantity, bool) or not isinstance(quantity, int | float)
                or quantity != int(quantity) or quantity < 1):
            raise Invalid(_("Materials line %(n)s: the quantity must be a whole number of at "
                            "least 1.") % {"n": n}, field=f"{field}.quantity")
        if item.tracked:
            raise Invalid(_("Materials line %(n)s: %(code)s is tracked by serial number; "
                            "issue it from the supplies page.") % {"n": n, "code": code},
                          field=f"{field}.item_code")
        wanted[item.id] += int(quantity)
        have = on_hand(session, item_id=item.id, agency_id=post.id)
        if have < wanted[item.id]:
            raise Invalid(_("Materials line %(n)s: only %(have)s %(unit)s of %(code)s in "
                            "%(store)s.") % {"n": n, "have": have, "unit": item.unit,
                                             "code": code, "store": post.name},
                          field=f"{field}.quantity")
        checked.append((item, int(quantity)))
    for item, quantity in checked:
        movement, _created = record(session, user=None, check=False, work_order_id=work_order_id,
               owner_org_id=post.organisation_id, data=MovementIn(
                   kind=MovementKind.ISSUE, item_code=item.code, quantity=quantity,
                   from_agency_id=post.id, note=""))
        movement.recorded_by_id = actor.id if actor is not None else None


reactions.on(KIND, materials_drawn)
