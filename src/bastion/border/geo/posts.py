"""Joint-defence posts on the map: where each post stands, its grade (一级/二级/三级), staff,
and the villages it is linked to (挂联村). A post is an agency unit; this is its map record."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bastion.audit import service as audit
from bastion.audit.models import AuditAction
from bastion.border.geo import access
from bastion.border.geo.models import BorderPlace, BorderPost, PlaceKind, PostVillage
from bastion.border.geo.schemas import PostCreate
from bastion.border.geo.segments import check_post
from bastion.core.errors import Invalid
from bastion.core.i18n import gettext as _
from bastion.core.marking import AreaAssignment
from bastion.org.models import User
from bastion.org.sharing import apply_marking


def save_post(session: Session, *, user: User, data: PostCreate) -> tuple[BorderPost, bool]:
    """Create the post's map record, or replace it (one per agency); ``(post, created)``."""
    access.require_write(user)
    check_post(session, user=user, agency_id=data.agency_id, field="agency_id")
    villages = []
    for i, place_id in enumerate(data.village_ids):
        place = session.scalar(access.visible(BorderPlace, user).where(BorderPlace.id == place_id))
        if place is None or place.kind != PlaceKind.VILLAGE:
            raise Invalid(_("Place %(id)s is not a village on the map") % {"id": place_id},
                          field=f"village_ids.{i}")
        villages.append(place)
    post = session.scalar(select(BorderPost).where(BorderPost.agency_id == data.agency_id))
    created = post is None
    if post is None:
        post = BorderPost(agency_id=data.agency_id, owner_org_id=user.organisation_id,
                          created_by_id=user.id, lon=data.lon, lat=data.lat)
        session.add(post)
    post.grade, post.lon, post.lat, post.staff = data.grade, data.lon, data.lat, data.staff
    session.flush()
    apply_marking(session, post, data)
    session.execute(delete(PostVillage).where(PostVillage.post_id == post.id))
    for place in {v.id: v for v in villages}.values():
        session.add(PostVillage(post_id=post.id, place_id=place.id))
    session.flush()
    audit.record(session, action=AuditAction.CREATE if created else AuditAction.UPDATE,
                 actor=user, record_kind=post.record_kind, record_id=post.id,
                 summary=f"post of agency {data.agency_id}")
    return post, created


def village_ids(session: Session, post_ids: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for link in session.scalars(select(PostVillage).where(PostVillage.post_id.in_(post_ids))
                                .order_by(PostVillage.place_id)):
        found.setdefault(link.post_id, []).append(link.place_id)
    return found


def responsible_post(session: Session, *, village_id: int | None) -> int | None:
    """The agency of the post linked to a village (挂联村), the first if several; None when
    the village has none. Tips from the public go to this post's queue (cases)."""
    if village_id is None:
        return None
    return session.scalar(select(BorderPost.agency_id).join(
        PostVillage, PostVillage.post_id == BorderPost.id).where(
        PostVillage.place_id == village_id).order_by(BorderPost.id).limit(1))


def village_of(session: Session, *, agency_id: int) -> tuple[int, str, float, float] | None:
    """The village given to an agency (a village committee) as its area: (id, name, lon,
    lat), or None."""
    row = session.execute(select(BorderPlace.id, BorderPlace.name, BorderPlace.lon,
                                 BorderPlace.lat).join(
        AreaAssignment, (AreaAssignment.area_id == BorderPlace.id)
        & (AreaAssignment.area_kind == "village")).where(
        AreaAssignment.agency_id == agency_id, BorderPlace.kind == PlaceKind.VILLAGE)
        .order_by(BorderPlace.id).limit(1)).first()
    return None if row is None else (row[0], row[1], row[2], row[3])
