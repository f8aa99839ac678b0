"""One client floods ``GET /`` (new sessions) while another opens the app now and then: how many sessions the
flood makes, and how long the other's first page takes, with no session rate and with htmio's default.

    .venv/bin/python bench/flood.py [--seconds 10] [--flooders 20]

Each case runs ``htmio serve`` on a free port. The flood comes from 127.0.0.1, the other client from
127.0.0.2 (another loopback address, so the per-address rate tells them apart). Figures are for one run on
a shared machine: compare the rows of one run, not runs of different days.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from htmio.platform import free_port  # noqa: E402

APP = """
from htmio.input import input
from htmio.output import put_text

def main():
    put_text("hello")
    input("Your name")
"""


def wait_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            httpx.get(url + "/_htmio/static/htmio.css", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run(case: str, rate: str | None, seconds: float, flooders: int, app: Path) -> dict[str, float]:
    port = free_port()
    env = {**os.environ}
    env.pop("HTMIO_SESSION_RATE", None)
    if rate is not None:
        env["HTMIO_SESSION_RATE"] = rate
    proc = subprocess.Popen([sys.executable, "-m", "htmio.cli", "serve", str(app), "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    counts = {"303": 0, "429": 0, "other": 0}
    lock = threading.Lock()
    stop = threading.Event()
    first_pages: list[float] = []
    try:
        wait_up(url, proc)

        def flood() -> None:
            with httpx.Client(base_url=url, timeout=10) as client:
                while not stop.is_set():
                    try:
                        status = client.get("/", follow_redirects=False).status_code
                    except httpx.HTTPError:
                        status = 0
                    with lock:
                        counts[str(status) if str(status) in counts else "other"] += 1

        def visitor() -> None:
            transport = httpx.HTTPTransport(local_address="127.0.0.2")
            while not stop.is_set():
                with httpx.Client(base_url=url, timeout=10, transport=transport) as client:
                    started = time.perf_counter()
                    page = client.get("/", follow_redirects=True)
                    if page.status_code == 200 and "Your name" in page.text:
                        first_pages.append(time.perf_counter() - started)
                stop.wait(0.25)

        threads = [threading.Thread(target=flood, daemon=True) for _ in range(flooders if case != "alone" else 0)]
        threads.append(threading.Thread(target=visitor, daemon=True))
        for thread in threads:
            thread.start()
        time.sleep(seconds)
        stop.set()
        for thread in threads:
            thread.join(15)
        memory = rss_mib(proc.pid)
    finally:
        proc.terminate()
        proc.wait(30)
    ordered = sorted(first_pages)
    return {
        "sessions made by the flood": counts["303"],
        "refused (429)": counts["429"],
        "other answers or errors": counts["other"],
        "visitor's first pages": len(ordered),
        "visitor median ms": statistics.median(ordered) * 1000 if ordered else float("nan"),
        "visitor p90 ms": ordered[int(len(ordered) * 0.9)] * 1000 if ordered else float("nan"),
        "server RSS MiB": memory,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--flooders", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = Path(folder) / "app.py"
        app.write_text(APP)
        cases = {
            "alone": run("alone", None, args.seconds, args.flooders, app),
            "flood, HTMIO_SESSION_RATE=0": run("flood", "0", args.seconds, args.flooders, app),
            "flood, default rate (120/min)": run("flood", None, args.seconds, args.flooders, app),
        }
    names = list(next(iter(cases.values())))
    width = max(len(n) for n in names)
    print(f"{args.flooders} flooding connections for {args.seconds:g} s; a visitor from another address every 0.25 s\n")
    print(f"| {'':{width}} | " + " | ".join(cases) + " |")
    print(f"| {'-' * width} | " + " | ".join("---:" for _ in cases) + " |")
    for name in names:
        print(f"| {name:{width}} | " + " | ".join(f"{c[name]:,.0f}" for c in cases.values()) + " |")
    unlimited, limited, alone = (cases["flood, HTMIO_SESSION_RATE=0"], cases["flood, default rate (120/min)"],
                                 cases["alone"])
    print(f"\nvisitor's median first page, flood without limit / with the default rate: "
          f"{unlimited['visitor median ms'] / limited['visitor median ms']:.1f}x; "
          f"with the default rate / alone: {limited['visitor median ms'] / alone['visitor median ms']:.1f}x")


if __name__ == "__main__":
    main()
