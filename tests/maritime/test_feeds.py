"""Feeds that never die (issue #10): bad lines are counted, a lost connection reconnects and
says so in the log, a feed that raises restarts, and ``/healthz`` reports each feed."""

from __future__ import annotations

import asyncio
import logging
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bastion.maritime.ais.nmea import checksum
from bastion.maritime.feeds import FeedState, build_engine, run_feed
from bastion.maritime.picture import Picture
from bastion.maritime.tracks.models import Vessel

DATA = Path(__file__).resolve().parents[1] / "data" / "ais"
BAD = [b"!AIVDM,1,1,,A,13AC<v?01K0r414OoKvnrUW:08Ev,0*68,99999999999999999999",
       b"\\c:nan*%02X\\!AIVDM,1,1,,A,13AC<v?01K0r414OoKvnrUW:08Ev,0*68" % checksum(b"c:nan"),
       b"\xff\xfe garbage",
       b"!AIVDM,1,1,,A,13AC<v?01K0r414OoKvnrUW:08Ev,0*68,1000000000000"]


@pytest.fixture
def picture(session_factory, settings, world, session):
    session.commit()  # the world is visible to the picture's own sessions
    return Picture(sessions=session_factory, settings=settings,
                   engine=build_engine(None, settings), batch=2000)


def _sentences() -> list[bytes]:
    lines = (DATA / "sample.aivdm").read_bytes().splitlines()
    return [line for line in lines if line.startswith(b"!AIVDM")]


def test_a_feed_goes_on_after_bad_lines_and_a_lost_connection(picture, session, caplog):
    sentences = _sentences()
    half = len(sentences) // 2
    connections = []

    async def scenario() -> FeedState:
        async def serve(reader, writer):
            connections.append(1)
            # The first connection sends half the feed and the bad lines, then drops.
            part = sentences[:half] + BAD if len(connections) == 1 else sentences[half:]
            for sentence in part:
                writer.write(sentence + b"\r\n")
            await writer.drain()
            if len(connections) > 1:
                try:
                    await asyncio.sleep(10)
                except asyncio.CancelledError:
                    pass
            writer.close()

        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        state = FeedState(f"tcp://127.0.0.1:{port}")
        feed = asyncio.create_task(run_feed(state.url, picture, flush_every=0.2, state=state))
        for _ in range(60):
            await asyncio.sleep(0.1)
            if len(connections) > 1 and state.state == "connected" and \
                    state.source.stats.lines == len(sentences) + len(BAD):
                break
        report = state.as_dict()
        feed.cancel()
        server.close()
        await asyncio.gather(feed, return_exceptions=True)
        return state, report

    with caplog.at_level(logging.INFO, logger="bastion.ais"):
        state, report = asyncio.run(scenario())
    assert len(connections) >= 2
    assert report["state"] == "connected" and report["last_message"] is not None
    assert report["reconnects"] >= 1
    assert report["skipped"]["bad_time"] == 2 and report["skipped"]["not_nmea"] == 1
    assert state.state == "stopped"
    assert "connection lost (closed by the server)" in caplog.text
    picture.flush()
    assert session.scalar(select(func.count(Vessel.mmsi))) >= 50


def test_a_feed_that_raises_is_logged_and_restarted(picture, caplog):
    async def scenario() -> FeedState:
        state = FeedState("tcp://no-port-here")  # open_source raises ValueError every time
        feed = asyncio.create_task(run_feed(state.url, picture, state=state,
                                            backoff_initial=0.05, backoff_max=0.1))
        await asyncio.sleep(0.5)
        report = state.as_dict()
        feed.cancel()
        await asyncio.gather(feed, return_exceptions=True)
        return report

    with caplog.at_level(logging.ERROR, logger="bastion.ais"):
        report = asyncio.run(scenario())
    assert report["state"] == "restarting" and report["restarts"] >= 3
    assert "ValueError" in report["error"]
    assert "AIS feed tcp://no-port-here failed; restarting" in caplog.text


def test_healthz_reports_each_feed(app, client, settings):
    """A real TCP feed runs in its own loop; /healthz shows it connected with its last time."""
    sentences = _sentences()
    picture = Picture(sessions=app.state.sessionmaker, settings=settings,
                      engine=build_engine(None, settings), store=False)
    ready = threading.Event()
    stop = threading.Event()

    async def main() -> None:
        async def serve(reader, writer):
            for sentence in sentences:
                writer.write(sentence + b"\r\n")
            await writer.drain()
            while not stop.is_set():
                await asyncio.sleep(0.05)
            writer.close()

        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        good = FeedState(f"tcp://127.0.0.1:{port}")
        bad = FeedState("udp://no-port")
        app.state.feeds = [good, bad]
        tasks = [asyncio.create_task(run_feed(f.url, picture, state=f, backoff_initial=0.05))
                 for f in (good, bad)]
        for _ in range(200):
            await asyncio.sleep(0.05)
            if good.source is not None and good.source.stats.lines == len(sentences):
                break
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.05)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        server.close()

    thread = threading.Thread(target=lambda: asyncio.run(main()))
    thread.start()
    try:
        assert ready.wait(20)
        body = client.get("/healthz").json()
    finally:
        stop.set()
        thread.join(20)
    assert body["status"] == "ok"
    good, bad = body["feeds"]
    assert good["state"] == "connected" and good["last_message"] and good["messages"] > 50
    assert bad["state"] == "restarting" and bad["restarts"] >= 1
