"""A real uvicorn server in a thread, for tests that need a socket (SSE streams, browsers), and waiting for a
server process to answer."""
from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import uvicorn

from htmio.server import create_app
from htmio.settings import Settings


class LiveServer:
    """Serve ``main`` on 127.0.0.1 until ``stop()``; ``url`` is its address."""

    def __init__(self, main: Callable[[], Any], settings: Settings | None = None) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.api = create_app(main, settings or Settings(first_paint_wait=2.0))
        config = uvicorn.Config(self.api, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the test server did not start in 10 s")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)

    @property
    def sessions(self) -> dict[str, Any]:
        return self.api.state.htmio.sessions  # type: ignore[no-any-return]


class EventReader:
    """Reads SSE messages (dicts of field -> value) off one streaming response, a few at a time."""

    def __init__(self, response: httpx.Response) -> None:
        self.lines = response.iter_lines()

    def read(self, count: int) -> list[dict[str, str]]:
        events: list[dict[str, str]] = []
        current: dict[str, str] = {}
        for line in self.lines:
            if line == "":
                if current:
                    events.append(current)
                    current = {}
                    if len(events) >= count:
                        break
                continue
            if line.startswith(":"):
                continue
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            current[name] = current[name] + "\n" + value if name in current else value
        return events


def read_events(response: httpx.Response, count: int) -> list[dict[str, str]]:
    """``count`` SSE messages from a response that is read only once."""
    return EventReader(response).read(count)


def first_page(client: httpx.Client, proc: subprocess.Popen[bytes], timeout: float = 20) -> httpx.Response:
    """GET / of a server process that is starting, following the redirect to its session's page; fail when
    the process exits or nothing answers within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return client.get("/", follow_redirects=True)
        except httpx.ConnectError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise
            time.sleep(0.1)
