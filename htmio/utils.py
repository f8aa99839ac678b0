"""Helpers that PyWebIO programs and their tests import from ``pywebio.utils``, kept under the same names:
generator-driven test bodies, partial-aware function checks, ports, small containers, the static folder."""
from __future__ import annotations

import asyncio
import functools
import inspect
import os
import queue
import secrets
import socket
import string
import time
from collections import OrderedDict
from collections.abc import Callable, Generator, Iterator, MutableMapping
from pathlib import Path
from typing import Any, TypeVar

from htmio.fields import parse_file_size as _parse_size

__all__ = [
    "STATIC_PATH", "LRUDict", "LimitedSizeQueue", "ObjectDictProxy", "ReadOnlyObjectDict",
    "check_dom_name_value", "get_free_port", "get_function_name", "iscoroutinefunction",
    "isgeneratorfunction", "parse_file_size", "pyinstaller_datas", "random_str", "run_as_function",
    "to_coroutine", "wait_host_port",
]

K = TypeVar("K")
V = TypeVar("V")

_PACKAGE = Path(__file__).resolve().parent
STATIC_PATH = str(_PACKAGE / "static")
"""The folder of the files htmio's pages load (htmx, htmio.js and .css, CodeMirror, themes)."""


def pyinstaller_datas(cli_args: bool = False) -> list[tuple[str, str]] | str:
    """The data folders a PyInstaller bundle of an htmio app needs: as ``(source, destination)`` pairs for
    a spec file's ``datas``, or with ``cli_args=True`` as ``--add-data`` options for the command line.

        a = Analysis(["app.py"], datas=pyinstaller_datas())
        # pyinstaller app.py $(python -c "from htmio.utils import pyinstaller_datas; print(pyinstaller_datas(True))")
    """
    datas = [(STATIC_PATH, "htmio/static"), (str(_PACKAGE / "templates"), "htmio/templates")]
    if cli_args:
        return "".join(f" --add-data {source}{os.pathsep}{target}" for source, target in datas)
    return datas


def _unwrap_partial(fn: Any) -> Any:
    while isinstance(fn, functools.partial):
        fn = fn.func
    return fn


def iscoroutinefunction(obj: object) -> bool:
    """True for an ``async def`` function, also inside ``functools.partial`` wrappers.

        iscoroutinefunction(functools.partial(async_main, room="a"))   # True
    """
    return inspect.iscoroutinefunction(_unwrap_partial(obj))


def isgeneratorfunction(obj: object) -> bool:
    """True for a generator function, also inside ``functools.partial`` wrappers.

        isgeneratorfunction(functools.partial(steps, 3))   # True when steps() yields
    """
    return inspect.isgeneratorfunction(_unwrap_partial(obj))


def get_function_name(func: object, default: str | None = None) -> str | None:
    """A function's ``__name__``, looking through ``functools.partial``; ``default`` when it has none.

        get_function_name(functools.partial(greet, "Ada"))   # 'greet'
    """
    name = getattr(_unwrap_partial(func), "__name__", default)
    return name if isinstance(name, str) else default


def run_as_function(gen: Generator[Any, Any, V]) -> V:
    """Drive a generator to its end, sending each yielded value back in, and return what it returns.
    With ``to_coroutine`` this runs one generator-based body as a thread app or as a coroutine app.

        def body():
            name = yield input("name")   # in a thread session input() returns the value itself
            put_text(name)

        start_server(lambda: run_as_function(body()))
    """
    sent: Any = None
    while True:
        try:
            sent = gen.send(sent)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]


async def to_coroutine(gen: Generator[Any, Any, V]) -> V:
    """Drive a generator whose yields are awaitables: await each one and send its result back in.

        async def main():
            await to_coroutine(body())   # body() as in run_as_function's example
    """
    sent: Any = None
    while True:
        try:
            step = gen.send(sent)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        sent = await step


