"""The transport's floor: a bare FastAPI + sse-starlette app pushing pre-rendered HTML to htmx 4.

    python bench/floor.py --port 8090        # then open http://127.0.0.1:8090/?n=2000 or /rt

No htmio code runs here. Both pages load htmio's stylesheet, htmx 4.0.1 and its SSE extension, read
from ``htmio/static/``:
- ``GET /?n=N``: the stream sends N lines shaped like htmio's ``put_text`` output, 100 per message,
  each message one ``<hx-partial>`` appending to ``#log``; then 'DONE-MARK' and a closing event.
- ``GET /rt``: a form posted by htmx (``hx-post``, answered 204); each post makes the stream send one
  message that appends 'got <value>' and puts a new form in place of the old one, as htmio's
  ``input()`` then ``put_text()`` does, with no work on the server between the two.
  ``GET /rt?reply=post`` answers the post with that reply instead (the stream stays open and idle);
  ``GET /rt?client=raw`` does the same without htmx (a few lines of fetch and EventSource).
``bench/compare.py`` drives it with the same browser driver as htmio and PyWebIO, so "htmio / floor"
says how close htmio gets to what the transport allows.

Every ``ServerSentEvent`` is built with ``sep="\\n"``: htmx 4.0.1's SSE parser loses a message when a
network read ends between the ``\\r`` and ``\\n`` of a CRLF (``shared/reference/transport-floor.md``).
"""
from __future__ import annotations

import argparse
import asyncio
import gzip
import secrets
from collections.abc import AsyncIterator
from html import escape
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


RT_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="htmx-config" content='{{"defaultSettleDelay":0}}'>
<title>floor: round trip</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/htmio.css">
</head>
<body>
<main class="htmio-main"><div id="log" class="htmio-scope"><p class="htmio-text">READY-MARK</p></div></main>
<section id="inputs" class="htmio-inputs">{form}</section>
<div id="stream" hx-sse:connect="/rt/stream/{pid}" hx-swap="none"></div>
<script src="/static/htmx.js"></script>
<script src="/static/hx-sse.js"></script>
</body>
</html>
"""
RAW_CLIENT = """<script>
// no htmx: the form posts with fetch, an EventSource applies each message's partials itself
(() => {
  const inputs = document.getElementById('inputs');
  const apply = (html) => {
    const t = document.createElement('template');
    t.innerHTML = html;
    for (const part of t.content.querySelectorAll('hx-partial')) {
      const target = document.querySelector(part.getAttribute('hx-target'));
      if (part.getAttribute('hx-swap') === 'innerHTML') target.replaceChildren(...part.childNodes);
      else target.append(...part.childNodes);
    }
    const focus = inputs.querySelector('[autofocus]');
    if (focus) focus.focus();
  };
  document.addEventListener('submit', (e) => {
    e.preventDefault();
    fetch(e.target.getAttribute('hx-post'), {method: 'POST', body: new FormData(e.target)})
      .then(r => r.status === 200 ? r.text().then(apply) : null);
  });
  const stream = document.getElementById('stream');
  new EventSource(stream.dataset.url).onmessage = (m) => apply(m.data);
})();
</script>"""
_answers: dict[str, asyncio.Queue[str]] = {}  # page id -> values posted, for its stream


def rt_form(pid: str, number: int) -> str:
    return (f'<form id="form-{number}" class="htmio-form" hx-post="/rt/post/{pid}" hx-swap="none">'
            f'<input id="form-{number}-value" name="value" type="text" class="htmio-control" autofocus>'
            '<button type="submit" class="htmio-btn htmio-btn-primary">Submit</button></form>')


@app.get("/rt", response_class=HTMLResponse)
async def rt_page(reply: str = "sse", client: str = "htmx") -> HTMLResponse:
    """``?reply=post`` answers each post with the reply itself instead of sending it on the stream;
    ``?client=raw`` drops htmx for a few lines of plain JavaScript (fetch, EventSource)."""
    pid = secrets.token_urlsafe(8)
    _answers[pid] = asyncio.Queue()
    _inline[pid] = reply == "post"
    page = RT_PAGE.format(pid=pid, form=rt_form(pid, 0))
    if client == "raw":
        scripts = '<script src="/static/htmx.js"></script>\n<script src="/static/hx-sse.js"></script>'
        page = page.replace("hx-sse:connect=", "data-url=").replace(scripts, RAW_CLIENT)
    return HTMLResponse(page, headers={"Cache-Control": "no-store"})


_inline: dict[str, bool] = {}
_numbers: dict[str, int] = {}


def rt_reply(pid: str, value: str) -> str:
    """'got <value>' appended to the log, and the next form in place of the answered one."""
    number = _numbers[pid] = _numbers.get(pid, 0) + 1
    return ('<hx-partial hx-target="#log" hx-swap="beforeend">'
            f'<p class="htmio-text">got {escape(value)}</p></hx-partial>'
            f'<hx-partial hx-target="#inputs" hx-swap="innerHTML">{rt_form(pid, number)}</hx-partial>')


@app.post("/rt/post/{pid}")
async def rt_post(pid: str, request: Request) -> Response:
    form = await request.form()
    value = str(form.get("value", ""))
    if _inline[pid]:
        return HTMLResponse(rt_reply(pid, value))
    await _answers[pid].put(value)
    return Response(status_code=204)


async def _replies(pid: str) -> AsyncIterator[ServerSentEvent]:
    while True:
        value = await _answers[pid].get()
        yield ServerSentEvent(rt_reply(pid, value), id=str(_numbers[pid]), sep="\n")


@app.get("/rt/stream/{pid}")
async def rt_stream(pid: str) -> EventSourceResponse:
    return EventSourceResponse(_replies(pid), sep="\n")


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8090)
    args = parser.parse_args()
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
