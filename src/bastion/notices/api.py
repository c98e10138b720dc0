"""REST API for notices."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel

from bastion.attachments import service as attachments
from bastion.attachments.api import file_response
from bastion.core.bounds import Id
from bastion.core.pagination import Page, PageParams, from_rows, page_params
from bastion.notices import service
from bastion.notices.schemas import AttachmentPublic, NoticeCreate, NoticePublic, NoticeUpdate
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.forms import read_upload

router = APIRouter(prefix="/api/v1/notices", tags=["notices"])


NoticePage = Page[NoticePublic]
NoticePageParams = Annotated[PageParams, Depends(page_params(default=50, maximum=200))]


class Withdrawal(BaseModel):
    reason: str | None = None


# Why a person's data is read: kept in the audit log with the read (header or query).
Purpose = Annotated[str | None, Header(alias="X-Purpose", max_length=500)]


@router.get("", response_model=NoticePage)
def list_notices(session: SessionDep, user: CurrentUser, page: NoticePageParams,
                 include_withdrawn: bool = False) -> NoticePage:
    rows, total = service.list_visible(session, user=user, limit=page.limit, offset=page.offset,
                                       include_withdrawn=include_withdrawn)
    return from_rows(service.to_public(session, rows, listing=True), total, page)


@router.post("", response_model=NoticePublic, status_code=201)
def create_notice(data: NoticeCreate, session: SessionDep, user: CurrentUser) -> NoticePublic:
    notice = service.create(session, user=user, data=data)
    return service.to_public(session, [notice])[0]


@router.get("/{notice_id}", response_model=NoticePublic)
def get_notice(notice_id: Id, session: SessionDep, user: CurrentUser,
               purpose: Purpose = None) -> NoticePublic:
    notice = service.get(session, user=user, notice_id=notice_id, reason=purpose)
    return service.to_public(session, [notice])[0]


@router.put("/{notice_id}", response_model=NoticePublic)
def update_notice(notice_id: Id, data: NoticeUpdate, session: SessionDep,
                  user: CurrentUser) -> NoticePublic:
    notice = service.get(session, user=user, notice_id=notice_id)
    notice = service.update(session, user=user, notice=notice, data=data)
    return service.to_public(session, [notice])[0]


@router.delete("/{notice_id}", response_model=NoticePublic)
def withdraw_notice(notice_id: Id, session: SessionDep, user: CurrentUser,
                    data: Withdrawal | None = None) -> NoticePublic:
    """Withdraws the notice: it stays on record, marked withdrawn, and leaves the lists."""
    notice = service.get(session, user=user, notice_id=notice_id)
    notice = service.withdraw(session, user=user, notice=notice,
                              reason=data.reason if data else None)
    return service.to_public(session, [notice])[0]


@router.post("/{notice_id}/attachments", response_model=AttachmentPublic, status_code=201)
def upload_attachment(notice_id: Id, file: UploadFile, session: SessionDep,
                      user: CurrentUser, settings: SettingsDep) -> AttachmentPublic:
    """Same as ``POST /api/v1/attachments`` with record kind ``notice`` (sync: off the loop)."""
    max_bytes = settings.max_attachment_mb * 2**20
    data = read_upload(file, max_bytes)
    notice = service.get(session, user=user, notice_id=notice_id)
    attachment = service.add_attachment(session, user=user, notice=notice,
                                        filename=file.filename or "file", data=data,
                                        max_bytes=max_bytes)
    return AttachmentPublic(id=attachment.id, filename=attachment.filename,
                            content_type=attachment.content_type, size=attachment.size)


@router.get("/{notice_id}/attachments/{attachment_id}")
def download_attachment(notice_id: Id, attachment_id: Id, session: SessionDep,
                        user: CurrentUser, purpose: Purpose = None) -> Response:
    attachment = service.get_attachment(session, user=user, notice_id=notice_id,
                                        attachment_id=attachment_id)
    data = attachments.download(session, user=user, attachment=attachment, reason=purpose)
    return file_response(data, attachment)
