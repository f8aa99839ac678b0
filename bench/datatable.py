"""A data table of 100,000 records, in-process: time to put it, to change page, to sort and to filter.

    python bench/datatable.py [N]

Each figure is the median of several runs. "server" is the view handler alone (state change + rendering
the table); "request" is the whole GET through the ASGI app with htmx's header, as the browser sends it.
The put is the app's call: checking the records and taking them in (the first page is rendered when the
page or its event stream asks for it).
"""
from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from htmio.output import put_datatable
from htmio.testing import AppClient

RUNS = 7
HTMX = {"HX-Request": "true"}


def records(n: int) -> list[dict[str, Any]]:
    cities = ["Oslo", "Lima", "Pune", "Kyoto", "Accra", "Quito", "Perth"]
    return [{"id": i, "name": f"user{i}", "email": f"user{i}@example.org", "score": (i * 7919) % 1000,
             "address": {"city": cities[i % len(cities)], "zip": f"{i % 99999:05}"}} for i in range(n)]


def median_ms(fn: Callable[[], Any], runs: int = RUNS, setup: Callable[[], Any] = lambda: None) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        setup()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, min(times) * 1000


def main(n: int) -> None:
    data = records(n)
    put_times: list[float] = []

    def app() -> None:
        for _ in range(RUNS):
            start = time.perf_counter()
            put_datatable(data, id_field="id", onselect=print, instance_id="t")
            put_times.append(time.perf_counter() - start)

    with AppClient(app, timeout=60) as page:
        session = page.session
        handlers = session.extras["views"]
        number = max(handlers)
        handler = handlers[number]
        url = f"{session.page.base}/view/{number}"
        print(f"{n:,} records, {RUNS} runs each (median / min, ms)")
        put_ms = statistics.median(put_times) * 1000
        print(f"  put_datatable                  {put_ms:8.1f} / {min(put_times) * 1000:8.1f}")
        page.refresh()
        load, load_min = median_ms(lambda: page.http.get(page.url))
        print(f"  page load with {RUNS} such tables  {load:8.1f} / {load_min:8.1f}")

        pages = iter(range(2, 10_000))
        cases: list[tuple[str, Callable[[], dict[str, list[str]]]]] = [
            ("change page", lambda: {"page": [str(next(pages))]}),
            ("sort (new column each run)", _cycle([{"sort": [str(c)], "order": ["asc"]} for c in (1, 2, 3, 4, 5)])),
            ("sort (toggle direction)", _cycle([{"sort": ["3"], "order": [o]} for o in ("asc", "desc")])),
            ("filter, new text", _cycle([{"q": [q]} for q in ("user1", "example", "9@", "user77", "oslo", "z")])),
            ("filter, typing on (narrowing)", _cycle([{"q": ["user12345"[:k]]} for k in range(4, 10)])),
            ("filter + sort", _cycle([{"q": ["user1"], "sort": [str(c)], "order": ["desc"]} for c in (1, 3, 5)])),
        ]
        table = handler.table()

        def forget_filter_text() -> None:  # as if the rows had never been filtered
            table.texts = [None] * len(table.ids)

        cold = _cycle([{"q": [q], "sort": [""]} for q in ("kyoto", "lima", "pune", "oslo", "accra", "quito", "perth")])
        server, server_min = median_ms(lambda: handler(cold()), setup=forget_filter_text)
        request, request_min = median_ms(lambda: page.http.get(url, params=cold(), headers=HTMX),
                                         setup=forget_filter_text)
        print(f"  {'filter, first time (cold)':<30} server {server:8.1f} / {server_min:8.1f}    "
              f"request {request:8.1f} / {request_min:8.1f}")
        for name, params in cases:
            server, server_min = median_ms(lambda: handler(params()))
            request, request_min = median_ms(lambda: page.http.get(url, params=params(), headers=HTMX))
            print(f"  {name:<30} server {server:8.1f} / {server_min:8.1f}    "
                  f"request {request:8.1f} / {request_min:8.1f}")
        html = handler({"q": [""], "sort": [""], "page": ["1"]})
        print(f"  one page of HTML: {len(html):,} bytes")


def _cycle(items: list[dict[str, list[str]]]) -> Callable[[], dict[str, list[str]]]:
    state = {"i": 0}

    def next_item() -> dict[str, list[str]]:
        state["i"] += 1
        return items[state["i"] % len(items)]
    return next_item


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
