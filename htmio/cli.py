"""``htmio serve app.py``: run the ``main()`` of a file in the browser."""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from htmio import urls
from htmio.apps import THEMES
from htmio.balancer import nginx_config, parse_shards
from htmio.deploy import AppLoadError, load_app
from htmio.settings import Settings, settings_help
from htmio.shards import check_shard

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
    serve.add_argument("--static-dir", metavar="DIR",
                       help="serve the files of DIR at /static/ (PyWebIO's static_dir; default $HTMIO_STATIC_DIR)")
    serve.add_argument("--theme", choices=[*THEMES, "default"],
                       help="the theme of every page, over config(theme=...) (default $HTMIO_THEME, then $PYWEBIO_THEME)")
    serve.add_argument("--shard", metavar="NAME",
                       help="serve under /NAME/ as one of several processes behind a balancer "
                            "(see `htmio deploy nginx` and docs/deploy.md; default $HTMIO_SHARD)")
    serve.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    deploy = commands.add_parser("deploy", help="print a balancer's configuration for several htmio processes")
    deploy.add_argument("balancer", choices=["nginx"], help="the balancer (HAProxy: see docs/deploy.md)")
    deploy.add_argument("--shard", action="append", default=[], metavar="NAME=HOST:PORT", required=True,
                        help="one htmio process, started with `htmio serve app.py --shard NAME --port PORT`; "
                             "repeat for each")
    deploy.add_argument("--listen", default="80", help="nginx's listen (default 80; e.g. 127.0.0.1:8080)")
    deploy.add_argument("--server-name", default="_", help="nginx's server_name (default _, any)")
    deploy.add_argument("--max-body-size", type=int, metavar="BYTES",
                        help="the processes' HTMIO_MAX_BODY_SIZE (default: $HTMIO_MAX_BODY_SIZE, else 200 MiB)")
    args = parser.parse_args(argv)
    if args.command == "deploy":
        return _deploy(args, argv)

    from htmio.platform import free_port, run_uvicorn
    from htmio.server import create_app
    from htmio.server import install_drain_signals

    if args.workers != 1:
        print(f"htmio: --workers is not supported: a session is a live thread of the process that opened it. "
              f"Run {args.workers} processes as shards instead, each with its own prefix and port "
              f"(htmio serve {args.app} --shard p1 --port 8001, then --shard p2 --port 8002, ...), behind the "
              "balancer `htmio deploy nginx --shard p1=127.0.0.1:8001 --shard p2=127.0.0.1:8002 ...` prints; "
              "see docs/deploy.md.", file=sys.stderr)
        return 2
    port = args.port or free_port(args.host)
    options: dict[str, object] = {"host": args.host, "port": port, "debug": args.debug}
    if args.shard is not None:
        try:
            options["shard"] = check_shard(args.shard, "--shard")
        except ValueError as exc:
            print(f"htmio: {exc}", file=sys.stderr)
            return 2
    if args.static_dir is not None:  # absolute: a --reload worker reads it again from the environment
        options["static_dir"] = str(Path(args.static_dir).expanduser().absolute())
    if args.theme is not None:
        options["theme"] = args.theme
    try:
        settings = Settings.from_environ(os.environ, **options)
    except ValueError as exc:
        print(f"htmio: {exc}", file=sys.stderr)
        return 2
    log_level = "info" if args.debug else "warning"
    is_folder = Path(args.app).is_dir()
    try:
        app_main = None if is_folder else load_app(args.app)
    except AppLoadError as exc:
        print(f"htmio: {exc}", file=sys.stderr)
        return 2
    try:  # built now, also before --reload, so a missing static folder or a bad theme stops here, said once
        if is_folder:
            from htmio.deploy import create_path_app

            api: Any = create_path_app(args.app, settings)
        else:
            api = create_app(app_main, settings)
    except ValueError as exc:
        print(f"htmio: {exc}", file=sys.stderr)
        return 2
    what = f"the apps under {args.app}" if is_folder else args.app
    where = urls.shard_root("", settings.shard) + "/"
    print(f"htmio: serving {what} at http://{args.host}:{port}{where}", flush=True)
    install_drain_signals()  # SIGUSR1: take no new sessions (before a restart); SIGUSR2: take them again
    if args.reload:
        target = Path(args.app).resolve()
        os.environ[_APP_ENV] = str(target)
        os.environ["HTMIO_DEBUG"] = "1" if args.debug else os.environ.get("HTMIO_DEBUG", "0")
        for name in ("static_dir", "theme", "shard"):  # the worker builds its settings from the environment
            if name in options:
                os.environ[f"HTMIO_{name.upper()}"] = str(options[name])
        run_uvicorn("htmio.cli:reload_factory", factory=True, host=args.host, port=port, reload=True,
                    reload_dirs=[str(target if is_folder else target.parent)], log_level=log_level,
                    timeout_graceful_shutdown=5)
        return 0
    run_uvicorn(api, host=args.host, port=port, log_level=log_level, timeout_graceful_shutdown=5)
    return 0


def _deploy(args: argparse.Namespace, argv: Sequence[str] | None) -> int:
    """``htmio deploy nginx --shard p1=127.0.0.1:8001 ...``: print the balancer's configuration."""
    try:
        shards = parse_shards(args.shard)
        size = args.max_body_size or Settings.from_environ(os.environ).max_body_size
    except ValueError as exc:
        print(f"htmio deploy: {exc}", file=sys.stderr)
        return 2
    command = "htmio " + " ".join(sys.argv[1:] if argv is None else argv)
    print(nginx_config(shards, listen=args.listen, server_name=args.server_name, max_body_size=size,
                       command=command), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
