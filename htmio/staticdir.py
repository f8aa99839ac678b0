"""The app's own files at ``/static/`` (PyWebIO's ``static_dir``), with nothing outside their folder reachable."""
from __future__ import annotations

import os
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from htmio import urls

# where the files are, under the server's root (and any mount prefix): PyWebIO's address, so
# put_image('/static/logo.png') and config(css_file='/static/app.css') work unchanged; htmio's own
# files are under /_htmio/static/, so the two never meet
STATIC_DIR_PREFIX = urls.USER_STATIC


class StaticFolder:
    """An ASGI app answering ``GET <prefix>/<path>`` with the file ``<folder>/<path>``: its bytes, its
    content type, a 404 for anything missing or outside the folder (``..``, absolute paths, symlinks
    out, NUL bytes).

        files = StaticFolder("assets")      # a missing folder raises ValueError here, at start-up
    """

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        given = Path(folder).expanduser()
        if not given.is_dir():
            what = "is not a folder" if given.exists() else "does not exist"
            if str(given.resolve()) != os.fspath(folder):
                what += f" (looked for {given.resolve()})"
            raise ValueError(
                f"static_dir={os.fspath(folder)!r} {what}. Give the folder whose "
                "files are served at /static/ (start_server(static_dir=...), htmio serve --static-dir or "
                "HTMIO_STATIC_DIR); a relative path is read from the current directory."
            )
        self.folder = given.resolve()
        # follow_symlink=False: a path is resolved before the check, so a symlink pointing out is refused
        self._files = StaticFiles(directory=self.folder, follow_symlink=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # the scope's root_path ends in /static: the files' path is what follows it
        try:
            response = await self._files.get_response(self._files.get_path(scope), scope)
        except HTTPException as exc:  # answered here, so it also works outside a FastAPI app (path_deploy)
            text = "No such file in the static folder." if exc.status_code == 404 else str(exc.detail)
            response = Response(text, status_code=exc.status_code, media_type="text/plain", headers=exc.headers)
        except (OSError, ValueError):  # a name the file system refuses (a NUL byte, a part too long): no such file
            response = Response("No such file in the static folder.", status_code=404, media_type="text/plain")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        await response(scope, receive, send)


def static_folder(folder: str) -> StaticFolder | None:
    """The ``StaticFolder`` of a ``static_dir`` setting, or None when it is empty (no static folder)."""
    return StaticFolder(folder) if folder else None
