"""One Session per browser page: the app thread, the document and its outbox of SSE messages, pending
input forms, button callbacks, ``defer_call``, liveness, and closing."""
from __future__ import annotations

import abc
import asyncio
import collections
import concurrent.futures
import contextlib
import inspect
import logging
import queue
import secrets
import threading
import time
import traceback
from collections.abc import Callable, Coroutine, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Protocol

from htmio import urls
from htmio.events import ButtonClicked, FormSubmitted, SseMessage
from htmio.exceptions import SessionClosedException, SessionNotFoundException
from htmio.i18n import Messages
from htmio.liveness import Liveness
from htmio.outbox import Outbox
from htmio.scopes import ROOT, Document, Node, PageContext, form_dom_id
from htmio.settings import Settings
from htmio.waiting import Waiter, Waits

log = logging.getLogger("htmio")

_current: ContextVar[Session] = ContextVar("htmio.session")


class Background:
    """A ``run_async`` task's standing: it counts as running (so the session is not settled) only once
    the browser has woken it; before, it may be a clock that only sleeps, and the session would never settle."""

    counted = False


_background: ContextVar[Background | None] = ContextVar("htmio.background", default=None)
_thread_sessions: dict[int, Session] = {}


def _task_key() -> object:
    """What owns a scope stack: the running asyncio task (coroutine sessions), else the thread."""
    try:
        task = asyncio.current_task()
    except RuntimeError:  # no event loop runs in this thread
        task = None
    return task if task is not None else threading.get_ident()


def _loop_runs_here() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


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
        for find in _plugs.session_finders:  # script mode: `python app.py` with module-level calls
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


@dataclass(frozen=True)
class FormOutcome:
    """What handling one post of a form came to: ``ok`` and ``cancelled`` end the input call with
    ``result``; ``invalid`` and ``updated`` keep the form, and ``html`` is the part to swap in."""

    status: str
    result: Any = None
    html: str = ""

    @property
    def is_final(self) -> bool:
        return self.status in ("ok", "cancelled")


class FormSpec(Protocol):
    """What the input module hands the session: how to handle a post of its form."""

    def handle(self, event: FormSubmitted, node: Node, session: Session) -> FormOutcome:
        """Check a submission, run an onchange or action callback; runs in the waiting thread."""
        ...


@dataclass
class PendingForm:
    """An input form on the page whose thread waits for a valid submission."""

    node: Node
    spec: FormSpec
    posts: Waiter[tuple[FormSubmitted, concurrent.futures.Future[Verdict]]]


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


@dataclass(frozen=True)
class Verdict:
    """What the session thread answers to a form post."""

    status: str  # "ok" | "cancelled" | "invalid" | "updated" | "stale" | "stacked" | "closed"
    html: str = ""


