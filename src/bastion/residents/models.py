"""The registry of foreign residents of border villages (境外边民): persons with their names as
written, documents, households and family links, marriages, residence periods, lodging
registrations, permits and employment (LAND-BORDER.md section 3 and appendix items 6-8).

A person is a shared record tied to their village (a ``border_place`` of kind village), so a
post sees the villages it is linked to and a village committee its own village only
(``residents.access``); personal data, so every read is audited with its purpose
(``residents.access``). What hangs on a person is seen through the person.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bastion.core.db import Base, utcnow
from bastion.core.enums import str_enum_column
from bastion.core.marking import MarkedMixin


class Resident(MarkedMixin, Base):
    __tablename__ = "resident"
    record_kind: ClassVar[str] = "resident"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    name: Mapped[str] = mapped_column(String(200))  # as written: Nguyễn Văn An, 阮文安
    name_latin: Mapped[str] = mapped_column(String(200), default="")  # NGUYEN VAN AN
    name_han: Mapped[str] = mapped_column(String(100), default="")  # 阮文安
    name_keys: Mapped[list[str]] = mapped_column(JSON, default=list)  # matcher keys, any script
    sex: Mapped[str | None] = mapped_column(String(8))  # core.reference GENDERS code
    birth_date: Mapped[date | None] = mapped_column(Date)
    nationality: Mapped[str] = mapped_column(String(3), default="VNM")  # ISO 3166 alpha-3
    ethnic_group: Mapped[str] = mapped_column(String(50), default="")  # Kinh, Tày, Nùng, ...
    photo_id: Mapped[int | None]  # an attachment on this record
    village_id: Mapped[int | None] = mapped_column(
        ForeignKey("border_place.id", ondelete="RESTRICT"), index=True)
    post_agency_id: Mapped[int | None] = mapped_column(  # the post responsible (flags' queue)
        ForeignKey("agency.id", ondelete="RESTRICT"), index=True)
    household_id: Mapped[int | None] = mapped_column(
        ForeignKey("resident_household.id", ondelete="SET NULL"), index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    synthetic: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Household(Base):
    """A household (户) in a village; its members are residents (and Chinese family members
    named in family links)."""

    __tablename__ = "resident_household"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"))
    code: Mapped[str] = mapped_column(String(40), default="")  # the import's household_id
    village_id: Mapped[int | None] = mapped_column(
        ForeignKey("border_place.id", ondelete="RESTRICT"))
    address: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FamilyLink(Base):
    """A relative: another resident, or a person named only (a Chinese family member)."""

    __tablename__ = "resident_family_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"),
                                             index=True)
    relative_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id",
                                                               ondelete="CASCADE"))
    relative_name: Mapped[str] = mapped_column(String(200), default="")
    relation: Mapped[str] = mapped_column(String(20))  # spouse|parent|child|sibling|other


class Marriage(Base):
    """A marriage, registered or not (事实婚姻), with the (usually Chinese) spouse."""

    __tablename__ = "resident_marriage"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"),
                                             index=True)
    spouse_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id", ondelete="SET NULL"))
    spouse_name: Mapped[str] = mapped_column(String(200), default="")
    spouse_id_number: Mapped[str] = mapped_column(String(40), default="")
    registered: Mapped[bool] = mapped_column(default=False)
    since: Mapped[date | None] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    certificate_no: Mapped[str] = mapped_column(String(60), default="")


class ResidentDocument(Base):
    """An identity or travel document: 743/744/740 (中越边境地区出入境通行证), 711 (边境管理区
    通行证), passport, identity card (``core.reference.people.DOCUMENT_TYPES`` codes, with the
    exit-entry type code kept as written). Valid through its expiry date."""

    __tablename__ = "resident_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"),
                                             index=True)
    doc_type: Mapped[str] = mapped_column(String(32))
    type_code: Mapped[str] = mapped_column(String(8), default="")  # 743, 744, 740, 711
    number: Mapped[str] = mapped_column(String(40), index=True)
    issued: Mapped[date | None] = mapped_column(Date)
    expires: Mapped[date | None] = mapped_column(Date)
    stay_days: Mapped[int | None]  # the permitted stay per entry, where the pass sets one
    issuer: Mapped[str] = mapped_column(String(100), default="")


class ResidencePeriod(Base):
    __tablename__ = "resident_residence"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"),
                                             index=True)
    village_id: Mapped[int | None] = mapped_column(
        ForeignKey("border_place.id", ondelete="RESTRICT"))
    address: Mapped[str] = mapped_column(String(300), default="")
    since: Mapped[date | None] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)


class Lodging(Base):
    """A lodging registration (住宿登记, Exit-Entry Administration Law art. 39)."""

    __tablename__ = "resident_lodging"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"),
                                             index=True)
    registered_at: Mapped[datetime]
    address: Mapped[str] = mapped_column(String(300), default="")
    host: Mapped[str] = mapped_column(String(200), default="")


class PermitKind(enum.StrEnum):
    WORK = "work"
    RESIDENCE = "residence"


class Permit(Base):
    __tablename__ = "resident_permit"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"),
                                             index=True)
    kind: Mapped[PermitKind] = mapped_column(str_enum_column(PermitKind))
    number: Mapped[str] = mapped_column(String(40), default="")
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)


class Employment(Base):
    __tablename__ = "resident_employment"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"),
                                             index=True)
    employer: Mapped[str] = mapped_column(String(200))
    since: Mapped[date | None] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)


class RecordRead(Base):
    """Who read a person's record, when, and for what purpose (personal data: every read is
    audited). Kept apart from the general audit log because reads are many."""

    __tablename__ = "resident_read"

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"),
                                             index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"),
                                         index=True)
    purpose: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
