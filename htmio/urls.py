"""Every address htmio serves, spelled once: the route patterns the server mounts and the URLs pages carry.

A session's URLs hang off its *base* (``<root>/s/<sid>``, where ``root`` is the mount prefix, ``""`` at the
server's root); htmio's own files hang off ``<root>/_htmio/static``. The patterns (``CLICK``...) are what the
router mounts; the builders (``click(base, n)``...) fill the same spelling in, so the two never drift.

    base = session_base("/tools", "abc")        # "/tools/s/abc"
    click(base, 3)                              # "/tools/s/abc/click/3"
"""
from __future__ import annotations

from typing import Any

__all__ = [
    "HOME", "STATIC", "USER_STATIC", "SESSIONS", "PAGE", "EVENTS", "FORM", "CLICK", "PRESENCE", "PIN", "JS",
    "DOWNLOAD", "MEDIA", "VIEW", "STATIC_FILE", "MOUNTED", "HEALTH", "GONE", "GONE_PREFIX",
    "session_base", "static_base", "home", "app_home", "events", "form", "click", "presence", "pin", "js",
    "download", "media", "view", "browser_paths", "shard_root", "health", "gone",
]

# ---- the parts (each spelled here and nowhere else) -------------------------------------------------

HOME = "/"
STATIC = "/_htmio/static"  # htmio's own files: its CSS, scripts, themes, vendored htmx and jQuery, BokehJS
USER_STATIC = "/static"  # the app's own files (PyWebIO's static_dir)
SESSIONS = "/s"
HEALTH = "/_htmio/health"  # is this process up, draining, how many sessions (opens none)
GONE_PREFIX = "/_htmio/gone"  # a balancer's fallback asks here when a request's shard is gone

_SESSION = SESSIONS + "/{sid}"
_EVENTS = "/events"
_FORM = "/form/{form_id}"
_CLICK = "/click/{callback_id}"
_PRESENCE = "/presence"
_PIN = "/pin/{name}"
_JS = "/js/{number}"
_DOWNLOAD = "/download/{number}"
_MEDIA = "/media/{number}"
_VIEW = "/view/{number}"

# ---- the patterns the router mounts ------------------------------------------------------------------

PAGE = _SESSION
EVENTS = _SESSION + _EVENTS
FORM = _SESSION + _FORM
CLICK = _SESSION + _CLICK
PRESENCE = _SESSION + _PRESENCE
PIN = _SESSION + _PIN
JS = _SESSION + _JS
DOWNLOAD = _SESSION + _DOWNLOAD
MEDIA = _SESSION + _MEDIA
VIEW = _SESSION + _VIEW
STATIC_FILE = STATIC + "/{path:path}"
GONE = GONE_PREFIX + "/{rest:path}"  # the original address follows: /_htmio/gone/p2/s/<sid>/events
# what a host app routes to a whole htmio app (webio_routes): its page, its sessions, its static files
MOUNTED = (HOME, SESSIONS + "/{rest:path}", STATIC + "/{rest:path}")


# ---- the URLs pages carry ------------------------------------------------------------------------------

def session_base(root: str, sid: str) -> str:
    """The URL prefix of one session under the mount prefix ``root``: ``/tools/s/abc``."""
    return root + _SESSION.format(sid=sid)


def static_base(root: str) -> str:
    """The URL prefix of htmio's static files under the mount prefix ``root``."""
    return root + STATIC


def home(root: str) -> str:
    """The app's own address under the mount prefix ``root``: where a new session starts."""
    return root + HOME


def app_home(root: str, name: str) -> str:
    """The address that starts a session of the app ``name`` of a server holding several."""
    return f"{root}{HOME}?app={name}"


def events(base: str, after: Any = None) -> str:
    """The session's SSE stream, optionally resuming after the message ``after``."""
    return base + _EVENTS + ("" if after is None else f"?after={after}")


def form(base: str, form_id: Any) -> str:
    """Where an input form posts its answer."""
    return base + _FORM.format(form_id=form_id)


def click(base: str, callback_id: Any) -> str:
    """Where a button or clickable output posts its click."""
    return base + _CLICK.format(callback_id=callback_id)


def presence(base: str) -> str:
    """Where the page's beacon says it was hidden, shown again or left."""
    return base + _PRESENCE


def pin(base: str, name: Any) -> str:
    """Where the pin widget ``name`` posts its new value."""
    return base + _PIN.format(name=name)


def js(base: str, number: Any) -> str:
    """Where the page posts the answer of the ``eval_js`` call ``number``."""
    return base + _JS.format(number=number)


def download(base: str, number: Any) -> str:
    """The address of a file the session offers for download."""
    return base + _DOWNLOAD.format(number=number)


def media(base: str, number: Any) -> str:
    """The address of an image or file an output holds."""
    return base + _MEDIA.format(number=number)


def view(base: str, number: Any) -> str:
    """Where an output's view (a data table's page, sort, filter, selection) is changed."""
    return base + _VIEW.format(number=number)


def shard_root(root: str, shard: str) -> str:
    """The mount prefix of the shard ``shard`` (one process behind a balancer) under ``root``: ``/p1``."""
    return f"{root}/{shard}" if shard else root


def health(root: str) -> str:
    """Where a process says whether it is up or draining, and how many sessions it holds."""
    return root + HEALTH


def gone(root: str, original: str) -> str:
    """Where a balancer's fallback asks about ``original``, an address of a process that is gone."""
    return root + GONE_PREFIX + "/" + original.lstrip("/")


def browser_paths(base: str) -> dict[str, str]:
    """The URLs htmio.js posts to, for the page's ``data-htmio-urls``; ``{number}`` is filled in by the script."""
    return {"presence": presence(base), "js": js(base, "{number}")}
