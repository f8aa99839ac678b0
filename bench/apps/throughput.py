"""Throughput: N put_text lines, then 'DONE-MARK'; one app per N, picked with ?app=n2000.

``?app=s2000`` is the streamed variant: it shows 'READY-MARK', waits a second (the page is up and its
connection open by then), and only then makes the N lines, so they travel over the open
connection (htmio puts the outputs made before its first page into that page).
"""
from __future__ import annotations

import time
from collections.abc import Callable

from _serve import IMPL, serve

if IMPL == "pywebio":
    from pywebio import start_server
    from pywebio.output import put_text
    from pywebio.session import set_env
else:
    from htmio import start_server
    from htmio.output import put_text
    from htmio.session import set_env

SIZES = (0, 500, 2000, 8000)
STREAM_DELAY = 1.0


def lines(n: int, streamed: bool) -> Callable[[], None]:
    def main() -> None:
        set_env(output_animation=False)
        if streamed:
            put_text("READY-MARK")
            time.sleep(STREAM_DELAY)
        for i in range(n):
            put_text(f"line {i}")
        put_text("DONE-MARK")

    return main


if __name__ == "__main__":
    apps = {f"n{n}": lines(n, streamed=False) for n in SIZES}
    apps.update({f"s{n}": lines(n, streamed=True) for n in SIZES})
    serve(start_server, apps)
