"""Per-request context (language, time zone, client address) without threading it everywhere.

Set by the web middleware or the CLI; read by i18n, time formatting and the audit log.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    language: str = "zh-CN"
    timezone: str = "Asia/Shanghai"
    client_ip: str | None = None


_DEFAULT = RequestContext()  # frozen: safe to share as the default
_current: ContextVar[RequestContext] = ContextVar("bastion_request", default=_DEFAULT)


def current() -> RequestContext:
    return _current.get()


def set_current(ctx: RequestContext):
    return _current.set(ctx)


def reset(token) -> None:
    _current.reset(token)
