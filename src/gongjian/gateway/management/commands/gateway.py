"""``gongjian gateway``: run the HJ 212 receiver until stopped (SIGTERM or SIGINT);
``gongjian gateway simulate``: send realistic traffic for the registered devices to a gateway."""

import asyncio
import datetime as dt
import logging
import signal

from django.core.management.base import BaseCommand, CommandError

from gongjian import clock
from gongjian.gateway.server import IDLE_TIMEOUT, MAX_PER_PEER, Gateway, new_event_loop
from gongjian.gateway.simulator import SimDevice, plan, send


class Command(BaseCommand):
    help = ("Receive HJ 212 packets over TCP from monitoring devices and store them (acknowledged once stored); "
            "'simulate' sends realistic traffic for the registered devices to a gateway.")

    def add_arguments(self, parser):
        parser.add_argument("action", nargs="?", choices=["serve", "simulate"], default="serve",
                            help="serve (default) or simulate")
        parser.add_argument("--host", default=None, help="address to listen on (default all) or to send to "
                                                         "(default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=6000, help="TCP port for devices (default 6000)")
        parser.add_argument("--metrics-port", type=int, default=6001,
                            help="HTTP port for /healthz and /metrics (default 6001; 0 picks a free one)")
        parser.add_argument("--frame-timeout", type=float, default=60.0,
                            help="seconds a connection may hold part of a frame (default 60)")
        parser.add_argument("--idle-timeout", type=float, default=IDLE_TIMEOUT,
                            help=f"seconds a connection may stay silent (default {IDLE_TIMEOUT:.0f}; devices "
                                 f"send at least every minute or at their heartbeat)")
        parser.add_argument("--max-connections-per-peer", type=int, default=MAX_PER_PEER,
                            help=f"connections one IP address may hold; more are refused and counted in "
                                 f"/metrics (default {MAX_PER_PEER}; 0: no limit)")
        simulate = parser.add_argument_group("simulate")
        simulate.add_argument("--minutes", type=int, default=60, help="minutes of data per device (default 60)")
        simulate.add_argument("--start", default=None,
                              help="data time of the first minute, YYYY-MM-DDTHH:MM Beijing time (default: "
                                   "that many minutes before now)")
        simulate.add_argument("--devices", type=int, default=None, help="only the first N registered devices")
        simulate.add_argument("--window", type=int, default=10, help="packets a device sends before it waits "
                                                                     "for replies (default 10)")

    def handle(self, *args, action, host, port, metrics_port, frame_timeout, idle_timeout, max_connections_per_peer,
               minutes, start, devices, window, **options):
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        if action == "simulate":
            plans, first = self._plans(minutes, start, devices)
            with asyncio.Runner(loop_factory=new_event_loop) as runner:
                runner.run(self._simulate(host or "127.0.0.1", port, plans, minutes, first, window))
            return
        with asyncio.Runner(loop_factory=new_event_loop) as runner:
            runner.run(self._serve(host or "0.0.0.0", port, metrics_port, frame_timeout, idle_timeout,
                                   max_connections_per_peer))

    async def _serve(self, host, port, metrics_port, frame_timeout, idle_timeout, max_per_peer):
        if max_per_peer < 0:
            raise CommandError(f"--max-connections-per-peer {max_per_peer} is negative (0: no limit)")
        gateway = Gateway(host, port, metrics_port=metrics_port, frame_timeout=frame_timeout,
                          idle_timeout=idle_timeout, max_per_peer=max_per_peer)
        await gateway.start()
        self.stdout.write(f"gateway listening on {host}:{gateway.port}, metrics on {gateway.metrics_port}",
                          ending="\n")
        self.stdout.flush()
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            asyncio.get_running_loop().add_signal_handler(sig, stop.set)
        await stop.wait()
        await gateway.close()

    def _plans(self, minutes, start, limit):
        """The registered devices' traffic, built before any sending (read here, not on the loop)."""
        from gongjian.sources.services import active_devices

        rows = [(d.mn, d.password, d.kind) for d in active_devices()]
        if not rows:
            raise CommandError("No active monitoring devices are registered: build the demo (gongjian demo) or "
                               "register devices first.")
        if start:
            try:
                first = dt.datetime.fromisoformat(start)
            except ValueError:
                raise CommandError(f"--start {start!r} is not YYYY-MM-DDTHH:MM") from None
        else:
            # HJ 212 data times are Beijing wall-clock times, whatever the machine's own zone
            first = (clock.naive_local(clock.now()) - dt.timedelta(minutes=minutes)).replace(second=0, microsecond=0)
        devices = [SimDevice(mn, password, kind) for mn, password, kind in rows[:limit]]
        return plan(devices, first, minutes), first

    async def _simulate(self, host, port, plans, minutes, first, window):
        self.stdout.write(f"{len(plans)} devices send {minutes} minutes of data from {first:%Y-%m-%d %H:%M} "
                          f"to {host}:{port} (split hourly packets, split writes, some resends)")
        traffic = await send(host, port, plans, window=window, resend_share=0.05, split_writes=0.1)
        seconds = traffic.ended - traffic.started
        p99 = traffic.percentile(0.99)
        self.stdout.write(f"{traffic.packets_sent} packets in {seconds:.1f} s ({traffic.packets_sent / seconds:.0f}/s), "
                          f"{len(traffic.acked)} messages acknowledged, {traffic.resent} resent, "
                          f"p99 acknowledgement {p99 * 1000 if p99 else 0:.1f} ms, {traffic.errors} device errors")
