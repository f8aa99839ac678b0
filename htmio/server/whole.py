"""Whole-document renders (a page load, a stream's resync) in a worker thread, one at a time per session:
a session holding 100,000 outputs never holds up the event loop, and so every other session."""
from __future__ import annotations

import asyncio
import gzip
import weakref
from collections.abc import Callable
from typing import TypeVar

from sse_starlette import ServerSentEvent
from starlette.concurrency import run_in_threadpool

from htmio.events import SseMessage
from htmio.runtime import Session

T = TypeVar("T")

# one asyncio.Lock per session: concurrent reloads of one big page queue here (each request a waiting
# coroutine) instead of each holding a worker thread that waits for the session's lock
_turns: weakref.WeakKeyDictionary[Session, asyncio.Lock] = weakref.WeakKeyDictionary()

GZIP_FROM = 1400  # bytes: a smaller body fits in one packet as it is


async def off_loop(session: Session, work: Callable[[], T]) -> T:
    """Run ``work`` (which renders ``session``'s whole document) in a worker thread, after any render of
    the same session still running.

        html = await off_loop(session, lambda: session.render_page())
    """
    turn = _turns.get(session)
    if turn is None:
        turn = _turns[session] = asyncio.Lock()
    async with turn:
        return await run_in_threadpool(work)


def sse(message: SseMessage) -> ServerSentEvent:
    """One message of a session's stream as an unnamed (or named) SSE event.

        yield sse(SseMessage(7, "<hx-partial ...>...</hx-partial>"))
    """
    # LF line ends: htmx 4.0.1's parser loses a message when a read ends between \r and \n
    return ServerSentEvent(message.data, id=str(message.id), event=message.event, sep="\n")


def encoded(message: SseMessage) -> bytes:
    """``sse(message).encode()``, made with ``str.replace`` instead of sse-starlette's regular expression:
    about 3 times faster on a whole document (7 MB: ~15 ms against 40-130 ms), in short steps, each of
    which holds the GIL only briefly (the event loop's thread waits for it meanwhile).

        encoded(SseMessage(3, "a\nb")) == b"id: 3\ndata: a\ndata: b\n\n"
    """
    data = message.data
    if "\r" in data:  # every line end sse-starlette splits at
        data = data.replace("\r\n", "\n").replace("\r", "\n")
    event = "" if message.event is None else f"event: {message.event}\n"
    return f"id: {message.id}\n{event}data: {data.replace(chr(10), chr(10) + 'data: ')}\n\n".encode()


async def resync(session: Session) -> tuple[int, bytes]:
    """The whole document as one SSE message (``Session.resync_message``), rendered and encoded off the
    loop: its id and its bytes.

        sent, data = await resync(session)
    """

    def work() -> tuple[int, bytes]:
        message = session.resync_message()
        return message.id, encoded(message)

    return await off_loop(session, work)


def compressed(data: bytes, accept_encoding: str) -> tuple[bytes, bool]:
    """``data`` gzipped when the browser takes it and it is worth it, and whether it was (call it in the
    worker thread: a 5 MB page takes tens of milliseconds).

        body, gzipped = compressed(html.encode(), request.headers.get("accept-encoding", ""))
    """
    if len(data) > GZIP_FROM and "gzip" in accept_encoding:
        return gzip.compress(data, 5, mtime=0), True
    return data, False
