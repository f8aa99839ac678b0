"""PyWebIO's ``pywebio.platform.flask``, for programs that import their server from it.

    from htmio.platform.flask import start_server
    start_server(main, port=8080)

``start_server`` runs htmio's own server (uvicorn); Flask is not needed. ``webio_view`` and ``wsgi_app``,
which would put the apps inside a Flask (WSGI) application, raise and say what to do instead.
"""
from __future__ import annotations

from typing import Any

from htmio.platform import _cannot_host, _start_server_for, run_event_loop

__all__ = ["start_server", "webio_view", "wsgi_app", "run_event_loop"]


def start_server(applications: Any, port: int = 8080, host: str = "", cdn: Any = True,
                 static_dir: str | None = None, remote_access: bool = False, allowed_origins: Any = None,
                 check_origin: Any = None, session_expire_seconds: int | None = None,
                 session_cleanup_interval: int | None = None, debug: bool = False, max_payload_size: Any = "200M",
                 **flask_options: Any) -> None:
    """Serve apps with htmio's server, as ``htmio.start_server`` does; blocks until stopped.

        start_server(main, port=8080, threaded=True)

    Flask's ``app.run`` options and the HTTP-session timings are accepted and dropped. An ``async def``
    app needs no ``run_event_loop`` thread: it runs on htmio's own loop.
    """
    _start_server_for("flask", applications, port=port, host=host, debug=debug, auto_open_webbrowser=False,
                      max_payload_size=max_payload_size, static_dir=static_dir)


def webio_view(applications: Any, cdn: Any = True, session_expire_seconds: int | None = None,
               session_cleanup_interval: int | None = None, allowed_origins: Any = None,
               check_origin: Any = None) -> Any:
    """Would return a Flask view serving the apps; htmio cannot run inside Flask (WSGI), so this raises
    NotImplementedError that says what to do instead.

        start_server(main, port=8081)   # beside the Flask app, behind the same proxy
    """
    raise _cannot_host("htmio.platform.flask.webio_view()", "Flask")


def wsgi_app(applications: Any, cdn: Any = True, static_dir: str | None = None, allowed_origins: Any = None,
             check_origin: Any = None, session_expire_seconds: int | None = None,
             session_cleanup_interval: int | None = None, max_payload_size: Any = "200M") -> Any:
    """Would return a WSGI app of the apps; htmio is an ASGI app, so this raises NotImplementedError that
    says what to do instead (``htmio.platform.fastapi.asgi_app`` under an ASGI server such as uvicorn).

        app = htmio.platform.fastapi.asgi_app(main)   # uvicorn module:app
    """
    raise _cannot_host("htmio.platform.flask.wsgi_app()", "Flask")
