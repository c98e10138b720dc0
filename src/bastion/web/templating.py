"""Jinja2 templates for every domain, with translations and the user's time zone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, pass_context, select_autoescape

from bastion.core import context, domains
from bastion.core.i18n import gettext, local_time, ngettext
from bastion.core.labels import label, term
from bastion.core.security import csrf_token

SHELL_TEMPLATES = Path(__file__).resolve().parent / "templates"


def template_dirs() -> list[Path]:
    """The web shell's own templates first, then each registered domain's folder."""
    return [SHELL_TEMPLATES, *domains.template_dirs()]


def _loader(dirs: list[Path]) -> ChoiceLoader:
    return ChoiceLoader([FileSystemLoader(str(d)) for d in dirs if d.exists()])


def _can(user: Any, capability: str) -> bool:
    from bastion.org.capabilities import can

    return can(user, capability)


def _role_title(user: Any) -> str:
    """``{{ user|role_title }}``: the user's role as people of their agency's kind are called."""
    from bastion.org.labels import role_title

    agency = getattr(user, "agency", None)
    return role_title(getattr(user, "role", None), getattr(agency, "kind", None))


def _role_in(role: Any, kind: Any) -> str:
    """``{{ role|role_in(kind) }}``: a role as an agency of that kind calls it."""
    from bastion.org.labels import role_title

    return role_title(role, kind)


# Words in the reader's language. Marked pass_context so that Jinja never folds them at
# compile time: ``"missed"|term(...)`` on a constant was otherwise translated once, in the
# language of the first request after start-up, and shown in it to everyone after.
@pass_context
def _label(_ctx: Any, value: Any, *args: Any, **kwargs: Any) -> str:
    return label(value, *args, **kwargs)


@pass_context
def _term(_ctx: Any, value: Any, *args: Any, **kwargs: Any) -> str:
    return term(value, *args, **kwargs)


def _build_environment() -> Environment:
    env = Environment(
        loader=_loader(_loaded_dirs),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["localtime"] = local_time
    env.filters["label"] = _label
    env.filters["term"] = _term
    env.filters["role_title"] = _role_title
    env.filters["role_in"] = _role_in
    # What to offer only; every function is enforced again in its service.
    env.globals["can"] = _can
    return env


_loaded_dirs = template_dirs()
environment = _build_environment()


def use_registered_templates() -> None:
    """Look templates up in the domains registered now: the app factory calls this, so a
    domain added after this module was imported still finds its templates. The loader (and
    with it Jinja's cache of compiled templates) is kept while the registry is unchanged."""
    global _loaded_dirs
    dirs = template_dirs()
    if dirs != _loaded_dirs:
        _loaded_dirs = dirs
        environment.loader = _loader(dirs)


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
