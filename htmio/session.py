"""The session API: per-page state and lifetime (``local``, ``defer_call``, ``hold``, ``register_thread``)."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from htmio.runtime import Session, current_session

__all__ = [
    "defer_call",
    "hold",
    "local",
    "register_thread",
    "get_current_session",
]

F = TypeVar("F", bound=Callable[[], Any])


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


def hold() -> None:
    """Block until the page is closed. Not needed to keep callbacks working: a session with
    callbacks stays alive after ``main`` returns.

        put_text("running until you close this tab")
        hold()
    """
    current_session("hold").hold()


def register_thread(thread: threading.Thread) -> None:
    """Let a thread you start use this session's input and output functions.

        t = threading.Thread(target=worker)
        register_thread(t)
        t.start()
    """
    if not isinstance(thread, threading.Thread):
        raise TypeError(f"register_thread() takes a threading.Thread, not {thread!r}.")
    current_session("register_thread").register_thread(thread)


def get_current_session() -> Session:
    """The session object of the running app (for advanced use: ``session.closed``).

        if get_current_session().closed:
            return
    """
    return current_session("get_current_session")


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
