"""The browser driver: headless chromium through Playwright, the same for htmio, PyWebIO and the floor.

    with Browser() as browser:
        figures = first_load(browser, "http://127.0.0.1:8080/", HTMIO)

Times are taken in the page: an init script installs a MutationObserver before any of the page's
own scripts run, and records ``performance.now()`` (milliseconds since navigation start, redirects
included) when a watched text first appears in a connected node. "Visible" here means in the
document; no frame is waited for, so a 60 Hz paint does not quantise the figures. Bytes and requests
come from the Chrome DevTools Protocol (``Network.*`` events): every HTTP request and redirect hop,
plus each WebSocket, counts as a request; bytes are as received on the wire (headers and encoded,
e.g. gzipped, bodies), including what the event stream or WebSocket carried until the page settled.
Each measured load gets a fresh browser context: nothing cached, no cookies.
"""
from __future__ import annotations

import json
import shutil
import statistics
import time
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import BrowserContext, CDPSession, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium" if shutil.which("/usr/bin/chromium") else (shutil.which("chromium") or "chromium")

OBSERVER = """
(() => {
  if (window.__bench) return;
  const B = window.__bench = {targets: ['DONE-MARK', 'READY-MARK', 'line 0'], seen: {}, t0: null,
                              input: window.__benchInput || null, inputSeen: null, waiters: {}};
  const look = (node, now) => {
    const text = node.textContent;
    if (!text || !node.isConnected) return;
    for (const t of B.targets) {
      if (B.seen[t] === undefined && text.indexOf(t) >= 0) {
        B.seen[t] = now;
        if (B.waiters[t]) B.waiters[t](now);
      }
    }
  };
  // resolves when text t has appeared: the driver waits on this promise instead of polling the page,
  // so nothing of the driver's runs in the page while a measurement is under way
  B.when = (t, ms) => new Promise((ok, fail) => {
    if (B.targets.indexOf(t) < 0) B.targets.push(t);
    if (B.seen[t] !== undefined) return ok(B.seen[t]);
    B.waiters[t] = ok;
    setTimeout(() => fail(new Error('no ' + JSON.stringify(t) + ' in the page after ' + ms + ' ms')), ms);
  });
  new MutationObserver((records) => {
    const now = performance.now();
    for (const r of records) {
      if (r.type === 'characterData') { look(r.target, now); continue; }
      for (const n of r.addedNodes) look(n, now);
    }
    if (B.input && B.inputSeen === null) {  // first load only: when the input form is laid out
      const el = document.querySelector(B.input);
      if (el && el.getClientRects().length) B.inputSeen = now;
    }
  }).observe(document, {childList: true, subtree: true, characterData: true});
  // the round trip starts when Enter goes down in the page (capture phase: before any handler)
  window.addEventListener('keydown', (e) => { if (e.key === 'Enter') B.t0 = performance.now(); }, true);
})();
"""


@dataclass(frozen=True)
class Target:
    """What the driver needs to know about one implementation's page."""

    name: str
    input: str = ""  # CSS selector of the text field of an input() form
    lines: str = ""  # CSS selector matching each put_text line of the throughput app


HTMIO = Target("htmio", input="#htmio-inputs form input.htmio-control", lines="#pywebio-scope-ROOT > p")
PYWEBIO = Target("pywebio", input="#input-cards input.form-control", lines="#pywebio-scope-ROOT > p")
FLOOR = Target("floor", input="#inputs input.htmio-control", lines="#log > p")


