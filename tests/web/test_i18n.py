"""Both languages, everywhere: complete catalogue, every page rendered in zh-CN and en."""

from __future__ import annotations

import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bastion.core.i18n import LOCALE_DIR, negotiate
from tests.web_helpers import login

ROOT = Path(__file__).resolve().parents[2]


def _catalogue() -> dict[str, str]:
    with (LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id and not m.fuzzy}


def test_every_string_in_the_code_has_a_chinese_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract",
                    "-F", str(ROOT / "babel.cfg"), "-k", "_", "-k", "gettext", "-k", "lazy",
                    "-k", "ngettext:1,2", "-o", str(pot), str(ROOT)], check=True, cwd=ROOT)
    with pot.open("rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    translated = {k for k, v in _catalogue().items() if v}
    assert wanted, "extraction found no messages"
    assert sorted(wanted - translated) == []


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.DOTALL)
    text = re.sub(r"<[^>]+>", " ", html)
    return unescape(text)


PAGES = ["/dashboard", "/notices", "/notices/new", "/account", "/area/border", "/maritime", "/maritime/alerts", "/screening", "/screening/screen", "/clearance", "/clearance/terminals", "/clearance/agenda", "/clearance/rules",
         "/clearance/statistics",
         "/screening/hits",
         "/admin/agencies", "/admin/agencies/new", "/admin/users", "/admin/users/new",
         "/admin/audit", "/notifications"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_in_both_languages_without_untranslated_strings(client, world, path):
    login(client, "a.admin")
    catalogue = {k: v for k, v in _catalogue().items() if v and k != v}
    english_ui = {k.split("{")[0].strip() for k in catalogue if " " in k.split("{")[0].strip()}
    chinese_ui = {p for p in (v.split("{")[0].strip() for v in catalogue.values())
                  if re.search(r"[\u4e00-\u9fff]{2,}", p)}
    for language, foreign in (("zh-CN", english_ui), ("en", chinese_ui)):
        client.cookies.set("bastion_lang", language)
        response = client.get(path)
        assert response.status_code == 200, (path, language)
        assert f'<html lang="{language}">' in response.text
        text = _visible_text(response.text)
        leaked = sorted(s for s in foreign if s and s in text)
        assert leaked == [], (path, language, leaked)


def test_language_switch_is_remembered_for_the_user(client, session, world):
    token = login(client, "author")
    response = client.post("/language", data={"language": "en", "next": "/notices",
                                              "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/notices"
    session.refresh(world.author)
    assert world.author.language == "en"
    assert "Notices" in client.get("/notices").text


def test_accept_language_decides_before_login(client):
    assert '<html lang="en">' in client.get("/login", headers={"accept-language": "en-GB"}).text
    assert "登录" in client.get("/login", headers={"accept-language": "zh-TW,zh;q=0.9"}).text
    assert negotiate(None, "zh-CN") == "zh-CN"


def test_times_are_shown_in_the_users_zone(client, session, world):
    from datetime import UTC, datetime

    from bastion.core import context
    from bastion.core.i18n import local_time

    token = context.set_current(context.RequestContext(language="en", timezone="Asia/Shanghai"))
    try:
        assert local_time(datetime(2026, 1, 1, 20, 30, tzinfo=UTC)) == "2026-01-02 04:30"
    finally:
        context.reset(token)


def test_users_choose_their_own_time_zone(client, session, world):
    token = login(client, "author")
    response = client.post("/account/preferences", data={
        "csrf_token": token, "language": "en", "timezone": "Asia/Ho_Chi_Minh"},
        follow_redirects=False)
    assert response.status_code == 303
    session.refresh(world.author)
    assert (world.author.language, world.author.timezone) == ("en", "Asia/Ho_Chi_Minh")
    assert "Times are shown in Asia/Ho_Chi_Minh." in client.get("/account").text
    bad = client.post("/account/preferences", data={"csrf_token": token, "timezone": "Moon/Base"})
    assert bad.status_code == 422 and 'id="error-timezone"' in bad.text
