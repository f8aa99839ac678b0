"""PyWebIO's ``pywebio.platform.tornado_http`` (Tornado with HTTP polling), for programs that import
their server from it. htmio has one transport, plain HTTP posts and a Server-Sent Events stream.

    from htmio.platform.tornado_http import start_server
    start_server(main, port=8080)
"""
from __future__ import annotations

from typing import Any

from htmio.platform import _cannot_host, _start_server_for

__all__ = ["start_server", "webio_handler"]


def start_server(applications: Any, port: int = 8080, host: str = "", debug: bool = False, cdn: Any = True,
                 static_dir: str | None = None, allowed_origins: Any = None, check_origin: Any = None,
                 auto_open_webbrowser: bool = False, session_expire_seconds: int | None = None,
                 session_cleanup_interval: int | None = None, max_payload_size: Any = "200M",
                 **tornado_app_settings: Any) -> None:
    """Serve apps with htmio's server, as ``htmio.start_server`` does; blocks until stopped.

        start_server(main, port=8080, session_expire_seconds=60)

    ``session_expire_seconds`` and ``session_cleanup_interval`` do nothing: htmio ends a session when
    its page is gone. Tornado's application settings are accepted and dropped.
    """
    _start_server_for("tornado_http", applications, port=port, host=host, debug=debug,
                      auto_open_webbrowser=auto_open_webbrowser, max_payload_size=max_payload_size,
                      static_dir=static_dir)


def webio_handler(applications: Any, cdn: Any = True, session_expire_seconds: int | None = None,
                  session_cleanup_interval: int | None = None, allowed_origins: Any = None,
                  check_origin: Any = None) -> Any:
    """Would return a Tornado handler class serving the apps; htmio cannot run inside Tornado, so this
    raises NotImplementedError that says what to do instead.

        start_server(main, port=8081)   # beside the Tornado app, behind the same proxy
    """
    raise _cannot_host("htmio.platform.tornado_http.webio_handler()", "Tornado")