class NetCounter:
    """Requests and bytes of one page, from the DevTools protocol's Network events."""

    def __init__(self, cdp: CDPSession) -> None:
        self.requests: dict[str, dict[str, Any]] = {}
        self.hops = 0  # requests sent, redirect hops included
        self.redirect_bytes = 0
        self.redirects: list[tuple[str, int]] = []
        self.websockets = 0
        self.ws_bytes = 0
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.dataReceived", self._data)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.webSocketCreated", self._ws)
        cdp.on("Network.webSocketFrameReceived", self._ws_frame)
        cdp.on("Network.webSocketHandshakeResponseReceived", self._ws_handshake)
        cdp.send("Network.enable")

    def _sent(self, ev: dict[str, Any]) -> None:
        if not ev["request"]["url"].startswith("http"):
            return  # data: URLs cost nothing
        if "redirectResponse" in ev:  # the same requestId goes on after a redirect
            size = int(ev["redirectResponse"].get("encodedDataLength", 0))
            self.redirect_bytes += size
            self.redirects.append((self.requests[ev["requestId"]]["url"], size))
        self.hops += 1
        self.requests[ev["requestId"]] = {"url": ev["request"]["url"], "type": ev.get("type", ""), "headers": 0,
                                          "data": 0, "total": None}

    def _response(self, ev: dict[str, Any]) -> None:
        req = self.requests.get(ev["requestId"])
        if req is not None:
            req["headers"] = int(ev["response"].get("encodedDataLength", 0))
            req["type"] = ev.get("type", req["type"])

    def _data(self, ev: dict[str, Any]) -> None:
        req = self.requests.get(ev["requestId"])
        if req is not None:
            req["data"] += int(ev.get("encodedDataLength", 0))

    def _finished(self, ev: dict[str, Any]) -> None:
        req = self.requests.get(ev["requestId"])
        if req is not None:
            req["total"] = int(ev["encodedDataLength"])

    def _ws(self, ev: dict[str, Any]) -> None:
        self.websockets += 1

    def _ws_handshake(self, ev: dict[str, Any]) -> None:
        headers = ev["response"].get("headersText") or ""
        self.ws_bytes += len(headers) or sum(len(k) + len(v) + 4 for k, v in ev["response"]["headers"].items())

    def _ws_frame(self, ev: dict[str, Any]) -> None:
        # payloadData is the message after permessage-deflate, so this can overstate the wire a little
        self.ws_bytes += len(ev["response"]["payloadData"]) + 2

    def figures(self) -> dict[str, Any]:
        total = self.redirect_bytes + self.ws_bytes
        script = 0
        each = [{"url": url, "type": "redirect", "bytes": size} for url, size in self.redirects]
        for req in self.requests.values():
            size = req["total"] if req["total"] is not None else req["headers"] + req["data"]
            total += size
            if req["type"] == "Script":
                script += size - req["headers"]
            each.append({"url": req["url"], "type": req["type"], "bytes": size,
                         "finished": req["total"] is not None})
        if self.websockets:
            each.append({"url": "(websocket)", "type": "WebSocket", "bytes": self.ws_bytes})
        return {"requests": self.hops + self.websockets, "bytes": total, "js_bytes": script,
                "ws_bytes": self.ws_bytes, "each": each}


class Browser:
    """One headless chromium for a whole run; ``page()`` opens a fresh context each time."""

    def __enter__(self) -> Browser:
        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        return self

    def __exit__(self, *exc: object) -> None:
        self.browser.close()
        self._pw.stop()

    def page(self, count_network: bool = False,
             watch_input: str = "") -> tuple[BrowserContext, Page, NetCounter | None]:
        context = self.browser.new_context(viewport={"width": 1280, "height": 800})
        if watch_input:
            context.add_init_script(f"window.__benchInput = {json.dumps(watch_input)};")
        context.add_init_script(OBSERVER)
        page = context.new_page()
        counter = NetCounter(context.new_cdp_session(page)) if count_network else None
        return context, page, counter


def _wait_seen(page: Page, text: str, timeout_ms: float) -> float:
    """When ``text`` first appeared in the page (ms since navigation start), waiting up to ``timeout_ms``."""
    return float(page.evaluate("([t, ms]) => window.__bench.when(t, ms)", [text, timeout_ms]))


def first_load(browser: Browser, url: str, target: Target, settle_ms: int = 700) -> dict[str, Any]:
    """Navigation start to the first output ('DONE-MARK') in the page; bytes and requests once the
    first input is shown and the network has been quiet for ``settle_ms``."""
    context, page, counter = browser.page(count_network=True, watch_input=target.input)
    assert counter is not None
    try:
        page.goto(url, wait_until="commit")
        first = _wait_seen(page, "DONE-MARK", 30_000)
        page.wait_for_function("window.__bench.inputSeen !== null", timeout=30_000, polling=5)
        ready = float(page.evaluate("window.__bench.inputSeen"))
        page.wait_for_timeout(settle_ms)
        return {"first_output_ms": first, "input_ready_ms": ready, **counter.figures()}
    finally:
        context.close()


NAVIGATION = """() => {
  const e = performance.getEntriesByType('navigation')[0];
  return {redirects: e.redirectCount, doc_response_end_ms: e.responseEnd, doc_bytes: e.transferSize,
          dom_content_loaded_ms: e.domContentLoadedEventEnd};
}"""


