"""One way to wait for the browser: a ``Waiter`` is woken from any thread and waited on by an app thread or
an ``async def`` app's task, wakes with ``SessionClosedException`` when the session ends, and keeps the
session's running count (a waiting app counts as settled)."""
from __future__ import annotations

import asyncio
import collections
import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from htmio.exceptions import SessionClosedException

T = TypeVar("T")


class WaitHost(Protocol):
    """What a waiter needs of its session: its lock and loop, and the running count it keeps."""

    lock: Any  # a threading.RLock
    loop: asyncio.AbstractEventLoop

    def blocked(self) -> contextlib.AbstractContextManager[None]:
        """Count the caller as not running while it waits."""
        ...

    def handing_over(self) -> None:
        """Count a waiter as running again as it is woken (under the lock)."""
        ...

    def resume_handed_over(self) -> None:
        """Undo ``blocked()``'s count for a waiter its waker counted already (under the lock)."""
        ...


@dataclass(frozen=True)
class _Outcome:
    value: Any = None
    error: BaseException | None = None


class Waiter(Generic[T]):
    """What one caller waits for from the browser: ``put`` from any thread (the server's loop or another),
    ``get`` in an app thread or ``await get_async`` in a task. Items queue up; each ``put`` counts the
    waiter as running at once, so a page rendered between the wake-up and the waiter's turn does not take
    the session for settled. After a timeout or ``stop()`` it takes nothing more (``put`` answers False)."""

    def __init__(self, host: WaitHost, closed_message: str, forget: Callable[[Waiter[Any]], None]) -> None:
        self._host = host
        self._closed_message = closed_message
        self._forget = forget
        self._items: collections.deque[_Outcome] = collections.deque()
        self._stopped = False
        self._closing = False  # the session ended
        self._cancelled = False  # cancel(): a wait now or later returns its default
        self._woken = threading.Event()
        self._loop_woken: asyncio.Event | None = None

    def put(self, item: T) -> bool:
        """Hand the waiter a value; False when it no longer waits."""
        return self._put(_Outcome(value=item))

    def fail(self, error: BaseException) -> bool:
        """Hand the waiter an error that its ``get`` raises; False when it no longer waits."""
        return self._put(_Outcome(error=error))

    def close(self) -> None:
        """The session ended: the waiter raises SessionClosedException (now, or when it next waits)."""
        with self._host.lock:
            self._closing = True
        self.fail(SessionClosedException(self._closed_message))

    def stop(self) -> None:
        """Take nothing more (the caller is done waiting)."""
        with self._host.lock:
            self._stopped = True
            self._forget(self)

    def cancel(self) -> None:
        """Take nothing more and drop what is queued (its running count undone): a ``get`` waiting now, or
        called later, returns its ``default``. For a reader that stops reading (a topic subscription closed)."""
        with self._host.lock:
            for _ in self._items:
                self._host.resume_handed_over()
            self._items.clear()
            self._stopped = self._cancelled = True
            self._forget(self)
            self._woken.set()
            loop_woken = self._loop_woken
        if loop_woken is not None:
            with contextlib.suppress(RuntimeError):  # the server's loop is gone: nothing waits on it
                self._host.loop.call_soon_threadsafe(loop_woken.set)

    def _put(self, outcome: _Outcome) -> bool:
        with self._host.lock:
            if self._stopped:
                return False
            self._host.handing_over()
            self._items.append(outcome)
            self._woken.set()
            loop_woken = self._loop_woken
        if loop_woken is not None:
            with contextlib.suppress(RuntimeError):  # the server's loop is gone: nothing waits on it
                self._host.loop.call_soon_threadsafe(loop_woken.set)
        return True

    def _take(self, default: Any, timed_out: bool) -> tuple[bool, Any]:
        """(True, result) once an item is there or the time is up; (False, None) to go on waiting (under the lock)."""
        if self._items:
            self._host.resume_handed_over()  # whoever woke the waiter counted it as running already
            outcome = self._items.popleft()
            if outcome.error is not None:
                raise outcome.error
            return True, outcome.value
        if self._cancelled:
            return True, default
        if timed_out:
            self._stopped = True
            self._forget(self)
            return True, default
        self._woken.clear()
        if self._loop_woken is not None:
            self._loop_woken.clear()
        return False, None

    def get(self, timeout: float | None = None, default: Any = None) -> Any:
        """Block this thread for the next item; ``default`` after ``timeout`` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._host.blocked():
            while True:
                with self._host.lock:
                    done, result = self._take(default, deadline is not None and time.monotonic() >= deadline)
                if done:
                    return result
                self._woken.wait(None if deadline is None else max(0.0, deadline - time.monotonic()))

    async def get_async(self, timeout: float | None = None, default: Any = None) -> Any:
        """Await the next item on the session's loop (which goes on serving); ``default`` after ``timeout`` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._host.lock:
            if self._loop_woken is None:
                self._loop_woken = asyncio.Event()
            loop_woken = self._loop_woken
        with self._host.blocked():
            while True:
                with self._host.lock:
                    done, result = self._take(default, deadline is not None and time.monotonic() >= deadline)
                if done:
                    return result
                try:
                    await asyncio.wait_for(loop_woken.wait(),
                                           None if deadline is None else max(0.0, deadline - time.monotonic()))
                except asyncio.TimeoutError:
                    pass
                except asyncio.CancelledError:
                    # the session ends by cancelling its tasks too: the app sees SessionClosedException
                    # here, as a thread does, not a bare cancellation
                    with self._host.lock:
                        if not self._closing:
                            raise
                        for _ in self._items:
                            self._host.resume_handed_over()
                        self._items.clear()
                        self._stopped = True
                    raise SessionClosedException(self._closed_message) from None


class Waits:
    """A session's open waiters: ``new`` makes one, ``close_all`` wakes them all as the session ends."""

    def __init__(self, host: WaitHost) -> None:
        self._host = host
        self._open: set[Waiter[Any]] = set()
        self._closed = False

    def new(self, closed_message: str) -> Waiter[Any]:
        """A waiter of this session; one made after the session ended raises at once when waited on."""
        waiter: Waiter[Any] = Waiter(self._host, closed_message, self._open.discard)
        with self._host.lock:
            self._open.add(waiter)
            closed = self._closed
        if closed:
            waiter.close()
        return waiter

    def close_all(self) -> None:
        """The session ended: every waiter raises SessionClosedException."""
        with self._host.lock:
            self._closed = True
            waiters = list(self._open)
        for waiter in waiters:
            waiter.close()
