"""``htmio serve app.py``: run the ``main()`` of a file in the browser."""
from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from htmio.settings import Settings, settings_help

_APP_ENV = "HTMIO_APP_FILE"


class AppLoadError(Exception):
    """The file given to ``htmio serve`` cannot be used as an app."""


def load_app(path: str | Path) -> Callable[[], Any]:
    """Import a Python file and return its ``main`` function.

        main = load_app("examples/hello.py")
    """
    file = Path(path)
    if not file.is_file():
        raise AppLoadError(f"{str(path)!r} is not a file. Give the path of a Python file that defines main().")
    name = f"htmio_app_{file.stem}"
    spec = importlib.util.spec_from_file_location(name, file)
    if spec is None or spec.loader is None:
        raise AppLoadError(f"{str(path)!r} cannot be imported as Python. Give a .py file that defines main().")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    sys.path.insert(0, str(file.parent.resolve()))
    spec.loader.exec_module(module)
    main = getattr(module, "main", None)
    if main is None:
        raise AppLoadError(
            f"{str(path)!r} defines no main() function. htmio serve runs the function named main, like:\n\n"
            "    def main():\n        name = input(\"What's your name?\")\n        put_text(\"hello\", name)\n"
        )
    if not callable(main):
        raise AppLoadError(f"{str(path)!r}: main is {type(main).__name__}, not a function. Define def main(): ...")
    return main  # type: ignore[no-any-return]


def reload_factory() -> Any:
    """App factory for ``--reload``: uvicorn imports it anew in each reloaded worker."""
    from htmio.server import create_app

    return create_app(load_app(os.environ[_APP_ENV]), Settings.from_environ(os.environ))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``htmio`` command."""
    parser = argparse.ArgumentParser(
        prog="htmio", description="Run console-style Python apps in the browser.",
        epilog="Settings: " + "; ".join(f"{var} ({help}, default {default!r})" for var, help, default in settings_help()),
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the main() of a Python file")
    serve.add_argument("app", help="a Python file that defines main()")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; 0.0.0.0 for all)")
    serve.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 picks a free one)")
    serve.add_argument("--reload", action="store_true", help="restart when the app's files change")
    serve.add_argument("--debug", action="store_true", help="show tracebacks of app errors on the page")
    args = parser.parse_args(argv)

    import uvicorn

    from htmio.platform import free_port
    from htmio.server import create_app

    port = args.port or free_port(args.host)
    try:
        app_main = load_app(args.app)
    except AppLoadError as exc:
        print(f"htmio: {exc}", file=sys.stderr)
        return 2
    print(f"htmio: serving {args.app} at http://{args.host}:{port}/", flush=True)
    log_level = "info" if args.debug else "warning"
    if args.reload:
        os.environ[_APP_ENV] = str(Path(args.app).resolve())
        os.environ["HTMIO_DEBUG"] = "1" if args.debug else os.environ.get("HTMIO_DEBUG", "0")
        uvicorn.run("htmio.cli:reload_factory", factory=True, host=args.host, port=port, reload=True,
                    reload_dirs=[str(Path(args.app).resolve().parent)], log_level=log_level,
                    timeout_graceful_shutdown=5)
        return 0
    settings = Settings.from_environ(os.environ, host=args.host, port=port, debug=args.debug)
    uvicorn.run(create_app(app_main, settings), host=args.host, port=port, log_level=log_level,
                timeout_graceful_shutdown=5)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