def throughput(browser: Browser, url: str, target: Target, n: int, timeout_s: float) -> dict[str, Any]:
    """Navigation start to 'DONE-MARK' (after N lines) in the page, and 'line 0' to 'DONE-MARK'
    (the stream's own time); checks that all N lines arrived. Also what the document itself
    carried (``doc_bytes``): htmio puts outputs made before its first page into that page."""
    context, page, _ = browser.page()
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        done = _wait_seen(page, "DONE-MARK", timeout_s * 1000)
        wall = (time.perf_counter() - start) * 1000
        first = page.evaluate("window.__bench.seen['line 0']")
        count = int(page.evaluate(
            "s => [...document.querySelectorAll(s)].filter(e => e.textContent.startsWith('line ')).length",
            target.lines))
        return {"done_ms": done, "wall_ms": wall, "first_line_ms": first,
                "stream_ms": done - first if first is not None else None,
                "lines": count, "complete": count == n, **page.evaluate(NAVIGATION)}
    finally:
        context.close()


PHASES = """
(() => {
  // where a round trip's time goes: when the page calls fetch() or sends on its WebSocket, and when
  // the first SSE or WebSocket message comes in; each hook only notes performance.now()
  const P = window.__phases = [];
  const note = (name) => () => P.push([name, performance.now()]);
  const fetch0 = window.fetch;
  window.fetch = function (...args) { P.push(['sent', performance.now()]); return fetch0.apply(this, args); };
  document.addEventListener('htmx:sse:before:message', note('reply in'), true);
  const WS = window.WebSocket;
  const send = WS.prototype.send;
  WS.prototype.send = function (data) { P.push(['sent', performance.now()]); return send.call(this, data); };
  window.WebSocket = function (...args) {
    const ws = new WS(...args);
    ws.addEventListener('message', note('reply in'));  // before the page's own onmessage handler
    return ws;
  };
  window.WebSocket.prototype = WS.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  const ES = window.EventSource;
  window.EventSource = function (...args) {
    const es = new ES(...args);
    es.addEventListener('message', note('reply in'));
    return es;
  };
  window.EventSource.prototype = ES.prototype;
})();
"""
PHASE_NAMES = ("sent", "post answered", "reply in")


def _phases(page: Page, t0: float) -> dict[str, float]:
    """The first time of each phase after keydown, relative to it; 'post answered' from resource timing."""
    got: dict[str, float] = {}
    for name, at in page.evaluate("window.__phases.splice(0)"):
        if at >= t0 and name not in got:
            got[name] = at - t0
    answered = page.evaluate("""() => {
      const posts = performance.getEntriesByType('resource')
        .filter(e => e.initiatorType === 'fetch' && /[/](form|post)[/]/.test(e.name));
      performance.clearResourceTimings();
      return posts.length ? posts[posts.length - 1].responseEnd : null;
    }""")
    if answered is not None and answered >= t0:
        got["post answered"] = answered - t0
    return got


def round_trip(browser: Browser, url: str, target: Target, rounds: int) -> dict[str, Any]:
    """``rounds`` times: type a value, press Enter, and time keydown to 'got <value>' in the page.
    Also notes, per round, when the request left and the first reply came in (``phases``)."""
    context, page, _ = browser.page()
    context.add_init_script(PHASES)
    try:
        page.goto(url, wait_until="commit")
        _wait_seen(page, "READY-MARK", 30_000)
        fresh = f"{target.input}:not([data-bench-used])"
        samples: list[float] = []
        phases: list[dict[str, float]] = []
        for i in range(rounds):
            field = page.wait_for_selector(fresh, state="visible", timeout=30_000)
            assert field is not None
            value = f"rt{i}x{time.monotonic_ns() % 100000}"
            field.evaluate("el => el.setAttribute('data-bench-used', '')")
            field.fill(value)
            page.evaluate("t => { window.__bench.targets.push(t); window.__bench.t0 = null; "
                          "window.__phases.length = 0; }", f"got {value}")
            field.press("Enter")
            seen = _wait_seen(page, f"got {value}", 30_000)
            t0 = float(page.evaluate("window.__bench.t0"))
            samples.append(seen - t0)
            phases.append(_phases(page, t0))
        return {"rounds": rounds, "samples": samples, "median_ms": statistics.median(samples),
                "p95_ms": percentile(samples, 95), "phases": phases}
    finally:
        context.close()


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``pct`` % of the values at or below it."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]
