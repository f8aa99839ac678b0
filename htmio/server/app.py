"""The wiring: ``create_app`` builds the FastAPI app, mounts every route of htmio/urls.py, and runs the reaper."""
from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from htmio import urls
from htmio.apps import collect_apps
from htmio.server.access import SLACK, Refusals
from htmio.server.headers import SecurityHeaders
from htmio.server.pages import Pages
from htmio.server.postbacks import PostBacks
from htmio.server.shard import Operations, ShardPrefix, register
from htmio.server.state import ServerState
from htmio.server.static import Files
from htmio.server.stream import Stream
from htmio.settings import Settings
from htmio.shards import check_shard
from htmio.staticdir import static_folder


def create_app(applications: Any, settings: Settings | None = None) -> FastAPI:
    """The ASGI app serving htmio apps: one function, a list of them, or a dict of name -> function
    (chosen with ``?app=name``; an index page lists them).

        api = create_app(main, Settings(debug=True))
        api = create_app({"index": home, "report": report})
        api = create_app(main, Settings(shard="p1"))   # every URL under /p1/, behind a balancer
        uvicorn.run(api, port=8080)
    """
    settings = settings or Settings()
    if settings.shard:
        check_shard(settings.shard, "shard")
    state = ServerState(apps=collect_apps(applications, theme=settings.theme), settings=settings)
    user_files = static_folder(settings.static_dir)  # checked now: a missing folder fails at start-up
    api = FastAPI(lifespan=_lifespan(state), docs_url=None, redoc_url=None, openapi_url=None,
                  # a backstop for bodies without Content-Length; open_post answers the others clearly first
                  max_body_size=2 * settings.max_body_size + 64 * SLACK)
    api.state.htmio = state
    register(state)  # drained with the rest of the process
    if settings.shard:
        api.add_middleware(ShardPrefix, shard=settings.shard)
    if user_files is not None:  # the app's own files (PyWebIO's static_dir); htmio's are under urls.STATIC
        api.mount(urls.USER_STATIC, user_files)
    _add_routes(api, state)
    api.add_middleware(SecurityHeaders, settings=settings)
    return api


def _lifespan(state: ServerState) -> Callable[[FastAPI], contextlib.AbstractAsyncContextManager[None]]:
    """The app's lifespan: the reaper runs while it serves; when it stops its sessions end, and their
    ``defer_call`` functions get up to ``shutdown_timeout`` seconds to finish."""

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        state.ensure_reaper()
        yield
        if state.reaper is not None:
            state.reaper.cancel()
        await state.stop()

    return lifespan


def _add_routes(api: FastAPI, state: ServerState) -> None:
    """Every route and error handler, each bound to the app's state."""
    refusals = Refusals(state)
    api.add_exception_handler(RequestValidationError, refusals.malformed)  # type: ignore[arg-type]
    api.add_exception_handler(StarletteHTTPException, refusals.http_error)  # type: ignore[arg-type]
    pages, stream, posts, files = Pages(state), Stream(state), PostBacks(state), Files(state)
    operations = Operations(state)
    api.add_api_route(urls.HOME, pages.new_session, methods=["GET"], response_class=HTMLResponse)
    api.add_api_route(urls.PAGE, pages.page, methods=["GET"], response_class=HTMLResponse)
    api.add_api_route(urls.EVENTS, stream.events, methods=["GET"])
    api.add_api_route(urls.FORM, posts.submit, methods=["POST"])
    api.add_api_route(urls.CLICK, posts.click, methods=["POST"])
    api.add_api_route(urls.PRESENCE, posts.presence, methods=["POST"])
    api.add_api_route(urls.PIN, posts.pin_changed, methods=["POST"])
    api.add_api_route(urls.JS, posts.js_answer, methods=["POST"])
    api.add_api_route(urls.DOWNLOAD, files.download, methods=["GET"])
    api.add_api_route(urls.MEDIA, files.media, methods=["GET"])
    api.add_api_route(urls.VIEW, posts.view, methods=["GET", "POST"])
    api.add_api_route(urls.STATIC_FILE, files.static_file, methods=["GET"])
    api.add_api_route(urls.HEALTH, operations.health, methods=["GET"])
    api.add_api_route(urls.GONE, operations.gone, methods=["GET", "POST"])
