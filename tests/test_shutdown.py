"""Stopping a real server process (SIGTERM, Ctrl-C): every session closes, every ``defer_call`` function runs
to its end, every open event stream ends cleanly with a last message, and the process exits."""
from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

from htmio.platform import free_port
from tests.live import first_page

SESSIONS = 10

APP = '''
import os, pathlib, time, uuid
from htmio.input import input
from htmio.session import defer_call

def main():
    marker = pathlib.Path(os.environ["MARKERS"]) / uuid.uuid4().hex
    def clean_up():
        time.sleep(0.5)  # a deferred function that takes its time still runs to its end
        marker.write_text("done")
    defer_call(clean_up)
    input("Your name")
'''


class OpenStream:
    """An event stream read to its end in a thread: the bytes, and whether the body ended as HTTP says it must."""

    def __init__(self, client: httpx.Client, url: str) -> None:
        self.client, self.url = client, url
        self.body = b""
        self.ended_cleanly = False
        self.error: BaseException | None = None
        self.started = threading.Event()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            with self.client.stream("GET", self.url, timeout=httpx.Timeout(5, read=60)) as response:
                for chunk in response.iter_bytes():
                    self.body += chunk
                    if b"\n\n" in self.body:
                        self.started.set()
            self.ended_cleanly = True  # a body cut short raises RemoteProtocolError instead
        except BaseException as exc:
            self.error = exc
        finally:
            self.started.set()


def command_for(how: str, tmp_path: Path, port: int) -> list[str]:
    app = tmp_path / "app.py"
    if how == "htmio serve":
        app.write_text(APP)
        return [sys.executable, "-m", "htmio.cli", "serve", str(app), "--port", str(port)]
    app.write_text(APP + f"\nfrom htmio import start_server\nstart_server(main, port={port}, host='127.0.0.1')\n")
    return [sys.executable, str(app)]


@pytest.mark.parametrize("how,stop", [("htmio serve", signal.SIGTERM), ("htmio serve", signal.SIGINT),
                                      ("start_server", signal.SIGTERM), ("start_server", signal.SIGINT)])
def test_a_stopped_server_closes_every_session_runs_every_defer_call_and_ends_streams_cleanly(tmp_path, how, stop):
    markers = tmp_path / "markers"
    markers.mkdir()
    port = free_port()
    env = {**__import__("os").environ, "MARKERS": str(markers), "HTMIO_SESSION_RATE": "0"}
    proc = subprocess.Popen(command_for(how, tmp_path, port), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    clients: list[httpx.Client] = []
    streams: list[OpenStream] = []
    try:
        for _ in range(SESSIONS):  # one browser each: its own cookie, its page waiting in input(), its stream open
            client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)
            clients.append(client)
            page = first_page(client, proc)
            assert page.status_code == 200 and "Your name" in page.text
            url = re.search(r'hx-sse:connect="([^"]+)"', page.text)
            assert url is not None
            streams.append(OpenStream(client, url.group(1).replace("&amp;", "&")))
        for stream in streams:
            assert stream.started.wait(20) and stream.error is None, stream.error
        proc.send_signal(stop)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        for client in clients:
            client.close()
    stderr = err.decode()
    assert proc.returncode == 0, stderr
    assert len(list(markers.iterdir())) == SESSIONS, "a defer_call function did not run to its end"
    assert "ASGI callable returned without completing response" not in stderr
    assert "Cancel" not in stderr, stderr  # uvicorn cancelled no task: nothing outlived the graceful stop
    for stream in streams:
        stream.thread.join(10)
        assert stream.ended_cleanly, stream.error
        text = stream.body.decode()
        first, rest = text.split("\n\n", 1)  # the whole document as the page opened, then what came since
        assert "The server has stopped" not in first and "The server has stopped" in rest  # the page says so
        assert text.rstrip().endswith("event: htmio-close\ndata: closed"), text[-300:]
