"""How many active users one process serves, against PyWebIO 1.8.4, and three shards behind nginx.

    .venv/bin/python bench/scaleout.py [--window 6] [--steps 50,100,200,...]

An active user holds one session of ``apps/active.py`` (``input()`` then ``put_text(f"got {v}")``, forever)
and answers its form once a second over the real protocol, without a browser: htmio's page, event stream
and form posts (as htmx sends them: ``HX-Request``, answered 204, the reply on the stream); PyWebIO's page
and WebSocket (``from_submit``, the reply as ``output`` and the next ``input_group``). A round trip is the
time from sending the answer to having both the reply and the next form. For each configuration the
users are added step by step (``--steps``); at each step every user runs ``--window`` seconds and the
p95 of their round trips is taken. The capacity is the largest step whose p95 stays under 100 ms with
no failure. The configurations: one htmio process, one PyWebIO process (``bench/.venv-pywebio``), and
three htmio shards behind nginx (``htmio deploy nginx``'s configuration; needs nginx-light). The load
comes from one client process (``--client``, on the PyWebIO venv's python: it needs ``websockets``)
sharing the machine's cores with the servers: compare the rows of one run as ratios.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from html import unescape
from pathlib import Path
from typing import Any

from rawhttp import read_head

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
HOST = "127.0.0.1"
LIMIT_MS = 100.0

# ---- the client (runs on the PyWebIO venv's python: stdlib and websockets only) ------------------------


async def _body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    if "content-length" in headers:
        return await reader.readexactly(int(headers["content-length"]))
    if headers.get("transfer-encoding") == "chunked":
        out = b""
        while True:
            size = int((await reader.readline()).strip(), 16)
            out += await reader.readexactly(size + 2)
            if size == 0:
                return out
    return b""


class HttpConnection:
    """One keep-alive HTTP/1.1 connection (a browser's connection for the page and its posts)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        assert self.reader is not None
        lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{self.port}", *(f"{k}: {v}" for k, v in headers.items())]
        if body:
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        status, answer = await read_head(self.reader)
        return status, answer, await _body(self.reader, answer)


class HtmioUser:
    """A browser page of htmio without the browser: page, event stream, form posts."""

    def __init__(self, port: int, name: str) -> None:
        self.port, self.name = port, name
        self.http = HttpConnection(port)
        self.waiting: tuple[str, asyncio.Future[None]] | None = None
        self.action = ""
        self.stream_task: asyncio.Task[None] | None = None

    async def open(self) -> None:
        status, headers, _ = await self.http.request("GET", "/", {"Accept": "text/html"})
        if status != 303:
            raise RuntimeError(f"GET / answered {status}")
        self.cookie = headers["set-cookie"].split(";")[0]
        self.location = headers["location"]
        status, _, body = await self.http.request("GET", self.location, {"Cookie": self.cookie, "Accept": "text/html"})
        page = body.decode()
        self.token = re.search(r'data-htmio-token="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        self.action = unescape(re.search(r'<form [^>]*action="([^"]+)"', page).group(1))  # type: ignore[union-attr]
        events = unescape(re.search(r'hx-sse:connect="([^"]+)"', page).group(1))  # type: ignore[union-attr]
        reader, writer = await asyncio.open_connection(HOST, self.port)
        self.stream_writer = writer
        writer.write((f"GET {events} HTTP/1.1\r\nHost: {HOST}\r\nCookie: {self.cookie}\r\n"
                      "Accept: text/event-stream\r\n\r\n").encode())
        status, _ = await read_head(reader)
        if status != 200:
            raise RuntimeError(f"the stream answered {status}")
        self.stream_task = asyncio.get_running_loop().create_task(self._read(reader))

    async def _read(self, reader: asyncio.StreamReader) -> None:
        buffer = ""
        while True:
            chunk = await reader.read(65536)
            if not chunk:
                return
            buffer += chunk.decode(errors="replace")
            if self.waiting is not None:
                value, done = self.waiting
                forms = re.findall(r'<form [^>]*action="([^"]+)"', buffer)
                if f"got {value}" in buffer and forms and unescape(forms[-1]) != self.action:
                    self.action = unescape(forms[-1])
                    buffer = ""
                    if not done.done():
                        done.set_result(None)
            if len(buffer) > 1_000_000:
                buffer = buffer[-100_000:]

    async def round_trip(self, value: str) -> float:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting = (value, done)
        body = f"_token={self.token}&value={value}&_action=submit".encode()
        start = time.perf_counter()
        status, _, _ = await self.http.request("POST", self.action, {
            "Cookie": self.cookie, "HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded"}, body)
        if status != 204:
            raise RuntimeError(f"the post answered {status}")
        await asyncio.wait_for(done, 30)
        return time.perf_counter() - start


