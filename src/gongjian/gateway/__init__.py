"""The HJ 212 TCP receiver (asyncio), run as a process of its own by ``gongjian gateway``."""
