"""The outbox on the event loop: it never waits there for the session's lock (a worker thread may hold it
for a whole page's render)."""
from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

from htmio.outbox import Outbox
from htmio.scopes import Document, PageContext
from htmio.settings import Settings

PAGE = PageContext(base="/s/x", static="/_htmio/static", token="t")
WAIT = 10.0  # seconds: a deadline for what must happen, never a measured time


def run_async(coroutine):  # type: ignore[no-untyped-def]
    """``asyncio.run`` in a thread of its own (a browser test's Playwright keeps a loop running in this one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def holding(lock: threading.RLock) -> tuple[threading.Thread, threading.Event, threading.Event]:
    """A thread that holds ``lock`` (as a whole-page render does) until ``release`` is set."""
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with lock:
            held.set()
            release.wait(WAIT)

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert held.wait(WAIT)
    return thread, held, release


def test_a_timed_flush_tries_again_later_instead_of_waiting_for_the_lock():
    async def run() -> None:
        document, lock = Document(), threading.RLock()
        outbox = Outbox(document, PAGE, lock=lock, settings=Settings(flush_interval=0.005),
                        loop=asyncio.get_running_loop())
        thread, _, release = holding(lock)
        document.insert(document.new_output("output/put_text.html", {"text": "hi", "inline": False}),
                        document.root, -1, "put_text")
        outbox.changed()
        # several flush intervals go by on this loop while the lock is held: the loop is free, nothing sent
        await asyncio.sleep(0.05)
        assert outbox.seq == 0 and thread.is_alive() and not release.is_set()
        release.set()
        await asyncio.to_thread(thread.join, WAIT)
        for _ in range(2000):  # the next try sends it
            if outbox.seq:
                break
            await asyncio.sleep(0.005)
        assert outbox.seq == 1 and "hi" in outbox.messages[-1].data

    run_async(run())


def test_a_stream_reads_the_replay_buffer_while_the_lock_is_held():
    async def run() -> None:
        document, lock = Document(), threading.RLock()
        outbox = Outbox(document, PAGE, lock=lock, settings=Settings(), loop=asyncio.get_running_loop())
        document.insert(document.new_output("output/put_text.html", {"text": "hi", "inline": False}),
                        document.root, -1, "put_text")
        outbox.flush()
        thread, _, release = holding(lock)
        try:
            assert [m.id for m in outbox.after(0) or []] == [1] and outbox.after(1) == []
            assert thread.is_alive() and not release.is_set()  # answered while the lock was held
        finally:
            release.set()
            await asyncio.to_thread(thread.join, WAIT)

    run_async(run())
