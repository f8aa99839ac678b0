"""The session API: per-page state, lifetime, the browser's details, and JavaScript calls."""
from __future__ import annotations

import inspect
import itertools
import json
import logging
import re
import threading
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from htmio import urls
from htmio.coro import TaskHandler, run_in_background
from htmio.events import JsAnswered
from htmio.exceptions import JavaScriptError
from htmio.i18n import check_language, check_messages
from htmio.inbound import plug_inbound
from htmio.render import render_template
from htmio.runtime import Session, current_session, in_coroutine_session
from htmio.served import Downloads
from htmio.useragent import UserAgent, parse_user_agent
from htmio.waiting import Waiter

__all__ = [
    "defer_call",
    "hold",
    "local",
    "info",
    "set_env",
    "run_js",
    "eval_js",
    "download",
    "go_app",
    "register_thread",
    "get_current_session",
    "get_current_task_id",
    "run_async",
    "run_asyncio_coroutine",
    "data",
    "get_info",
]

F = TypeVar("F", bound=Callable[[], Any])
log = logging.getLogger("htmio")


def defer_call(func: F) -> F:
    """Run ``func()`` when the session ends (its page closed, or the app finished). Several run in the
    order they were registered. Usable as a decorator.

        @defer_call
        def cleanup():
            print("the user left")
    """
    if not callable(func):
        raise TypeError(f"defer_call() takes a function to call later, not {func!r}.")
    session = current_session("defer_call")
    with session.lock:
        session.deferred.append(func)
    return func


def hold() -> Any:
    """Block until the page is closed (``await hold()`` in an ``async def`` app). Not needed to keep
    callbacks working: a session with callbacks stays alive after ``main`` returns.

        put_text("running until you close this tab")
        hold()
    """
    return current_session("hold").hold()


def run_async(coro_obj: Coroutine[Any, Any, Any]) -> TaskHandler:
    """Run a coroutine alongside an ``async def`` app, in its session; returns a handle to stop it.

        async def clock():
            while True:
                with use_scope("time", clear=True):
                    put_text(time.ctime())
                await asyncio.sleep(1)

        async def main():
            task = run_async(clock())
            await input("Press Submit to stop the clock")
            task.close()
    """
    return _run_async(current_session("run_async"), coro_obj)


def _run_async(session: Session, coro_obj: Coroutine[Any, Any, Any]) -> TaskHandler:
    if not in_coroutine_session(session):
        raise RuntimeError("run_async() works only in an async def app (a coroutine session); in a plain "
                           "app start a thread and register_thread() it.")
    if not inspect.iscoroutine(coro_obj):
        raise TypeError(f"run_async() takes a coroutine object, like run_async(clock()), not {coro_obj!r}.")
    return TaskHandler(run_in_background(session, coro_obj))


async def run_asyncio_coroutine(coro_obj: Awaitable[Any]) -> Any:
    """Await an asyncio coroutine from an ``async def`` app. htmio runs coroutine sessions on the
    server's own asyncio loop, so this is simply ``await coro_obj``; it is kept for PyWebIO's apps.

        data = await run_asyncio_coroutine(fetch(url))
    """
    current_session("run_asyncio_coroutine")
    return await coro_obj


def register_thread(thread: threading.Thread) -> None:
    """Let a thread you start use this session's input and output functions.

        t = threading.Thread(target=worker)
        register_thread(t)
        t.start()
    """
    if not isinstance(thread, threading.Thread):
        raise TypeError(f"register_thread() takes a threading.Thread, not {thread!r}.")
    current_session("register_thread").register_thread(thread)


