"""Jinja2 templates for every domain, with translations and the user's time zone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

from bastion.core import context
from bastion.core.i18n import gettext, local_time, ngettext
from bastion.core.labels import label, term
from bastion.core.security import csrf_token

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
# Each domain keeps its templates beside its code; the web shell's own come first.
TEMPLATE_DIRS = [
    PACKAGE_ROOT / "web" / "templates",
    PACKAGE_ROOT / "org" / "templates",
    PACKAGE_ROOT / "notices" / "templates",
    PACKAGE_ROOT / "notifications" / "templates",
    PACKAGE_ROOT / "audit" / "templates",
    PACKAGE_ROOT / "maritime" / "templates",
    PACKAGE_ROOT / "screening" / "templates",
    PACKAGE_ROOT / "clearance" / "templates",
]


def _can(user: Any, capability: str) -> bool:
    from bastion.org.capabilities import can

    return can(user, capability)


def _build_environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in TEMPLATE_DIRS if d.exists()]),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["localtime"] = local_time
    env.filters["label"] = label
    env.filters["term"] = term
    # What to offer only; every function is enforced again in its service.
    env.globals["can"] = _can
    return env


environment = _build_environment()


def render(request: Request, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    settings = request.app.state.settings
    nonce = request.scope.get("state", {}).get("csrf_nonce", "")
    ctx = context.current()
    values.setdefault("user", getattr(request.state, "user", None))
    html = environment.get_template(template).render(
        request=request,
        language=ctx.language,
        timezone=ctx.timezone,
        csrf_token=csrf_token(settings.secret_key, nonce),
        errors=values.pop("errors", {}),
        **values,
    )
    return HTMLResponse(html, status_code=status_code)
