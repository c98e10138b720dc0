"""The check-in page opens with no network: it is registered with the floor's offline kit, so
the service worker (``/sw.js``) precaches the page and the files it needs, and the page
installs the worker."""

from __future__ import annotations

import json

from tests.web_helpers import login

# Not ``from bastion.duty.log import views`` here: importing it at collection registers the
# page before the app does, and the first page registered is the manifest's default start.


def precache(client) -> dict:
    body = client.get("/sw.js").text
    start = body.index("var PRECACHE = ") + len("var PRECACHE = ")
    return json.loads(body[start:body.index(";", start)])


def test_the_worker_precaches_the_checkin_page_and_its_files(client):
    found = precache(client)
    assert "/duty/checkin" in found["pages"]
    assert "/patrols/field" in found["pages"]  # beside the patrol field page, not instead
    for asset in ("/static/js/duty-checkin.js", "/static/css/duty-log.css",
                  "/static/js/offline/register.js"):
        assert asset in found["assets"], asset
        assert client.get(asset).status_code == 200, asset  # else the worker fails to install


def test_the_registered_path_is_the_page_s_route(client, w):
    """A path registered that no route serves would be cached as the login redirect (never
    kept) or a 404: the page at that path is the check-in page, for anyone who checks in."""
    from bastion.duty.log import views  # after the app (the client) registered its pages

    assert views.CHECKIN_PATH == "/duty/checkin"
    for who in ("a_officer", "a_aux", "cmd"):
        login(client, w.users[who].username)
        page = client.get(views.CHECKIN_PATH)
        assert page.status_code == 200, who
        assert 'id="checkin-button"' in page.text
        assert '<script src="/static/js/offline/register.js" defer></script>' in page.text


def test_the_page_is_not_served_to_a_stranger_from_the_worker_s_list(client):
    """The worker fetches registered pages with the user's own cookies: without a login the
    page is the login redirect, which the worker does not keep."""
    got = client.get("/duty/checkin", follow_redirects=False)
    assert got.status_code in (302, 303, 401)