class _ClosedFlag:
    """``session.closed``: call it, as in PyWebIO (``session.closed()``), or test it (``if session.closed:``)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def __call__(self) -> bool:
        return self._session.closed

    def __bool__(self) -> bool:
        return self._session.closed

    def __repr__(self) -> str:
        return repr(self._session.closed)


class SessionHandle:
    """What ``get_current_session()`` returns: one browser page's session, usable from other sessions
    too (a game keeps its players' handles). The same object for the same session.

        players.append(get_current_session())
        ...
        if players[0].closed():
            put_text("your opponent left")
    """

    def __init__(self, session: Session) -> None:
        self._session = session

    def __repr__(self) -> str:
        state = "closed" if self._session.closed else "open"
        return f"<htmio session {self._session.id[:8]} of app {self._session.app_name!r}, {state}>"

    @property
    def closed(self) -> _ClosedFlag:
        """``closed()`` is True once the session has ended (its page closed, or the app finished)."""
        return _ClosedFlag(self._session)

    @property
    def id(self) -> str:
        """The session's id (part of its page's URL)."""
        return self._session.id

    @property
    def local(self) -> dict[str, Any]:
        """The session's ``local`` storage as a dict."""
        return self._session.local

    save = local  # PyWebIO's name for the dict behind the deprecated data()

    def close(self) -> None:
        """End the session, as when the app finishes: its page says so, blocked inputs raise
        SessionClosedException and ``defer_call`` functions run."""
        self._session.close("finished")

    def defer_call(self, func: F) -> F:
        """Run ``func()`` when this session ends (see ``htmio.session.defer_call``)."""
        if not callable(func):
            raise TypeError(f"defer_call() takes a function to call later, not {func!r}.")
        with self._session.lock:
            self._session.deferred.append(func)
        return func

    def register_thread(self, thread: threading.Thread) -> None:
        """Let ``thread`` use this session (see ``htmio.session.register_thread``)."""
        if not isinstance(thread, threading.Thread):
            raise TypeError(f"register_thread() takes a threading.Thread, not {thread!r}.")
        self._session.register_thread(thread)

    def run_async(self, coro_obj: Coroutine[Any, Any, Any]) -> TaskHandler:
        """Run a coroutine in this coroutine session (see ``htmio.session.run_async``)."""
        return _run_async(self._session, coro_obj)

    @staticmethod
    def get_current_session() -> SessionHandle:
        """The session of the running app (PyWebIO has this on its session class too)."""
        return get_current_session()

    @staticmethod
    def get_current_task_id() -> str:
        """The id of the running task (see ``htmio.session.get_current_task_id``)."""
        return get_current_task_id()


def get_current_session() -> SessionHandle:
    """The session of the running app: ``closed()``, ``id``, ``local``, ``close()``, ``defer_call``,
    ``register_thread`` and ``run_async`` of PyWebIO's session object. Keep it to look at another
    session later (its player may have left).

        session = get_current_session()
        ...
        if session.closed():
            return
    """
    session = current_session("get_current_session")
    return session.part(SessionHandle, lambda: SessionHandle(session))


def get_current_task_id() -> str:
    """An id of the running task: the app's thread, a callback's thread or a registered thread.

        print("running in", get_current_task_id())
    """
    current_session("get_current_task_id")
    thread = threading.current_thread()
    return f"{thread.name}-{thread.ident}"


# ---- local ---------------------------------------------------------------------------------------

class _Local:
    """Session-local storage: attributes and keys, missing ones read as None.

        local.count = (local.count or 0) + 1
        local["name"] = "Ada"
    """

    def _data(self) -> dict[str, Any]:
        return current_session("local").local

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if name == "_dict":
            return self._data()
        return self._data().get(name)

    def __setattr__(self, name: str, value: Any) -> None:
        self._data()[name] = value

    def __delattr__(self, name: str) -> None:
        self._data().pop(name, None)

    def __getitem__(self, key: str) -> Any:
        return self._data().get(key)

    def __setitem__(self, key: str, value: Any) -> None:
        self._data()[key] = value

    def __delitem__(self, key: str) -> None:
        self._data().pop(key, None)

    def __contains__(self, key: object) -> bool:
        return key in self._data()

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._data()))

    def __len__(self) -> int:
        return len(self._data())


