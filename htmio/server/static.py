"""Files the server hands out: htmio's static files (the script bundle, BokehJS), and a session's media and downloads."""
from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from htmio.bokehjs import bokehjs_root
from htmio.served import Downloads, MediaFiles
from htmio.server.access import error, lookup
from htmio.server.state import Handlers


@dataclass(frozen=True)
class _StaticFile:
    raw: bytes
    gz: bytes
    media_type: str
    etag: str


# the page's three scripts, in their order, as one file: one request instead of three on a first load
_BUNDLE_PARTS = ("htmx/htmx-4.0.1.min.js", "htmx/hx-sse-4.0.1.min.js", "htmio.js")
_BUNDLE_PREFIX = "htmio-bundle-"


class _Static:  # one cache for every htmio app of the process
    """htmio's static files, read once and kept gzip-compressed (compressing per request costs ~10 ms)."""

    def __init__(self) -> None:
        self.root = Path(str(resources.files("htmio") / "static")).resolve()
        self.cache: dict[str, _StaticFile] = {}
        self._bundle = ""

    def bundle_name(self) -> str:
        """The file name of the script bundle; it holds a hash of its content, so it can be cached for good."""
        if not self._bundle:
            raw = b"\n;\n".join((self.root / part).read_bytes() for part in _BUNDLE_PARTS)
            name = f"{_BUNDLE_PREFIX}{hashlib.sha256(raw).hexdigest()[:12]}.js"
            self.cache[name] = self._item(raw, "application/javascript; charset=utf-8")
            self._bundle = name
        return self._bundle

    @staticmethod
    def _item(raw: bytes, media: str) -> _StaticFile:
        return _StaticFile(raw, gzip.compress(raw, 9, mtime=0), media, '"' + hashlib.sha256(raw).hexdigest()[:16] + '"')

    def get(self, path: str) -> _StaticFile | None:
        """The file at ``path`` under htmio's static folder (or BokehJS's), or None."""
        if path.startswith(_BUNDLE_PREFIX):
            self.bundle_name()
        cached = self.cache.get(path)
        if cached is not None:
            return cached
        if not _plausible(path):
            return None
        root, inside = bokehjs_root(path) or (self.root, path)  # BokehJS comes from the bokeh package
        try:
            target = (root / inside).resolve()
            if not target.is_relative_to(root) or not target.is_file():
                return None
        except (OSError, ValueError):  # a name the file system refuses: there is no such file
            return None
        raw = target.read_bytes()
        media = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if media.startswith("text/") or media == "application/javascript":
            media += "; charset=utf-8"
        item = self._item(raw, media)
        self.cache[path] = item
        return item


STATIC = _Static()


def _plausible(path: str) -> bool:
    """Could ``path`` name a file at all? No NUL byte, no part longer than a file name may be (255)."""
    return "\x00" not in path and len(path) <= 1024 and all(len(part) <= 255 for part in path.split("/"))


def static_response(path: str, scope: Any) -> Response:
    """One of htmio's static files, gzipped when the browser takes it; versioned files are immutable."""
    headers_in = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
    item = STATIC.get(path)
    if item is None:
        return Response(f"No static file {path!r} in htmio.", status_code=404, media_type="text/plain")
    versioned = path.startswith(("htmx/", "jquery/", "codemirror-", "bokeh-", _BUNDLE_PREFIX))
    headers = {
        "ETag": item.etag,
        "Cache-Control": "public, max-age=31536000, immutable" if versioned else "no-cache",
        "Vary": "Accept-Encoding",
    }
    if headers_in.get("if-none-match") == item.etag:
        return Response(status_code=304, headers=headers)
    if "gzip" in headers_in.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(item.gz, media_type=item.media_type, headers=headers)
    return Response(item.raw, media_type=item.media_type, headers=headers)


def _attachment(name: str) -> str:
    """A Content-Disposition that keeps non-ASCII file names (RFC 6266 / 5987)."""
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "'").replace("\\", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


class Files(Handlers):
    """The routes that hand out files: htmio's own, and those a session's outputs hold."""

    async def static_file(self, request: Request, path: str) -> Response:
        """``GET /_htmio/static/<path>``."""
        if path not in STATIC.cache:  # read and gzipped once, in a worker thread: BokehJS is megabytes
            await run_in_threadpool(STATIC.get, path)
        return static_response(path, request.scope)

    async def download(self, request: Request, sid: str, number: int) -> Response:
        """A file the app offered with ``download()``."""
        found = lookup(request, self.state, sid)
        if isinstance(found, Response):
            return found
        files = found.part(Downloads)
        if number not in files:
            return error(request, 404, "This download is gone", "Its session no longer offers it.")
        name, content = files[number]
        return Response(content, media_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
                        headers={"Content-Disposition": _attachment(name), "Cache-Control": "no-store"})

    async def media(self, request: Request, sid: str, number: int) -> Response:
        """An image or file an output shows (``put_image`` of bytes, ``put_file``)."""
        found = lookup(request, self.state, sid)
        if isinstance(found, Response):
            return found
        item = found.part(MediaFiles).get(number)
        if item is None:
            return error(request, 404, "This image is gone", "Its output was removed or its session ended.")
        headers = {"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"}
        if item.filename is not None:
            headers["Content-Disposition"] = _attachment(item.filename)
        elif item.media_type == "image/svg+xml":
            headers["Content-Security-Policy"] = "script-src 'none'"  # an SVG opened on its own runs no script
        return Response(item.content, media_type=item.media_type, headers=headers)
