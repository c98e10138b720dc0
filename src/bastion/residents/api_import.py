"""REST API of the bulk import (``/api/v1/residents/import``), the page's equivalent: store a
workbook (all rows or none; a row whose document number is a stored person's is merged into
that person, nothing stored twice) or check one as of a day (errors, flags, and the persons
already in the registry), storing nothing. Both need ``residents.import``; a file with errors
is a 422 listing every problem by sheet, row and column."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Query, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from bastion.core.tabular import Problems
from bastion.org import capabilities
from bastion.residents.flags import rules
from bastion.residents.imports import check, store
from bastion.web.deps import CurrentUser, SessionDep, SettingsDep
from bastion.web.forms import read_upload

router = APIRouter(prefix="/api/v1/residents/import", tags=["residents"])
MAX_UPLOAD = 20 * 1024 * 1024  # as the import page


def _refused(problems: Problems) -> JSONResponse:
    return JSONResponse(status_code=422, content=jsonable_encoder({
        "detail": problems.message, "code": problems.code,
        "errors": [{"sheet": p.sheet, "row": p.row, "column": p.column, "code": p.code,
                    "message": p.message} for p in problems.errors]}))


@router.post("", status_code=201)
def import_file(file: UploadFile, session: SessionDep, user: CurrentUser,
                amber: Annotated[bool, Form(description="mark the persons TLP:AMBER (own "
                                            "organisation) instead of GREEN")] = False,
                ) -> Any:
    """Store an xlsx workbook or a zip of CSV files; the counts (persons created, merged,
    records stored, rows already stored, flags) and ``duplicates`` (sheet, row, the stored
    person, whether merged)."""
    capabilities.require(user, "residents.import")
    data = read_upload(file, MAX_UPLOAD)
    try:
        return jsonable_encoder(store.import_bytes(session, user=user, data=data,
                                                   filename=file.filename or "upload.xlsx",
                                                   amber=amber))
    except Problems as problems:
        session.rollback()
        return _refused(problems)


@router.post("/check")
def check_file(file: UploadFile, session: SessionDep, user: CurrentUser,
               settings: SettingsDep,
               on: Annotated[date, Query(description="flags as of the end of this day in "
                                         "the unit's zone")]) -> Any:
    """What ``bastion residents check FILE --on DATE --as USER`` prints: ``errors``,
    ``flags`` and ``duplicates``; nothing stored."""
    capabilities.require(user, "residents.import")
    data = read_upload(file, MAX_UPLOAD)
    zone = ZoneInfo(settings.timezone)
    try:
        parsed = store.checked(session, zone=zone, data=data,
                               filename=file.filename or "upload.xlsx")
    except Problems as problems:
        return _refused(problems)
    found = check.result(parsed, on=on, zone=zone, rules=rules.load(settings))
    found["duplicates"] = store.found_in(session, user=user, parsed=parsed)
    session.rollback()  # nothing of a check is kept
    return jsonable_encoder(found)
