"""A real redis-server for tests: started on a free loopback port with no persistence, stopped after.

    with RedisService() as redis:           # or the `redis_service` fixture
        url = redis.url                     # redis://127.0.0.1:<port>/0
        redis.kill()                        # an outage: the server is gone (SIGKILL)
        redis.start()                       # back on the same port, empty (no persistence)

Other tests reuse it: ``from tests.redis_service import RedisService, redis_service``.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

INSTALL = "apt-get install -y redis-server"


def free_port() -> int:
    """A TCP port nothing listens on now, on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class RedisService:
    """One redis-server process on 127.0.0.1 (``url``), without RDB or AOF files, so a restart is empty."""

    def __init__(self, port: int | None = None) -> None:
        self.executable = shutil.which("redis-server")
        if self.executable is None:
            raise RuntimeError(f"redis-server is not installed; the Redis tests need it: {INSTALL}")
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.folder = tempfile.mkdtemp(prefix="htmio-redis-")
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self, timeout: float = 10.0) -> RedisService:
        """Start the server (again, on the same port) and wait until it answers PING."""
        assert self.proc is None, "redis-server runs already"
        assert self.executable is not None
        self.proc = subprocess.Popen(
            [self.executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self.folder, "--daemonize", "no", "--loglevel", "warning", "--protected-mode", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.starts += 1
        deadline = time.monotonic() + timeout
        while not _answers_ping(self.port):
            if self.proc.poll() is not None:
                error = self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
                self.proc = None
                raise RuntimeError(f"redis-server on port {self.port} exited at start: {error}")
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"redis-server on port {self.port} did not answer PING within {timeout:g} s")
            time.sleep(0.02)
        return self

    def kill(self) -> None:
        """Stop the server at once (SIGKILL), as a crash would; its data is gone."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
            if self.proc.stderr is not None:
                self.proc.stderr.close()
            self.proc = None

    def __enter__(self) -> RedisService:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def redis_service() -> Iterator[RedisService]:
    """A fresh redis-server for one test, stopped after it."""
    with RedisService() as service:
        yield service


def folder_is_empty(service: RedisService) -> bool:
    """No RDB or AOF file was written (the server keeps nothing across a restart)."""
    return not any(Path(service.folder).iterdir())
