"""Agencies (and their units) and the people who work in them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bastion.core.db import Base, utcnow
from bastion.core.enums import str_enum_column


class AgencyKind(enum.StrEnum):
    """What an agency is; the functions its people may use follow from it (org/capabilities).

    A unit has a kind of its own: a station's duty team is not the station, a command's post
    is not the command. Add a kind here, give it a label (core/labels) and rows in the grants
    table (org/data/grants.csv)."""

    BORDER_INSPECTION = "border_inspection"
    BORDER_INSPECTION_TEAM = "border_inspection_team"
    BORDER_POLICE = "border_police"
    ARMY = "army"
    PUBLIC_SECURITY = "public_security"
    CUSTOMS = "customs"
    MARITIME_SAFETY = "maritime_safety"
    VILLAGE_COMMITTEE = "village_committee"
    JOINT_DEFENCE_COMMAND = "joint_defence_command"
    JOINT_DEFENCE_POST = "joint_defence_post"
    SHIPPING_AGENCY = "shipping_agency"
    OTHER = "other"


# Private parties stand outside the TLP community: "all agencies" means all government
# agencies; they see only their own records and what is addressed to them by name.
PRIVATE_KINDS = frozenset({AgencyKind.SHIPPING_AGENCY})


class Role(enum.StrEnum):
    """Ordered: each role can do what the ones before it can."""

    VIEWER = "viewer"
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def at_least(self, other: Role) -> bool:
        return self.rank >= other.rank


class Agency(Base):
    """An agency or one of its units (a station's duty team, a command's post).

    ``root_id`` names the top-level organisation. Need-to-know is decided between
    organisations: units of one organisation share what is shared with it.
    """

    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[AgencyKind] = mapped_column(str_enum_column(AgencyKind))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"))
    root_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped[Agency | None] = relationship(
        remote_side=[id], foreign_keys=[parent_id], lazy="joined"
    )

    def display_name(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name

    @property
    def organisation_id(self) -> int:
        return self.root_id or self.id


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    role: Mapped[Role] = mapped_column(str_enum_column(Role), default=Role.VIEWER)
    language: Mapped[str | None] = mapped_column(String(8))
    timezone: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)
    # A system account (the AIS sensor, a station's pre-check): never logs in, never offered
    # in pickers; it exists so that machine work has an author and a need-to-know.
    system: Mapped[bool] = mapped_column(default=False, server_default=false())
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agency: Mapped[Agency] = relationship(lazy="joined")

    @property
    def organisation_id(self) -> int:
        return self.agency.organisation_id

    @property
    def private_party(self) -> bool:
        """Outside the TLP community (a shipping agency or one of its units)."""
        agency = self.agency
        return agency.kind in PRIVATE_KINDS or (
            agency.parent is not None and agency.parent.kind in PRIVATE_KINDS)

    def has_role(self, role: Role | str) -> bool:
        """``role`` may be named by its value ("officer"): the floor's filters cannot import
        ``Role`` (core.marking.Reader)."""
        return self.role.at_least(Role(role))
