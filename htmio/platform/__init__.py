"""Ways to run htmio apps: ``start_server``, ``path_deploy``, ``config``; ``htmio.platform.fastapi``
has ``asgi_app`` and ``webio_routes`` for mounting inside another app. The modules PyWebIO programs
import their server from (``tornado``, ``tornado_http``, ``aiohttp``, ``flask``, ``django``) are here
too: their ``start_server`` runs htmio's server, and what would host htmio inside that framework says
what to do instead."""
from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import sys
import threading
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from htmio.apps import (
    PageConfig,
    attach_config,
    check_theme,
    collect_apps,
    set_global_config,
    stored_global_config,
)
from htmio.fields import parse_file_size
from htmio.settings import Settings

__all__ = ["start_server", "path_deploy", "path_deploy_http", "config", "seo", "run_event_loop", "enable_debug"]

F = TypeVar("F", bound=Callable[..., Any])
_debug = {"on": False}  # enable_debug() was called: the server logs at DEBUG too


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _stop_quietly(sig: int, frame: Any) -> None:
    """What a stop signal does once uvicorn has shut down gracefully: nothing more (the process ends with 0)."""


def run_uvicorn(api: Any, **options: Any) -> None:
    """``uvicorn.run(api, **options)``, stopped gracefully by SIGTERM or Ctrl-C: sessions close, their
    ``defer_call`` functions run, streams end with a last message, then this returns.

        run_uvicorn(create_app(main), host="127.0.0.1", port=8080)

    Once it has shut down, uvicorn raises the signal that stopped it again, with the handler that was
    there before. For SIGTERM that is the default, which kills the process (exit status -15) after all;
    unless the program set a SIGTERM handler of its own, it is replaced by one that does nothing while
    uvicorn runs, so the process exits with 0. (uvicorn.run already returns quietly after Ctrl-C.)"""
    import uvicorn

    replaced = threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    if replaced:  # signals are the main thread's alone
        signal.signal(signal.SIGTERM, _stop_quietly)
    try:
        uvicorn.run(api, **options)
    finally:
        if replaced:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _payload_size(max_payload_size: Any) -> int:
    return parse_file_size(max_payload_size, "max_payload_size")


def _serve(api: Any, what: str, host: str, port: int, debug: bool, auto_open_webbrowser: bool,
           uvicorn_settings: dict[str, Any], shard_path: str = "") -> None:
    from htmio.server import install_drain_signals

    if uvicorn_settings.pop("workers", 1) not in (1, None):
        raise ValueError("htmio runs in one process: a session is a live thread of the process that opened it. "
                         "To serve more users, run several processes as shards, start_server(main, port=8001, "
                         "shard='p1'), start_server(main, port=8002, shard='p2'), ..., behind the balancer "
                         "`htmio deploy nginx --shard p1=127.0.0.1:8001 ...` prints (see docs/deploy.md).")
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{shown}:{port}{shard_path}/"
    print(f"htmio: serving {what} at {url}", flush=True)
    if auto_open_webbrowser:
        import webbrowser

        webbrowser.open(url)
    uvicorn_settings.setdefault("log_level", "debug" if _debug["on"] else "info" if debug else "warning")
    uvicorn_settings.setdefault("timeout_graceful_shutdown", 5)
    install_drain_signals()  # SIGUSR1: take no new sessions (before a restart); SIGUSR2: take them again
    run_uvicorn(api, host=host, port=port, **uvicorn_settings)


def _server_settings(environ: Mapping[str, str], bind: str, port: int, debug: bool, max_payload_size: Any,
                     static_dir: str | os.PathLike[str] | None = None, shard: str | None = None) -> Settings:
    """The settings of ``start_server``/``path_deploy``: their arguments, and ``HTMIO_*`` variables for the rest
    (``HTMIO_DEBUG=1`` turns debug on too)."""
    from_env = Settings.from_environ(environ)
    return from_env.replace(host=bind, port=port or free_port(bind), debug=debug or from_env.debug,
                            max_body_size=_payload_size(max_payload_size),
                            static_dir=from_env.static_dir if static_dir is None else os.fspath(static_dir),
                            shard=from_env.shard if shard is None else shard)