class PywebioUser:
    """A PyWebIO page without the browser: the page, then its WebSocket."""

    def __init__(self, port: int, name: str) -> None:
        self.port, self.name = port, name
        self.http = HttpConnection(port)

    async def open(self) -> None:
        import websockets

        status, _, _ = await self.http.request("GET", "/", {"Accept": "text/html"})
        if status != 200:
            raise RuntimeError(f"GET / answered {status}")
        self.ws = await websockets.connect(f"ws://{HOST}:{self.port}/?app=index&session=NEW",
                                           origin=f"http://{HOST}:{self.port}", ping_interval=None, proxy=None,
                                           max_size=None, open_timeout=60)
        self.task_id = await self._next_form()

    async def _next_form(self, value: str | None = None) -> str:
        got = value is None
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), 30))
            if message.get("command") == "output" and value is not None and f"got {value}" in json.dumps(message):
                got = True
            if message.get("command") == "input_group" and got:
                return str(message["task_id"])

    async def round_trip(self, value: str) -> float:
        start = time.perf_counter()
        await self.ws.send(json.dumps({"event": "from_submit", "task_id": self.task_id, "data": {"data": value}}))
        self.task_id = await self._next_form(value)
        return time.perf_counter() - start


async def _user_loop(user: Any, times: list[float], failures: list[str], stop: asyncio.Event) -> None:
    await asyncio.sleep(random.random())  # spread the users over the second
    n = 0
    next_at = time.perf_counter()
    while not stop.is_set():
        n += 1
        try:
            times.append(await user.round_trip(f"{user.name}x{n}"))
        except Exception as exc:  # noqa: BLE001 (counted; the step fails)
            failures.append(repr(exc))
            return
        next_at += 1.0
        await asyncio.sleep(max(0.0, next_at - time.perf_counter()))


async def client(impl: str, port: int, steps: list[int], window: float) -> None:
    """Add users step by step; print one JSON line per step; stop after the first step over the limit."""
    make = HtmioUser if impl == "htmio" else PywebioUser
    users: list[Any] = []
    tasks: list[asyncio.Task[None]] = []
    gate = asyncio.Semaphore(8)

    async def open_one(number: int) -> Any:
        async with gate:
            user = make(port, f"u{number}")
            await user.open()
            return user

    times: list[float] = []
    failures: list[str] = []
    stop = asyncio.Event()
    for k in steps:
        opened = time.perf_counter()
        try:
            users += await asyncio.gather(*(open_one(i) for i in range(len(users), k)))
        except Exception as exc:  # noqa: BLE001
            print(json.dumps({"k": k, "error": f"opening failed: {exc!r}"}), flush=True)
            return
        opening = time.perf_counter() - opened
        tasks += [asyncio.get_running_loop().create_task(_user_loop(u, times, failures, stop))
                  for u in users[len(tasks):]]
        await asyncio.sleep(2.0)  # the new users settle into their rhythm
        for attempt in (1, 2):  # a window over the limit is measured once more: the machine is shared
            print(json.dumps({"event": "window", "k": k}), flush=True)
            del times[:]
            client_cpu = time.process_time()
            await asyncio.sleep(window)
            client_cpu = (time.process_time() - client_cpu) / window
            sample = sorted(times)
            p95 = sample[int(0.95 * (len(sample) - 1))] * 1000 if sample else float("inf")
            print(json.dumps({"k": k, "attempt": attempt, "round_trips": len(sample),
                              "p50_ms": statistics.median(sample) * 1000 if sample else None, "p95_ms": p95,
                              "failures": len(failures), "open_s": opening, "client_cpu_share": client_cpu,
                              "first_failure": failures[0] if failures else None}), flush=True)
            if p95 < LIMIT_MS or failures:
                break
        if p95 >= LIMIT_MS or failures:
            break
    stop.set()


