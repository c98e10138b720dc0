"""TCP source against a real asyncio server on 127.0.0.1: drops, reconnects, a quiet feed."""

from __future__ import annotations

import asyncio

from bastion.maritime.ais.sources import TcpSource, open_source

LINE = b"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\r\n"


async def _collect(source: TcpSource, count: int, timeout: float = 10.0) -> list[dict]:
    got: list[dict] = []

    async def run() -> None:
        async for message in source:
            got.append(message)
            if len(got) == count:
                source.close()
                return

    await asyncio.wait_for(run(), timeout)
    return got


def test_server_drops_connection_and_client_reconnects():
    async def scenario() -> tuple[list[dict], TcpSource]:
        connections = 0

        async def handle(reader, writer):
            nonlocal connections
            connections += 1
            writer.write(LINE * 2)  # two messages, then hang up
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        source = TcpSource("127.0.0.1", port, backoff_initial=0.05, backoff_max=0.2)
        async with server:
            got = await _collect(source, 6)
        assert connections >= 3
        return got, source

    got, source = asyncio.run(scenario())
    assert [m["mmsi"] for m in got] == [371798000] * 6
    assert source.stats.reconnects >= 2 and source.stats.connects == source.stats.reconnects + 1
    assert got[0]["time"].endswith("Z")  # arrival time stamps lines without their own


def test_quiet_server_trips_the_watchdog_and_the_feed_resumes():
    async def scenario() -> TcpSource:
        calls = 0

        async def handle(reader, writer):
            nonlocal calls
            calls += 1
            if calls == 1:
                writer.write(LINE)
                await writer.drain()
                await asyncio.sleep(5)  # open but silent: a wedged feed
            else:
                writer.write(LINE)
                await writer.drain()
            writer.close()

        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        source = TcpSource("127.0.0.1", port, watchdog=0.3, backoff_initial=0.05)
        async with server:
            got = await _collect(source, 2, timeout=4)
        assert len(got) == 2
        return source

    source = asyncio.run(scenario())
    assert source.stats.watchdog_trips == 1 and source.stats.reconnects >= 1


def test_refused_connection_backs_off_and_counts():
    async def scenario() -> TcpSource:
        server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        server.close()
        await server.wait_closed()  # nothing listens on this port now
        source = TcpSource("127.0.0.1", port, backoff_initial=0.02, backoff_max=0.05)
        with_timeout = asyncio.wait_for(_collect(source, 1), 0.5)
        try:
            await with_timeout
        except TimeoutError:
            pass
        return source

    source = asyncio.run(scenario())
    assert source.stats.skipped["connect_failed"] >= 3 and source.stats.connects == 0


def test_open_source_parses_urls():
    assert isinstance(open_source("tcp://127.0.0.1:5631"), TcpSource)
    assert open_source("udp://:10110").port == 10110
