"""Hostile watchlist imports over the API: each bomb is a 422 naming the limit it broke and
nothing is stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bastion.screening.models import WatchlistEntry
from tests import bombs
from tests.web_helpers import api_token

# A watchlist may hold 2,000,000 rows (a national list in one CSV), so a million tiny rows or an
# undeclared far cell (1,048,576 rows, all empty but the last) are read within the limits and
# refused for having no heading row, not for their size.
WITHIN_LIMITS = {"far_cell_undeclared", "million_rows"}


@pytest.mark.parametrize("name", sorted(bombs.BOMBS))
def test_a_bomb_watchlist_is_refused_naming_the_limit(client, session, world, name):
    headers = api_token(client, "a.super")
    made = client.post("/api/v1/watchlists", headers=headers, json={
        "name": "Wanted", "source": "test", "tlp": "amber", "distribution": "all"})
    assert made.status_code == 201, made.text
    _build, filename, code = bombs.BOMBS[name]
    refused = client.post(f"/api/v1/watchlists/{made.json()['id']}/import", headers=headers,
                          files={"file": (filename.replace("crew", "list"), bombs.build(name))})
    assert refused.status_code == 422, refused.text
    codes = [e["code"] for e in refused.json()["errors"]]
    if name in WITHIN_LIMITS:
        assert codes and set(codes) <= {"MISSING_COLUMN", "NO_HEADING_ROW", "UNKNOWN_COLUMN"}, codes
    else:
        assert codes == [code]
    assert session.scalar(select(func.count(WatchlistEntry.id))) == 0


def test_a_bomb_imported_on_the_list_page_is_422_naming_the_limit(client, session, world):
    from tests.web_helpers import login

    headers = api_token(client, "a.super")
    made = client.post("/api/v1/watchlists", headers=headers, json={
        "name": "Wanted", "source": "test", "tlp": "amber", "distribution": "all"})
    token = login(client, "a.super")
    page = client.post(f"/screening/lists/{made.json()['id']}/import",
                       data={"csrf_token": token},
                       files={"file": ("list.xlsx", bombs.build("many_sheets"))})
    assert page.status_code == 422, page.text[:500]
    assert "TOO_MANY_SHEETS" in page.text
    assert session.scalar(select(func.count(WatchlistEntry.id))) == 0
