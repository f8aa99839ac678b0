"""The transport's floor: a bare FastAPI + sse-starlette app pushing pre-rendered lines to htmx 4.

    python bench/floor.py --port 8090        # then open http://127.0.0.1:8090/?n=2000

No htmio code runs here: ``GET /?n=N`` is a fixed page (htmio's stylesheet, htmx 4.0.1 and its SSE
extension, read from ``htmio/static/``), and its stream sends N lines shaped like htmio's
``put_text`` output, 100 per message, each message one ``<hx-partial>`` appending to ``#log``;
then 'DONE-MARK' and a closing event. ``bench/compare.py`` drives it with the same browser driver
as htmio and PyWebIO, so "htmio / floor" says how close htmio gets to what the transport allows.

Every ``ServerSentEvent`` is built with ``sep="\\n"``: htmx 4.0.1's SSE parser loses a message when a
network read ends between the ``\\r`` and ``\\n`` of a CRLF (``shared/reference/transport-floor.md``).
"""
from __future__ import annotations

import argparse
import gzip
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from sse_starlette import EventSourceResponse, ServerSentEvent

STATIC = Path(__file__).resolve().parent.parent / "htmio" / "static"
FILES = {  # url name -> file under htmio/static (read only)
    "htmio.css": "htmio.css",
    "htmx.js": "htmx/htmx-4.0.1.js",
    "hx-sse.js": "htmx/hx-sse-4.0.1.js",
}
BATCH = 100

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="htmx-config" content='{{"defaultSettleDelay":0}}'>
<title>floor</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/htmio.css">
</head>
<body>
<main class="htmio-main"><div id="log" class="htmio-scope"></div></main>
<div id="stream" hx-sse:connect="/stream?n={n}" hx-sse:close="floor-close" hx-swap="none"></div>
<script src="/static/htmx.js"></script>
<script src="/static/hx-sse.js"></script>
</body>
</html>
"""

app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
_cache: dict[str, tuple[bytes, str]] = {}


def _static(name: str) -> tuple[bytes, str]:
    """A static file, gzip-compressed once (as htmio serves its own)."""
    if name not in _cache:
        raw = (STATIC / FILES[name]).read_bytes()
        media = "text/css" if name.endswith(".css") else "application/javascript"
        _cache[name] = (gzip.compress(raw, 9, mtime=0), media + "; charset=utf-8")
    return _cache[name]


@app.get("/", response_class=HTMLResponse)
async def page(n: int = 0) -> HTMLResponse:
    return HTMLResponse(PAGE.format(n=n), headers={"Cache-Control": "no-store"})


@app.get("/static/{name}")
async def static(name: str, request: Request) -> Response:
    if name not in FILES:
        return Response(status_code=404)
    body, media = _static(name)
    return Response(body, media_type=media, headers={"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})


def line(i: int) -> str:
    """One line as htmio's put_text renders it."""
    return f'<p id="htmio-o-{i + 1}" class="htmio-text">line {i}</p>'


async def _lines(n: int) -> AsyncIterator[ServerSentEvent]:
    seq = 0
    for start in range(0, n, BATCH):
        seq += 1
        body = "".join(line(i) for i in range(start, min(n, start + BATCH)))
        yield ServerSentEvent(f'<hx-partial hx-target="#log" hx-swap="beforeend">{body}</hx-partial>',
                              id=str(seq), sep="\n")
    seq += 1
    yield ServerSentEvent('<hx-partial hx-target="#log" hx-swap="beforeend">'
                          f'<p id="htmio-o-{n + 1}" class="htmio-text">DONE-MARK</p></hx-partial>',
                          id=str(seq), sep="\n")
    # a named event: the page closes the stream instead of reconnecting when it ends
    yield ServerSentEvent("closed", event="floor-close", sep="\n")


@app.get("/stream")
async def stream(n: int = 0) -> EventSourceResponse:
    return EventSourceResponse(_lines(n), sep="\n")


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8090)
    args = parser.parse_args()
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