def start_server(applications: Any, port: int = 0, host: str = "", debug: bool = False,
                 cdn: Any = True, static_dir: str | os.PathLike[str] | None = None, remote_access: bool = False,
                 reconnect_timeout: int = 0, allowed_origins: Any = None, check_origin: Any = None,
                 auto_open_webbrowser: bool = False, max_payload_size: Any = "200M", shard: str | None = None,
                 **uvicorn_settings: Any) -> None:
    """Serve apps and block until the server stops (Ctrl-C).

        def main():
            name = input("What's your name?")
            put_text("Hello", name)

        start_server(main, port=8080, debug=True)
        start_server({"index": home, "report": report})   # several apps: /?app=report

    As in PyWebIO, ``host=''`` listens on every interface and ``port=0`` picks a free port; a list of
    functions is named by their ``__name__``, and without an ``index`` app an index page lists them.
    ``max_payload_size`` ('200M') limits a request, uploads included. ``static_dir`` is a folder whose
    files are served at ``/static/`` (``put_image('/static/logo.png')``); a missing folder is an error
    at once. ``cdn``, ``reconnect_timeout``, ``allowed_origins``, ``check_origin`` and ``remote_access``
    are accepted for compatibility and do nothing: htmio serves its files itself, keeps sessions across
    reconnects, and accepts posts only from its own pages. Other keyword arguments go to ``uvicorn.run``. Settings that
    are not arguments come from ``HTMIO_*`` environment variables, as with ``htmio serve``.

    ``shard='p1'`` (or ``HTMIO_SHARD``) serves everything under ``/p1/``, as one of several processes
    behind a balancer (``htmio deploy nginx``; see docs/deploy.md)::

        start_server(main, port=8001, shard="p1")
    """
    from htmio.server import create_app

    bind = host or "0.0.0.0"
    apps = collect_apps(applications)
    settings = _server_settings(os.environ, bind, port, debug, max_payload_size, static_dir, shard)
    api = create_app(applications, settings)
    _serve(api, ", ".join(apps), bind, settings.port, debug, auto_open_webbrowser, uvicorn_settings,
           "/" + settings.shard if settings.shard else "")


