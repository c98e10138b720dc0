"""Turning validation errors into per-field messages in the user's language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData, UploadFile

from bastion.core import context
from bastion.core.errors import BastionError, Invalid, TooLarge
from bastion.core.i18n import gettext as _

T = TypeVar("T")


def chosen_file(form: FormData, field: str = "file") -> UploadFile:
    """The file a form's ``field`` carries; a 422 on that field when none was chosen (a browser
    sends an empty part with no file name)."""
    upload = form.get(field)
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise Invalid(_("Choose a file."), field=field)
    return upload


def read_upload(upload: Any, max_bytes: int) -> bytes:
    """The bytes of an uploaded file (FastAPI's or Starlette's ``UploadFile``), at most
    ``max_bytes``: one byte more is read to tell, never the whole of an oversized file, and the
    refusal is a 413 naming the limit. Synchronous: call it from a sync route or a thread."""
    upload.file.seek(0)
    data = upload.file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TooLarge(_("The file is larger than the upload limit of {mb} MB.").format(
            mb=f"{max_bytes / 2**20:g}"), field="file")
    return data


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "string_too_short":
        return _("Too short: at least {n} characters.").format(n=ctx.get("min_length", 1))
    if kind == "string_too_long":
        return _("Too long: at most {n} characters.").format(n=ctx.get("max_length", ""))
    if kind == "string_pattern_mismatch":
        return _("The format is not valid.")
    if kind in ("int_parsing", "int_type"):
        return _("Enter a whole number.")
    if kind == "enum":
        return _("Choose one of the listed values.")
    if kind in ("bool_parsing", "bool_type"):
        return _("Choose yes or no.")
    if kind == "value_error":
        # Our validators raise with an English message id (marked with lazy()); show it
        # in the user's language. Anything else gets the generic message.
        detail = str(ctx.get("error", ""))
        translated = _(detail) if detail else ""
        return translated if translated != detail else _("The value is not valid.")
    return _("The value is not valid.")


def field_errors(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors():
        loc = error.get("loc", ())
        field = str(loc[0]) if loc else "__all__"
        errors.setdefault(field, _message(error))
    return errors


def error_for(exc: BastionError) -> dict[str, str]:
    return {exc.field or "__all__": exc.message}


def attempt(action: Callable[[], T]) -> tuple[T | None, dict[str, str]]:
    """A form's call to its service: the result, or (None, the field error) when the service
    refused the input (422), for the page to show beside the field; any other refusal (403,
    404, 409) goes up as it is."""
    try:
        return action(), {}
    except BastionError as exc:
        if exc.status_code != 422:
            raise
        return None, error_for(exc)


def form_to_dict(form: FormData, *, lists: tuple[str, ...] = (), flags: tuple[str, ...] = ()
                 ) -> dict[str, Any]:
    """Form fields to a dict for a schema: empty strings are absent, ``lists`` are multi-valued."""
    data: dict[str, Any] = {}
    for key in form:
        if key == "csrf_token":
            continue
        if key in lists:
            data[key] = [v for v in form.getlist(key) if isinstance(v, str) and v != ""]
            continue
        value = form.get(key)
        if isinstance(value, str) and value.strip() != "":
            data[key] = value.strip() if key not in ("body", "password") else value
    for flag in flags:
        data[flag] = form.get(flag) in ("on", "true", "1")
    for key in lists:
        data.setdefault(key, [])
    return data


def validate(schema: type[BaseModel], data: dict[str, Any]) -> tuple[Any, dict[str, str]]:
    try:
        return schema.model_validate(data), {}
    except ValidationError as exc:
        return None, field_errors(exc)


def wall_clock(value: str | None) -> str | None:
    """A ``datetime-local`` field is the user's wall clock: attach the user's zone, so the
    schema stores the instant in UTC. Text that is no time is passed on for the schema to
    name the field."""
    if not value:
        return None
    try:
        naive = datetime.fromisoformat(value)
    except ValueError:
        return value
    if naive.tzinfo is not None:
        return value
    return naive.replace(tzinfo=ZoneInfo(context.current().timezone)).isoformat()
