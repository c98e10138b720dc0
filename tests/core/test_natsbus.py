"""NATS JetStream carries event-log rows: the relay publishes each row once (its id is the
message id), resumes after a restart without publishing again, and consumers deliver each
event once. Needs a NATS server: skipped on a laptop without one, a failure in CI."""

from __future__ import annotations

import asyncio

import pytest

from bastion.core import natsbus
from bastion.core.bus import InProcessBus
from tests.core import live_processes as live
from tests.core.conftest import insert


@pytest.fixture
def nats():
    """(url, a stream of this test's own), deleted afterwards."""
    url, stream = live.nats_url(), live.stream_name()
    yield url, stream
    live.delete_stream(url, stream)


async def _relay(url: str, stream: str, engine) -> tuple[object, natsbus.Relay]:
    nc = await natsbus.connect(url)
    js = nc.jetstream()
    await natsbus.ensure_stream(js, stream)
    return nc, natsbus.Relay(js, engine, stream)


async def _stored(url: str, stream: str) -> list[int]:
    """The event ids in the stream, in stream order."""
    nc = await natsbus.connect(url)
    js = nc.jetstream()
    last = (await js.stream_info(stream)).state.last_seq
    ids = [int((await js.get_msg(stream, seq)).headers[natsbus.MSG_ID])
           for seq in range(1, last + 1)]
    await nc.close()
    return ids


def test_the_relay_publishes_each_row_once_across_restarts(nats, writer, reader_engine, base):
    url, stream = nats

    async def scenario() -> None:
        insert(writer, base)  # history: the relay starts after it
        nc, relay = await _relay(url, stream, reader_engine)
        assert (await relay.resume()).low == base  # an empty stream starts at the log's end
        insert(writer, base + 1)
        insert(writer, base + 3)  # 2 is still being written (an open transaction)
        assert await relay.publish_new() == 2
        assert await relay.publish_new() == 0
        await nc.close()

        # Restarted while id 2 is missing: it knows 1 and 3 are in the stream.
        nc, relay = await _relay(url, stream, reader_engine)
        reader = await relay.resume()
        assert reader.low == base + 1
        assert await relay.publish_new() == 0  # nothing offered again
        insert(writer, base + 2)  # the late commit
        insert(writer, base + 4)
        assert await relay.publish_new() == 2
        await nc.close()

        nc, relay = await _relay(url, stream, reader_engine)
        assert (await relay.resume()).low == base + 4
        assert await relay.publish_new() == 0
        await nc.close()

    asyncio.run(scenario())
    assert asyncio.run(_stored(url, stream)) == [base + 1, base + 3, base + 2, base + 4]


def test_two_relays_store_each_row_once(nats, writer, reader_engine, base):
    """Two processes relaying at once (two servers, or a server and a worker): JetStream keeps
    the first copy of each message id."""
    url, stream = nats

    async def scenario() -> int:
        insert(writer, base)
        (nc1, one), (nc2, two) = await _relay(url, stream, reader_engine), \
            await _relay(url, stream, reader_engine)
        await one.resume()
        await two.resume()
        for i in (1, 2, 3):
            insert(writer, base + i)
        stored = await one.publish_new() + await two.publish_new()
        await nc1.close()
        await nc2.close()
        return stored

    assert asyncio.run(scenario()) == 3
    assert asyncio.run(_stored(url, stream)) == [base + 1, base + 2, base + 3]


def test_consumers_deliver_each_event_once(nats, writer, reader_engine, base):
    url, stream = nats
    bus = InProcessBus()
    bus.claim(base + 2)  # this process wrote it: it was published here after its commit

    async def scenario() -> list[int]:
        received: list[int] = []
        insert(writer, base)
        async with bus.subscribe() as queue:
            nc, relay = await _relay(url, stream, reader_engine)
            await relay.resume()
            await natsbus.consume(relay.js, stream, bus)
            for i in (1, 2, 3):
                insert(writer, base + i)
            await relay.publish_new()
            # The same event again under another message id (beyond the duplicate window).
            again = (await relay.js.get_msg(stream, (await relay.js.stream_info(stream))
                                            .state.last_seq)).data
            await relay.js.publish(f"{stream}.again", again, headers={natsbus.MSG_ID: "x"})
            try:
                while True:
                    received.append((await asyncio.wait_for(queue.get(), 1.0)).id)
            except TimeoutError:
                pass
            await nc.close()
        return received

    assert asyncio.run(scenario()) == [base + 1, base + 3]
