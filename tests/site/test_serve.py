"""`gongjian serve` stops its gunicorn (and worker) when it is stopped, so no server is left behind."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_stopping_serve_stops_the_server(tmp_path, stop_signal):
    port = _free_port()
    env = {**os.environ, "GONGJIAN_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "gongjian.site.settings",
           "SECRET_KEY": "serve-test-key-0123456789-abcdefghijklmnopqrstuvwxyz"}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    subprocess.run([sys.executable, "-m", "gongjian.cli", "migrate", "-v0"], env=env, check=True, timeout=180)
    serve = subprocess.Popen([sys.executable, "-m", "gongjian.cli", "serve", "--bind", f"127.0.0.1:{port}", "--no-worker",
                              "--workers", "1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                assert urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).status == 200
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the server did not start")
        serve.send_signal(stop_signal)
        serve.wait(timeout=60)
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
    finally:
        if serve.poll() is None:
            serve.kill()


def _processes() -> dict[int, tuple[int, str]]:
    """Every live process: pid -> (parent pid, state), read from /proc (zombies count as gone)."""
    out = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    state, ppid = handle.read().rsplit(")", 1)[1].split()[:2]
            except OSError:
                continue
            if state != "Z":
                out[int(entry)] = (int(ppid), state)
    return out


def _descendants(pid: int) -> set[int]:
    processes, found, frontier = _processes(), set(), {pid}
    while frontier:
        frontier = {child for child, (parent, _state) in processes.items() if parent in frontier} - found
        found |= frontier
    return found


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads the process tree from /proc")
def test_sigterm_stops_every_child_of_serve_the_job_worker_included(tmp_path):
    """The worker is django-q's cluster: a process that starts a sentinel, a pusher, a monitor and
    workers. All of them, and gunicorn's master and workers, are gone once serve has exited."""
    port = _free_port()
    env = {**os.environ, "GONGJIAN_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "gongjian.site.settings",
           "SECRET_KEY": "serve-test-key-0123456789-abcdefghijklmnopqrstuvwxyz"}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    subprocess.run([sys.executable, "-m", "gongjian.cli", "migrate", "-v0"], env=env, check=True, timeout=180)
    serve = subprocess.Popen([sys.executable, "-m", "gongjian.cli", "serve", "--bind", f"127.0.0.1:{port}",
                              "--workers", "1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        children: set[int] = set()
        for _ in range(300):  # gunicorn answers, and the worker has started its cluster's processes
            children = _descendants(serve.pid)
            try:
                served = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).status == 200
            except OSError:
                served = False
            if served and len(children) >= 6:  # worker + sentinel, pusher, monitor, 1 job worker; gunicorn + 1
                break
            time.sleep(0.2)
        else:
            pytest.fail(f"serve did not start its children: {sorted(children)}")
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=120) == 0
        left = children & set(_processes())
        assert not left, f"still running after serve stopped: {sorted(left)}"
    finally:
        if serve.poll() is None:
            serve.kill()
        for pid in _descendants(serve.pid):
            os.kill(pid, signal.SIGKILL)


def test_setup_prints_the_address_serve_will_listen_on(monkeypatch):
    from gongjian.site.management.commands import serve as serve_command
    from gongjian.site.management.commands import setup

    monkeypatch.setenv("GONGJIAN_BIND", "0.0.0.0:8080")
    parser = setup.Command().create_parser("gongjian", "setup")
    assert parser.parse_args([]).bind == serve_command.Command().create_parser("gongjian", "serve").parse_args([]).bind
    assert setup.sign_in_url(parser.parse_args([]).bind) == "http://127.0.0.1:8080/"
    assert setup.sign_in_url("10.1.2.3:9000") == "http://10.1.2.3:9000/"
