"""A big document and a small round trip, served together (htmio only): ``bench/bigdoc.py`` reloads the
big one in a loop while it times the round trip of the other.

- ``?app=big``: ``$BENCH_OUTPUTS`` (default 100,000) lines, then waits in ``input("BIG-READY")``;
- ``?app=rt``: 'READY-MARK', then forever ``input("n")`` and ``put_text(f"got {v}")``.
"""
from __future__ import annotations

import os

from _serve import serve

from htmio import start_server
from htmio.input import input
from htmio.output import put_text

OUTPUTS = int(os.environ.get("BENCH_OUTPUTS", "100000"))


def big() -> None:
    for i in range(OUTPUTS):
        put_text(f"line {i} of a big document")
    input("BIG-READY")


def rt() -> None:
    put_text("READY-MARK")
    while True:
        v = input("n")
        put_text(f"got {v}")


if __name__ == "__main__":
    serve(start_server, {"big": big, "rt": rt})
