"""Whole-document renders (a page load, a stream's resync) in a worker thread, one at a time per session:
a session holding 100,000 outputs never holds up the event loop, and so every other session."""
from __future__ import annotations

import asyncio
import gzip
import weakref
from collections.abc import Callable
from typing import TypeVar

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


async def resync(session: Session) -> SseMessage:
    """The whole document as one SSE message (``Session.resync_message``), rendered off the loop.

        message = await resync(session)
    """
    return await off_loop(session, session.resync_message)


def compressed(data: bytes, accept_encoding: str) -> tuple[bytes, bool]:
    """``data`` gzipped when the browser takes it and it is worth it, and whether it was (call it in the
    worker thread: a 5 MB page takes tens of milliseconds).

        body, gzipped = compressed(html.encode(), request.headers.get("accept-encoding", ""))
    """
    if len(data) > GZIP_FROM and "gzip" in accept_encoding:
        return gzip.compress(data, 5, mtime=0), True
    return data, False
