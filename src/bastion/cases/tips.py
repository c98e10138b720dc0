"""Tips from the public (群众举报): a village committee member enters what a villager saw
(suspicious persons, smuggling, a damaged fence, other), where, with a photo, from the phone
and offline too; the tip becomes a case in the queue of the post linked to the committee's
village (``border.geo.posts.responsible_post``), and the reporter sees "received", then
"acted on" once the case is closed — nothing else of the case.

The case belongs to the post's organisation (the command) and is made as that organisation's
tips account (a system account), so the reporter is not its author and does not see it. A
replay of the same client id answers the same tip (idempotent sync); a different tip under a
used id is a 409.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from bastion.attachments import service as attachments
from bastion.border.geo import posts
from bastion.cases import service
from bastion.cases.models import Case, CaseLink, Realm, Tip, TipStatus
from bastion.cases.schemas import CaseIn, TipIn, TipOut
from bastion.core import context
from bastion.core.db import utcnow
from bastion.core.errors import Conflict, Invalid
from bastion.core.i18n import gettext as _
from bastion.core.i18n import lazy
from bastion.core.labels import label
from bastion.core.marking import TLP, Distribution
from bastion.notifications.service import Holders, notify
from bastion.org import capabilities
from bastion.org import service as org
from bastion.org.models import Agency, Role, User
from bastion.org.sharing import MarkingIn

FUTURE_SLACK = timedelta(minutes=10)
TITLE = lazy("New tip from the public: {kind}")
BODY = lazy("{village}: {description}")


def tips_account(session: Session, organisation: Agency) -> User:
    """The account a tip's case is made as: the organisation's, an officer, never a login."""
    return org.system_account(session, agency=organisation,
                              username=f"tips-{organisation.code.lower()}"[:64],
                              display_name="Tips from the public", role=Role.OFFICER)


def mine_query(user: User) -> Select[tuple[Tip]]:
    return select(Tip).where(Tip.reporter_id == user.id).order_by(Tip.received_at.desc(),
                                                                  Tip.id.desc())


def public(tip: Tip) -> TipOut:
    return TipOut(id=tip.id, client_id=tip.client_id, kind=tip.kind, kind_label=label(tip.kind),
                  description=tip.description, lon=tip.lon, lat=tip.lat,
                  device_at=tip.device_at, received_at=tip.received_at, status=tip.status,
                  status_label=label(tip.status), acted_on_at=tip.acted_on_at)


def _replay(session: Session, user: User, data: TipIn) -> Tip | None:
    stored = session.scalar(select(Tip).where(Tip.client_id == data.client_id.lower()))
    if stored is None:
        return None
    if stored.reporter_id != user.id or stored.kind != data.kind or (
            stored.description != data.description.strip()):
        raise Conflict(_("This client id is already used."), field="client_id")
    return stored


def submit(session: Session, *, user: User, data: TipIn, photo: tuple[str, bytes] | None = None,
           max_bytes: int = 20 * 2**20, now: datetime | None = None,
           synthetic: bool = False) -> tuple[Tip, bool]:
    """Record a tip and open its case at the responsible post. Returns the tip and whether it
    is new (False: the same client id sent again)."""
    capabilities.require(user, "cases.tips.submit")
    now = now or utcnow()
    stored = _replay(session, user, data)
    if stored is not None:
        return stored, False
    if data.device_at > now + FUTURE_SLACK:
        raise Invalid(_("The tip cannot have been entered in the future."), field="device_at")
    if (data.lon is None) != (data.lat is None):
        raise Invalid(_("Give both longitude and latitude, or neither."), field="lat")
    if not data.description.strip() and photo is None:
        raise Invalid(_("Say what was seen, or add a photo."), field="description")
    village = posts.village_of(session, agency_id=user.agency_id)
    post_id = posts.responsible_post(session, village_id=village[0] if village else None)
    if village is None or post_id is None:
        raise Invalid(_("Your committee is not linked to a village with a joint-defence post: "
                        "ask the administrator."), field="village")
    post = session.get(Agency, post_id)
    organisation = session.get(Agency, post.organisation_id)
    account = tips_account(session, organisation)
    lon, lat = (data.lon, data.lat) if data.lon is not None else (village[2], village[3])
    kind_text = label(data.kind)
    description = data.description.strip()
    title = f"{kind_text} · {village[1]}" + (f": {description[:80]}" if description else "")
    case = service.open_case(
        session, user=account, owner=account, now=now, synthetic=synthetic,
        data=CaseIn(kind="tip", title=title, description=description, realm=Realm.LAND,
                    unit_id=post.id, occurred_at=data.device_at,
                    geometry={"type": "Point", "coordinates": [lon, lat]},
                    marking=MarkingIn(tlp=TLP.AMBER, distribution=Distribution.OWN)))
    tip = Tip(client_id=data.client_id.lower(), reporter_id=user.id, committee_id=user.agency_id,
              village_id=village[0], kind=data.kind, description=description, lon=data.lon,
              lat=data.lat, device_at=data.device_at, received_at=now, case_id=case.id,
              status=TipStatus.RECEIVED, synthetic=synthetic)
    session.add(tip)
    session.flush()
    case.source_id = tip.id
    session.add_all([
        CaseLink(case_id=case.id, kind="village", ref=str(village[0]), title=village[1],
                         url=None, geometry={"type": "Point",
                                             "coordinates": [village[2], village[3]]},
                         by_user_id=user.id, at=now),
        CaseLink(case_id=case.id, kind="person", ref=None, by_user_id=user.id, at=now,
                         title=f"{user.display_name} ({user.agency.display_name(context.current().language)})",
                         url=None, geometry=None)])
    service.add_event(session, case, "note", user, _("Tip entered by the village committee"),
                      at=now)
    if photo is not None:
        attachments.add(session, user=user, record_kind=Tip.record_kind, record_id=tip.id,
                        filename=photo[0], data=photo[1], max_bytes=max_bytes)
    session.flush()
    notify(session, recipients=[Holders("cases.read", post.id)], title=TITLE, body=BODY,
           params={"kind": kind_text, "village": village[1], "description": description[:200]},
           link=f"/cases/{case.id}", record_kind=Case.record_kind,
           record_id=case.id)
    return tip, True
