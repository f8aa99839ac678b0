"""BokehJS as the installed bokeh package ships it: where its files are and the static path htmio serves
them under (``bokeh-<version>/static/...``, beside htmio's own files), so plots need no CDN.
Nothing here imports bokeh: the server asks on every static request that names it."""
from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
from pathlib import Path

__all__ = ["bokehjs_url_dir", "bokehjs_root"]


@functools.cache
def _installed() -> tuple[str, Path] | None:
    """The installed bokeh's version and its ``server/static`` folder, or None without bokeh."""
    try:
        spec = importlib.util.find_spec("bokeh")
        version = importlib.metadata.version("bokeh")
    except (ImportError, ValueError, importlib.metadata.PackageNotFoundError):
        return None
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "server" / "static"
    return (version, folder) if folder.is_dir() else None


def bokehjs_url_dir() -> str | None:
    """The folder, relative to htmio's static URL, that holds BokehJS: ``"bokeh-3.9.2/"`` (bokeh's
    ``Resources(mode="server", root_url=...)`` adds ``static/js/bokeh.min.js``); None without bokeh."""
    found = _installed()
    return f"bokeh-{found[0]}/" if found else None


def bokehjs_root(path: str) -> tuple[Path, str] | None:
    """For a static path under ``bokehjs_url_dir() + "static/"``: bokeh's static folder and the path
    inside it; None for any other path (a different bokeh version included)."""
    found, prefix = _installed(), bokehjs_url_dir()
    if found is None or prefix is None or not path.startswith(prefix + "static/"):
        return None
    return found[1], path[len(prefix + "static/"):]