local = _Local()


def data() -> _Local:
    """Deprecated since PyWebIO 1.1: use ``local``.

        data().count = 1   # same as local.count = 1
    """
    return local


# ---- info ----------------------------------------------------------------------------------------

class _Info:
    """Facts about the browser page of the current session, read-only.

        put_text(info.user_agent.browser.family, info.user_language, info.user_ip)

    ``user_agent`` (a :class:`UserAgent`: ``str(info.user_agent)`` is like 'PC / Windows 10 / Chrome 120.0.6099'),
    ``user_language``, ``server_host``, ``origin`` (the page's scheme, host and port, like
    'http://localhost:8080', as the browser reached the server through any proxy), ``user_ip`` (the
    client's address, or the first X-Forwarded-For address when the peer is one of
    ``HTMIO_TRUSTED_PROXIES``), ``backend`` ('starlette'), ``protocol`` ('http': posts and one SSE
    stream), and ``request``, the Starlette request that created the session.
    """

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        session = current_session(f"info.{name}")
        facts = session.request_info
        if name == "user_agent":
            return session.part(UserAgent, lambda: parse_user_agent(facts.get("user_agent", "")))
        if name == "backend":
            return "starlette"
        if name == "protocol":
            return "http"
        if name not in facts:
            raise AttributeError(f"info has no {name!r}; it has user_agent, user_language, server_host, origin, "
                                 "user_ip, backend, protocol and request.")
        return facts[name]

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("info is read-only: it describes the browser page of the session.")


info = _Info()


def get_info() -> _Info:
    """Deprecated since PyWebIO 1.2: use ``info``.

        get_info().user_language   # same as info.user_language
    """
    return info


# ---- set_env -------------------------------------------------------------------------------------

_ENV_KEYS = {
    "title": str, "output_animation": bool, "auto_scroll_bottom": bool, "http_pull_interval": int,
    "input_panel_fixed": bool, "input_panel_min_height": int, "input_panel_init_height": int,
    "input_auto_focus": bool, "output_max_width": str, "language": str, "messages": dict,
}


