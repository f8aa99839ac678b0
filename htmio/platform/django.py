"""PyWebIO's ``pywebio.platform.django``, for programs that import their server from it.

    from htmio.platform.django import start_server
    start_server(main, port=8080)

``start_server`` runs htmio's own server (uvicorn); Django is not needed. ``webio_view`` and ``wsgi_app``,
which would put the apps inside a Django project, raise and say what to do instead.
"""
from __future__ import annotations

from typing import Any

from htmio.platform import _cannot_host, _start_server_for

__all__ = ["start_server", "webio_view", "wsgi_app"]


def start_server(applications: Any, port: int = 8080, host: str = "", cdn: Any = True,
                 static_dir: str | None = None, remote_access: bool = False, allowed_origins: Any = None,
                 check_origin: Any = None, session_expire_seconds: int | None = None,
                 session_cleanup_interval: int | None = None, debug: bool = False, max_payload_size: Any = "200M",
                 **django_options: Any) -> None:
    """Serve apps with htmio's server, as ``htmio.start_server`` does; blocks until stopped.

        start_server(main, port=8080)

    Django's settings and the HTTP-session timings are accepted and dropped.
    """
    _start_server_for("django", applications, port=port, host=host, debug=debug, auto_open_webbrowser=False,
                      max_payload_size=max_payload_size, static_dir=static_dir)


def webio_view(applications: Any, cdn: Any = True, session_expire_seconds: int | None = None,
               session_cleanup_interval: int | None = None, allowed_origins: Any = None,
               check_origin: Any = None) -> Any:
    """Would return a Django view serving the apps; htmio cannot run inside Django's views, so this
    raises NotImplementedError that says what to do instead (a Django project served over ASGI can
    route a prefix to ``htmio.platform.fastapi.asgi_app`` before Django's own ASGI application).

        start_server(main, port=8081)   # beside the Django site, behind the same proxy
    """
    raise _cannot_host("htmio.platform.django.webio_view()", "Django")


def wsgi_app(applications: Any, cdn: Any = True, static_dir: str | None = None, allowed_origins: Any = None,
             check_origin: Any = None, session_expire_seconds: int | None = None,
             session_cleanup_interval: int | None = None, debug: bool = False, max_payload_size: Any = "200M",
             **django_options: Any) -> Any:
    """Would return a WSGI app of the apps; htmio is an ASGI app, so this raises NotImplementedError that
    says what to do instead (``htmio.platform.fastapi.asgi_app`` under an ASGI server such as uvicorn).

        app = htmio.platform.fastapi.asgi_app(main)   # uvicorn module:app
    """
    raise _cannot_host("htmio.platform.django.wsgi_app()", "Django")
