"""``gongjian gateway``: run the HJ 212 receiver until stopped (SIGTERM or SIGINT)."""

import asyncio
import logging
import signal

from django.core.management.base import BaseCommand

from gongjian.gateway.server import Gateway


class Command(BaseCommand):
    help = "Receive HJ 212 packets over TCP from monitoring devices and store them (acknowledged once stored)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="0.0.0.0", help="address to listen on (default all)")
        parser.add_argument("--port", type=int, default=6000, help="TCP port for devices (default 6000)")
        parser.add_argument("--metrics-port", type=int, default=6001,
                            help="HTTP port for /healthz and /metrics (default 6001; 0 picks a free one)")
        parser.add_argument("--frame-timeout", type=float, default=60.0,
                            help="seconds a connection may take to complete a frame (default 60)")

    def handle(self, *args, host, port, metrics_port, frame_timeout, **options):
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        asyncio.run(self._run(host, port, metrics_port, frame_timeout))

    async def _run(self, host, port, metrics_port, frame_timeout):
        gateway = Gateway(host, port, metrics_port=metrics_port, frame_timeout=frame_timeout)
        await gateway.start()
        self.stdout.write(f"gateway listening on {host}:{gateway.port}, metrics on {gateway.metrics_port}",
                          ending="\n")
        self.stdout.flush()
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            asyncio.get_running_loop().add_signal_handler(sig, stop.set)
        await stop.wait()
        await gateway.close()
