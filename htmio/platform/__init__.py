"""Ways to run htmio apps: ``start_server`` (and ``asgi_app`` for mounting in FastAPI)."""
from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from typing import Any

from htmio.settings import Settings

__all__ = ["start_server", "asgi_app"]

log = logging.getLogger("htmio")


def asgi_app(applications: Callable[[], Any], debug: bool = False, **kwargs: Any) -> Any:
    """An ASGI app (FastAPI) serving ``applications``; mount it in your own app or run it with uvicorn.

        app = asgi_app(main)
        # uvicorn module:app
    """
    from htmio.server import create_app

    settings = kwargs.pop("settings", None) or Settings.from_environ({}, debug=debug)
    return create_app(_single(applications), settings)


def _single(applications: Any) -> Callable[[], Any]:
    if callable(applications):
        return applications  # type: ignore[no-any-return]
    raise TypeError(
        f"start_server() takes the app function itself (like start_server(main)), not {applications!r}."
    )


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def start_server(applications: Callable[[], Any], port: int = 0, host: str = "", debug: bool = False,
                 cdn: Any = True, static_dir: str | None = None, remote_access: bool = False,
                 reconnect_timeout: int = 0, allowed_origins: Any = None, check_origin: Any = None,
                 auto_open_webbrowser: bool = False, max_payload_size: Any = "200M", **uvicorn_settings: Any) -> None:
    """Serve an app and block until the server stops (Ctrl-C).

        def main():
            name = input("What's your name?")
            put_text("Hello", name)

        start_server(main, port=8080, debug=True)

    As in PyWebIO, ``host=''`` listens on every interface and ``port=0`` picks a free port.
    ``cdn``, ``reconnect_timeout``, ``allowed_origins``, ``check_origin`` and ``remote_access`` are
    accepted for compatibility: htmio always serves its files itself, keeps sessions across
    reconnects, and accepts posts only from its own pages.
    """
    import uvicorn

    from htmio.server import create_app

    bind = host or "0.0.0.0"
    settings = Settings.from_environ({}, host=bind, port=port or free_port(bind), debug=debug)
    api = create_app(_single(applications), settings)
    shown = "127.0.0.1" if bind in ("0.0.0.0", "::") else bind
    url = f"http://{shown}:{settings.port}/"
    print(f"htmio: serving {getattr(applications, '__name__', 'app')} at {url}", flush=True)
    if auto_open_webbrowser:
        import webbrowser

        webbrowser.open(url)
    uvicorn_settings.setdefault("log_level", "info" if debug else "warning")
    uvicorn_settings.setdefault("timeout_graceful_shutdown", 5)
    uvicorn.run(api, host=bind, port=settings.port, **uvicorn_settings)