def get_free_port() -> int:
    """A TCP port that nothing listens on right now (on every interface).

        start_server(main, port=get_free_port())
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("", 0))
        return int(sock.getsockname()[1])


async def wait_host_port(host: str, port: int, duration: float = 10, delay: float = 2) -> bool:
    """Try to connect to ``host:port`` until it accepts (True) or ``duration`` seconds have passed
    (False), waiting ``delay`` seconds between tries.

        assert await wait_host_port("127.0.0.1", 8080, duration=5, delay=0.1)
    """
    deadline = time.monotonic() + duration
    while time.monotonic() < deadline:
        try:
            left = max(deadline - time.monotonic(), 0.1)
            _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout=min(5, left))
        except (OSError, asyncio.TimeoutError):
            if delay:
                await asyncio.sleep(min(delay, max(deadline - time.monotonic(), 0)))
            continue
        writer.close()
        await writer.wait_closed()
        return True
    return False


_ALPHANUMERIC = string.ascii_letters + string.digits


def random_str(length: int = 16) -> str:
    """A random string of letters and digits, from the operating system's secure source.

        token = random_str(32)
    """
    return "".join(secrets.choice(_ALPHANUMERIC) for _ in range(length))


def parse_file_size(size: int | float | str) -> int:
    """Bytes in a size: a number, or a string such as ``'20M'``, ``'32k'``, ``'1G'``, ``'15mb'``
    (binary multiples, as ``file_upload(max_size=...)`` reads them).

        parse_file_size("2M")   # 2097152
    """
    if isinstance(size, float):
        return int(size)
    return _parse_size(size, "parse_file_size")


_DOM_NAME_CHARS = frozenset(_ALPHANUMERIC + "_-")


def check_dom_name_value(value: str, name: str = "`name`") -> None:
    """Raise ValueError unless ``value`` can be part of a DOM id or class: letters, digits, '-' and '_'.

        check_dom_name_value("main-area")          # fine
        check_dom_name_value("a b", "scope name")  # ValueError
    """
    bad = sorted({c for c in value if c not in _DOM_NAME_CHARS})
    if bad:
        raise ValueError(f"{name} {value!r} contains {''.join(bad)!r}: it can only contain letters, digits, "
                         "hyphens ('-') and underscores ('_'). Choose a name without the others.")


class LRUDict(OrderedDict[K, V]):
    """A dict kept in the order its keys were last set: setting a key (new or not) moves it to the end,
    so the first key is the one set longest ago.

        d = LRUDict(a=1, b=2)
        d["a"] = 3
        list(d)   # ['b', 'a']
    """

    def __setitem__(self, key: K, value: V) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)


class ObjectDictProxy:
    """Attribute access to a dict that a callback returns each time (so the dict can be swapped
    underneath): ``proxy.name = 1`` sets ``d['name']``; a missing attribute reads as None; names
    starting with ``_`` are refused; ``proxy._dict`` is the dict itself.

        d: dict[str, object] = {}
        data = ObjectDictProxy(lambda: d)
        data.name = "Ada"
        assert d == {"name": "Ada"} and data.age is None and "name" in data
    """

    def __init__(self, dict_getter: Callable[[], MutableMapping[Any, Any]]) -> None:
        object.__setattr__(self, "_dict_getter", dict_getter)

    @property
    def _dict(self) -> MutableMapping[Any, Any]:
        getter: Callable[[], MutableMapping[Any, Any]] = object.__getattribute__(self, "_dict_getter")
        return getter()

    def __len__(self) -> int:
        return len(self._dict)

    def __getitem__(self, key: Any) -> Any:
        return self._dict[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        self._dict[key] = value

    def __delitem__(self, key: Any) -> None:
        del self._dict[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._dict)

    def __contains__(self, key: object) -> bool:
        return key in self._dict

    def __repr__(self) -> str:
        return repr(self._dict)

    def __getattr__(self, name: str) -> Any:  # only for names that are not real attributes
        if name.startswith("_"):
            raise AttributeError(f"{type(self).__name__} has no attribute {name!r}: names starting with '_' "
                                 "are not stored in the dict.")
        return self._dict.get(name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_"):
            raise AttributeError(f"cannot set {name!r}: names starting with '_' are not stored in the dict. "
                                 "Use a name without the leading underscore.")
        self._dict[name] = value

    def __delattr__(self, name: str) -> None:
        self._dict.pop(name, None)


class ReadOnlyObjectDict(ObjectDictProxy):
    """An ``ObjectDictProxy`` that can be read but not changed: setting or deleting raises.

        info = ReadOnlyObjectDict(lambda: {"user_agent": "PC / Linux"})
        info.user_agent   # 'PC / Linux'
    """

    def _refuse(self, what: str) -> None:
        raise NotImplementedError(f"cannot {what}: this {type(self).__name__} is read-only.")

    def __setitem__(self, key: Any, value: Any) -> None:
        self._refuse(f"set [{key!r}]")

    def __delitem__(self, key: Any) -> None:
        self._refuse(f"delete [{key!r}]")

    def __setattr__(self, name: str, value: Any) -> None:
        self._refuse(f"set .{name}")

    def __delattr__(self, name: str) -> None:
        self._refuse(f"delete .{name}")


class LimitedSizeQueue(queue.Queue[Any]):
    """A queue whose ``get()`` takes everything in it at once, as a list (``[]`` when empty, never
    blocking); ``put()`` blocks while it holds ``maxsize`` items; ``wait_empty()`` waits until taken.

        q = LimitedSizeQueue(maxsize=100)
        q.put("a"); q.put("b")
        q.get()   # ['a', 'b']
    """

    def _init(self, maxsize: int) -> None:
        self.queue: list[Any] = []

    def _qsize(self) -> int:
        return len(self.queue)

    def _put(self, item: Any) -> None:
        self.queue.append(item)

    def _get(self) -> list[Any]:
        taken, self.queue = self.queue, []
        return taken

    def get(self, block: bool = False, timeout: float | None = None) -> list[Any]:
        """Everything queued so far, oldest first; ``[]`` when nothing is. It never blocks: ``block`` and
        ``timeout`` are there for ``queue.Queue``'s signature."""
        try:
            taken: list[Any] = super().get(block=False)
        except queue.Empty:
            return []
        return taken

    def wait_empty(self, timeout: float | None = None) -> None:
        """Block until the queue is emptied by ``get()`` (or ``timeout`` seconds pass).

            q.wait_empty(timeout=1)
        """
        if timeout is not None and timeout < 0:
            raise ValueError(f"wait_empty(timeout={timeout!r}): give a number of seconds >= 0, or None.")
        with self.not_full:
            if self._qsize():
                self.not_full.wait(timeout)

