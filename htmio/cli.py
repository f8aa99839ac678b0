"""``htmio serve app.py``: run the ``main()`` of a file in the browser."""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from htmio.deploy import AppLoadError, load_app
from htmio.settings import Settings, settings_help

_APP_ENV = "HTMIO_APP_FILE"


def reload_factory() -> Any:
    """App factory for ``--reload``: uvicorn imports it anew in each reloaded worker."""
    from htmio.deploy import create_path_app
    from htmio.server import create_app

    target = Path(os.environ[_APP_ENV])
    if target.is_dir():
        return create_path_app(target, Settings.from_environ(os.environ))
    return create_app(load_app(target), Settings.from_environ(os.environ))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``htmio`` command."""
    parser = argparse.ArgumentParser(
        prog="htmio", description="Run console-style Python apps in the browser.",
        epilog="Settings: " + "; ".join(f"{var} ({help}, default {default!r})" for var, help, default in settings_help()),
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the main() of a Python file")
    serve.add_argument("app", help="a Python file that defines main(), or a folder of them (each at its path)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; 0.0.0.0 for all)")
    serve.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 picks a free one)")
    serve.add_argument("--reload", action="store_true", help="restart when the app's files change")
    serve.add_argument("--debug", action="store_true", help="show tracebacks of app errors on the page")
    serve.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    import uvicorn

    from htmio.platform import free_port
    from htmio.server import create_app

    if args.workers != 1:
        print("htmio: --workers is not supported: a session is a live thread of the process that opened it. "
              "Run several `htmio serve` processes behind a load balancer that sends each session to its "
              "process (see DESIGN.md, 'Beyond one machine').", file=sys.stderr)
        return 2
    port = args.port or free_port(args.host)
    settings = Settings.from_environ(os.environ, host=args.host, port=port, debug=args.debug)
    log_level = "info" if args.debug else "warning"
    if Path(args.app).is_dir():
        from htmio.deploy import create_path_app

        print(f"htmio: serving the apps under {args.app} at http://{args.host}:{port}/", flush=True)
        if args.reload:
            os.environ[_APP_ENV] = str(Path(args.app).resolve())
            uvicorn.run("htmio.cli:reload_factory", factory=True, host=args.host, port=port, reload=True,
                        reload_dirs=[str(Path(args.app).resolve())], log_level=log_level,
                        timeout_graceful_shutdown=5)
            return 0
        uvicorn.run(create_path_app(args.app, settings), host=args.host, port=port, log_level=log_level,
                    timeout_graceful_shutdown=5)
        return 0
    try:
        app_main = load_app(args.app)
    except AppLoadError as exc:
        print(f"htmio: {exc}", file=sys.stderr)
        return 2
    print(f"htmio: serving {args.app} at http://{args.host}:{port}/", flush=True)
    if args.reload:
        os.environ[_APP_ENV] = str(Path(args.app).resolve())
        os.environ["HTMIO_DEBUG"] = "1" if args.debug else os.environ.get("HTMIO_DEBUG", "0")
        uvicorn.run("htmio.cli:reload_factory", factory=True, host=args.host, port=port, reload=True,
                    reload_dirs=[str(Path(args.app).resolve().parent)], log_level=log_level,
                    timeout_graceful_shutdown=5)
        return 0
    uvicorn.run(create_app(app_main, settings), host=args.host, port=port, log_level=log_level,
                timeout_graceful_shutdown=5)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
