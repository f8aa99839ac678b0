"""PyWebIO's ``pywebio.platform.aiohttp``, for programs that import their server from it.

    from htmio.platform.aiohttp import start_server
    start_server(main, port=8080)

``start_server`` runs htmio's own server (uvicorn); aiohttp is not needed. ``webio_handler`` and
``static_routes``, which would put the apps inside an aiohttp application, raise and say what to do.
"""
from __future__ import annotations

from typing import Any

from htmio.platform import _cannot_host, _start_server_for

__all__ = ["start_server", "webio_handler", "static_routes"]


def start_server(applications: Any, port: int = 0, host: str = "", debug: bool = False, cdn: Any = True,
                 static_dir: str | None = None, remote_access: bool = False, reconnect_timeout: int = 0,
                 allowed_origins: Any = None, check_origin: Any = None, auto_open_webbrowser: bool = False,
                 max_payload_size: Any = "200M", websocket_settings: dict[str, Any] | None = None,
                 **aiohttp_settings: Any) -> None:
    """Serve apps with htmio's server, as ``htmio.start_server`` does; blocks until stopped.

        start_server(main, port=8080)

    ``websocket_settings`` and aiohttp's application settings are accepted and dropped: htmio uses no
    websocket.
    """
    _start_server_for("aiohttp", applications, port=port, host=host, debug=debug,
                      auto_open_webbrowser=auto_open_webbrowser, max_payload_size=max_payload_size,
                      static_dir=static_dir)


def webio_handler(applications: Any, cdn: Any = True, reconnect_timeout: int = 0, allowed_origins: Any = None,
                  check_origin: Any = None, max_payload_size: Any = "200M",
                  websocket_settings: dict[str, Any] | None = None) -> Any:
    """Would return an aiohttp request handler serving the apps; htmio cannot run inside aiohttp, so
    this raises NotImplementedError that says what to do instead.

        start_server(main, port=8081)   # beside the aiohttp app, behind the same proxy
    """
    raise _cannot_host("htmio.platform.aiohttp.webio_handler()", "aiohttp")


def static_routes(prefix: str = "/") -> Any:
    """Would return aiohttp routes for the page's static files; htmio serves its own (under
    ``/_htmio/static/`` of its app), so this raises NotImplementedError that says what to do instead.

        start_server(main, port=8081)   # htmio's server serves its static files itself
    """
    raise _cannot_host("htmio.platform.aiohttp.static_routes()", "aiohttp")
