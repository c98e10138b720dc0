"""Domain errors carry their HTTP status; services raise them and the app maps them once."""

from __future__ import annotations


class BastionError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(BastionError):
    """Also used for records the caller may not see: need-to-know hides existence."""

    status_code = 404
    code = "not_found"


class Forbidden(BastionError):
    status_code = 403
    code = "forbidden"


class Conflict(BastionError):
    status_code = 409
    code = "conflict"


class Invalid(BastionError):
    """A business rule rejected otherwise well-formed input; reported like a field error."""

    status_code = 422
    code = "invalid"


class TooLarge(BastionError):
    """An upload past a size limit; the message names the limit."""

    status_code = 413
    code = "too_large"


class NotAuthenticated(BastionError):
    status_code = 401
    code = "not_authenticated"


class TooManyRequests(BastionError):
    status_code = 429
    code = "too_many_requests"


class DatabaseNotReady(BastionError):
    """The configured database is missing, empty or not migrated to this version: an
    operator's next step (``bastion db upgrade``, ``bastion setup``), not a bug."""

    status_code = 503
    code = "database_not_ready"
