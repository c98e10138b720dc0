"""MUST SHOW (issue 12): a patrol recorded with the network off — start, track, two check-ins,
an observation with a photo, end — appears ONCE at the command after the network returns,
and a second sync of the very same operations changes nothing.

Real parts only: the live server (uvicorn, SQLite, demo people), Debian's chromium, the page's
service worker and IndexedDB, Playwright's geolocation emulation and offline mode. Chromium's
offline emulation does not reach a service worker's own requests (microsoft/playwright#2311),
so going offline also aborts every request a service worker makes (with Playwright's service
worker network events, switched on for this module): nothing reaches the server while
"offline", the worker included.
"""

from __future__ import annotations

import os
import re
import secrets
import struct
import time
import zlib

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.login import log_in

# Near the Bainan post (百南联防所) on the line, so the track is where a patrol would be.
CP1 = (105.5200, 23.2000)
CP2 = (105.5212, 23.2006)  # about 140 m east-north-east of CP1
AUXILIARY, COMMAND = "lu.auxiliary", "huang.command"


@pytest.fixture(scope="module", autouse=True)
def service_worker_network_events():
    """Playwright reports (and routes) a service worker's requests only with this set when
    its driver starts; autouse, so it is set before the module's ``browser`` starts it."""
    before = os.environ.get("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS")
    os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = "1"
    yield
    if before is None:
        os.environ.pop("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", None)
    else:
        os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = before


