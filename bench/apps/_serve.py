"""Start one benchmark app on htmio or on PyWebIO, as chosen by the environment.

Every app under ``bench/apps/`` imports its functions from ``htmio`` or ``pywebio`` depending on
``BENCH_IMPL`` (the only difference between the two runs) and ends with ``serve(start_server, apps)``:

    BENCH_IMPL=htmio   BENCH_PORT=8080 python bench/apps/round_trip.py
    BENCH_IMPL=pywebio BENCH_PORT=8081 bench/.venv-pywebio/bin/python bench/apps/round_trip.py

PyWebIO is served with ``cdn=False`` (its own copies of its JavaScript and CSS, as htmio does).
"""
from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

IMPL = os.environ.get("BENCH_IMPL", "htmio")
if IMPL not in ("htmio", "pywebio"):
    raise SystemExit(f"BENCH_IMPL={IMPL!r}: use 'htmio' or 'pywebio'.")


def serve(start_server: Callable[..., Any], apps: Any) -> None:
    """Serve ``apps`` (a function or a dict of name -> function) on 127.0.0.1:$BENCH_PORT until killed."""
    port = int(os.environ["BENCH_PORT"])
    if IMPL == "pywebio":
        start_server(apps, port=port, host="127.0.0.1", cdn=False)
    else:
        start_server(apps, port=port, host="127.0.0.1")
