"""One process among several behind a balancer: its URL prefix, its health, draining it for a restart,
and the "session ended" answers a balancer's fallback asks for when another process is gone."""
from __future__ import annotations

import json
import os
import re
import signal
import weakref
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sse_starlette import EventSourceResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from htmio import urls
from htmio.server.access import error, root_of, unknown
from htmio.server.state import Handlers, ServerState
from htmio.server.stream import farewell
from htmio.shards import check_shard

_OUTER_ROOT = "htmio.outer_root"  # the scope key holding the root path before the shard's prefix
# the end of a session stream's address, under any mount prefix: .../s/<sid>/events
_STREAM = re.compile(".*" + re.escape(urls.EVENTS).replace(re.escape("{sid}"), "[^/]+") + "$")
DRAINING = ("This server is restarting",
            "It takes no new sessions right now. Open the app's address again in a moment.")


class ShardPrefix:
    """Serve an ASGI app under ``/<shard>``: every URL it makes carries the prefix. A request under the
    prefix keeps its path; any other (``/`` from a balancer that sends new visitors anywhere) is served
    as if it were under the prefix, so the session it starts lives at ``/<shard>/s/<sid>``.

        app = ShardPrefix(create_app(main, settings), "p1")   # what create_app does with Settings(shard="p1")
    """

    def __init__(self, app: ASGIApp, shard: str) -> None:
        self.app = app
        self.shard = check_shard(shard)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        root = str(scope.get("root_path", "")).rstrip("/")
        prefix = urls.shard_root(root, self.shard)
        path = str(scope["path"])
        inner = {**scope, "root_path": prefix, _OUTER_ROOT: root}
        if not (path == prefix or path.startswith(prefix + "/")):
            rest = path[len(root):] if root and path.startswith(root) else path
            raw = scope.get("raw_path")
            raw_rest = raw[len(root.encode()):] if isinstance(raw, bytes) and raw.startswith(root.encode()) else None
            inner["path"] = path = prefix + rest
            inner["raw_path"] = prefix.encode() + raw_rest if raw_rest is not None else path.encode()
        if path == prefix:
            inner["path"] = prefix + "/"
            inner["raw_path"] = inner["path"].encode()
        await self.app(inner, receive, send)


class Operations(Handlers):
    """``GET /_htmio/health`` and the balancer's fallback ``/_htmio/gone/<address>``."""

    async def health(self, request: Request) -> Response:
        """Up (200) or draining (503), with the shard's name and its number of live sessions; opens none."""
        return health_response([self.state], self.settings.shard, self.state.draining,
                               through_proxy="x-forwarded-for" in request.headers)

    async def gone(self, request: Request, rest: str) -> Response:
        """The answer for an address whose process is gone: its stream gets the farewell, the shard's own
        address goes to a new session, anything else says the session has ended (a page, or a toast for
        htmx). The request carries no body: a balancer must not forward it (see docs/deploy.md)."""
        parts = rest.split("/", 1)
        if _STREAM.match("/" + rest):
            return EventSourceResponse(farewell(*unknown(request)), sep="\n")
        if request.method == "GET" and (len(parts) == 1 or parts[1] == ""):  # the shard's home: start anew
            outer = str(request.scope.get(_OUTER_ROOT, root_of(request)))
            query = request.url.query
            return RedirectResponse(urls.home(outer) + (f"?{query}" if query else ""), status_code=303)
        return error(request, 404, *unknown(request))


def health_response(states: list[ServerState], shard: str, draining: bool, through_proxy: bool) -> Response:
    """The health answer for the apps ``states`` together: ``{"status", "shard", "sessions", "pid"}``; a
    request that came through a proxy (X-Forwarded-For) gets a 404: visitors need not see it."""
    if through_proxy:
        return Response("The health of an htmio process is answered to requests made to the process itself, "
                        "not through a proxy (this one carried X-Forwarded-For).\n", status_code=404,
                        media_type="text/plain")
    live = sum(1 for state in states for s in list(state.sessions.values()) if not s.closed)
    body = {"status": "draining" if draining else "ok", "shard": shard, "sessions": live, "pid": os.getpid()}
    return Response(json.dumps(body), status_code=503 if draining else 200, media_type="application/json",
                    headers={"Cache-Control": "no-store"})


def refuse_new_session(request: Request) -> Response:
    """The answer to ``GET /`` while draining: 503, so a balancer tries another process."""
    response = error(request, 503, *DRAINING)
    response.headers["Retry-After"] = "5"
    return response


# ---- draining the whole process (every htmio app in it) ---------------------------------------------

_states: weakref.WeakValueDictionary[int, ServerState] = weakref.WeakValueDictionary()
_process = {"draining": False}


def register(state: ServerState) -> None:
    """Count ``state`` among this process's apps, so draining the process drains it."""
    _states[id(state)] = state
    state.draining = state.draining or _process["draining"]


def drain_process(on: bool = True) -> None:
    """Drain (or stop draining) every htmio app of this process: new sessions get 503, running ones go on.

        drain_process()          # what SIGUSR1 does
        drain_process(False)     # what SIGUSR2 does
    """
    _process["draining"] = on
    for state in list(_states.values()):
        state.draining = on


def install_drain_signals() -> None:
    """SIGUSR1 drains this process, SIGUSR2 takes it back into service (call from the main thread)."""
    if not hasattr(signal, "SIGUSR1"):  # Windows: no such signals
        return
    signal.signal(signal.SIGUSR1, _on_signal)
    signal.signal(signal.SIGUSR2, _on_signal)


def _on_signal(number: int, _: Any) -> None:
    drain_process(number == signal.SIGUSR1)
