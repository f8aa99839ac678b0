"""Exceptions raised by htmio, with PyWebIO's names."""
from __future__ import annotations

__all__ = [
    "SessionException",
    "SessionClosedException",
    "SessionNotFoundException",
    "PyWebIOWarning",
    "ScopeError",
    "JavaScriptError",
    "TopicUnavailable",
]


class SessionException(Exception):
    """Base class of the errors about an htmio session.

        try:
            name = input("name")
        except SessionException:
            ...  # the page is gone
    """


class SessionClosedException(SessionException):
    """The session ended (its page was closed) while the app waited on it or tried to use it.

        try:
            input("name")
        except SessionClosedException:
            print("the user left")
    """


class SessionNotFoundException(SessionException):
    """An htmio function was called where there is no session: outside an app, or in a thread
    that was not registered with ``register_thread()``.

        import threading
        t = threading.Thread(target=worker)
        register_thread(t)   # without this, put_text() in worker raises SessionNotFoundException
        t.start()
    """


class PyWebIOWarning(UserWarning):
    """A warning about something htmio accepts for compatibility but that has no effect.

        import warnings
        warnings.simplefilter("error", PyWebIOWarning)
    """


class ScopeError(ValueError):
    """A scope name is malformed, unknown, or taken.

        put_scope("log")
        put_scope("log")   # ScopeError: a scope named 'log' already exists
    """


class JavaScriptError(SessionException):
    """``eval_js`` got no usable answer: the page did not answer in time (it has no JavaScript, or the
    expression never finishes), or answered something that is not JSON. An expression that throws, or
    a rejected Promise, gives None instead, as in PyWebIO (the server logs the JavaScript error).

        try:
            width = eval_js("window.innerWidth")
        except JavaScriptError as exc:
            put_text("no answer from the page:", exc)
    """


class TopicUnavailable(Exception):
    """A message could not be published to an ``htmio.shared.Topic``: its Redis server did not answer
    within ``HTMIO_REDIS_TIMEOUT`` seconds (retrying meanwhile). The message was not sent; the session
    goes on, and so does delivery once Redis is back.

        try:
            room.publish({"who": name, "text": text})
        except TopicUnavailable:
            toast("The room is unreachable right now; try again in a moment.", color="error")
    """