# ---- the orchestration (runs on htmio's python) --------------------------------------------------------

def _proc_figures(pids: list[int]) -> dict[str, float]:
    rss = threads = fds = 0
    cpu = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
        for row in Path(f"/proc/{pid}/status").read_text().splitlines():
            if row.startswith("VmRSS:"):
                rss += int(row.split()[1])
            elif row.startswith("Threads:"):
                threads += int(row.split()[1])
        fds += len(os.listdir(f"/proc/{pid}/fd"))
    return {"rss_kib": rss, "threads": threads, "fds": fds, "cpu_s": cpu}


def run(label: str, impl: str, port: int, pids: list[int], steps: list[int], window: float, client_python: str) -> dict[str, Any]:
    idle = _proc_figures(pids)
    proc = subprocess.Popen([client_python, __file__, "--client", impl, "--port", str(port), "--steps",
                             ",".join(map(str, steps)), "--window", str(window)], stdout=subprocess.PIPE, text=True)
    rows: list[dict[str, Any]] = []
    assert proc.stdout is not None
    cpu_before = 0.0
    for line in proc.stdout:
        row = json.loads(line)
        now = _proc_figures(pids)
        if row.get("event") == "window":
            cpu_before = now["cpu_s"]
            continue
        row.update(now)
        if row.get("round_trips"):  # the servers' CPU time per round trip in the window, nginx not counted
            row["cpu_ms_per_round_trip"] = (now["cpu_s"] - cpu_before) * 1000 / row["round_trips"]
        rows = [r for r in rows if r.get("k") != row.get("k")] + [row]  # a step measured again: the last
        print(f"  {label}: {row}", file=sys.stderr, flush=True)
    proc.wait()
    good = [r for r in rows if "error" not in r and r["p95_ms"] < LIMIT_MS and not r["failures"]]
    top = good[-1] if good else None
    per_session = ({key: (top[key] - idle[key]) / top["k"] for key in ("rss_kib", "threads", "fds")}
                   if top else {})
    cpu = [r["cpu_ms_per_round_trip"] for r in rows if "cpu_ms_per_round_trip" in r]
    per_session["cpu_ms_per_round_trip"] = statistics.median(cpu) if cpu else float("nan")
    return {"label": label, "capacity": top["k"] if top else 0, "top": top, "rows": rows, "idle": idle,
            "per_session": per_session, "reached_end": bool(rows) and rows[-1] is top and top["k"] == steps[-1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--client", choices=["htmio", "pywebio"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--steps", default="100,200,300,350,400,500,600,800,1000,1200,1500",
                        help="the numbers of users, one step after another (default 100,200,...,1500)")
    parser.add_argument("--window", type=float, default=6.0, help="seconds measured at each step (default 6)")
    parser.add_argument("--only", default="htmio,pywebio,shards")
    args = parser.parse_args()
    steps = [int(s) for s in args.steps.split(",")]
    if args.client:
        asyncio.run(client(args.client, args.port, steps, args.window))
        return

    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(BENCH))
    from servers import Server, ensure_pywebio_venv, free_port, htmio_python, start_app

    from htmio.balancer import nginx_config
    from tests.nginx_service import NginxService

    pythons = {"htmio": htmio_python(), "pywebio": str(ensure_pywebio_venv())}
    results = []
    only = args.only.split(",")
    for impl in ("htmio", "pywebio"):
        if impl in only:
            with start_app(impl, "active", pythons, tag="-scaleout") as server:
                results.append(run(f"one {impl} process", impl, server.port, [server.pid], steps, args.window,
                                   pythons["pywebio"]))
    if "shards" in only:
        shards = []
        for name in ("p1", "p2", "p3"):
            port = free_port()
            shards.append(Server(f"active-htmio-{name}", [pythons["htmio"], str(BENCH / "apps" / "active.py")], port,
                                 env={"BENCH_IMPL": "htmio", "BENCH_PORT": str(port), "HTMIO_SHARD": name}).start())
        listen = free_port()
        nginx = NginxService(nginx_config({s.name[-2:]: f"{HOST}:{s.port}" for s in shards},
                                          listen=f"{HOST}:{listen}"), listen).start()
        try:
            results.append(run("three htmio shards behind nginx", "htmio", listen, [s.pid for s in shards], steps,
                               args.window, pythons["pywebio"]))
        finally:
            nginx.stop()
            for s in shards:
                s.stop()
    report(results, args, steps)