def _png(width: int = 8, height: int = 8) -> bytes:
    """A real (tiny, grey) PNG: the photo endpoint accepts images only, by their bytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0,
                                                               0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _seed_checkpoints(live_server) -> list[dict]:
    """Two checkpoints of the command for the Bainan post, with known QR secrets (the map's
    own import is the geo room's; the database is the live server's own SQLite file)."""
    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session

    import bastion.models  # noqa: F401  (every model registered)
    from bastion.border.geo.models import Checkpoint
    from bastion.core.marking import TLP, Distribution
    from bastion.org.models import Agency, User

    engine = create_engine(live_server.env["BASTION_DATABASE_URL"])
    made = []
    with Session(engine) as session, session.begin():
        command = session.scalar(select(User).where(User.username == COMMAND))
        post = session.scalar(select(Agency).where(Agency.code == "NP-JDC-BN"))
        for code, (lon, lat) in (("T-OFF-1", CP1), ("T-OFF-2", CP2)):
            token = secrets.token_urlsafe(24)
            session.add(Checkpoint(code=code, name=f"离线测试卡点 {code}", lon=lon, lat=lat,
                                   radius_m=60.0, post_agency_id=post.id, qr_token=token,
                                   windows=[], owner_org_id=command.organisation_id,
                                   created_by_id=command.id, tlp=TLP.GREEN,
                                   distribution=Distribution.OWN))
            made.append({"code": code, "qr": f"BASTION-CP:{code}:{token}"})
    engine.dispose()
    return made


def _bearer(url: str, username: str) -> dict[str, str]:
    answer = httpx.post(f"{url}/api/v1/auth/token",
                        json={"username": username, "password": "bastion-demo"})
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _at_command(url: str, headers: dict[str, str], client_id: str) -> list[dict]:
    """Every patrol the command sees with this client id, each with its detail."""
    found, offset = [], 0
    while offset is not None:
        page = httpx.get(f"{url}/api/v1/patrols", params={"limit": 100, "offset": offset},
                         headers=headers).raise_for_status().json()
        found += [p for p in page["items"] if p["client_id"] == client_id]
        offset = page["next_offset"]
    return [httpx.get(f"{url}/api/v1/patrols/{p['id']}", headers=headers)
            .raise_for_status().json() for p in found]


def _until(check, what: str, seconds: float = 30) -> None:
    """Poll (page.wait_for_function would evaluate a string: the page's CSP forbids it)."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.1)


def _photos(detail: dict) -> int:
    return sum(len(r["photo_ids"]) for r in detail["check_ins"] + detail["observations"])


def test_patrol_recorded_offline_appears_once_at_the_command(browser, live_server, tmp_path):
    url = live_server.url
    if httpx.get(f"{url}/api/v1/patrols/field-kit",
                 headers=_bearer(url, AUXILIARY)).status_code == 404:
        pytest.skip("the Field API (GET /api/v1/patrols/field-kit, POST /api/v1/patrols/"
                    "field/...) is not in this build: the field room's branch is not merged")
    checkpoints = _seed_checkpoints(live_server)
    photo = tmp_path / "trail.png"
    photo.write_bytes(_png())

    context = browser.new_context(locale="zh-CN", permissions=["geolocation"],
                                  geolocation={"longitude": CP1[0] - 0.0008,
                                               "latitude": CP1[1] - 0.0004, "accuracy": 8},
                                  service_workers="allow")
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # "end this patrol?"
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, url, AUXILIARY)

    # Online: the page opens, its service worker installs and keeps the page and its files,
    # the field kit is kept in IndexedDB.
    page.goto(f"{url}/patrols/field")
    field = page.locator("#field")
    expect(field).to_have_attribute("data-ready", "true")
    expect(page.locator("body")).to_have_attribute("data-offline-ready", "true", timeout=30000)
    _until(lambda: page.evaluate("caches.match('/patrols/field').then(r => !!r)"),
           "the page in the service worker's cache")

    # Offline, for the browser and for its service worker alike.
    cut: list[str] = []

    def no_network(route):
        if route.request.service_worker:
            cut.append(route.request.url)
            route.abort("internetdisconnected")
        else:
            route.continue_()
    context.set_offline(True)
    context.route("**/*", no_network)
    reloaded = page.reload()
    # The worker tried the network first, was cut off, and answered from its cache.
    assert reloaded is not None and reloaded.from_service_worker
    assert f"{url}/patrols/field" in cut, cut
    expect(field).to_have_attribute("data-ready", "true")
    expect(field).to_have_attribute("data-net", "offline")
    expect(page.locator("#kit-state")).to_contain_text("本机保存的巡逻数据")
    expect(page.locator("#lock-warning")).to_be_attached()

    # Start: a new patrol by vehicle, the auxiliary leading.
    page.select_option("#start-transport", "vehicle")
    page.click("#start-button")
    expect(field).to_have_attribute("data-patrol", "under_way")
    expect(page.locator("#lock-warning")).to_be_visible()
    patrol_id = page.evaluate(
        "BastionOffline.store.get('patrol-field', document.getElementById('field')"
        ".dataset.userId).then(p => p.patrol_id)")

    # The track: the emulated phone drives to CP1, then on to CP2 (~15 m a step). Recording
    # begins with the fix where the phone stands.
    def fixes_at_least(n):
        _until(lambda: int(field.get_attribute("data-fixes") or 0) >= n, f"{n} fixes")

    def drive(start, end, steps):
        for i in range(1, steps + 1):
            before = int(field.get_attribute("data-fixes") or 0)
            lon = start[0] + (end[0] - start[0]) * i / steps
            lat = start[1] + (end[1] - start[1]) * i / steps
            context.set_geolocation({"longitude": lon, "latitude": lat, "accuracy": 8})
            fixes_at_least(before + 1)
            time.sleep(0.6)  # fixes a moment apart: a believable speed for a vehicle

    fixes_at_least(1)
    drive((CP1[0] - 0.0008, CP1[1] - 0.0004), CP1, 6)
    # At CP1 the page offers the check-in (within its radius); by geofence.
    cp1 = page.locator(f"#checkpoints li[data-checkpoint='{checkpoints[0]['code']}']")
    expect(cp1).to_have_class(re.compile(r"\binside\b"))
    cp1.locator("button").click()
    expect(cp1).to_have_class(re.compile(r"\bdone\b"))
    drive(CP1, CP2, 8)
    # At CP2: by the text of its QR code, typed (no camera in a test).
    page.click("#qr-panel summary")
    page.fill("#qr-code", checkpoints[1]["qr"])
    page.click("#qr-checkin")
    cp2 = page.locator(f"#checkpoints li[data-checkpoint='{checkpoints[1]['code']}']")
    expect(cp2).to_have_class(re.compile(r"\bdone\b"))

    # An observation from the category tree with its typed attributes and a photo.
    page.select_option("#obs-category", "illegal_crossing")
    page.click("#obs-save")
    expect(page.locator("#obs-state")).to_have_text("请更正标出的字段。")  # count, direction
    page.fill("input[name='attr-count']", "2")
    page.select_option("select[name='attr-direction']", "inbound")
    page.fill("#obs-note", "两人背包沿小路向界碑方向行走（测试）")
    page.set_input_files("#obs-photo", str(photo))
    page.click("#obs-save")
    expect(field).to_have_attribute("data-observations", "1")

    page.click("#end-button")
    expect(field).to_have_attribute("data-patrol", "none")
    expect(field).to_have_attribute("data-last-patrol", patrol_id)

    # Everything waits on the phone; nothing has reached the server.
    fixes = int(field.get_attribute("data-fixes"))
    pending = int(field.get_attribute("data-pending"))
    # start, >=3 track batches, 2 check-ins, observation, photo, end
    assert pending >= 9, pending
    expect(page.locator("#queue-state")).to_contain_text(f"{pending} 条待发送")
    command = _bearer(url, COMMAND)
    assert _at_command(url, command, patrol_id) == []
    # Keep a copy of the very operations sent, to send them all again afterwards.
    page.evaluate("BastionOffline.store.queued().then(ops => "
                  "BastionOffline.store.kvSet('test-copy', ops))")

    # The network returns: the queue is sent in order, with progress, to the last one.
    context.unroute("**/*", no_network)
    context.set_offline(False)
    expect(field).to_have_attribute("data-pending", "0", timeout=60000)
    expect(field).to_have_attribute("data-sync-state", "idle")
    expect(field).to_have_attribute("data-problems", "0")
    expect(page.locator("#sync-progress")).to_have_text(f"已发送 {pending} / {pending}")

    patrols = _at_command(url, command, patrol_id)
    assert len(patrols) == 1
    first = patrols[0]
    assert first["status"] == "ended" and first["transport"] == "vehicle"
    assert len(first["check_ins"]) == 2
    assert {c["method"] for c in first["check_ins"]} == {"geofence", "qr"}
    assert all(c["within_radius"] for c in first["check_ins"])
    assert len(first["observations"]) == 1
    assert first["observations"][0]["attributes"] == {"count": 2, "direction": "inbound"}
    assert _photos(first) == 1
    kept = sum(len(line) for line in first["track"]["geometry"]["coordinates"])
    assert kept >= fixes - 2, (kept, fixes, first["removed_points"])
    assert [c["action"] for c in first["status_changes"]][-1] == "end"

    # A second sync: the same operations once more, from a reloaded page. Every one is
    # answered "duplicate" and the command's picture does not change.
    page.reload()
    expect(field).to_have_attribute("data-ready", "true")
    again = page.evaluate("""async () => {
        const store = BastionOffline.store;
        const ops = await store.kvGet('test-copy');
        for (const op of ops) { delete op.seq; await store.enqueue(op); }
        return ops.length;
    }""")
    assert again == pending
    page.click("#sync-now")
    expect(field).to_have_attribute("data-pending", "0", timeout=60000)
    expect(field).to_have_attribute("data-duplicates", str(pending))
    expect(field).to_have_attribute("data-problems", "0")
    assert _at_command(url, command, patrol_id) == patrols

    # The same start with other content (another transport) is a conflict: shown to the
    # user with the server's word for it, kept on the phone, and not sent again by itself.
    page.evaluate("""async () => {
        const store = BastionOffline.store;
        const start = (await store.kvGet('test-copy')).find(op => op.kind === 'start');
        delete start.seq;
        start.json.transport = 'boat';
        await store.enqueue(start);
    }""")
    page.click("#sync-now")
    problem = page.locator("#sync-problems li.conflict")
    expect(problem).to_have_count(1)
    expect(problem).to_contain_text("冲突")
    expect(problem).to_contain_text("transport")
    expect(field).to_have_attribute("data-pending", "0")
    page.click("#sync-now")  # a pass of its own does not send it again
    expect(field).to_have_attribute("data-sync-state", "idle")
    attempts = page.evaluate("BastionOffline.store.queued().then(ops => ops.map(o => o.attempts))")
    assert attempts == [1]
    problem.locator("button.link").click()  # discarded by the user (after a confirm)
    expect(page.locator("#sync-problems li")).to_have_count(0)
    # What the server refuses as it stands (422) is kept and shown with the field it names.
    page.evaluate("""async () => {
        const store = BastionOffline.store;
        const seen = (await store.kvGet('test-copy')).find(op => op.kind === 'observation');
        delete seen.seq;
        seen.op_id = seen.json.client_id = crypto.randomUUID();
        seen.json.attributes = {count: 0, direction: 'inbound'};
        await store.enqueue(seen);
    }""")
    page.click("#sync-now")
    refused = page.locator("#sync-problems li.rejected")
    expect(refused).to_contain_text("attributes.count")
    expect(field).to_have_attribute("data-pending", "0")
    refused.locator("button.link").click()
    expect(page.locator("#sync-problems li")).to_have_count(0)
    assert _at_command(url, command, patrol_id) == patrols  # still the vehicle patrol, once

    # Logging out forgets the kept page (it shows who was logged in).
    page.click("form[action='/logout'] button[type=submit]")
    expect(page).to_have_url(re.compile(r"/login"))
    assert page.evaluate("caches.match('/patrols/field').then(r => !!r)") is False

    assert errors == [], errors
    context.close()
