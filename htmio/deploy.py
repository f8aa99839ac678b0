"""Serving app files: loading a file's ``main``, and ``path_deploy``: every app file under a directory
at its own path, with an index, and nothing outside the directory reachable."""
from __future__ import annotations

import ast
import importlib.util
import runpy
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from starlette.responses import HTMLResponse
from starlette.types import Receive, Scope, Send

from htmio import urls
from htmio.apps import collect_apps
from htmio.render import render_template
from htmio.settings import Settings
from htmio.staticdir import STATIC_DIR_PREFIX, static_folder

_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")  # no '.', '..', hidden '_x' or '.x' parts


class AppLoadError(Exception):
    """The file given to ``htmio serve`` cannot be used as an app."""


def load_app(path: str | Path) -> Any:
    """Import a Python file and return its ``main``: a function, or a dict (or list) of app functions as
    ``start_server`` takes them; for a script that calls htmio at module level (and has no main), a
    function that runs the whole file once per session.

        main = load_app("examples/hello.py")
    """
    file = Path(path)
    if not file.is_file():
        raise AppLoadError(f"{str(path)!r} is not a file. Give the path of a Python file that defines main().")
    try:
        tree = ast.parse(file.read_text(encoding="utf-8"), str(file))
    except (SyntaxError, UnicodeDecodeError) as exc:
        raise AppLoadError(f"{str(path)!r} is not valid Python: {exc}") from None
    if not _defines_main(tree) and _runs_at_module_level(tree):
        def run_script() -> None:
            # not '__main__': runpy would swap sys.modules['__main__'] under every other session's thread
            runpy.run_path(str(file), run_name="__htmio_script__")

        run_script.__name__ = file.stem
        run_script.__doc__ = ast.get_docstring(tree)
        return run_script
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
    if isinstance(main, (Mapping, list, tuple)):  # several apps, as start_server({...}) takes them
        try:
            collect_apps(main, caller=f"{file.name}: main")
        except (TypeError, ValueError) as exc:
            raise AppLoadError(str(exc)) from None
        return main
    if not callable(main):
        raise AppLoadError(f"{str(path)!r}: main is {type(main).__name__}, not a function. Define def main(): ..., "
                           "or main = {'name': function, ...} for several apps.")
    return main


def _defines_main(tree: ast.Module) -> bool:
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "main":
            return True
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "main" for t in node.targets):
            return True
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "main":
            return True
    return False


def _runs_at_module_level(tree: ast.Module) -> bool:
    """True when the file does work when run (calls, loops...), beyond imports and definitions."""
    quiet = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    for node in tree.body:
        if isinstance(node, quiet):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # a docstring
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and not any(isinstance(n, ast.Call) for n in ast.walk(node)):
            continue
        return True
    return False


