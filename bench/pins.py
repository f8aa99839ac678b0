"""Reading pins costs no round trip: time to read 150 pin values inside an app, in-process.

    python bench/pins.py

PyWebIO asks the browser for every read (one WebSocket round trip each, ~1 ms or more on loopback and
much more over a network); htmio keeps the values on the server as the user types.
"""
from __future__ import annotations

import statistics
import time

from htmio.output import put_text
from htmio.pin import get_pin_values, pin, put_input
from htmio.testing import AppClient

N = 150


def main() -> None:
    figures: dict[str, list[float]] = {"one by one": [], "get_pin_values": []}

    def app() -> None:
        for i in range(N):
            put_input(f"p{i}", value=str(i))
        for _ in range(20):
            start = time.perf_counter()
            values = [getattr(pin, f"p{i}") for i in range(N)]
            figures["one by one"].append(time.perf_counter() - start)
            start = time.perf_counter()
            get_pin_values([f"p{i}" for i in range(N)])
            figures["get_pin_values"].append(time.perf_counter() - start)
        put_text(len(values))

    with AppClient(app):
        pass
    for name, runs in figures.items():
        print(f"{N} pins, {name:>15}: median {statistics.median(runs) * 1e6:8.1f} us, "
              f"min {min(runs) * 1e6:8.1f} us, max {max(runs) * 1e6:8.1f} us (20 runs)")


if __name__ == "__main__":
    main()
