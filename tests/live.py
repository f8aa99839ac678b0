"""A real uvicorn server in a thread, for tests that need a socket (SSE streams, browsers), and waiting for a
server process to answer."""
from __future__ import annotations

import contextlib
import select
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


class RawUpload:
    """A form post with one file, written by hand over a socket a piece at a time, with a Content-Length or
    chunked (no length up front): shows how much of it the server let the client send before it answered.

        upload = RawUpload(server.port, action, cookies, token, size=200 << 20, chunked=True)
        upload.send()                 # until the whole file is sent, the server answers, or it cuts us off
        assert upload.sent < 32 << 20
    """

    BOUNDARY = "htmio-raw-upload-boundary"

    def __init__(self, port: int, action: str, cookies: dict[str, str], token: str, *, size: int, chunked: bool,
                 field: str = "value", filename: str = "big.bin", piece: int = 64 * 1024) -> None:
        self.size, self.chunked, self.piece = size, chunked, piece
        self.sent = 0  # bytes of the file sent so far
        self.answered = self.cut = False  # the server's answer is there to read / the server closed on us
        b = self.BOUNDARY
        self.head = (f"--{b}\r\nContent-Disposition: form-data; name=\"_token\"\r\n\r\n{token}\r\n"
                     f"--{b}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n"
                     "Content-Type: application/octet-stream\r\n\r\n").encode()
        self.tail = f"\r\n--{b}--\r\n".encode()
        framing = ("Transfer-Encoding: chunked" if chunked
                   else f"Content-Length: {len(self.head) + size + len(self.tail)}")
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        request = (f"POST {action} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\nHX-Request: true\r\n"
                   f"Content-Type: multipart/form-data; boundary={b}\r\n{framing}\r\n\r\n").encode()
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.sock.sendall(request)
        self._write(self.head)

    def _write(self, data: bytes) -> bool:
        if select.select([self.sock], [], [], 0)[0]:
            self.answered = True  # an answer (or the close) came while we were still sending
            return False
        try:
            self.sock.sendall(b"%x\r\n%s\r\n" % (len(data), data) if self.chunked else data)
        except (BrokenPipeError, ConnectionResetError):
            self.cut = True
            return False
        return True

    def send(self, upto: int | None = None) -> None:
        """Send the file up to byte ``upto`` (all of it, and the end of the form, when None), stopping early when
        the server answers or closes the connection."""
        end = self.size if upto is None else min(upto, self.size)
        piece = b"x" * self.piece
        while self.sent < end and not (self.answered or self.cut):
            data = piece[:end - self.sent]
            if not self._write(data):
                return
            self.sent += len(data)
        if upto is None and self.sent == self.size:
            if self._write(self.tail) and self.chunked:
                with contextlib.suppress(OSError):
                    self.sock.sendall(b"0\r\n\r\n")

    def response(self) -> tuple[int, dict[str, str], str] | None:
        """(status, headers, body) of the server's answer, or None when the connection was reset before it came."""
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                more = self.sock.recv(65536)
                if not more:
                    break
                data += more
            head, _, body = data.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
            length = int(headers.get("content-length", "0"))
            while len(body) < length:
                more = self.sock.recv(65536)
                if not more:
                    break
                body += more
        except ConnectionResetError:
            return None
        if not lines[0].startswith("HTTP/1.1 "):
            return None
        return int(lines[0].split()[1]), headers, body.decode("utf-8", "replace")

    def close(self) -> None:
        self.sock.close()