def _is_app_file(path: Path) -> bool:
    """A Python file that defines ``main`` at module level (read as text: nothing is run to list it)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return bool(re.search(r"^(async\s+)?def\s+main\s*\(|^main\s*=", text, re.M))


class PathDeploy:
    """The ASGI app of ``path_deploy``: ``/a/b`` runs ``base/a/b.py``; a folder shows its apps."""

    def __init__(self, base: str | Path, settings: Settings, index: Any = True) -> None:
        self.base = Path(base).resolve()
        if not self.base.is_dir():
            raise ValueError(f"path_deploy({str(base)!r}): not a directory. Give the folder that holds the app files.")
        # the static folder is served here, at the root: not again under each app's own path; the shard's
        # prefix too (create_path_app puts it around the whole folder)
        self.shard = settings.shard
        self.settings = settings.replace(static_dir="", shard="")
        self.operations: Any = None
        self.index = index
        self.apps: dict[Path, Any] = {}
        self.static = static_folder(settings.static_dir)
        hidden = [] if self.static is None else [
            f for f in (self.base / "static.py", *sorted((self.base / "static").rglob("*.py")))
            if f.is_file() and _is_app_file(f)]
        if hidden:
            raise ValueError(f"path_deploy({str(base)!r}): the static_dir files are served at /static/, where they "
                             f"would hide the app {str(hidden[0].relative_to(self.base))!r}. Rename that app "
                             "(or its folder), or leave out static_dir.")

    def _resolve(self, segments: list[str]) -> tuple[Path | None, int]:
        """The app file for the longest prefix of ``segments`` that names one, and that prefix's length."""
        for count in range(len(segments), 0, -1):
            candidate = self.base.joinpath(*segments[:count])
            file = candidate.with_name(candidate.name + ".py")
            if file.is_file() and _is_app_file(file) and file.resolve().is_relative_to(self.base):
                return file.resolve(), count
            index = candidate / "index.py"
            if candidate.is_dir() and index.is_file():  # the folder's own app, and its session pages below it
                return index.resolve(), count
        root_index = self.base / "index.py"
        if root_index.is_file():
            return root_index.resolve(), 0
        return None, 0

    def _app(self, file: Path, reload: bool) -> Any:
        from htmio.server import create_app

        if reload or file not in self.apps:
            self.apps[file] = create_app(load_app(file), self.settings)
        return self.apps[file]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        root = str(scope.get("root_path", "")).rstrip("/")
        path = str(scope["path"])
        segments = [s for s in (path[len(root):] if path.startswith(root) else path).split("/") if s]
        if segments[:2] == urls.STATIC.strip("/").split("/"):
            from htmio.server.static import static_response

            await static_response("/".join(segments[2:]), scope)(scope, receive, send)
            return
        inner_path = "/" + "/".join(segments)
        if inner_path == urls.HEALTH or inner_path.startswith(urls.GONE_PREFIX + "/"):
            await self._operations(scope, receive, send, inner_path)
            return
        if segments[:1] == [STATIC_DIR_PREFIX.strip("/")] and self.static is not None:
            await self.static({**scope, "root_path": root + STATIC_DIR_PREFIX}, receive, send)
            return
        # an app is found only through names without '..', hidden '_x' or '.x' parts or odd characters;
        # what follows the app's own path (its /s/<id>, /_htmio/static) is the app's to answer
        valid = next((i for i, s in enumerate(segments) if not _SEGMENT.fullmatch(s)), len(segments))
        file, count = self._resolve(segments[:valid])
        if file is not None:
            query = scope.get("query_string", b"").decode("latin-1")
            try:
                app = self._app(file, reload="reload" in query.split("&"))
            except Exception as exc:  # the file failed to import: say so, keep serving the others
                await self._page(scope, receive, send, 500, "This app could not be loaded", f"{file.name}: {exc}")
                return
            prefix = root + "".join("/" + s for s in segments[:count])
            # the folder the app file is in: go_app(name) opens the app file `name` beside it
            beside = root + "".join("/" + part for part in file.parent.relative_to(self.base).parts)
            inner = {**scope, "root_path": prefix, "htmio.app_folder": beside}
            if path.rstrip("/") == prefix:
                inner["path"] = prefix + "/"  # '/tools/report' is the app's own root, like '/tools/report/'
            await app(inner, receive, send)
            return
        folder = self.base.joinpath(*segments)
        if valid == len(segments) and folder.is_dir() and folder.resolve().is_relative_to(self.base):
            await self._listing(scope, receive, send, folder, root, segments)
            return
        await self._page(scope, receive, send, 404, "There is nothing here",
                         "That address does not name an app of this server.")

    async def _operations(self, scope: Scope, receive: Receive, send: Send, inner_path: str) -> None:
        """Health (every app's sessions together) and the balancer's fallback, from an htmio app of no
        session of its own, which is drained with the others."""
        from htmio.server import create_app, health_response

        if self.operations is None:
            self.operations = create_app(_no_app, self.settings)
        state = self.operations.state.htmio
        if inner_path == urls.HEALTH:
            states = [app.state.htmio for app in self.apps.values()]
            proxied = any(name.lower() == b"x-forwarded-for" for name, _ in scope.get("headers", []))
            await health_response(states, self.shard, state.draining, proxied)(scope, receive, send)
            return
        await self.operations(scope, receive, send)

    async def _listing(self, scope: Scope, receive: Receive, send: Send, folder: Path, root: str,
                       segments: list[str]) -> None:
        if self.index is False:
            await self._page(scope, receive, send, 403, "No index here", "This server does not list its apps.")
            return
        here = root + "".join("/" + s for s in segments)
        if callable(self.index):
            html = str(self.index(str(folder)))
        else:
            entries = []
            for item in sorted(folder.iterdir()):
                if item.name.startswith(("_", ".")):
                    continue
                if item.is_dir():
                    entries.append((item.name + "/", f"{here}/{item.name}/"))
                elif item.suffix == ".py" and item.name != "index.py" and _is_app_file(item):
                    entries.append((item.stem, f"{here}/{item.stem}"))
            html = render_template("directory.html", title="/" + "/".join(segments), entries=entries,
                                   static=urls.static_base(root))
        await HTMLResponse(html)(scope, receive, send)

    async def _page(self, scope: Scope, receive: Receive, send: Send, status: int, heading: str, message: str) -> None:
        root = str(scope.get("root_path", "")).rstrip("/")
        html = render_template("gone.html", heading=heading, message=message, static=urls.static_base(root),
                               home=root + "/")
        await HTMLResponse(html, status_code=status)(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                for app in self.apps.values():
                    app.state.htmio.close_all("server stopped")
                await send({"type": "lifespan.shutdown.complete"})
                return


def create_path_app(base: str | Path, settings: Settings, index: Any = True) -> Any:
    """The ASGI app of ``path_deploy``; with ``settings.shard``, all of it under ``/<shard>/``.

        app = create_path_app("apps/", Settings())
        app = create_path_app("apps/", Settings(shard="p1"))   # /p1/tools/report, ...
    """
    from htmio.server import ShardPrefix

    deployed = PathDeploy(base, settings, index)
    return ShardPrefix(deployed, settings.shard) if settings.shard else deployed


def _no_app() -> None:
    """The app of the operations app below: never started, it only answers the balancer's fallback."""

