"""In a real browser on the demo: a typhoon DRILL. The station's supervisor opens it, lists the
vessels in the area and assigns officers; the agents are notified and the demo shipping agent
acknowledges in the app; one vessel's AIS track (fed through maritime's ingest, as
tests/maritime do) ends slow inside its shelter zone and it turns "sheltered" by itself; the
big screen's counts follow live; the drill stays out of the operational figures."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from playwright.sync_api import expect
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, sessionmaker

from bastion.core.config import Settings
from bastion.core.db import transaction
from bastion.core.figures import by_key, collect
from bastion.emergencies import watch
from bastion.emergencies.models import EmergencyPartner
from bastion.maritime.feeds import build_engine
from bastion.maritime.picture import Picture
from bastion.org.models import Agency, User
from tests.browser.login import log_in

OCEAN_PEARL = 477123400  # the demo's cleared-in call (agent.yj), a merchant ship by AIS


def _watch(page) -> list[str]:
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.on("pageerror", lambda exc: failed.append(str(exc)))
    return failed


def _feed_track_into_shelter(url: str) -> None:
    """Ten minutes of OCEAN PEARL's fixes, from the lane into the Hailing Bay outer anchorage
    (the demo's merchant shelter zone), slowing to anchor; then one round of the AIS check."""
    settings = Settings(database_url=url, secret_key="live-server-test-key", _env_file=None)
    engine = create_engine(url)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    picture = Picture(sessions=sessions, settings=settings, engine=build_engine(None, settings))
    now = datetime.now(UTC)
    points = [(21.42, 112.16, 9.0), (21.46, 112.10, 6.0), (21.49, 112.04, 2.0),
              (21.495, 112.03, 0.2)]
    for n, (lat, lon, speed) in enumerate(points):
        at = now - timedelta(minutes=3 * (len(points) - 1 - n))
        picture.ingest({"type": 1, "mmsi": OCEAN_PEARL, "lat": lat, "lon": lon, "speed": speed,
                        "course": 300.0, "heading": 300, "status": 0, "time": at.isoformat()})
    picture.finish()
    with transaction(sessions) as session:
        watch.check_shelters(session)
    engine.dispose()


def test_a_typhoon_drill_on_the_demo(browser, live_server):
    url = live_server.url
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    failed = _watch(page)
    log_in(page, url, "chen.supervisor")
    page.goto(f"{url}/emergencies")
    page.fill("input[name=name]", "台风演练")
    # the partners the demo's typhoon names: the maritime safety administration (YJ-MSA) and
    # the land-border command (NP-JDC)
    page.select_option("#open-partners", label=["阳江海事局", "那坡县边境联防指挥部"])
    page.check("#open-exercise")
    page.click("#open-emergency-button")
    expect(page).to_have_url(re.compile(r"/emergencies/\d+$"))
    expect(page.locator("#emergency-title")).to_contain_text("【演练】")
    eid = int(page.url.rsplit("/", 1)[1])

    page.click("#gather-button")
    rows = page.locator("#vessels tr[data-vessel-id]")
    expect(rows.first).to_be_visible()
    listed = rows.count()
    assert listed >= 5
    expect(page.locator("#vessels")).to_contain_text("OCEAN PEARL")
    # one officer per vessel, alternately 李明 and 王芳
    for n in range(listed):
        form = page.locator("#vessels tr[data-vessel-id]").nth(n).locator(".assign-form")
        form.locator("select[name=officer_id]").select_option(label="李明" if n % 2 else "王芳")
        form.locator(".assign-button").click()
        page.wait_for_load_state("load")
    for n in range(listed):
        selected = page.locator("#vessels tr[data-vessel-id]").nth(n).locator(
            "select[name=officer_id] option:checked")
        expect(selected).not_to_have_text("—")
    page.click("#notify-button")
    expect(page.locator("#vessels tr[data-status=listed]")).to_have_count(0)

    # the big screen, dark, live
    board = context.new_page()
    failed += _watch(board)
    board.goto(f"{url}/emergencies/{eid}/board")
    expect(board.locator(".bigboard-drill")).to_be_visible()
    expect(board.locator("#board-counts")).to_have_attribute("data-live-ready", "true")
    expect(board.locator("[data-vessels=notified]")).to_have_text(str(listed))
    expect(board.locator("[data-vessels=acknowledged]")).to_have_text("0")
    expect(board.locator("body")).to_have_attribute("data-charts-ready", "true")
    expect(board.locator("#emergency-map")).to_have_attribute("data-vessel-count",
                                                              re.compile(r"[1-9]\d*"))

    # the demo shipping agent acknowledges OCEAN PEARL's warning in the app
    agent_context = browser.new_context(locale="zh-CN")
    agent = agent_context.new_page()
    failed += _watch(agent)
    log_in(agent, url, "agent.yj")
    agent.goto(f"{url}/notifications")
    warning = agent.locator("tr[data-notification-id]", has_text="OCEAN PEARL")
    expect(warning.first).to_contain_text("【演练】")
    warning.first.locator("button[type=submit]").click()
    # the agent sees only its own vessels' rows, now acknowledged
    agent.goto(f"{url}/emergencies/{eid}")
    expect(agent.locator("#vessels tr[data-vessel-id]", has_text="OCEAN PEARL")).to_have_attribute(
        "data-status", "acknowledged")
    expect(agent.locator("#emergency-summary")).to_have_count(0)
    assert agent.locator("#vessels tr[data-vessel-id]").count() < listed
    # the board followed, without a reload
    expect(board.locator("[data-vessels=acknowledged]")).to_have_text("1")
    expect(board.locator("[data-vessels=notified]")).to_have_text(str(listed - 1))

    # OCEAN PEARL's AIS track ends slow inside its shelter zone: sheltered by itself
    _feed_track_into_shelter(live_server.env["BASTION_DATABASE_URL"])
    expect(board.locator("[data-vessels=sheltered]")).to_have_text("1", timeout=20000)
    expect(board.locator("[data-vessels=acknowledged]")).to_have_text("0")
    page.goto(f"{url}/emergencies/{eid}")
    expect(page.locator("#vessels tr[data-vessel-id]", has_text="OCEAN PEARL")).to_have_attribute(
        "data-status", "sheltered")
    board.screenshot(path="/tmp/emergency-board.png", full_page=True)

    # the drill stays out of the operational figures
    engine = create_engine(live_server.env["BASTION_DATABASE_URL"])
    with Session(engine) as session:
        chen = session.scalar(select(User).where(User.username == "chen.supervisor"))
        year = date.today().year
        figures = by_key(collect(session=session, user=chen, start=date(year, 1, 1),
                                 end=date(year + 1, 1, 1)))
        assert figures["emergencies.count"] == 0
        assert figures["emergencies.vessels_moved"] == 0
        named = set(session.scalars(select(Agency.code).join(
            EmergencyPartner, EmergencyPartner.agency_id == Agency.id).where(
            EmergencyPartner.emergency_id == eid)))
        assert named == {"YJ-MSA", "NP-JDC"}
    engine.dispose()
    assert not failed, failed
    agent_context.close()
    context.close()
