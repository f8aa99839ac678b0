"""A session's outbox: numbered SSE messages, the replay buffer, coalescing of changes, waking streams."""
from __future__ import annotations

import asyncio
import collections
import threading

from htmio.events import SseMessage
from htmio.render import envelope, join_envelopes
from htmio.scopes import Document, PageContext
from htmio.settings import Settings


_MOMENT = 0.002  # seconds the event loop may wait for a session's lock to flush its outbox


class Outbox:
    """Turns a document's queued changes into numbered messages, keeps the recent ones for replay by
    Last-Event-ID, and wakes the open streams; ``lock`` is the session's lock, guarding the document too.
    The replay buffer has a small lock of its own as well: a stream on the event loop reads it without
    waiting for the session's lock, which a worker thread may hold while it renders the whole page."""

    def __init__(self, document: Document, page: PageContext, *, lock: threading.RLock, settings: Settings,
                 loop: asyncio.AbstractEventLoop) -> None:
        self.document = document
        self.page = page
        self.lock = lock
        self.settings = settings
        self.loop = loop
        self.messages: collections.deque[SseMessage] = collections.deque()
        self.seq = 0  # the id of the last message made
        self.streams: set[asyncio.Event] = set()  # one per open stream, set to wake it
        self._bytes = 0
        self._armed = False
        self._buffer = threading.Lock()  # guards messages and seq; taken inside ``lock`` when they change

    def changed(self) -> None:
        """Something was queued: flush now if the batch is full, else within ``flush_interval``."""
        if len(self.document.ops) >= self.settings.max_batch:
            self.flush()
            return
        if self._armed:
            return
        self._armed = True
        try:
            self.loop.call_soon_threadsafe(self._arm)
        except RuntimeError:  # the server's loop is gone: flush in place, nobody will read it
            self._armed = False

    def _arm(self) -> None:
        self.loop.call_later(self.settings.flush_interval, self._timed_flush)

    def _timed_flush(self) -> None:
        # on the event loop: never wait there long for the lock (a worker thread may be rendering this
        # session's whole page under it); try again a little later instead. A moment's wait is allowed: an app
        # thread putting outputs in a loop holds the lock most of the time, each time for microseconds, and
        # a flush that never waited would leave every message to the app's full batches
        if not self.lock.acquire(timeout=_MOMENT):
            self.loop.call_later(self.settings.flush_interval, self._timed_flush)
            return
        try:
            self._armed = False
            message = self.flush_locked()
        finally:
            self.lock.release()
        if message is not None:
            self.wake()

    def flush(self) -> None:
        """Send everything queued as one SSE message."""
        with self.lock:
            message = self.flush_locked()
        if message is not None:
            self.wake()

    def flush_locked(self) -> SseMessage | None:
        """Turn the queued changes into messages (the caller holds the lock and wakes the streams)."""
        message = None
        for swaps in self.document.take_messages(self.page):
            message = self.append(join_envelopes(swaps))
        return message

    def append(self, data: str, event: str | None = None) -> SseMessage:
        """Number a message and keep it, dropping the oldest beyond ``replay_bytes`` (never the last)."""
        with self._buffer:
            self.seq += 1
            message = SseMessage(self.seq, data, event)
            self.messages.append(message)
            self._bytes += len(data)
            while self._bytes > self.settings.replay_bytes and len(self.messages) > 1:
                self._bytes -= len(self.messages.popleft().data)
        return message

    def wake(self) -> None:
        """Wake every open stream to send what is new."""
        for event in list(self.streams):
            try:
                self.loop.call_soon_threadsafe(event.set)
            except RuntimeError:
                pass

    def after(self, after: int) -> list[SseMessage] | None:
        """Messages with an id above ``after``, or None when the buffer no longer reaches back that far."""
        with self._buffer:
            if after == self.seq:
                return []
            if after > self.seq or after < 0:
                return None
            if not self.messages or self.messages[0].id > after + 1:
                return None
            return [m for m in self.messages if m.id > after]

    def resync(self) -> SseMessage:
        """The whole document as one message, for a stream whose gap the buffer no longer covers."""
        with self.lock:
            self.flush_locked()
            html = self.document.render_all(self.page)
            return SseMessage(self.seq, envelope("htmio-doc", "outerHTML", html))
