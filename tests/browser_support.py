"""Helpers for the real-browser tests (tests/test_browser*.py): how chromium is launched, opening an app and
finding its parts in the page, a TCP proxy whose connections a test can cut like a failing network, and small
waits on the server's side. The fixtures (browser, serve, new_context, page) are in tests/conftest.py.

Why a proxy: Chromium's own offline switch (``context.set_offline(True)``, i.e. CDP
``Network.emulateNetworkConditions``) only fails *new* requests; an event stream that is already open keeps
receiving data. Routes (``page.route``) only see requests as they start, and
``chrome.benchmarking.closeConnections()`` leaves a busy stream alone too. A proxy between the browser
and the server cuts the real connections, both ways, whenever the test says so.
"""
from __future__ import annotations

import contextlib
import re
import socket
import struct
import threading
import time
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Locator, Page

from htmio.scopes import scope_dom_id

from tests.live import LiveServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SESSION_URL = re.compile(r"^http://127\.0\.0\.1:\d+/s/[A-Za-z0-9_-]+(#htmio-inputs)?$")


def wait_until(predicate: Callable[[], Any], timeout: float = 5.0, what: str = "the condition") -> None:
    """Poll ``predicate`` until it is true; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.01)


def open_streams(server: LiveServer) -> int:
    """How many event streams the server has open, over all sessions."""
    return sum(session.streams_open for session in list(server.sessions.values()))


def only_session(server: LiveServer) -> Any:
    """The one session a test opened."""
    sessions = list(server.sessions.values())
    assert len(sessions) == 1, f"expected one session, the server has {len(sessions)}"
    return sessions[0]


# ---- the page -------------------------------------------------------------------------------------

def visit(page: Page, server: LiveServer, *, stream: bool = True) -> str:
    """Open the app like a user (``GET /``, redirected to the session page); with ``stream``, wait until
    the page's event stream is connected. Returns the session page's URL."""
    page.goto(server.url + "/")
    assert SESSION_URL.match(page.url), page.url
    if stream:
        wait_until(lambda: open_streams(server) >= 1, 5, "the page to open its event stream")
    return page.url


def submit(page: Page) -> None:
    page.locator("#htmio-inputs form.htmio-form").get_by_role("button", name="Submit").click()


def texts(page: Page, scope: str = "ROOT") -> Locator:
    """The put_text paragraphs of a scope, in page order."""
    return page.locator(f"#{scope_dom_id(scope)} .htmio-text")


def forms(page: Page) -> Locator:
    return page.locator("#htmio-inputs form.htmio-form")


def keep_this_document(page: Page) -> None:
    """Mark the window: ``same_document`` later tells whether the page was reloaded meanwhile."""
    page.evaluate("window.__htmioTestMark = 'same document'")


def same_document(page: Page) -> bool:
    return bool(page.evaluate("window.__htmioTestMark === 'same document'"))


def _shut(sock: socket.socket, reset: bool = False) -> None:
    with contextlib.suppress(OSError):
        if reset:  # close with a RST, like a connection refused mid-way
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        else:  # wakes the pump thread blocked in recv() on it
            sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()


class CuttableProxy:
    """A TCP proxy from ``url`` to a live server, whose connections a test can cut.

    ``cut("drop")``: every open connection is closed at once (the browser sees its stream end, the server
    sees the disconnect), and new connections are reset until ``restore()``.

    ``cut("blackhole")``: bytes stop flowing, silently, both ways: the server keeps writing into the void
    and thinks they were delivered, the browser keeps waiting. ``restore()`` tears those dead connections
    down (so the browser notices and reconnects); new connections made meanwhile are reset.
    """

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)  # so the accept loop notices stop()
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.lock = threading.Lock()
        self.mode: str | None = None
        self.pairs: list[tuple[socket.socket, socket.socket]] = []
        self.refused = 0
        self.stopped = False
        self.thread = threading.Thread(target=self._accept_loop, daemon=True, name="cuttable-proxy")
        self.thread.start()

    def _accept_loop(self) -> None:
        while not self.stopped:
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            with self.lock:
                if self.stopped or self.mode is not None:
                    self.refused += 1
                    _shut(client, reset=True)
                    continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
                upstream.settimeout(None)
            except OSError:
                _shut(client, reset=True)
                continue
            with self.lock:
                self.pairs.append((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True, name="proxy-pump").start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if self.mode == "blackhole":
                    continue  # lost on the way
                sink.sendall(data)
        except OSError:
            pass
        finally:
            _shut(source)
            _shut(sink)
            with self.lock:
                self.pairs = [p for p in self.pairs if source not in p]

    def cut(self, mode: str = "drop") -> None:
        """Cut the network: ``"drop"`` closes every connection, ``"blackhole"`` silently loses every byte."""
        if mode not in ("drop", "blackhole"):
            raise ValueError(f"cut(mode={mode!r}): use 'drop' or 'blackhole'")
        with self.lock:
            self.mode = mode
            victims = list(self.pairs) if mode == "drop" else []
        for client, upstream in victims:
            _shut(client)
            _shut(upstream)

    def restore(self) -> None:
        """Bring the network back: connections alive during the cut are torn down, new ones go through."""
        with self.lock:
            victims, self.pairs = self.pairs, []
            for client, upstream in victims:
                _shut(client)
                _shut(upstream)
            self.mode = None

    def stop(self) -> None:
        with self.lock:
            self.stopped = True
            victims, self.pairs = self.pairs, []
        for client, upstream in victims:
            _shut(client)
            _shut(upstream)
        self.thread.join(5)
        _shut(self.listener)
