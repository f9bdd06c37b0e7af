"""The real gateway for the tests: started on free ports of this host, fed over real TCP sockets,
writing to the test database; and the helpers every gateway test shares."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from gongjian.gateway.server import Gateway
from gongjian.gateway.store import PacketStore
from gongjian.standards.hj212 import FrameReader, Packet, parse


def run(coroutine):
    """Run a coroutine to completion on a thread of its own: the browser tests' Playwright keeps an
    event loop running on the main thread, where ``asyncio.run`` is refused."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def with_gateway(check, *, max_delay: float = 0.005, **options):
    """``check(gateway)`` against a started gateway (device port and metrics port chosen free), which
    is closed afterwards; ``max_delay``: how long a batch gathers before it is written."""
    gateway = Gateway("127.0.0.1", 0, metrics_port=0, store=PacketStore(max_delay=max_delay), **options)
    await gateway.start()
    try:
        return await check(gateway)
    finally:
        await gateway.close()


async def replies(reader, count: int, timeout: float = 10.0) -> list[Packet]:
    """The next ``count`` replies read from ``reader`` (fewer if the gateway closes the connection)."""
    frames, out = FrameReader(), []
    while len(out) < count:
        data = await asyncio.wait_for(reader.read(65536), timeout)
        if not data:
            break
        out += [parse(f) for f in frames.feed(data)]
    return out
