"""One Session per browser page: the app thread, the document and its outbox of SSE messages, pending
input forms, button callbacks, ``defer_call``, liveness, and closing."""
from __future__ import annotations

import asyncio
import collections
import contextlib
import inspect
import logging
import secrets
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any, TypeVar, cast

from htmio import urls
from htmio.callbacks import Callbacks
from htmio.events import SseMessage
from htmio.exceptions import SessionClosedException, SessionNotFoundException
from htmio.forms import Forms
from htmio.i18n import Messages
from htmio.liveness import Liveness
from htmio.outbox import Outbox
from htmio.plugs import coroutine_runner, session_finders
from htmio.scopes import ROOT, Document, PageContext
from htmio.settings import Settings
from htmio.waiting import Waits

log = logging.getLogger("htmio")
T = TypeVar("T")

_current: ContextVar[Session] = ContextVar("htmio.session")


class Background:
    """A ``run_async`` task's standing: it counts as running (so the session is not settled) only once
    the browser has woken it; before, it may be a clock that only sleeps, and the session would never settle."""

    counted = False


_background: ContextVar[Background | None] = ContextVar("htmio.background", default=None)
_thread_sessions: dict[int, Session] = {}


def bind_task(session: Session, background: Background | None) -> None:
    """The running task (of a coroutine session) works for ``session``; ``background``: it is a
    ``run_async`` task, counted as running only once the browser wakes it."""
    _current.set(session)
    _background.set(background)


def _task_key() -> object:
    """What owns a scope stack: the running asyncio task (coroutine sessions), else the thread."""
    try:
        task = asyncio.current_task()
    except RuntimeError:  # no event loop runs in this thread
        task = None
    return task if task is not None else threading.get_ident()


def in_coroutine_session(session: Session) -> bool:
    """True when the caller runs in a task of a coroutine session (so blocking calls must be awaited)."""
    if not session.is_async:
        return False
    try:
        return asyncio.get_running_loop() is session.loop
    except RuntimeError:
        return False


def current_session(caller: str) -> Session:
    """The session of the running app, callback or registered thread; a clear error anywhere else."""
    session = _current.get(None) or _thread_sessions.get(threading.get_ident())
    if session is None:
        for find in session_finders():  # script mode: `python app.py` with module-level calls
            session = find()
            if session is not None:
                return session
        if threading.current_thread() is not threading.main_thread() and _thread_sessions:
            raise SessionNotFoundException(
                f"{caller}() was called from the thread {threading.current_thread().name!r}, which belongs to "
                "no htmio session. Register it before starting it: `register_thread(thread)`."
            )
        raise SessionNotFoundException(
            f"{caller}() was called outside of an htmio session. "
            "Run your function with htmio.start_server(main) or `htmio serve app.py`."
        )
    return session


