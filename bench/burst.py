"""Server-side cost of a burst of outputs: N put_text calls, in-process (no browser, no socket).

    python bench/burst.py            # N = 500, 2000, 8000

Prints, per N: the app's time to make the outputs, the SSE messages and bytes they became,
outputs per message, and the time to render the whole page afterwards. Compare rows as ratios
within one run; absolute times depend on the machine.
"""
from __future__ import annotations

import statistics
import sys
import time

from htmio.output import put_text
from htmio.testing import AppClient


def run(n: int) -> dict[str, float]:
    made: list[float] = []

    def main() -> None:
        start = time.perf_counter()
        for i in range(n):
            put_text(f"line {i}")
        made.append(time.perf_counter() - start)

    with AppClient(main) as page:
        session = page.session
        messages = list(session.messages)
        start = time.perf_counter()
        html, _, _, _ = session.render_page()
        render = time.perf_counter() - start
    data = [m for m in messages if "line " in m.data]
    return {
        "make_ms": made[0] * 1000,
        "messages": len(data),
        "bytes": sum(len(m.data) for m in data),
        "per_message": n / max(len(data), 1),
        "page_ms": render * 1000,
        "page_bytes": len(html),
    }


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [500, 2000, 8000]
    print(f"{'N':>6} {'make ms':>9} {'us/line':>8} {'messages':>9} {'out/msg':>8} {'bytes':>9} {'page ms':>8}")
    base = None
    for n in sizes:
        runs = [run(n) for _ in range(3)]
        make = statistics.median(r["make_ms"] for r in runs)
        page = statistics.median(r["page_ms"] for r in runs)
        r = runs[0]
        per_line = make * 1000 / n
        base = base or per_line
        print(f"{n:>6} {make:>9.1f} {per_line:>8.1f} {r['messages']:>9.0f} {r['per_message']:>8.0f} "
              f"{r['bytes']:>9.0f} {page:>8.1f}   (us/line x{per_line / base:.2f} of the first row)")


if __name__ == "__main__":
    main()