_STOP = object()  # ends the serial callback thread


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
        self.forms: dict[int, PendingForm] = {}
        self.callbacks: dict[int, Callback] = {}
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
        self._serial_queue: queue.Queue[Any] | None = None
        self.registered_threads: set[threading.Thread] = set()
        self.background_tasks: set[object] = set()  # run_async tasks still running: they keep the session
        self.extras: dict[str, Any] = {}  # state of the pin and JavaScript-call machinery, made on first use
        self._on_close: list[Callable[[], None]] = []
        self.waits = Waits(self)  # everything that waits for the browser; woken as the session ends
        self.init_liveness()

    # ---- running the app ---------------------------------------------------------------------

    @property
    def is_async(self) -> bool:
        """True for a coroutine session (an ``async def`` app): it runs as a task on the server's loop."""
        return inspect.iscoroutinefunction(self.app)

    def start(self) -> None:
        """Run the app function in its own daemon thread (never a thread-pool slot), or as a task on
        the server's loop for an ``async def`` app."""
        with self.lock:
            self._running += 1
        if self.is_async:
            coroutine_runner().start(self)
            return
        thread = threading.Thread(target=self._run_main, name=f"htmio-{self.id[:8]}", daemon=True)
        thread.start()

    def _run_main(self) -> None:
        self._enter_thread()
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
            self._leave_thread()
            self.flush()
            self.maybe_finish()

    def _enter_thread(self) -> None:
        _thread_sessions[threading.get_ident()] = self

    def _leave_thread(self) -> None:
        _thread_sessions.pop(threading.get_ident(), None)
        self._scope_stacks.pop(_task_key(), None)

    def register_thread(self, thread: threading.Thread) -> None:
        """Let ``thread`` use this session once it starts (see ``htmio.session.register_thread``)."""
        session = self
        original = thread.run

        def run() -> None:
            _thread_sessions[threading.get_ident()] = session
            with session.lock:
                session._running += 1
            try:
                original()
            except SessionClosedException:
                pass
            finally:
                with session.lock:
                    session._running -= 1
                    session.registered_threads.discard(thread)
                session._leave_thread()
                session.flush()
                session.maybe_finish()

        thread.run = run  # type: ignore[method-assign]
        self.registered_threads.add(thread)

    def maybe_finish(self) -> None:
        """End the session once main returned and nothing can run any more (PyWebIO's automatic hold)."""
        with self.lock:
            if self.closed or not self.main_done or self.callbacks or self.registered_threads or self.background_tasks:
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

    @contextlib.contextmanager
    def changing(self) -> Iterator[None]:
        """Change the document under the lock, then mark it changed (not when the change raises)."""
        with self.lock:
            yield
        self.changed()

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

    # ---- input forms ---------------------------------------------------------------------------

    def run_form(self, template: str, context: dict[str, Any], spec: FormSpec, caller: str) -> Any:
        """Show a form in the input area and block this thread until it is validly submitted.
        In a coroutine session this returns a coroutine to await instead."""
        if in_coroutine_session(self):
            return self._run_form_async(template, context, spec, caller)
        pending = self.open_form(template, context, spec, caller)
        try:
            while True:
                done, result = self.handle_form_item(pending, pending.posts.get())
                if done:
                    return result
        finally:
            self.close_form(pending)

    async def _run_form_async(self, template: str, context: dict[str, Any], spec: FormSpec, caller: str) -> Any:
        """``await input(...)``: the same wait, on the loop instead of in a thread."""
        pending = self.open_form(template, context, spec, caller)
        try:
            while True:
                done, result = self.handle_form_item(pending, await pending.posts.get_async())
                if done:
                    return result
        finally:
            self.close_form(pending)

    def open_form(self, template: str, context: dict[str, Any], spec: FormSpec, caller: str) -> PendingForm:
        """Put a form into the input area and send it."""
        with self.lock:
            self.check_open(caller)
            form_id = self.document.next_number()
            node = Node(template, {**context, "form_id": form_id, "errors": {}, "values": {}, "stacked": False},
                        form_dom_id(form_id))
            # forms of concurrent inputs stack, the newest on top: the page shows only the last form of the
            # input area (its CSS hides the others live, so what the user typed in them stays), and a page
            # rendered anew marks the others hidden
            for below in self.forms.values():
                below.node.context["stacked"] = True
            self.document.insert(node, self.document.inputs, -1, caller)
            pending = PendingForm(node, spec, self.waits.new(
                "input(): the page was closed before the form was submitted."))
            self.forms[form_id] = pending
        self.flush()
        return pending

    def handle_form_item(self, pending: PendingForm,
                         item: tuple[FormSubmitted, concurrent.futures.Future[Verdict]]) -> tuple[bool, Any]:
        """Handle one post in the waiting thread or task: (done, result)."""
        event, verdict = item
        if not verdict.set_running_or_notify_cancel():
            return False, None  # the post gave up waiting: ignore that submission
        try:
            outcome = pending.spec.handle(event, pending.node, self)
        except Exception as exc:
            verdict.set_exception(exc)
            raise
        verdict.set_result(Verdict(outcome.status, outcome.html))
        return outcome.is_final, outcome.result

    def close_form(self, pending: PendingForm) -> None:
        """Take an answered (or abandoned) form off the page."""
        with self.changing():
            pending.posts.stop()
            self.forms.pop(int(pending.node.context["form_id"]), None)
            if pending.node.parent is not None:
                self.document.detach(pending.node)
            top = self.top_form()
            if top is not None:
                top.node.context["stacked"] = False  # shown again: the CSS shows it live, as the last form

    def top_form(self) -> PendingForm | None:
        """The form shown: the newest of the pending ones (the others wait below it)."""
        with self.lock:
            return self.forms[next(reversed(self.forms))] if self.forms else None

    def submit(self, event: FormSubmitted) -> concurrent.futures.Future[Verdict]:
        """Hand a form post to the waiting thread; the future holds its verdict. An answer to a form that
        waits below a newer one is refused ("stacked"): the user answers the form shown first."""
        verdict: concurrent.futures.Future[Verdict] = concurrent.futures.Future()
        with self.lock:
            pending = self.forms.get(event.form_id)
            if self.closed:
                verdict.set_result(Verdict("closed"))
            elif pending is None:
                verdict.set_result(Verdict("stale"))
            elif pending is not self.top_form() and event.action.partition(":")[0] in ("submit", "cancel"):
                # an answer to a covered form; its field checks ("change", sent as a field loses focus) go on
                verdict.set_result(Verdict("stacked"))
            elif not pending.posts.put((event, verdict)):
                verdict.set_result(Verdict("stale"))  # the form's wait has just ended
        return verdict

    # ---- callbacks -----------------------------------------------------------------------------

    def add_callback(self, callback: Callback) -> int:
        """Register a callback and return its id (used in the button's URL)."""
        with self.lock:
            number = self.document.next_number()
            self.callbacks[number] = callback
            return number

    def click(self, event: ButtonClicked) -> bool:
        """Run the callback of a click in a new thread of this session; False if there is none."""
        with self.lock:
            callback = self.callbacks.get(event.callback_id)
        if callback is None or (callback.values is not None and not 0 <= event.index < len(callback.values)):
            return False
        return self.run_callback(callback, event.index)

    def run_callback(self, callback: Callback, index: int = 0) -> bool:
        """Run ``callback`` (with ``values[index]``) in a thread of this session: a new one, or the
        session's serial one. In a coroutine session an ``async def`` callback, or the coroutine a plain
        one returns (``put_buttons(onclick=[async_fn])`` wraps it in a lambda), runs as a task of the
        session on its loop; in a plain session it runs to its end in the callback's thread, on an event
        loop of its own. False once the session has ended."""
        with self.lock:
            if self.closed:
                return False
            if callback.mutex:
                if callback.busy.running:
                    return True  # mutex_mode: dropped while the previous call runs, as in PyWebIO
                callback.busy.running = True
            self._running += 1
        if self.is_async and inspect.iscoroutinefunction(callback.fn):
            coroutine_runner().run_callback(self, callback, index)
            return True
        if callback.serial:
            self._serial().put((callback, index))
        else:
            threading.Thread(target=self._run_callback, args=(callback, index), daemon=True,
                             name=f"htmio-{self.id[:8]}-cb").start()
        return True

    def _serial(self) -> queue.Queue[Any]:
        with self.lock:
            if self._serial_queue is None:
                self._serial_queue = queue.Queue()
                threading.Thread(target=self._serial_worker, daemon=True, name=f"htmio-{self.id[:8]}-serial").start()
            return self._serial_queue

    def _serial_worker(self) -> None:
        assert self._serial_queue is not None
        while True:
            item = self._serial_queue.get()
            if item is _STOP:
                return
            self._run_callback(*item)

    def _run_callback(self, callback: Callback, index: int) -> None:
        self._enter_thread()
        handed_over = False
        try:
            result = callback.fn() if callback.values is None else callback.fn(callback.values[index])
            if asyncio.iscoroutine(result):
                if self.is_async:
                    handed_over = True
                    ended = coroutine_runner().adopt(self, result, lambda: self.callback_done(callback))
                    if callback.serial:  # one after another: the next waits for this coroutine too
                        with self.blocked():
                            ended.result()
                else:
                    self.run_to_end(result)
        except SessionClosedException:
            pass
        except Exception as exc:
            self.report_error(exc, "a callback")
        finally:
            with self.lock:
                self._running -= 1
            if not handed_over:
                self.callback_done(callback)
            self._leave_thread()
            self.flush()

    def callback_done(self, callback: Callback) -> None:
        """A call of ``callback`` has ended (with the coroutine it returned): a mutex_mode one may run again."""
        with self.lock:
            callback.busy.running = False

    def call(self, fn: Callable[..., Any], *args: Any) -> bool:
        """Call ``fn(*args)`` now, in the calling thread or task (``init_run`` of ``pin_on_change``, an
        input's action). A coroutine it returns (an ``async def`` callback) runs as a task of a coroutine
        session, and True says so; in a plain session it runs to its end here, and the answer is False."""
        result = fn(*args)
        if not asyncio.iscoroutine(result):
            return False
        if self.is_async:
            coroutine_runner().adopt(self, result, lambda: None)
            return True
        self.run_to_end(result)
        return False

    def run_to_end(self, coro: Coroutine[Any, Any, Any]) -> None:
        """Run a callback's coroutine in a plain (thread) session: to its end, on an event loop of its own,
        in this thread; or, when a loop runs here already (inside another such coroutine), in a thread
        of the session that this one waits for. It has a scope stack of its own, as a new thread has."""
        async def scoped() -> None:
            try:
                await coro
            finally:
                self.forget_scope_stack()

        if not _loop_runs_here():
            asyncio.run(scoped())
            return
        failed: list[BaseException] = []

        def run() -> None:
            try:
                asyncio.run(scoped())
            except BaseException as exc:  # raised in the caller, as if it ran there
                failed.append(exc)

        worker = threading.Thread(target=run, daemon=True, name=f"htmio-{self.id[:8]}-coro")
        self.register_thread(worker)
        worker.start()
        with self.blocked():
            worker.join()
        if failed:
            raise failed[0]

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
            if self._serial_queue is not None:
                self._serial_queue.put(_STOP)
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


