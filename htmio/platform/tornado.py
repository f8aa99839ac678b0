"""PyWebIO's ``pywebio.platform.tornado``, for programs that import their server from it.

    from htmio.platform.tornado import start_server
    start_server(main, port=8080)

``start_server`` runs htmio's own server (uvicorn); Tornado is not needed. ``webio_handler``, which would
put the apps inside a Tornado application, raises and says what to do instead.
"""
from __future__ import annotations

from typing import Any

from htmio.platform import _cannot_host, _start_server_for, path_deploy, path_deploy_http

__all__ = ["start_server", "webio_handler", "path_deploy", "path_deploy_http"]


def start_server(applications: Any, port: int = 0, host: str = "", debug: bool = False, cdn: Any = True,
                 static_dir: str | None = None, remote_access: bool = False, reconnect_timeout: int = 0,
                 allowed_origins: Any = None, check_origin: Any = None, auto_open_webbrowser: bool = False,
                 max_payload_size: Any = "200M", **tornado_app_settings: Any) -> None:
    """Serve apps with htmio's server, as ``htmio.start_server`` does; blocks until stopped.

        start_server({"index": home, "report": report}, port=8080, compress_response=True)

    Tornado's application settings (``compress_response=True``, ...) are accepted and dropped.
    """
    _start_server_for("tornado", applications, port=port, host=host, debug=debug,
                      auto_open_webbrowser=auto_open_webbrowser, max_payload_size=max_payload_size,
                      static_dir=static_dir)


def webio_handler(applications: Any, cdn: Any = True, reconnect_timeout: int = 0, allowed_origins: Any = None,
                  check_origin: Any = None) -> Any:
    """Would return a Tornado handler class serving the apps; htmio cannot run inside Tornado, so this
    raises NotImplementedError that says what to do instead.

        # instead of Application([(r"/tool", webio_handler(main))]):
        start_server(main, port=8081)   # beside the Tornado app, behind the same proxy
    """
    raise _cannot_host("htmio.platform.tornado.webio_handler()", "Tornado")
