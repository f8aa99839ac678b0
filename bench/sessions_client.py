"""Open K idle sessions of the round-trip app over each implementation's real protocol, and hold them.

Run by ``bench/compare.py`` on ``bench/.venv-pywebio``'s python (it needs ``websockets``); talks on
stdin/stdout in JSON lines:

    python bench/sessions_client.py --impl htmio --port 8080 --k 1000 [--warm 5] [--concurrency 8]

1. opens ``--warm`` sessions and prints ``{"event": "warm"}``, then waits for a line on stdin;
2. opens K more, ``--concurrency`` at a time, and prints ``{"event": "opened", "k", "seconds", "failed",
   "step_median_ms"}`` (the median time of each step of opening one session);
3. on each further line ``check`` prints ``{"event": "alive", "alive": n}`` (sessions whose connection
   is still open); on ``close`` or end of input it exits, which closes every connection.

A session is opened the way a browser opens it, without the browser:
- htmio: ``GET /`` (the session starts and its app runs up to the first ``input()``; a 303 and the
  browser cookie come back), ``GET /s/<id>`` (the page), then the page's event stream
  ``GET /s/<id>/events?after=<n>`` held open and read until closed.
- PyWebIO: ``GET /`` (the page), then the WebSocket ``/?app=index&session=NEW`` (the session starts
  on connect), held open and read until closed; opening waits for the first input form's message.
Plain HTTP/1.1 over asyncio sockets keeps this client light (it shares the 2 cores with the server).
"""
from __future__ import annotations

import argparse
import asyncio
import html
import json
import re
import statistics
import sys
import time
from typing import Any

HOST = "127.0.0.1"


async def _read_head(reader: asyncio.StreamReader) -> tuple[int, dict[str, list[str]]]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed before a status line")
    status = int(status_line.split()[1])
    headers: dict[str, list[str]] = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            return status, headers
        name, _, value = line.decode("latin-1").partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())


def _request(port: int, path: str, cookie: str, accept: str, close: bool) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {HOST}:{port}", f"Accept: {accept}",
             "User-Agent: htmio-bench", "Accept-Encoding: identity"]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def http_get(port: int, path: str, cookie: str = "") -> tuple[int, dict[str, list[str]], bytes]:
    """One GET on its own connection: status, headers, body."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(_request(port, path, cookie, "text/html", close=True))
        status, headers = await _read_head(reader)
        length = headers.get("content-length")
        body = await (reader.readexactly(int(length[0])) if length else reader.read())
        return status, headers, body
    finally:
        writer.close()


class Held:
    """One open session: its connection and the task reading it."""

    def __init__(self, task: asyncio.Task[None], connection: Any) -> None:
        self.task = task
        self.connection = connection  # kept referenced while the session is held

    @property
    def alive(self) -> bool:
        return not self.task.done()


STEPS: dict[str, list[float]] = {}  # seconds each step of opening took, per step name


def _step(name: str, since: float) -> float:
    now = time.perf_counter()
    STEPS.setdefault(name, []).append(now - since)
    return now


async def open_htmio(port: int) -> Held:
    t = time.perf_counter()
    status, headers, _ = await http_get(port, "/")
    t = _step("GET / (session starts, app runs to input())", t)
    if status != 303:
        raise RuntimeError(f"GET / answered {status}, expected 303")
    cookie = headers["set-cookie"][0].split(";")[0]
    location = headers["location"][0]
    status, _, body = await http_get(port, location, cookie)
    if status != 200:
        raise RuntimeError(f"GET {location} answered {status}")
    t = _step("GET the page", t)
    found = re.search(r'hx-sse:connect="([^"]+)"', body.decode())
    if found is None:
        raise RuntimeError(f"no event stream on the page {location}")
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(_request(port, html.unescape(found.group(1)), cookie, "text/event-stream", close=False))
    status, _ = await _read_head(reader)
    if status != 200:
        raise RuntimeError(f"the event stream answered {status}")
    _step("open the event stream", t)

    async def drain() -> None:
        while await reader.read(65536):
            pass

    return Held(asyncio.get_running_loop().create_task(drain()), writer)


async def open_pywebio(port: int) -> Held:
    import websockets

    t = time.perf_counter()
    status, _, _ = await http_get(port, "/")
    if status != 200:
        raise RuntimeError(f"GET / answered {status}")
    t = _step("GET the page", t)
    ws = await websockets.connect(f"ws://{HOST}:{port}/?app=index&session=NEW", origin=f"http://{HOST}:{port}",
                                  ping_interval=None, proxy=None, max_size=None, open_timeout=60)
    t = _step("open the WebSocket (session starts)", t)
    while '"input_group"' not in str(await asyncio.wait_for(ws.recv(), 60)):
        pass  # set_env and the first output come before the form
    _step("app runs to input(): the form's message", t)

    async def drain() -> None:
        try:
            async for _ in ws:
                pass
        except websockets.ConnectionClosed:
            pass

    return Held(asyncio.get_running_loop().create_task(drain()), ws)


def emit(**fields: Any) -> None:
    print(json.dumps(fields), flush=True)


async def open_many(impl: str, port: int, k: int, concurrency: int, held: list[Held]) -> tuple[float, int]:
    opener = open_htmio if impl == "htmio" else open_pywebio
    gate = asyncio.Semaphore(concurrency)
    failed = 0

    async def one() -> None:
        nonlocal failed
        async with gate:
            try:
                held.append(await opener(port))
            except Exception as exc:  # noqa: BLE001 (counted and reported: the benchmark goes on)
                failed += 1
                print(f"sessions_client: opening failed: {exc!r}", file=sys.stderr, flush=True)

    start = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(k)))
    return time.perf_counter() - start, failed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", choices=["htmio", "pywebio"], required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--k", type=int, required=True)
    parser.add_argument("--warm", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    loop = asyncio.get_running_loop()
    stdin = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdin), sys.stdin)

    held: list[Held] = []
    await open_many(args.impl, args.port, args.warm, args.concurrency, held)
    emit(event="warm", held=len(held))
    await stdin.readline()
    STEPS.clear()
    seconds, failed = await open_many(args.impl, args.port, args.k, args.concurrency, held)
    steps = {name: statistics.median(values) * 1000 for name, values in STEPS.items()}
    emit(event="opened", k=args.k, seconds=seconds, failed=failed, held=len(held), step_median_ms=steps)
    while True:
        line = (await stdin.readline()).decode().strip()
        if line == "check":
            emit(event="alive", alive=sum(h.alive for h in held), held=len(held))
            continue
        break
    for h in held:  # the connections close with the process
        h.task.cancel()


if __name__ == "__main__":
    asyncio.run(main())
