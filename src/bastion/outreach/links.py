"""The linked villages (挂联村) a user's outreach covers, read through the border map's services:
a post its own, the command every post's of its organisation, a village committee its own
village with the post linked to it (to name them on the visits it reads)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bastion.border.geo import posts as geo_posts
from bastion.border.geo import service as geo
from bastion.org.models import Agency, AgencyKind, User


@dataclass(frozen=True)
class Link:
    post_agency_id: int
    post: str
    village_id: int
    village: str


def linked(session: Session, *, user: User, language: str = "zh-CN") -> list[Link]:
    kind = user.agency.kind
    if kind == AgencyKind.VILLAGE_COMMITTEE:
        return _own_village(session, user=user, language=language)
    if kind not in (AgencyKind.JOINT_DEFENCE_POST, AgencyKind.JOINT_DEFENCE_COMMAND):
        return []
    posts = list(session.scalars(geo.posts_query(user=user)))
    agencies = {a.id: a for a in (session.get(Agency, p.agency_id) for p in posts) if a}
    if kind == AgencyKind.JOINT_DEFENCE_POST:
        posts = [p for p in posts if p.agency_id == user.agency_id]
    else:
        posts = [p for p in posts if p.agency_id in agencies
                 and agencies[p.agency_id].organisation_id == user.organisation_id]
    villages = geo_posts.village_ids(session, [p.id for p in posts])
    names = {v.id: v.name for v in session.scalars(geo.places_query(user=user, kind="village"))}  # type: ignore[arg-type]
    found = [Link(p.agency_id, agencies[p.agency_id].display_name(language), v, names[v])
             for p in posts for v in villages.get(p.id, []) if v in names]
    return sorted(found, key=lambda link: (link.post, link.village))


def _own_village(session: Session, *, user: User, language: str) -> list[Link]:
    village = geo_posts.village_of(session, agency_id=user.agency_id)
    if village is None:
        return []
    post_id = geo_posts.responsible_post(session, village_id=village[0])
    post = session.get(Agency, post_id) if post_id is not None else None
    if post is None:
        return []
    return [Link(post.id, post.display_name(language), village[0], village[1])]
