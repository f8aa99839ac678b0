"""Coroutine sessions: an ``async def`` app and its ``async def`` callbacks run as tasks on the server's
event loop (their waits for the browser are awaited: see htmio.waiting)."""
from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable, Coroutine
from typing import Any

from htmio.callbacks import Callback
from htmio.exceptions import SessionClosedException
from htmio.plugs import CoroutineRunner, plug_coroutines
from htmio.runtime import Background, Session, bind_task


class _Tasks(set[asyncio.Task[Any]]):
    """A coroutine session's tasks; they are cancelled when it ends."""


def _tasks(session: Session) -> set[asyncio.Task[Any]]:
    """The tasks of a coroutine session; they are cancelled when it ends."""
    def make() -> _Tasks:
        tasks = _Tasks()

        def cancel_all() -> None:
            for task in list(tasks):
                session.loop.call_soon_threadsafe(task.cancel)

        session.on_close(cancel_all)
        return tasks

    return session.part(_Tasks, make)


def spawn(session: Session, coro: Coroutine[Any, Any, Any], what: str, count_running: bool = False) -> asyncio.Task[Any]:
    """Run ``coro`` as a task of the session (it may call every htmio function); call on the loop.
    ``count_running``: the caller counted it as running; otherwise it counts once the browser wakes it."""
    async def run() -> Any:
        background = None if count_running else Background()
        bind_task(session, background)
        try:
            return await coro
        except (SessionClosedException, asyncio.CancelledError):
            return None
        except Exception as exc:  # the app's own error: shown on the page, the server goes on
            session.report_error(exc, what)
            return None
        finally:
            session.forget_scope_stack()
            if background is None or background.counted:
                session.finished_running()
            session.flush()

    task = session.loop.create_task(run())
    tasks = _tasks(session)
    tasks.add(task)
    task.add_done_callback(tasks.discard)
    return task


def run_in_background(session: Session, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
    """``run_async``: a task beside the app that keeps its session alive while it runs (PyWebIO's
    rule: the session ends when main and every run_async task have ended); call on the loop."""
    task = spawn(session, coro, "run_async")
    with session.lock:
        session.background_tasks.add(task)

    def ended(_: asyncio.Task[Any]) -> None:
        with session.lock:
            session.background_tasks.discard(task)
        session.maybe_finish()

    task.add_done_callback(ended)
    return task


def start_async(session: Session) -> None:
    """Start an ``async def`` app (``Session.start`` counted it as running already)."""
    async def main() -> None:
        try:
            await session.app()
        finally:
            with session.lock:
                session.main_done = True

    task = spawn(session, main(), "main", count_running=True)
    task.add_done_callback(lambda _: session.maybe_finish())


def run_callback_async(session: Session, callback: Callback, index: int) -> None:
    """Run an ``async def`` callback as a task (``Callbacks.run`` counted it as running already)."""
    args = () if callback.values is None else (callback.values[index],)

    def start() -> None:
        try:
            coro = callback.fn(*args)
        except Exception as exc:  # called with the wrong arguments, say: the app's error, shown as such
            session.report_error(exc, "a callback")
            session.finished_running()
            session.callbacks.done(callback)
            return
        task = spawn(session, coro, "a callback", count_running=True)
        task.add_done_callback(lambda _: session.callbacks.done(callback))

    session.loop.call_soon_threadsafe(start)


def adopt(session: Session, coro: Coroutine[Any, Any, Any], done: Callable[[], None]) -> concurrent.futures.Future[None]:
    """Run the coroutine a callback returned as a task of the coroutine session, from any thread (or
    from the loop itself). It counts as running from now on, so the session does not look settled
    between the callback's end and the task's start. ``done()`` is called when it has ended, and the
    future returned is then set."""
    ended: concurrent.futures.Future[None] = concurrent.futures.Future()
    with session.lock:
        session.handing_over()

    def finish() -> None:
        done()
        ended.set_result(None)

    def start() -> None:
        if session.closed:  # nothing it does could be shown
            coro.close()
            session.finished_running()
            finish()
            return
        task = spawn(session, coro, "a callback", count_running=True)
        task.add_done_callback(lambda _: finish())

    try:
        session.loop.call_soon_threadsafe(start)
    except RuntimeError:  # the server's loop is gone
        coro.close()
        session.finished_running()
        finish()
    return ended


class TaskHandler:
    """What ``run_async`` returns: ``close()`` cancels the task, ``closed()`` tells whether it ended.

        clock = run_async(tick())
        clock.close()
    """

    def __init__(self, task: asyncio.Task[Any]) -> None:
        self._task = task

    def close(self) -> None:
        """Cancel the task."""
        self._task.cancel()

    def closed(self) -> bool:
        """True once the task has ended."""
        return self._task.done()


plug_coroutines(CoroutineRunner(start=start_async, run_callback=run_callback_async, adopt=adopt))
