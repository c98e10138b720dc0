"""A label filter on a constant is translated on every render, in that reader's language.

Jinja folds a filter applied to a literal at compile time unless the filter takes the
context; ``"missed"|term(...)`` was then frozen in the language of the first request after
start-up (the patrol page's legend stayed Chinese for English readers)."""

from __future__ import annotations

from bastion.core import context
from bastion.web import templating


def _render(template, language: str) -> str:
    token = context.set_current(context.RequestContext(language=language))
    try:
        return template.render()
    finally:
        context.reset(token)


def test_a_constant_s_label_follows_each_reader_s_language():
    import bastion.border.patrols.views_plans  # noqa: F401  (registers "checkpoint_visit")
    # Compiled once (as a page template is), rendered for two readers.
    template = templating.environment.from_string('{{ "missed"|term("checkpoint_visit") }}')
    chinese, english = _render(template, "zh-CN"), _render(template, "en")
    assert (chinese, english) == ("未到达", "Not reached")
