"""A session's callbacks: functions the browser triggers (buttons, clickable outputs, pin changes).

Each runs in a thread of its session (a new one, or the session's one serial thread), or as a task on
the server's loop when the session and the callback are coroutines. ``session.callbacks.add(cb)``
registers one and gives the number its button posts to.
"""
from __future__ import annotations

import asyncio
import inspect
import queue
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from htmio.events import ButtonClicked
from htmio.exceptions import SessionClosedException
from htmio.plugs import coroutine_runner

if TYPE_CHECKING:
    from htmio.runtime import Session

_STOP = object()  # ends the serial callback thread


class Busy:
    """Whether a ``mutex_mode`` callback is running; shared by the copies a pin change makes of its callback."""

    def __init__(self) -> None:
        self.running = False


@dataclass
class Callback:
    """A function the browser may trigger: ``values[index]`` is passed when ``values`` is set.
    ``serial``: run in the session's one callback thread, one call after another; ``mutex``: a trigger
    that comes while the previous call (and any coroutine it returned) still runs is dropped."""

    fn: Callable[..., Any]
    values: list[Any] | None = None
    serial: bool = False
    mutex: bool = False
    busy: Busy = field(default_factory=Busy, repr=False, compare=False)


def _loop_runs_here() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class Callbacks:
    """The callbacks registered in one session, by number, and the threads that run them."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self.registered: dict[int, Callback] = {}
        self._serial_queue: queue.Queue[Any] | None = None

    def add(self, callback: Callback) -> int:
        """Register a callback and return its number (used in the button's URL)."""
        with self._session.lock:
            number = self._session.document.next_number()
            self.registered[number] = callback
            return number

    def click(self, event: ButtonClicked) -> bool:
        """Run the callback of a click in a new thread of this session; False if there is none."""
        with self._session.lock:
            callback = self.registered.get(event.callback_id)
        if callback is None or (callback.values is not None and not 0 <= event.index < len(callback.values)):
            return False
        return self.run(callback, event.index)

    def run(self, callback: Callback, index: int = 0) -> bool:
        """Run ``callback`` (with ``values[index]``) in a thread of this session: a new one, or the
        session's serial one. In a coroutine session an ``async def`` callback, or the coroutine a plain
        one returns (``put_buttons(onclick=[async_fn])`` wraps it in a lambda), runs as a task of the
        session on its loop; in a plain session it runs to its end in the callback's thread, on an event
        loop of its own. False once the session has ended."""
        session = self._session
        with session.lock:
            if session.closed:
                return False
            if callback.mutex:
                if callback.busy.running:
                    return True  # mutex_mode: dropped while the previous call runs, as in PyWebIO
                callback.busy.running = True
            session.started_running()
        if session.is_async and inspect.iscoroutinefunction(callback.fn):
            coroutine_runner().run_callback(session, callback, index)
            return True
        if callback.serial:
            self._serial().put((callback, index))
        else:
            threading.Thread(target=self._run_one, args=(callback, index), daemon=True,
                             name=f"htmio-{session.id[:8]}-cb").start()
        return True

    def stop(self) -> None:
        """The session ends: the serial thread stops after the call it runs."""
        if self._serial_queue is not None:
            self._serial_queue.put(_STOP)

    def _serial(self) -> queue.Queue[Any]:
        with self._session.lock:
            if self._serial_queue is None:
                self._serial_queue = queue.Queue()
                threading.Thread(target=self._serial_worker, args=(self._serial_queue,), daemon=True,
                                 name=f"htmio-{self._session.id[:8]}-serial").start()
            return self._serial_queue

    def _serial_worker(self, calls: queue.Queue[Any]) -> None:
        while True:
            item = calls.get()
            if item is _STOP:
                return
            self._run_one(*item)

    def _run_one(self, callback: Callback, index: int) -> None:
        session = self._session
        session.enter_thread()
        handed_over = False
        try:
            result = callback.fn() if callback.values is None else callback.fn(callback.values[index])
            if asyncio.iscoroutine(result):
                if session.is_async:
                    handed_over = True
                    ended = coroutine_runner().adopt(session, result, lambda: self.done(callback))
                    if callback.serial:  # one after another: the next waits for this coroutine too
                        with session.blocked():
                            ended.result()
                else:
                    self.run_to_end(result)
        except SessionClosedException:
            pass
        except Exception as exc:
            session.report_error(exc, "a callback")
        finally:
            session.finished_running()
            if not handed_over:
                self.done(callback)
            session.leave_thread()
            session.flush()

    def done(self, callback: Callback) -> None:
        """A call of ``callback`` has ended (with the coroutine it returned): a mutex_mode one may run again."""
        with self._session.lock:
            callback.busy.running = False

    def call(self, fn: Callable[..., Any], *args: Any) -> bool:
        """Call ``fn(*args)`` now, in the calling thread or task (``init_run`` of ``pin_on_change``, an
        input's action). A coroutine it returns (an ``async def`` callback) runs as a task of a coroutine
        session, and True says so; in a plain session it runs to its end here, and the answer is False."""
        result = fn(*args)
        if not asyncio.iscoroutine(result):
            return False
        if self._session.is_async:
            coroutine_runner().adopt(self._session, result, lambda: None)
            return True
        self.run_to_end(result)
        return False

    def run_to_end(self, coro: Coroutine[Any, Any, Any]) -> None:
        """Run a callback's coroutine in a plain (thread) session: to its end, on an event loop of its own,
        in this thread; or, when a loop runs here already (inside another such coroutine), in a thread
        of the session that this one waits for. It has a scope stack of its own, as a new thread has."""
        session = self._session

        async def scoped() -> None:
            try:
                await coro
            finally:
                session.forget_scope_stack()

        if not _loop_runs_here():
            asyncio.run(scoped())
            return
        failed: list[BaseException] = []

        def run() -> None:
            try:
                asyncio.run(scoped())
            except BaseException as exc:  # raised in the caller, as if it ran there
                failed.append(exc)

        worker = threading.Thread(target=run, daemon=True, name=f"htmio-{session.id[:8]}-coro")
        session.register_thread(worker)
        worker.start()
        with session.blocked():
            worker.join()
        if failed:
            raise failed[0]
