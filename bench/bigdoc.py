"""One session's big document against every other session: does reloading it stall the server?

    python bench/bigdoc.py                      # 100,000 outputs; before (16b97af) and after (this tree)
    python bench/bigdoc.py --baseline REF       # another commit as "before"
    python bench/bigdoc.py --outputs 20000 --rounds 50 --loaders 1 --no-baseline

For each of "before" (the commit ``--baseline``, extracted with ``git archive`` into a temporary folder and
put first on PYTHONPATH) and "after" (this working tree), it starts a real server of
``bench/apps/bigdoc.py`` on a free 127.0.0.1 port, opens a session holding ``--outputs`` lines and
waits until it has made them all, then opens a small round-trip session and measures, first on a quiet
server and then while ``--loaders`` processes reload the big session in a loop (each: the page with
``Accept-Encoding: gzip``, then the event stream with no position, read up to the end of its first
message, which is the whole document again, and closed):

- round trip: a form post of the small session (``HX-Request``, 204) until its answer 'got v' arrives
  over the session's event stream: the real protocol, as the browser's htmx does it;
- a static file: ``GET /_htmio/static/htmio.css`` on a fresh connection.

It prints p50 and p95 of each, quiet and loaded, before and after, the ratio after/before, the big page's
size, the reloads done per second, and the server's memory (VmRSS) once the big document is made. Not a
test: compare the rows of one run; absolute times depend on the machine.
"""
from __future__ import annotations

import argparse
import asyncio
import html
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import APPS, ROOT, Server, free_port, htmio_python  # noqa: E402
from rawhttp import read_head  # noqa: E402

HOST = "127.0.0.1"
BASELINE = "16b97af"  # main before issue 14, item 3: every whole-document render on the event loop
TOKEN = re.compile(r'data-htmio-token="([^"]+)"')
STREAM = re.compile(r'hx-sse:connect="([^"]+)"')
ACTION = re.compile(r'class="htmio-form" method="post" action="([^"]+)"')


# ---- plain HTTP/1.1 over asyncio: light enough to share two cores with the server ----------------

