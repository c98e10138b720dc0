"""UDP listener with real datagrams on 127.0.0.1, several lines per datagram."""

from __future__ import annotations

import asyncio
import socket

from bastion.maritime.ais.sources import UdpSource

PART1 = b"!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C"
PART2 = b"!AIVDM,2,2,1,A,88888888880,2*25"
POSITION = b"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"


def test_datagrams_are_decoded_and_reassembled():
    async def scenario() -> tuple[list[dict], UdpSource]:
        source = UdpSource(0, "127.0.0.1")
        await source.start()
        sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            sender.sendto(POSITION + b"\r\n" + PART1 + b"\r\n", ("127.0.0.1", source.port))
            sender.sendto(b"garbage\n" + PART2 + b"\n", ("127.0.0.1", source.port))
        finally:
            sender.close()
        got = []

        async def run():
            async for message in source:
                got.append(message)
                if len(got) == 2:
                    source.close()

        await asyncio.wait_for(run(), 5)
        return got, source

    got, source = asyncio.run(scenario())
    assert [m["type"] for m in got] == [1, 5]
    assert got[1]["shipname"] == "EVER DIADEM"
    assert source.stats.skipped == {"not_nmea": 1}
    assert source.stats.bytes > 100
