"""Notice payloads."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from bastion.core.marking import TLP, Distribution
from bastion.org.sharing import MarkingIn, MarkingOut


class NoticeCreate(MarkingIn):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(default="", max_length=20_000)


class NoticeUpdate(NoticeCreate):
    """A full replacement: the marking must be restated, never silently reset to defaults."""

    tlp: TLP
    distribution: Distribution
    personal: bool


class AttachmentPublic(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int


class NoticePublic(BaseModel):
    id: int
    title: str
    body: str
    marking: MarkingOut
    owner_org_id: int
    created_by_id: int
    author: str
    created_at: datetime
    updated_at: datetime
    withdrawn_at: datetime | None
    attachments: list[AttachmentPublic]
