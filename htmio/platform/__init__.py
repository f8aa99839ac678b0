"""Ways to run htmio apps: ``start_server``, ``path_deploy``, ``config``; ``htmio.platform.fastapi``
has ``asgi_app`` and ``webio_routes`` for mounting inside another app."""
from __future__ import annotations

import os
import socket
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from htmio.apps import PageConfig, attach_config, check_theme, collect_apps, global_config, set_global_config
from htmio.settings import Settings

__all__ = ["start_server", "path_deploy", "config"]

F = TypeVar("F", bound=Callable[..., Any])


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _payload_size(max_payload_size: Any) -> int:
    from htmio.fields import parse_file_size

    return parse_file_size(max_payload_size, "max_payload_size")


def _serve(api: Any, what: str, host: str, port: int, debug: bool, auto_open_webbrowser: bool,
           uvicorn_settings: dict[str, Any]) -> None:
    import uvicorn

    if uvicorn_settings.pop("workers", 1) not in (1, None):
        raise ValueError("htmio runs in one process: a session is a live thread of the process that opened it. "
                         "To serve more users, run several htmio processes behind a load balancer that routes "
                         "each session to its process (see DESIGN.md, 'Beyond one machine').")
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{shown}:{port}/"
    print(f"htmio: serving {what} at {url}", flush=True)
    if auto_open_webbrowser:
        import webbrowser

        webbrowser.open(url)
    uvicorn_settings.setdefault("log_level", "info" if debug else "warning")
    uvicorn_settings.setdefault("timeout_graceful_shutdown", 5)
    uvicorn.run(api, host=host, port=port, **uvicorn_settings)


def _server_settings(environ: Mapping[str, str], bind: str, port: int, debug: bool, max_payload_size: Any) -> Settings:
    """The settings of ``start_server``/``path_deploy``: their arguments, and ``HTMIO_*`` variables for the rest
    (``HTMIO_DEBUG=1`` turns debug on too)."""
    from_env = Settings.from_environ(environ)
    return from_env.replace(host=bind, port=port or free_port(bind), debug=debug or from_env.debug,
                            max_body_size=_payload_size(max_payload_size))


def start_server(applications: Any, port: int = 0, host: str = "", debug: bool = False,
                 cdn: Any = True, static_dir: str | None = None, remote_access: bool = False,
                 reconnect_timeout: int = 0, allowed_origins: Any = None, check_origin: Any = None,
                 auto_open_webbrowser: bool = False, max_payload_size: Any = "200M", **uvicorn_settings: Any) -> None:
    """Serve apps and block until the server stops (Ctrl-C).

        def main():
            name = input("What's your name?")
            put_text("Hello", name)

        start_server(main, port=8080, debug=True)
        start_server({"index": home, "report": report})   # several apps: /?app=report

    As in PyWebIO, ``host=''`` listens on every interface and ``port=0`` picks a free port; a list of
    functions is named by their ``__name__``, and without an ``index`` app an index page lists them.
    ``max_payload_size`` ('200M') limits a request, uploads included. ``cdn``, ``static_dir``,
    ``reconnect_timeout``, ``allowed_origins``, ``check_origin`` and ``remote_access`` are accepted for
    compatibility and do nothing: htmio serves its files itself, keeps sessions across reconnects, and
    accepts posts only from its own pages. Other keyword arguments go to ``uvicorn.run``. Settings that
    are not arguments come from ``HTMIO_*`` environment variables, as with ``htmio serve``.
    """
    from htmio.server import create_app

    bind = host or "0.0.0.0"
    apps = collect_apps(applications)
    settings = _server_settings(os.environ, bind, port, debug, max_payload_size)
    api = create_app(applications, settings)
    _serve(api, ", ".join(apps), bind, settings.port, debug, auto_open_webbrowser, uvicorn_settings)


def path_deploy(base: str, port: int = 0, host: str = "", index: Any = True, static_dir: str | None = None,
                reconnect_timeout: int = 0, cdn: Any = True, debug: bool = False, allowed_origins: Any = None,
                check_origin: Any = None, max_payload_size: Any = "200M", **uvicorn_settings: Any) -> None:
    """Serve every app file under a directory at its path: ``base/tools/report.py`` at ``/tools/report``.

        path_deploy("apps/", port=8080)

    A file is an app when it defines ``main()``; files and folders whose names start with ``_`` or
    ``.`` are hidden. A folder shows an index of its apps (``index=False`` refuses it), or runs its
    ``index.py``. Nothing outside ``base`` can be reached. Add ``?reload`` to an app's address to load
    its file again after editing it.
    """
    from htmio.deploy import create_path_app

    bind = host or "0.0.0.0"
    settings = _server_settings(os.environ, bind, port, debug, max_payload_size)
    api = create_path_app(base, settings, index=index)
    _serve(api, str(base), bind, settings.port, debug, False, uvicorn_settings)


def config(fn: Any = None, *, title: str | None = None, description: str | None = None, theme: str | None = None,
           js_code: str | None = None, js_file: str | Sequence[str] = (), css_style: str | None = None,
           css_file: str | Sequence[str] = (), manifest: Any = True) -> Any:
    """Set the page's title, description, theme and extra CSS/JavaScript: for every app when called
    plainly, for one app as a decorator.

        config(title="Tools", theme="dark")            # every app of this process

        @config(title="Report", description="Monthly figures", css_style=".htmio-text {color: navy}")
        def report():
            ...

    ``theme`` is 'auto' (follows the browser's light or dark preference; the default), 'light'
    (PyWebIO's 'default') or 'dark'. ``js_file``/``css_file`` take a URL or a list of them.
    ``manifest`` is accepted and ignored. ``set_env(title=...)`` overrides the title per session.
    """
    made = PageConfig(
        title=title, description=description, theme=check_theme(theme), js_code=js_code,
        js_file=(js_file,) if isinstance(js_file, str) else tuple(js_file), css_style=css_style,
        css_file=(css_file,) if isinstance(css_file, str) else tuple(css_file), manifest=manifest,
    )
    if callable(fn):  # used as @config without arguments
        attach_config(fn, made)
        return fn
    previous = global_config()
    set_global_config(made.over(previous))  # a plain call; undone below if it turns out to be a decorator
    return _ConfigCall(made, previous)


class _ConfigCall:
    """What ``config(...)`` returns: the global config is already set; applying it to a function makes
    the config that function's own instead, and puts the global one back."""

    def __init__(self, made: PageConfig, previous: PageConfig) -> None:
        self._made = made
        self._previous = previous

    def __call__(self, target: F) -> F:
        if not callable(target):
            raise TypeError(f"config(...) decorates an app function, not {target!r}.")
        set_global_config(self._previous)
        attach_config(target, self._made)
        return target