def _request(method: str, path: str, port: int, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "User-Agent: htmio-bench"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def fetch(port: int, method: str, path: str, headers: dict[str, str] | None = None,
                body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
    """One request on its own connection: status, headers, body (still encoded)."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(_request(method, path, port, {"Connection": "close", **(headers or {})}, body))
        status, head = await read_head(reader)
        length = head.get("content-length")
        data = await (reader.readexactly(int(length)) if length is not None else reader.read())
        return status, head, data
    finally:
        writer.close()


async def open_session(port: int, app: str) -> tuple[str, str, str]:
    """A new session of ``app``: its page's path, the cookie, and the page as first served."""
    status, head, _ = await fetch(port, "GET", f"/?app={app}")
    if status != 303:
        raise RuntimeError(f"GET /?app={app} answered {status}, expected 303")
    cookie = head["set-cookie"].split(";")[0]
    path = head["location"]
    status, _, body = await fetch(port, "GET", path, {"Cookie": cookie, "Accept-Encoding": "identity"})
    return path, cookie, body.decode()


class RoundTrip:
    """The small session: posts its form and waits for the answer on its own event stream."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.buffer = ""
        self.arrived = asyncio.Event()

    async def open(self) -> None:
        self.path, self.cookie, page = await open_session(self.port, "rt")
        self.token = TOKEN.findall(page)[0]
        self.action = html.unescape(ACTION.findall(page)[-1])
        reader, self.writer = await asyncio.open_connection(HOST, self.port)
        events = html.unescape(STREAM.findall(page)[0])
        self.writer.write(_request("GET", events, self.port, {"Cookie": self.cookie, "Accept": "text/event-stream"}))
        await read_head(reader)
        self.reader_task = asyncio.get_running_loop().create_task(self._read(reader))

    async def _read(self, reader: asyncio.StreamReader) -> None:
        while chunk := await reader.read(65536):
            self.buffer += chunk.decode(errors="replace")
            self.arrived.set()

    async def _until(self, found: re.Pattern[str] | str) -> str:
        while True:
            if isinstance(found, str) and found in self.buffer:
                return found
            if isinstance(found, re.Pattern) and (m := found.search(self.buffer)):
                return m.group(1)
            self.arrived.clear()
            await asyncio.wait_for(self.arrived.wait(), 120)

    async def once(self, value: int) -> float:
        """Seconds from sending the post to the answer 'got <value>' on the stream."""
        self.buffer = ""
        body = urlencode({"_token": self.token, "value": str(value)}).encode()
        start = time.perf_counter()
        status, _, _ = await fetch(self.port, "POST", self.action, {
            "Cookie": self.cookie, "HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded"}, body)
        if status != 204:
            raise RuntimeError(f"the form post answered {status}")
        await self._until(f"got {value}<")
        took = time.perf_counter() - start
        # the next input() shows a new form, with its own address
        old = self.action
        while self.action == old:
            self.action = html.unescape(await self._until(ACTION))
            if self.action == old:
                self.buffer = self.buffer[self.buffer.index(old) + len(old):]
        return took

    def close(self) -> None:
        self.reader_task.cancel()
        self.writer.close()


async def static_once(port: int) -> float:
    start = time.perf_counter()
    status, _, _ = await fetch(port, "GET", "/_htmio/static/htmio.css", {"Accept-Encoding": "gzip"})
    if status != 200:
        raise RuntimeError(f"the static file answered {status}")
    return time.perf_counter() - start


# ---- the loader: reloads the big session until stopped (a process of its own) -------------------

async def load(port: int, path: str, cookie: str) -> None:
    pages = resyncs = 0
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)

    async def reload_forever() -> None:
        nonlocal pages, resyncs
        while True:
            status, _, _ = await fetch(port, "GET", path, {"Cookie": cookie, "Accept-Encoding": "gzip"})
            if status != 200:
                raise RuntimeError(f"the big page answered {status}")
            pages += 1
            reader, writer = await asyncio.open_connection(HOST, port)
            writer.write(_request("GET", path.split("?")[0] + "/events", port, {"Cookie": cookie, "Accept": "text/event-stream"}))
            await read_head(reader)
            tail = b""
            while True:  # up to the end of the first message (a blank line): the whole document
                chunk = await reader.read(1 << 20)
                if not chunk or b"\n\n" in tail + chunk:
                    break
                tail = chunk[-1:]
            writer.close()
            resyncs += 1

    task = asyncio.get_running_loop().create_task(reload_forever())
    await asyncio.wait([task, asyncio.ensure_future(stop.wait())], return_when=asyncio.FIRST_COMPLETED)
    task.cancel()
    print(f"{pages} {resyncs}", flush=True)


# ---- one server, quiet then loaded ------------------------------------------------------------------

@dataclass
class Figures:
    rss_kib: int = 0
    page_bytes: int = 0
    page_gzip_bytes: int = 0
    rt: dict[str, list[float]] = field(default_factory=dict)  # phase -> seconds
    static: dict[str, list[float]] = field(default_factory=dict)
    reloads_per_s: float = 0.0


async def measure(port: int, rounds: int, phase: str, figures: Figures, budget: float) -> None:
    rt = RoundTrip(port)
    await rt.open()
    figures.rt[phase], figures.static[phase] = [], []
    deadline = time.monotonic() + budget
    for i in range(rounds):
        figures.rt[phase].append(await rt.once(i))
        figures.static[phase].append(await static_once(port))
        await asyncio.sleep(0.01)
        if time.monotonic() > deadline:
            break
    rt.close()


async def big_session(port: int) -> tuple[str, str, int, int]:
    """Open the big session and wait until its app has made every output (its input form is shown)."""
    path, cookie, page = await open_session(port, "big")
    while "BIG-READY" not in page:
        await asyncio.sleep(1.0)
        _, _, body = await fetch(port, "GET", path, {"Cookie": cookie, "Accept-Encoding": "identity"})
        page = body.decode()
    _, _, gz = await fetch(port, "GET", path, {"Cookie": cookie, "Accept-Encoding": "gzip"})
    return path, cookie, len(page.encode()), len(gz)


def rss_kib(pid: int) -> int:
    for row in Path(f"/proc/{pid}/status").read_text().splitlines():
        if row.startswith("VmRSS:"):
            return int(row.split()[1])
    return 0


def run_server(label: str, pythonpath: str | None, args: argparse.Namespace) -> Figures:
    port = free_port()
    env = {"BENCH_IMPL": "htmio", "BENCH_PORT": str(port), "BENCH_OUTPUTS": str(args.outputs)}
    if pythonpath:
        env["PYTHONPATH"] = pythonpath + os.pathsep + os.environ.get("PYTHONPATH", "")
    python = htmio_python()
    figures = Figures()
    with Server(f"bigdoc-{label}", [python, str(APPS / "bigdoc.py")], port, env=env) as server:
        print(f"[{label}] serving on {port}; making {args.outputs:,} outputs ...", file=sys.stderr, flush=True)
        path, cookie, figures.page_bytes, figures.page_gzip_bytes = asyncio.run(big_session(port))
        figures.rss_kib = rss_kib(server.pid)
        print(f"[{label}] quiet round trips ...", file=sys.stderr, flush=True)
        asyncio.run(measure(port, args.rounds, "quiet", figures, args.budget))
        loaders = [subprocess.Popen([sys.executable, __file__, "--load", str(port), path, cookie],
                                    stdout=subprocess.PIPE, text=True) for _ in range(args.loaders)]
        started = time.monotonic()
        try:
            time.sleep(1.0)  # the reloads are under way
            print(f"[{label}] round trips while {args.loaders} loader(s) reload the big page ...",
                  file=sys.stderr, flush=True)
            asyncio.run(measure(port, args.rounds, "loaded", figures, args.budget))
        finally:
            done = 0
            for loader in loaders:
                loader.send_signal(signal.SIGTERM)
                out, _ = loader.communicate(timeout=60)
                counts = out.split()
                done += int(counts[0]) + int(counts[1]) if len(counts) == 2 else 0
            figures.reloads_per_s = done / (time.monotonic() - started)
    return figures


def baseline_tree(ref: str, into: Path) -> str:
    """The htmio of commit ``ref``, extracted (no worktree, no checkout) into ``into``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "htmio"], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return str(into)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def report(results: dict[str, Figures], args: argparse.Namespace) -> None:
    labels = list(results)
    print(f"\n{args.outputs:,} outputs in the big session; {args.loaders} loader(s) reloading it (page + resync); "
          f"up to {args.rounds} round trips per phase\n")
    head = "| figure | " + " | ".join(labels) + (" | after / before |" if len(labels) == 2 else " |")
    print(head)
    print("| --- |" + " ---: |" * (len(labels) + (1 if len(labels) == 2 else 0)))

    def row(name: str, values: list[float], unit: str = "ms", digits: int = 1) -> None:
        cells = [f"{v:,.{digits}f}" for v in values]
        ratio = [f"{values[1] / values[0]:.2g}" if values[0] else "-"] if len(values) == 2 else []
        print(f"| {name}, {unit} | " + " | ".join(cells + ratio) + " |")

    for what, key in (("round trip", "rt"), ("static file", "static")):
        for phase in ("quiet", "loaded"):
            for q, qname in ((0.5, "p50"), (0.95, "p95")):
                row(f"{what} {qname}, {phase}", [pct(getattr(results[lab], key)[phase], q) for lab in labels])
    print("| rounds measured (quiet / loaded) | " + " | ".join(
        f"{len(results[lab].rt['quiet'])} / {len(results[lab].rt['loaded'])}" for lab in labels) + " |")
    row("reloads done (page or resync) per second", [results[lab].reloads_per_s for lab in labels], "1/s", 2)
    row("big page, uncompressed", [results[lab].page_bytes / 1e6 for lab in labels], "MB", 2)
    row("big page, gzipped", [results[lab].page_gzip_bytes / 1e6 for lab in labels], "MB", 2)
    row("server memory with the big session", [results[lab].rss_kib / 1024 for lab in labels], "MiB", 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outputs", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--loaders", type=int, default=2)
    parser.add_argument("--budget", type=float, default=90.0, help="seconds per phase at most")
    parser.add_argument("--baseline", default=BASELINE, help="the commit measured as 'before'")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--load", nargs=3, metavar=("PORT", "PATH", "COOKIE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        asyncio.run(load(int(args.load[0]), args.load[1], args.load[2]))
        return
    results: dict[str, Figures] = {}
    with tempfile.TemporaryDirectory(prefix="htmio-bigdoc-") as tmp:
        if not args.no_baseline:
            results[f"before ({args.baseline})"] = run_server("before", baseline_tree(args.baseline, Path(tmp)), args)
        results["after (this tree)"] = run_server("after", str(ROOT), args)
    report(results, args)


if __name__ == "__main__":
    main()