def set_env(**env_info: Any) -> None:
    """Change how the page behaves: its title, the input panel, scrolling, the output width.

        set_env(title="My tool", output_max_width="1200px", auto_scroll_bottom=True)

    ``title``; ``input_panel_fixed`` (True: the input panel stays at the bottom of the window while the
    page scrolls); ``input_panel_min_height``/``input_panel_init_height`` (pixels, the panel's height
    limits when fixed); ``input_auto_focus``; ``auto_scroll_bottom`` (follow new outputs);
    ``output_max_width`` ('1080px', '80%'). ``output_animation`` and ``http_pull_interval`` are
    accepted and have no effect: htmio does not animate outputs and never polls.

    htmio also takes ``language`` and ``messages``, for its own texts (button labels, validation and
    upload messages, session notices). They come in the language the browser asks for first (its
    Accept-Language: English, Chinese, Russian or German, else English); ``language='de'`` picks one,
    ``messages={'submit': 'Send', ...}`` replaces single texts in every language (ids in ``htmio.i18n``).
    Both apply to what is shown after the call:

        set_env(language="zh")
        set_env(messages={"submit": "Envoyer", "reset": "Effacer", "required": "Champ obligatoire."})
    """
    unknown = sorted(set(env_info) - set(_ENV_KEYS))
    if unknown:
        raise ValueError(f"set_env(): unknown setting {unknown[0]!r}; the settings are {', '.join(_ENV_KEYS)}.")
    for key, value in env_info.items():
        kind = _ENV_KEYS[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise TypeError(f"set_env({key}={value!r}): {key} takes a {kind.__name__}.")
    if "output_max_width" in env_info and not re.fullmatch(r"\d+(\.\d+)?(px|%|em|rem|vw)", env_info["output_max_width"]):
        raise ValueError(f"set_env(output_max_width={env_info['output_max_width']!r}): use a CSS width like '1080px' or '80%'.")
    language = check_language(env_info.pop("language"), "set_env(language=...)") if "language" in env_info else None
    messages = check_messages(env_info.pop("messages"), "set_env(messages=...)") if "messages" in env_info else {}
    session = current_session("set_env")
    session.check_open("set_env")
    with session.changing():
        if language is not None:
            session.page.messages.language = language
        session.page.messages.overrides.update(messages)
        if env_info:
            session.document.env.update(env_info)
            _command(session, "env", dict(session.document.env))


# ---- JavaScript ----------------------------------------------------------------------------------

def _command(session: Session, command: str, payload: dict[str, Any]) -> None:
    """Queue a command for htmio.js (the caller holds the session lock)."""
    session.document.command("htmio-commands", "beforeend",
                             render_template("_command.html", command=command, payload=payload))


def _js_args(args: dict[str, Any], caller: str) -> dict[str, Any]:
    for name in args:
        if not re.fullmatch(r"[A-Za-z_$][A-Za-z0-9_$]*", name):
            raise ValueError(f"{caller}(): {name!r} cannot be a JavaScript variable name.")
    try:
        json.dumps(args)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{caller}(): the arguments must be JSON values (str, int, float, bool, None, "
                        f"list, dict): {exc}.") from None
    return args


def run_js(code_: str, **args: Any) -> None:
    """Run JavaScript in the page; keyword arguments become its local variables (JSON values).

        run_js("document.body.style.background = color", color="lightyellow")
        run_js("console.log(items.length)", items=[1, 2, 3])

    Fire and forget: use ``eval_js`` to get a value back.
    """
    session = current_session("run_js")
    session.check_open("run_js")
    with session.changing():
        _command(session, "run", {"code": str(code_), "args": _js_args(args, "run_js")})


class _JsCalls:
    """The eval_js calls of a session waiting for the browser's answer, and their expressions (for the log)."""

    def __init__(self) -> None:
        self.numbers = itertools.count(1)
        self.pending: dict[int, Waiter[Any]] = {}
        self.expressions: dict[int, str] = {}


def _js_calls(session: Session) -> _JsCalls:
    return session.part(_JsCalls)


_NO_ANSWER = object()


def eval_js(expression_: str, **args: Any) -> Any:
    """Evaluate a JavaScript expression in the page and return its value (a Promise is awaited).

        width = eval_js("window.innerWidth")
        answer = eval_js("prompt(question)", question="Your name?")
        data = eval_js("fetch('/api').then(r => r.json())")

    In an ``async def`` app: ``width = await eval_js("window.innerWidth")``.
    When the expression throws or its Promise is rejected, the answer is None, as in PyWebIO, and the
    server logs a warning with the JavaScript error. Raises ``JavaScriptError`` when the page does not
    answer within ``HTMIO_EVAL_JS_TIMEOUT`` seconds (a page without JavaScript never does) or answers
    something that is not JSON, and ``SessionClosedException`` when the page is closed first.
    """
    session = current_session("eval_js")
    session.check_open("eval_js")
    calls = _js_calls(session)
    waiter: Waiter[Any] = session.waits.new("eval_js(): the page was closed before it answered.")
    with session.lock:
        number = next(calls.numbers)
        calls.pending[number] = waiter
        calls.expressions[number] = str(expression_)
        _command(session, "eval", {"id": number, "code": str(expression_), "args": _js_args(args, "eval_js")})
    session.flush()
    if in_coroutine_session(session):
        return _eval_async(session, calls, number, waiter, expression_)
    try:
        return _answer(session, waiter.get(session.settings.eval_js_timeout, _NO_ANSWER), expression_)
    finally:
        _forget(session, calls, number, waiter)


async def _eval_async(session: Session, calls: _JsCalls, number: int, waiter: Waiter[Any], expression: str) -> Any:
    """``await eval_js(...)``: the same wait, on the loop instead of in a thread."""
    try:
        return _answer(session, await waiter.get_async(session.settings.eval_js_timeout, _NO_ANSWER), expression)
    finally:
        _forget(session, calls, number, waiter)


def _answer(session: Session, answer: Any, expression: str) -> Any:
    """The page's answer; a JavaScriptError when it gave none in time."""
    if answer is _NO_ANSWER:
        raise JavaScriptError(
            f"eval_js({expression!r}): the page did not answer within {session.settings.eval_js_timeout:g} s. "
            "It may have JavaScript turned off, or the expression may not finish; raise "
            "HTMIO_EVAL_JS_TIMEOUT if it needs longer."
        )
    return answer


def _forget(session: Session, calls: _JsCalls, number: int, waiter: Waiter[Any]) -> None:
    """An eval_js call is over: a late answer finds nothing to wake."""
    with session.lock:
        calls.pending.pop(number, None)
        calls.expressions.pop(number, None)
    waiter.stop()


def _resolve(session: Session, calls: _JsCalls, number: int, value: Any = None,
             error: BaseException | None = None) -> bool:
    """Answer a waiting eval_js call (under the session lock)."""
    waiter = calls.pending.pop(number, None)
    calls.expressions.pop(number, None)
    if waiter is None:
        return False
    return waiter.fail(error) if error is not None else waiter.put(value)


def answer_js(session: Session, event: JsAnswered) -> bool:
    """The browser's answer to an eval_js call; False when no call with that number waits."""
    number, value, error = event.number, event.value, event.error
    calls = session.part_if_made(_JsCalls)
    if calls is None:
        return False
    problem: BaseException | None = None
    result: Any = None
    if error is None:
        try:
            result = None if value in (None, "", "undefined") else json.loads(value)
        except ValueError:
            problem = JavaScriptError(f"eval_js(): the page answered {value!r}, which is not JSON.")
    with session.lock:
        expression = calls.expressions.get(number)
        answered = _resolve(session, calls, number, result, problem)
    if answered and error is not None:
        # PyWebIO answers None when the expression throws or its Promise is rejected, and programs written
        # for it count on that; the developer still sees what happened, in the log
        log.warning("htmio: eval_js(%r) failed in the browser of session %s: %s. It returns None, as in PyWebIO.",
                    expression, session.id[:8], error)
    return answered


def download(name: str, content: bytes) -> None:
    """Make the browser save ``content`` as a file named ``name``.

        download("report.csv", "a,b\\n1,2\\n".encode())

    The bytes stay with the session until it ends and are served only to its own browser.
    """
    if not isinstance(content, (bytes, bytearray)):
        raise TypeError(f"download({name!r}, ...): content must be bytes, not {type(content).__name__}; "
                        "encode text first, like text.encode().")
    session = current_session("download")
    session.check_open("download")
    with session.changing():
        files = session.part(Downloads)
        number = session.document.next_number()
        files[number] = (str(name), bytes(content))
        _command(session, "download", {"url": urls.download(session.page.base, number), "name": str(name)})


def go_app(name: str, new_window: bool = True) -> None:
    """Open another app of the same server (``start_server({'a': a, 'b': b})``): its address is the
    server's own (under any mount prefix) with ``?app=name``. Under ``path_deploy`` the other apps are
    the other files of the folder: ``go_app("report")`` opens ``report.py`` beside this app's file.

        put_button("Settings", onclick=lambda: go_app("settings", new_window=False))
    """
    if not re.fullmatch(r"[A-Za-z0-9_-]+", str(name)):
        raise ValueError(f"go_app({name!r}): app names use letters, digits, '-' and '_'.")
    session = current_session("go_app")
    session.check_open("go_app")
    with session.changing():
        _command(session, "go", {"url": session.app_url(str(name)), "new_window": bool(new_window)})


plug_inbound(JsAnswered, answer_js)  # the server hands the page's answer to the core, which hands it here
