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