# What plugs into the core from above. The core imports neither script mode nor coroutine sessions:
# htmio.script and htmio.coro plug themselves in when they are imported (htmio/__init__.py imports htmio.script;
# htmio.session, which every htmio import loads, imports htmio.coro).


@dataclass(frozen=True)
class CoroutineRunner:
    """How ``async def`` apps and callbacks run, as tasks on the server's loop; htmio.coro plugs it in."""

    start: Callable[[Session], None]  # the app (``Session.start`` counted it as running already)
    run_callback: Callable[[Session, Callback, int], None]  # an ``async def`` callback
    adopt: Callable[[Session, Coroutine[Any, Any, Any], Callable[[], None]], concurrent.futures.Future[None]]


class SessionHost(abc.ABC):
    """An app that runs its one session itself (script mode): the server hands it the page's session
    instead of starting the app, and sends later visitors to that same page."""

    session: Session | None = None

    @abc.abstractmethod
    def attach(self, session: Session) -> None:
        """Take the session the server made for the page."""


def session_host(app: object) -> SessionHost | None:
    """The app as a ``SessionHost`` when it is one, else None."""
    return app if isinstance(app, SessionHost) else None


class _Plugs:
    """The hooks plugged into the core, by default none."""

    def __init__(self) -> None:
        self.session_finders: list[Callable[[], Session | None]] = []
        self.coroutines: CoroutineRunner | None = None


_plugs = _Plugs()


def plug_session_finder(find: Callable[[], Session | None]) -> None:
    """Let ``find()`` give a session to an htmio call made outside every session (None: it has none)."""
    _plugs.session_finders.append(find)


def plug_coroutines(runner: CoroutineRunner) -> None:
    """Run ``async def`` apps and callbacks with ``runner``."""
    _plugs.coroutines = runner


def coroutine_runner() -> CoroutineRunner:
    """The runner of coroutine sessions; a clear error when htmio.coro was never imported."""
    if _plugs.coroutines is None:
        raise RuntimeError("An async def app needs htmio.coro, which is not imported. Import htmio before "
                           "starting a session: `import htmio`.")
    return _plugs.coroutines
