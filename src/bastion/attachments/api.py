"""REST API of attachments: upload to a record, list a record's files, describe, download."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Header, UploadFile
from fastapi.responses import Response

from bastion.attachments import service
from bastion.attachments.models import Attachment
from bastion.attachments.schemas import AttachmentPublic
from bastion.core.bounds import Id
from bastion.core.pagination import Page, PageDep, paginate
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.forms import read_upload

router = APIRouter(prefix="/api/v1/attachments", tags=["attachments"])
Purpose = Annotated[str | None, Header(alias="X-Purpose", max_length=500)]


def file_response(data: bytes, attachment: Attachment) -> Response:
    """A download, never a page: saved, not shown (``attachment``), its type not second-guessed
    by the browser (``nosniff``), and sandboxed should anything still try to render it."""
    name = quote(attachment.filename, safe="")
    return Response(data, media_type=attachment.content_type, headers={
        "content-disposition": f"attachment; filename*=UTF-8''{name}",
        "x-content-type-options": "nosniff",
        "content-security-policy": "sandbox; default-src 'none'",
        "cache-control": "private, no-store",
    })


@router.get("", response_model=Page[AttachmentPublic])
def list_attachments(record_kind: str, record_id: Id, session: SessionDep, user: CurrentUser,
                     page: PageDep) -> Page[AttachmentPublic]:
    """The files of one record; 404 when the record is not visible to the caller."""
    query = service.list_query(session, user=user, record_kind=record_kind, record_id=record_id)
    return paginate(session, query, page, AttachmentPublic.model_validate)


@router.post("", response_model=AttachmentPublic, status_code=201)
def upload(record_kind: Annotated[str, Form(max_length=40)],
                 record_id: Annotated[Id, Form()], file: UploadFile, session: SessionDep,
                 user: CurrentUser, settings: SettingsDep) -> AttachmentPublic:
    """Attach a file to a record (multipart: ``record_kind``, ``record_id``, ``file``). The
    type is sniffed from the bytes; refused kinds (programs, HTML, SVG, archive bombs, ...)
    are a 422, a file over the size limit a 413. Sync: read and checked in a worker thread."""
    max_bytes = settings.max_attachment_mb * 2**20
    data = read_upload(file, max_bytes)
    return AttachmentPublic.model_validate(service.add(
        session, user=user, record_kind=record_kind, record_id=record_id,
        filename=file.filename or "file", data=data, max_bytes=max_bytes))


@router.get("/{attachment_id}", response_model=AttachmentPublic)
def describe(attachment_id: Id, session: SessionDep, user: CurrentUser) -> AttachmentPublic:
    return AttachmentPublic.model_validate(
        service.get(session, user=user, attachment_id=attachment_id))


@router.get("/{attachment_id}/content")
def download(attachment_id: Id, session: SessionDep, user: CurrentUser,
             purpose: Purpose = None) -> Response:
    """The file itself; the download is written to the audit log with ``X-Purpose``."""
    attachment = service.get(session, user=user, attachment_id=attachment_id)
    data = service.download(session, user=user, attachment=attachment, reason=purpose)
    return file_response(data, attachment)
