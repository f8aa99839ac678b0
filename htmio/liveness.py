"""Whether a session's page is still there: page loads, the event stream, presence beacons, and the
rule the reaper applies (a hidden tab is not a closed one; a reload is not a close)."""
from __future__ import annotations

import threading
import time

from htmio.settings import Settings


class Liveness:
    """The page-presence part of a Session (a mixin: it uses the session's settings and state). Its own
    small lock, not the session's: the event loop takes it on every page load, stream and beacon, and
    must not wait there while a worker thread renders the session's whole page under the session's lock."""

    settings: Settings
    closed: bool

    def init_liveness(self) -> None:
        self.live_lock = threading.Lock()
        now = time.monotonic()
        self.created = now
        self.page_loaded: float | None = None
        self.last_request = now
        self.streams_open = 0
        self.ever_streamed = False
        self.hidden = False
        self.left_at: float | None = None
        self.last_disconnect = now
        self.view = 0  # page loads so far

    def expiry_reason(self, now: float) -> str | None:
        """Why the session should end now, or None while its page may still be there."""
        s = self.settings
        if self.closed or self.streams_open > 0:
            return None
        if self.page_loaded is None:
            return "page never loaded" if now - self.created > s.unopened_timeout else None
        if not self.ever_streamed:
            return "idle" if now - self.last_request > s.nojs_idle_timeout else None
        if self.left_at is not None and now - self.left_at > s.left_grace:
            return "page closed"
        if self.hidden:
            return "hidden too long" if now - self.last_disconnect > s.hidden_timeout else None
        return "page gone" if now - self.last_disconnect > s.disconnect_grace else None

    def page_shown(self) -> int:
        """The page was loaded (or reloaded): whatever it said about leaving is over. Returns the number
        of this load: beacons from an older load of the page (a reload's "left") are ignored."""
        with self.live_lock:
            self.last_request = time.monotonic()
            self.left_at = None
            self.hidden = False
            if self.page_loaded is None:
                self.page_loaded = self.last_request
            self.view += 1
            return self.view

    def stream_opened(self) -> None:
        with self.live_lock:
            self.streams_open += 1
            self.ever_streamed = True
            self.hidden = False
            self.left_at = None

    def stream_closed(self) -> None:
        with self.live_lock:
            self.streams_open -= 1
            self.last_disconnect = time.monotonic()

    def presence(self, state: str, view: int | None = None) -> None:
        """The page said it is hidden, visible again, or left (pagehide)."""
        with self.live_lock:
            if view is not None and view != self.view:
                return  # an earlier load of the page, gone since
            now = time.monotonic()
            if state == "hidden":
                self.hidden = True
            elif state == "visible":
                self.hidden = False
                self.left_at = None
            elif state == "left":
                self.left_at = now

    def touched(self) -> None:
        """A post arrived: the page is in use (a beacon saying the page left may come with one)."""
        with self.live_lock:
            self.last_request = time.monotonic()
