"""htmio inside another ASGI app: ``asgi_app`` to mount, ``webio_routes`` to add, ``lifespan`` to compose;
``start_server`` as PyWebIO's FastAPI backend has it.

    from fastapi import FastAPI
    from htmio.platform.fastapi import asgi_app, lifespan

    tools = asgi_app({"report": report, "upload": upload})
    host = FastAPI(lifespan=lifespan(tools))
    host.mount("/tools", tools)
"""
from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import FastAPI
from starlette.routing import BaseRoute, Route

from htmio import urls
from htmio.platform import _payload_size
from htmio.platform import start_server as _start_server
from htmio.server import create_app
from htmio.settings import Settings

__all__ = ["asgi_app", "webio_routes", "lifespan", "start_server"]


def start_server(applications: Any, port: int = 0, host: str = "", cdn: Any = True, reconnect_timeout: int = 0,
                 static_dir: str | os.PathLike[str] | None = None, remote_access: bool = False, debug: bool = False,
                 allowed_origins: Any = None, check_origin: Any = None, auto_open_webbrowser: bool = False,
                 max_payload_size: Any = "200M", **uvicorn_settings: Any) -> None:
    """Serve apps with uvicorn, as ``htmio.start_server`` does (PyWebIO's FastAPI backend; the same
    server here); other keyword arguments go to ``uvicorn.run``. Blocks until stopped.

        start_server(main, port=8080, timeout_keep_alive=10)
    """
    _start_server(applications, port=port, host=host, debug=debug, auto_open_webbrowser=auto_open_webbrowser,
                  max_payload_size=max_payload_size, static_dir=static_dir, **uvicorn_settings)


def asgi_app(applications: Any, cdn: Any = True, reconnect_timeout: int = 0,
             static_dir: str | os.PathLike[str] | None = None,
             debug: bool = False, allowed_origins: Any = None, check_origin: Any = None,
             max_payload_size: Any = "200M", **settings: Any) -> FastAPI:
    """The ASGI app of htmio apps, to mount under any prefix of a FastAPI or Starlette app.

        host.mount("/tools", asgi_app(main))        # the app is at /tools/

    Every URL it makes starts with the mount's prefix (and a reverse proxy's ``root_path``). A mounted
    app's own lifespan does not run: sessions are reaped from the first request on, and
    ``lifespan(app)`` ends them cleanly when the host stops. ``static_dir`` is a folder whose files are
    served at ``/static/`` under the prefix (``/tools/static/logo.png``). PyWebIO's ``cdn``,
    ``reconnect_timeout``, ``allowed_origins`` and ``check_origin`` are accepted and do nothing; other
    keyword arguments are fields of ``htmio.Settings``.
    """
    if static_dir is not None:
        settings["static_dir"] = os.fspath(static_dir)
    values = Settings.from_environ({}, debug=debug, max_body_size=_payload_size(max_payload_size), **settings)
    return create_app(applications, values)


def webio_routes(applications: Any, cdn: Any = True, reconnect_timeout: int = 0, allowed_origins: Any = None,
                 check_origin: Any = None) -> list[BaseRoute]:
    """The routes of htmio apps, to add to your own Starlette/FastAPI app at its root.

        app = Starlette(routes=webio_routes(main))

    Prefer ``asgi_app`` with ``mount``: these routes answer malformed requests with your app's own
    error pages rather than htmio's.
    """
    app = asgi_app(applications)
    # the htmio app itself answers these paths (its FastAPI routes need their own app around them)
    home, sessions, static = urls.MOUNTED
    return [Route(home, app), Route(sessions, app, methods=["GET", "POST"]), Route(static, app)]


def lifespan(*apps: FastAPI) -> Callable[[Any], contextlib.AbstractAsyncContextManager[None]]:
    """A lifespan for the host app that ends the sessions of mounted htmio apps when it stops, and waits
    (up to each app's ``shutdown_timeout``) for their ``defer_call`` functions.

        host = FastAPI(lifespan=lifespan(tools, admin))
    """
    @contextlib.asynccontextmanager
    async def run(_: Any) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await asyncio.gather(*(app.state.htmio.stop() for app in apps))

    return run
