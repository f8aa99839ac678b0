"""Refused uploads: what four concurrent chunked uploads of 450 MB to ``file_upload(max_size="10M")`` cost the
server, before and after uploads were bounded while they stream (issue 14, item 2).

    .venv/bin/python bench/uploads.py                      # this tree against --before (default 16b97af)
    .venv/bin/python bench/uploads.py --size 100 --clients 2 --before HEAD~3

Each tree's server runs as a subprocess (its ``htmio`` first on PYTHONPATH, TMPDIR a fresh folder, so its
spooled files can be counted). Per tree it prints the server's resident memory when the sessions are open, its
peak (VmHWM) and what it holds a second after the last answer, the spooled files still open or left, and per
upload the MB the client got to send, the seconds until the answer came (or the connection was cut) and the
status. Figures of one run are comparable with each other; absolute times vary with the machine's load.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import select
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.request
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1 << 20

SERVER = """
import sys, htmio, uvicorn
from htmio.server import create_app
from htmio.settings import Settings
from htmio.input import file_upload
from htmio.output import put_text

def main():
    while True:
        f = file_upload("Doc", max_size="10M")
        put_text(f["filename"], len(f["content"]))

print(htmio.__file__, flush=True)
uvicorn.run(create_app(main, Settings(first_paint_wait=0.5)), host="127.0.0.1", port=int(sys.argv[1]),
            log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def status_kib(pid: int, field: str) -> int:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", text, re.M).group(1))  # type: ignore[union-attr]


def spooled(pid: int, where: Path) -> int:
    """Files of ``where`` the server holds open (unnamed temporary files too) or left there."""
    count = len(os.listdir(where))
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            count += os.readlink(f"/proc/{pid}/fd/{fd}").startswith(str(where))
        except OSError:
            pass
    return count


def session(port: int) -> tuple[str, str, str]:
    """(cookie, form action, token) of a new session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"http://127.0.0.1:{port}/").read().decode()
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    action = re.search(r'<form[^>]*action="([^"]+/form/[^"]+)"', page).group(1)  # type: ignore[union-attr]
    token = re.search(r'data-htmio-token="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    return cookie, action, token


def upload(port: int, cookie: str, action: str, token: str, size: int, result: dict[str, object]) -> None:
    """One chunked multipart post of ``size`` bytes; notes what got sent and when the answer came."""
    boundary = "benchboundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"_token\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"value\"; filename=\"big.bin\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall((f"POST {action} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\nHX-Request: true\r\n"
                  f"Content-Type: multipart/form-data; boundary={boundary}\r\nTransfer-Encoding: chunked\r\n\r\n"
                  ).encode())
    piece = b"x" * (256 * 1024)
    frame = b"%x\r\n%s\r\n" % (len(piece), piece)
    started, sent = time.monotonic(), 0
    try:
        sock.sendall(b"%x\r\n%s\r\n" % (len(head), head))
        while sent < size and not select.select([sock], [], [], 0)[0]:
            sock.sendall(frame)
            sent += len(piece)
        if sent >= size:
            tail = f"\r\n--{boundary}--\r\n".encode()
            sock.sendall(b"%x\r\n%s\r\n0\r\n\r\n" % (len(tail), tail))
        answer = sock.recv(4096)
        result["status"] = answer.split(b" ", 2)[1].decode() if answer.startswith(b"HTTP/") else "closed"
    except (BrokenPipeError, ConnectionResetError):
        result["status"] = "cut"
    result["seconds"] = time.monotonic() - started
    result["sent_mb"] = sent / MB
    sock.close()


def tree_of(rev: str, into: Path) -> Path:
    """The ``htmio`` package of git revision ``rev``, unpacked under ``into``."""
    archive = subprocess.run(["git", "archive", rev, "htmio"], cwd=ROOT, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def run(label: str, tree: Path, clients: int, size: int) -> None:
    port, spool = free_port(), Path(tempfile.mkdtemp(prefix="htmio-bench-spool-"))
    env = {**os.environ, "PYTHONPATH": str(tree), "TMPDIR": str(spool)}
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], env=env, cwd=tree,
                              stdout=subprocess.PIPE, text=True)
    try:
        where = server.stdout.readline().strip()  # type: ignore[union-attr]
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port)).close()
                break
            except OSError:
                time.sleep(0.05)
        sessions = [session(port) for _ in range(clients)]
        rss_open = status_kib(server.pid, "VmRSS")
        results: list[dict[str, object]] = [{} for _ in range(clients)]
        threads = [threading.Thread(target=upload, args=(port, *s, size, r)) for s, r in zip(sessions, results)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - started
        time.sleep(1)
        print(f"\n{label}: {clients} chunked uploads of {size // MB} MB at once to file_upload(max_size='10M')")
        print(f"  htmio from {where}")
        print(f"  server RSS: {rss_open / 1024:.0f} MB with the sessions open, peak {status_kib(server.pid, 'VmHWM') / 1024:.0f} MB, "
              f"{status_kib(server.pid, 'VmRSS') / 1024:.0f} MB a second after the last answer")
        print(f"  spooled files still open or left: {spooled(server.pid, spool)}; all answered in {wall:.1f} s")
        for n, r in enumerate(results, 1):
            print(f"  upload {n}: sent {r['sent_mb']:.1f} MB, answer after {r['seconds']:.2f} s: {r['status']}")
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", default="16b97af", help="git revision to compare with (default: main before "
                                                            "issue 14's upload work)")
    parser.add_argument("--size", type=int, default=450, help="MB per upload (default 450)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent uploads (default 4)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="htmio-bench-tree-") as before:
        run(f"before ({args.before})", tree_of(args.before, Path(before)), args.clients, args.size * MB)
    run("after (this tree)", ROOT, args.clients, args.size * MB)


if __name__ == "__main__":
    main()