def report(results: list[dict[str, Any]], args: argparse.Namespace, steps: list[int]) -> None:
    cores = os.cpu_count()
    load = os.getloadavg()[0]
    print(f"\nActive users (a round trip each second), round-trip p95 < {LIMIT_MS:.0f} ms; {cores} cores, "
          f"1-min load {load:.1f} at the end, {args.window:g} s measured per step\n")
    print("| configuration | users served | p50 / p95 at that load, ms | round trips / s | next step |")
    print("| --- | ---: | ---: | ---: | --- |")
    for r in results:
        top = r["top"]
        after = next((x for x in r["rows"] if top is None or x["k"] > top["k"]), None)
        if after is None:
            nxt = "none: the last step (raise --steps)"
        elif "error" in after:
            nxt = f"{after['k']}: {after['error'][:60]}"
        else:
            nxt = (f"{after['k']}: p95 {after['p95_ms']:.0f} ms, {after['failures']} failed, "
                   f"the client busy {after.get('client_cpu_share', float('nan')):.0%} of a core")
        figures = (f"{top['p50_ms']:.1f} / {top['p95_ms']:.1f}", f"{top['round_trips'] / args.window:.0f}") if top else ("-", "-")
        print(f"| {r['label']} | {r['capacity']} | {figures[0]} | {figures[1]} | {nxt} |")
    base = next((r for r in results if r["label"] == "one htmio process"), None)
    if base and base["capacity"]:
        for r in results:
            if r is not base:
                print(f"\n{r['label']} / one htmio process: {r['capacity'] / base['capacity']:.2f}x the users")
    print("\nPer session at the highest load served (server processes together, minus before any session), and\n"
          "the servers' CPU time per round trip (median over the steps; less sensitive to the machine's other load):\n")
    print("| configuration | memory, KiB | threads | file descriptors | server CPU per round trip, ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for r in results:
        p = r["per_session"]
        print(f"| {r['label']} | {p.get('rss_kib', float('nan')):.0f} | {p.get('threads', float('nan')):.2f} | "
              f"{p.get('fds', float('nan')):.2f} | {p['cpu_ms_per_round_trip']:.2f} |")
    by_label = {r["label"]: r["per_session"]["cpu_ms_per_round_trip"] for r in results}
    if "one htmio process" in by_label and "one pywebio process" in by_label:
        print(f"\nCPU per round trip, PyWebIO / htmio: "
              f"{by_label['one pywebio process'] / by_label['one htmio process']:.2f}x")


if __name__ == "__main__":
    main()