def path_deploy(base: str, port: int = 0, host: str = "", index: Any = True,
                static_dir: str | os.PathLike[str] | None = None,
                reconnect_timeout: int = 0, cdn: Any = True, debug: bool = False, allowed_origins: Any = None,
                check_origin: Any = None, max_payload_size: Any = "200M", **uvicorn_settings: Any) -> None:
    """Serve every app file under a directory at its path: ``base/tools/report.py`` at ``/tools/report``.

        path_deploy("apps/", port=8080)

    A file is an app when it defines ``main()``; files and folders whose names start with ``_`` or
    ``.`` are hidden. A folder shows an index of its apps (``index=False`` refuses it), or runs its
    ``index.py``. Nothing outside ``base`` can be reached. Add ``?reload`` to an app's address to load
    its file again after editing it. ``static_dir`` is a folder whose files are served at ``/static/``
    (then no app may be named ``static``).
    """
    from htmio.deploy import create_path_app

    bind = host or "0.0.0.0"
    settings = _server_settings(os.environ, bind, port, debug, max_payload_size, static_dir)
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
    (PyWebIO's 'default'), 'dark', or one of PyWebIO's looks 'sketchy', 'minty', 'yeti' (each light
    or dark as the browser prefers); ``$HTMIO_THEME`` (or ``$PYWEBIO_THEME``) wins over it.
    ``js_file``/``css_file`` take a URL or a list of them. ``manifest`` is accepted and ignored.
    ``set_env(title=...)`` overrides the title per session. As a decorator it returns a new function
    carrying the config, so one function can be several apps, each with its own config.
    """
    made = PageConfig(
        title=title, description=description, theme=check_theme(theme), js_code=js_code,
        js_file=(js_file,) if isinstance(js_file, str) else tuple(js_file), css_style=css_style,
        css_file=(css_file,) if isinstance(css_file, str) else tuple(css_file), manifest=manifest,
    )
    if callable(fn):  # used as @config without arguments
        return attach_config(fn, made)
    previous = stored_global_config()
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
        return attach_config(target, self._made)  # type: ignore[return-value]  # a wrapper of the same kind


def seo(title: str, description: str | None = None, app: Any = None) -> Any:
    """Deprecated since PyWebIO 1.4: the page's title and description. Use ``config(title=..., description=...)``.

        seo("Report", "Monthly figures", report)   # = config(title="Report", description="Monthly figures")(report)
    """
    warnings.warn("htmio.platform.seo() is deprecated (as in PyWebIO since 1.4): use "
                  "config(title=..., description=...) instead.", DeprecationWarning, stacklevel=2)
    made = config(title=title, description=description)
    return made(app) if app is not None else made


def path_deploy_http(base: str, port: int = 0, host: str = "", index: Any = True,
                     static_dir: str | os.PathLike[str] | None = None,
                     cdn: Any = True, debug: bool = False, allowed_origins: Any = None, check_origin: Any = None,
                     session_expire_seconds: int | None = None, session_cleanup_interval: int | None = None,
                     max_payload_size: Any = "200M", **tornado_app_settings: Any) -> None:
    """``path_deploy`` under PyWebIO's name for its HTTP-polling variant: htmio has one transport
    (forms posted back, a Server-Sent Events stream) that works wherever plain HTTP does.

        path_deploy_http("apps/", port=8080)

    ``session_expire_seconds`` and ``session_cleanup_interval`` are accepted and do nothing: htmio
    ends a session when its page is gone (see 'Session life' in docs/api.md). Tornado's settings
    are accepted and dropped.
    """
    path_deploy(base, port=port, host=host, index=index, static_dir=static_dir, cdn=cdn, debug=debug,
                allowed_origins=allowed_origins, check_origin=check_origin, max_payload_size=max_payload_size)


_event_loops: list[asyncio.AbstractEventLoop] = []


def run_event_loop(debug: bool = False) -> None:
    """Run an asyncio event loop in the current thread until it is stopped, as PyWebIO's Flask and
    Django programs do in a thread beside the web server.

        threading.Thread(target=run_event_loop, daemon=True).start()

    htmio does not need it: an ``async def`` app runs on htmio's own server loop. It is here so such
    programs run unchanged; the loop it runs is idle.
    """
    loop = asyncio.new_event_loop()
    loop.set_debug(debug)
    asyncio.set_event_loop(loop)
    _event_loops.append(loop)
    try:
        loop.run_forever()
    finally:
        _event_loops.remove(loop)
        loop.close()


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is when a record comes (pytest and IDEs swap it)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _: Any) -> None:
        pass


_DEBUG_LOGGERS = ("htmio", "uvicorn", "uvicorn.error", "uvicorn.access", "sse_starlette")


def enable_debug(level: int | None = None) -> None:
    """Send htmio's logs and the server's (uvicorn's) to stderr, at ``level`` (DEBUG by default).

        import htmio
        htmio.enable_debug()
        htmio.start_server(main, port=8080)
    """
    level = logging.DEBUG if level is None else level
    _debug["on"] = True
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in _DEBUG_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(level)
        if name in ("htmio", "uvicorn") and not any(isinstance(h, _StderrHandler) for h in logger.handlers):
            handler = _StderrHandler()
            handler.setFormatter(formatter)
            logger.addHandler(handler)


# bokeh.io.output_notebook(notebook_type="pywebio" or "htmio") needs a display hook, as PyWebIO registers
# on import; it is registered when bokeh.io loads, so importing htmio never imports bokeh
from htmio.platform.bokeh import install_when_bokeh_loads as _install_bokeh_hook  # noqa: E402

_install_bokeh_hook()


def _cannot_host(call: str, framework: str) -> NotImplementedError:
    """The error of a PyWebIO function that would host htmio inside another framework (a Tornado
    handler, a Flask or Django view, an aiohttp handler): htmio is an ASGI app and says what to do."""
    return NotImplementedError(
        f"{call}: htmio cannot run inside {framework}: it is an ASGI app (FastAPI, Server-Sent Events), not a "
        f"{framework} handler. Either run htmio as its own server, htmio.start_server(apps, port=8081), beside "
        f"your {framework} app behind the same reverse proxy (e.g. nginx: location /tool/ "
        "{ proxy_pass http://127.0.0.1:8081/; }), or serve your site with an ASGI server and mount "
        "htmio.platform.fastapi.asgi_app(apps) under a prefix (see 'htmio.platform' in docs/api.md)."
    )


def _start_server_for(framework: str, applications: Any, *, port: int, host: str, debug: bool,
                      auto_open_webbrowser: bool, max_payload_size: Any,
                      static_dir: str | os.PathLike[str] | None) -> None:
    """``start_server`` of a PyWebIO backend module: htmio's own server with the arguments that mean
    something to it; the framework's own settings are dropped (logged, as they do nothing here)."""
    logging.getLogger("htmio").info("htmio: %s's start_server runs htmio's own server (uvicorn)", framework)
    start_server(applications, port=port, host=host, debug=debug, auto_open_webbrowser=auto_open_webbrowser,
                 max_payload_size=max_payload_size, static_dir=static_dir)