class Session(Liveness):
    """The server-side life of one page."""

    def __init__(self, app: Callable[[], Any], *, settings: Settings, loop: asyncio.AbstractEventLoop,
                 base: str, static: str, browser_id: str, request_info: dict[str, Any] | None = None,
                 app_name: str = "", home: str | None = None, language: str = "en",
                 app_url: Callable[[str], str] | None = None, query: str = "") -> None:
        self.id = secrets.token_urlsafe(18)
        self.token = secrets.token_urlsafe(18)
        self.app = app
        self.app_name = app_name
        self.app_url = app_url or (lambda name: urls.app_home(base, name))  # where go_app(name) goes
        self.settings = settings
        self.loop = loop
        self.browser_id = browser_id
        self.request_info = request_info or {}
        self.page = PageContext(base=urls.session_base(base, self.id), static=static, token=self.token,
                                home=home or urls.home(base), debug=settings.debug, messages=Messages(language))
        # the page's address keeps the query of the address the user opened (`/?app=a&x=1` -> `/s/<id>?app=a&x=1`)
        # so that the app reads it as under PyWebIO, whose page stays where it was opened
        self.page_url = self.page.base + (f"?{query}" if query else "")
        self.lock = threading.RLock()
        self.document = Document()
        self.outbox = Outbox(self.document, self.page, lock=self.lock, settings=settings, loop=loop)
        self.forms = Forms(self)
        self.callbacks = Callbacks(self)
        self.deferred: list[Callable[[], Any]] = []
        self.local: dict[str, Any] = {}
        self.closed = False
        self.close_reason = ""
        self.closed_at: float | None = None
        self.main_done = False
        self.deferred_done = threading.Event()
        self._closed_event = threading.Event()
        self._running = 0
        self._scope_stacks: dict[object, list[str]] = {}
        self.registered_threads: set[threading.Thread] = set()
        self.background_tasks: set[object] = set()  # run_async tasks still running: they keep the session
        self._parts: dict[type, object] = {}  # what other modules keep per session (see ``part``)
        self._on_close: list[Callable[[], None]] = []
        self.waits = Waits(self)  # everything that waits for the browser; woken as the session ends
        self._changing = _Changing(self)
        self.init_liveness()

    # ---- running the app ---------------------------------------------------------------------

    @property
    def is_async(self) -> bool:
        """True for a coroutine session (an ``async def`` app): it runs as a task on the server's loop."""
        return inspect.iscoroutinefunction(self.app)

    def in_its_loop(self) -> bool:
        """True when the caller runs in a task of this coroutine session (blocking calls must be awaited)."""
        return in_coroutine_session(self)

    def part(self, kind: type[T], make: Callable[[], T] | None = None) -> T:
        """The session's one ``kind`` object, made on first use by ``make()`` (default ``kind()``): the
        state another module keeps per session (pins, JavaScript calls, downloads, ...).

        Example::

            calls = session.part(JsCalls)  # the same object on every call in this session
        """
        with self.lock:
            found = self._parts.get(kind)
            if found is None:
                found = self._parts[kind] = (make or kind)()
            return cast(T, found)

    def part_if_made(self, kind: type[T]) -> T | None:
        """The session's ``kind`` object if one was made (see ``part``), else None."""
        with self.lock:
            return cast("T | None", self._parts.get(kind))

    def start(self) -> None:
        """Run the app function in its own daemon thread (never a thread-pool slot), or as a task on
        the server's loop for an ``async def`` app."""
        self.started_running()
        if self.is_async:
            coroutine_runner().start(self)
            return
        thread = threading.Thread(target=self._run_main, name=f"htmio-{self.id[:8]}", daemon=True)
        thread.start()

    def _run_main(self) -> None:
        self.enter_thread()
        try:
            self.app()
        except SessionClosedException:
            pass
        except Exception as exc:  # the app's own error: show it, keep the server and other sessions going
            self.report_error(exc, "main")
        finally:
            with self.lock:
                self._running -= 1
                self.main_done = True
            self.leave_thread()
            self.flush()
            self.maybe_finish()

    def enter_thread(self) -> None:
        """The calling thread works for this session from now on (its htmio calls find it)."""
        _thread_sessions[threading.get_ident()] = self

    def leave_thread(self) -> None:
        """The calling thread is done with this session: forget it and its scope stack."""
        _thread_sessions.pop(threading.get_ident(), None)
        self._scope_stacks.pop(_task_key(), None)

    def register_thread(self, thread: threading.Thread) -> None:
        """Let ``thread`` use this session once it starts (see ``htmio.session.register_thread``)."""
        session = self
        original = thread.run

        def run() -> None:
            session.enter_thread()
            session.started_running()
            try:
                original()
            except SessionClosedException:
                pass
            finally:
                with session.lock:
                    session._running -= 1
                    session.registered_threads.discard(thread)
                session.leave_thread()
                session.flush()
                session.maybe_finish()

        thread.run = run  # type: ignore[method-assign]
        self.registered_threads.add(thread)

    def maybe_finish(self) -> None:
        """End the session once main returned and nothing can run any more (PyWebIO's automatic hold)."""
        with self.lock:
            if self.closed or not self.main_done or self.callbacks.registered or self.registered_threads or self.background_tasks:
                return
        self.close("finished")

    @property
    def is_settled(self) -> bool:
        """True when no thread of the session is running: all wait on input, or are done."""
        return self._running <= 0

    def report_error(self, exc: BaseException, where: str) -> None:
        """Log an app error and show it on the page (the traceback only with ``debug``)."""
        log.error("htmio: error in %s of session %s", where, self.id[:8], exc_info=exc)
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)) if self.settings.debug else ""
        try:
            with self.lock:
                node = self.document.new_output(
                    "_error.html", {"message": f"{type(exc).__name__}: {exc}" if self.settings.debug else "", "trace": text}
                )
                self.document.insert(node, self.document.root, -1, "report_error")
            self.flush()
        except Exception:  # the page may be gone already; the log has it
            log.debug("htmio: could not show the error on the page", exc_info=True)

    # ---- scopes of the current thread ----------------------------------------------------------

    def scope_stack(self) -> list[str]:
        """The scope stack of the running thread, or of the running task in a coroutine session."""
        return self._scope_stacks.setdefault(_task_key(), [ROOT])

    def forget_scope_stack(self) -> None:
        self._scope_stacks.pop(_task_key(), None)

    def current_scope(self) -> str:
        return self.scope_stack()[-1]

    # ---- the outbox ---------------------------------------------------------------------------

    def check_open(self, caller: str) -> None:
        if self.closed:
            raise SessionClosedException(
                f"{caller}(): the session has ended (its page was closed or the app finished), "
                "so nothing can be shown any more."
            )

    @property
    def seq(self) -> int:
        """The id of the last message made (see ``Outbox``)."""
        return self.outbox.seq

    @property
    def messages(self) -> collections.deque[SseMessage]:
        """The messages kept for replay (see ``Outbox``)."""
        return self.outbox.messages

    @property
    def streams(self) -> set[asyncio.Event]:
        """One event per open stream, set to wake it."""
        return self.outbox.streams

    def changed(self) -> None:
        """Something was queued: flush now if the batch is full, else within ``flush_interval``."""
        self.outbox.changed()

    def changing(self) -> _Changing:
        """Change the document under the lock, then mark it changed (not when the change raises).

            with session.changing():
                session.document.insert(node, scope, -1, "put_text")
        """
        return self._changing

    def flush(self) -> None:
        """Send everything queued as one SSE message."""
        self.outbox.flush()

    def messages_after(self, after: int) -> list[SseMessage] | None:
        """Messages with an id above ``after``, or None when the buffer no longer reaches back that far."""
        return self.outbox.after(after)

    def resync_message(self) -> SseMessage:
        """The whole document as one message, for a stream whose gap the buffer no longer covers."""
        return self.outbox.resync()

    def render_page(self) -> tuple[str, int, list[str], list[str]]:
        """The document as it stands, the id of the last message it already contains, and the transient
        parts it must carry: toasts still up, and commands made before the first page."""
        with self.lock:
            if self.outbox.flush_locked() is not None:
                self.outbox.wake()
            return (self.document.render_all(self.page), self.seq, self.document.recent_toasts(),
                    self.document.take_early_commands())

    # ---- ending -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def blocked(self) -> Iterator[None]:
        """Mark the calling thread as waiting on the browser (the session may settle meanwhile)."""
        background = _background.get()
        if background is None or background.counted:
            with self.lock:
                self._running -= 1
        try:
            yield
        finally:
            with self.lock:
                self._running += 1
            if background is not None:
                background.counted = True  # woken by the browser: it runs for the user now

    def handing_over(self) -> None:
        """A thread waiting in ``blocked()`` is about to be woken by the caller: count it as running now,
        so a page rendered in between does not take the session for settled. The woken thread then
        leaves its wait with ``resume_handed_over`` (call both under the session lock)."""
        self._running += 1

    def resume_handed_over(self) -> None:
        """Undo the ``blocked()`` bookkeeping for a thread whose waker already counted it as running."""
        self._running -= 1

    def started_running(self) -> None:
        """A thread or task of the session starts running (the session is not settled until it waits or ends)."""
        with self.lock:
            self._running += 1

    def finished_running(self) -> None:
        """A task counted as running (a coroutine app or callback) is over."""
        with self.lock:
            self._running -= 1

    def on_close(self, hook: Callable[[], None]) -> None:
        """Call ``hook()`` when the session ends (to wake threads waiting on the browser)."""
        with self.lock:
            if not self.closed:
                self._on_close.append(hook)
                return
        hook()

    def wait_closed(self, timeout: float | None = None) -> bool:
        """Block until the session has ended (True), or ``timeout`` seconds passed (False)."""
        return self._closed_event.wait(timeout)

    def hold(self) -> Any:
        """Block the calling thread until the session ends (a coroutine to await, in a coroutine session)."""
        ended = self.waits.new("hold(): the page was closed.")  # nothing but the session's end wakes it
        return ended.get_async() if in_coroutine_session(self) else ended.get()

    def close(self, reason: str) -> None:
        """End the session: blocked inputs raise SessionClosedException, ``defer_call`` functions run,
        the page says it has ended and its stream closes."""
        with self.lock:
            if self.closed:
                return
            self.closed = True
            self.close_reason = reason
            self.closed_at = time.monotonic()
            status = self.document.status
            status.context["message"] = self.page.messages(_CLOSE_TEXT.get(reason, "closed_other"))
            status.context["kind"] = "error" if reason == "server stopped" else "ended"
            self.document.changed(status)
            self.callbacks.stop()
            self.outbox.flush_locked()
        self._closed_event.set()
        self.waits.close_all()
        for hook in self._on_close:
            hook()
        self.outbox.wake()
        threading.Thread(target=self._run_deferred, daemon=True, name=f"htmio-{self.id[:8]}-defer").start()

    def _run_deferred(self) -> None:
        try:
            for fn in self.deferred:
                try:
                    fn()
                except Exception:
                    log.exception("htmio: a defer_call function of session %s failed", self.id[:8])
        finally:
            self.deferred_done.set()


_CLOSE_TEXT = {  # the message id (htmio.i18n) of what the page says when the session ends for each reason
    "finished": "closed_finished",
    "page closed": "closed_page_closed",
    "page gone": "closed_page_gone",
    "idle": "closed_idle",
    "server stopped": "closed_server_stopped",
}


class _Changing:
    """``Session.changing()``: a plain class, not a generator, since every output goes through it (a
    generator-based context manager costs a generator and two frames per output)."""

    __slots__ = ("_session",)

    def __init__(self, session: Session) -> None:
        self._session = session

    def __enter__(self) -> None:
        self._session.lock.acquire()

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self._session.lock.release()
        if kind is None:
            self._session.changed()
