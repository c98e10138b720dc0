"""Every page a demo user can reach, read in zh-CN, holds no English words of the interface.

test_i18n.py catches a catalogue string left untranslated; this catches English that never
went through the catalogue at all: sentences stored in English by a service (risk reasons,
audit summaries), raw codes shown as words (form codes, rule ids in prose, role names), JSON
dumped into a page. It crawls the real server (full demo: maritime day, port calls, screening)
as users of several agency kinds and reads each page's visible text and the attributes a person
reads (title, placeholder, aria-label, alt, option group labels).

The heuristic: a word of Latin letters with a lower-case letter in it is English UI unless it
is data. Not words: pieces that are identifiers or codes (holding digits or . _ / @ :, e.g.
``accounts.manage``, ``Asia/Shanghai``, ``crew-list.csv``, ``TLP:AMBER``) and words in capitals
(vessel names, Latin-script names as documents write them, IMO, MMSI, FAL, UN/LOCODE). Data:
words people typed that the demo stores (notices, green-channel reasons, watchlists and their
entries, port calls) and the few names in ALLOWED.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import httpx

from bastion.tides.stations import list_stations

USERS = ["admin", "li.officer", "zhou.customs", "xu.msa", "nong.post", "agent.yj"]
# Shown as they are in any language: a language's own name in the switch, products, formats.
ALLOWED = {"English", "OpenSanctions", "FollowTheMoney", "xlsx", "admin", "kn",
           "Chrome", "Safari", "GeoJSON"}
# Tables whose text columns hold what people (or the demo, standing in for them) typed.
DATA_TABLES = {"notice": None, "port_call_emergency": None, "watchlist": None,
               "watchlist_entry": None, "port_call": None, "vessel": None, "agency": None,
               "terminal": None, "user_account": ("username", "display_name"),
               # what agents declared (ranks, places of birth): data, as they typed it
               "port_call_declaration": ("rows",), "port_call_health_decision": None,
               # callers' words and duty records, as the officer typed them; people's names
               "hotline_call": None, "hotline_action": None, "duty_log_entry": None,
               "duty_log_step": None, "duty_handover": None, "duty_person": ("name",),
               "duty_roster": ("name",), "duty_swap": ("reason",), "duty_request": ("reason",),
               # foreign residents' names and records as written (Vietnamese, Latin)
               "resident": ("name", "name_latin", "name_han", "ethnic_group", "notes"),
               "resident_document": None, "resident_marriage": None,
               "resident_family_link": None, "resident_household": None,
               "resident_lodging": None, "resident_residence": None,
               "resident_employment": None, "resident_crossing": ("path",),
               "crossing_point": None, "resident_flag": ("why",), "resident_visit": None}
# Shapes of text known to be left in English, matched narrowly (none at present).
KNOWN_GAPS: list[re.Pattern[str]] = []
SKIP = ("/logout", "/static", "/api", "/language", "/events", "/healthz")
WORD = re.compile(r"[A-Za-zÀ-ɏḀ-ỿ][A-Za-zÀ-ɏḀ-ỿ'’]*")
IDENTIFIER = re.compile(r"[0-9._/@:]|^[a-z]+(-[a-z]+){2,}$")  # or a slug: a-b-c


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0
        self._foreign: list[str] = []  # open elements marked as another language

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag in ("script", "style", "template", "code"):  # <code>: a command, not words
            self._hidden += 1
        if values.get("lang") and not values["lang"].startswith("zh"):
            self._foreign.append(tag)  # a name's English form, marked lang="en": data
            self._hidden += 1
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        for name in ("title", "placeholder", "aria-label", "alt"):
            if values.get(name):
                self.texts.append(values[name])
        if tag == "optgroup" and values.get("label"):
            self.texts.append(values["label"])
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.texts.append(values["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template", "code"):
            self._hidden -= 1
        if self._foreign and self._foreign[-1] == tag:
            self._foreign.pop()
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(data.strip())


def english_words(text: str, data_words: set[str]) -> list[str]:
    """The words of ``text`` that read as English interface (see the module docstring)."""
    if any(gap.match(text) for gap in KNOWN_GAPS):
        return []
    found = []
    for piece in re.split(r"[\s，。；：、（）()【】《》“”\"·,;!?|—–]+", text):
        if not piece or IDENTIFIER.search(piece):
            continue
        for word in WORD.findall(piece):
            if word.upper() == word or word in ALLOWED or word in data_words:
                continue
            found.append(word)
    return found


def test_the_heuristic_tells_interface_english_from_data():
    data = {"Crew", "change"}
    assert english_words("1 encounter alert(s); latest medium, ended 2026-12-06T11:18:47Z", data)
    assert english_words("船舶类型: unknown", data) == ["unknown"]
    assert english_words("风险评分 60，不低于 60", data) == []
    assert english_words("SEA FORTUNE · MMSI 667001900 · accounts.manage · Asia/Shanghai", data) \
        == []
    assert english_words("Crew change", data) == []
    assert english_words("Open", data) == ["Open"]


def _data_words(database: str) -> set[str]:
    words: set[str] = set()
    with sqlite3.connect(database) as db:
        for table, only in DATA_TABLES.items():
            columns = only or [row[1] for row in db.execute(f"PRAGMA table_info({table})")
                               if "CHAR" in row[2].upper() or "TEXT" in row[2].upper()
                               or "JSON" in row[2].upper()]
            for column in columns:
                for (value,) in db.execute(f"SELECT {column} FROM {table}"):
                    if isinstance(value, str):
                        if value[:1] in "[{":  # JSON keeps non-ASCII as \u escapes
                            try:
                                value = json.dumps(json.loads(value), ensure_ascii=False)
                            except ValueError:
                                pass
                        words.update(WORD.findall(value))
    for station in list_stations():  # place names abroad, as the tide data spells them
        words.update(WORD.findall(station.name))
    return words


def _crawl(url: str, username: str, per_shape: int = 2) -> dict[str, list[str]]:
    """Visible texts of each page the user reaches from the dashboard, by path."""
    pages: dict[str, list[str]] = {}
    with httpx.Client(base_url=url, follow_redirects=True, timeout=60,
                      headers={"Accept-Language": "zh-CN"}) as browser:
        browser.cookies.set("bastion_lang", "zh-CN")
        token = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/login").text)[1]
        answer = browser.post("/login", data={"csrf_token": token, "username": username,
                                              "password": "bastion-demo", "next": "/dashboard"})
        assert answer.status_code == 200, (username, answer.status_code)
        queue, seen, shapes = ["/dashboard"], set(), defaultdict(int)
        while queue:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            response = browser.get(path)
            assert response.status_code < 500, (username, path)
            if "html" not in response.headers.get("content-type", ""):
                continue
            assert '<html lang="zh-CN">' in response.text, (username, path)
            reader = _Reader()
            reader.feed(response.text)
            pages[path] = reader.texts
            for href in reader.links:
                target = urlparse(urljoin(url + path, href))
                if target.netloc != urlparse(url).netloc or target.path.startswith(SKIP) or \
                        re.search(r"\.(xlsx|csv|json|geojson|pdf)$", target.path):
                    continue
                shape = re.sub(r"\d+", "N", target.path)
                if shapes[shape] >= per_shape:
                    continue
                shapes[shape] += 1
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return pages


def test_no_page_in_chinese_shows_english_interface_words(live_server):
    database = live_server.env["BASTION_DATABASE_URL"].removeprefix("sqlite:///")
    data_words = _data_words(database)
    leaks: dict[str, set[str]] = defaultdict(set)
    reached = 0
    for username in USERS:
        pages = _crawl(live_server.url, username)
        reached += len(pages)
        for path, texts in pages.items():
            for text in texts:
                if english_words(text, data_words):
                    leaks[text[:160]].add(f"{username} {path}")
    assert reached > 60, reached  # the crawl really walked the application
    assert not leaks, "\n".join(f"{text!r} on {sorted(where)[:3]}"
                                for text, where in sorted(leaks.items()))
