"""Values that ``await`` also takes: what a coroutine session's ``pin.x`` returns.

PyWebIO's async apps write ``await pin.x``; htmio keeps pin values on the server, so there is nothing to
wait for, but the value must be awaitable. ``awaitable(v)`` is a copy of ``v`` whose type also has
``__await__`` (a str, int, float, list, dict or tuple subclass), so ``await pin.x`` and a plain ``pin.x``
both work. None and bool cannot be subclassed: they come as stand-ins (equal to None / True / False, with
the same truth value); ``await`` gives the real None or bool.

    x = awaitable(3)
    x + 1            # 4
    await x          # 3, a plain int
"""
from __future__ import annotations

from collections.abc import Generator
from typing import Any


async def _resolved(value: Any) -> Any:
    return value


class _Awaitable:
    """Mixin: ``await self`` gives the plain value it was made from."""

    _value: Any

    def __await__(self) -> Generator[Any, None, Any]:
        return _resolved(self._value).__await__()


class _Str(_Awaitable, str):
    pass


class _Int(_Awaitable, int):
    pass


class _Float(_Awaitable, float):
    pass


class _List(_Awaitable, list):  # type: ignore[type-arg]
    pass


class _Dict(_Awaitable, dict):  # type: ignore[type-arg]
    pass


class _Tuple(_Awaitable, tuple):  # type: ignore[type-arg]
    pass


class _Bool(_Awaitable, int):
    """A bool stand-in: an int 0 or 1 that prints as False or True (bool cannot be subclassed)."""

    def __repr__(self) -> str:
        return repr(self._value)

    __str__ = __repr__


class _NoneType(_Awaitable):
    """The None stand-in: false, equal to None, prints as None; ``await`` gives None itself.
    (``x is None`` is False: write ``await pin.x`` or ``x == None`` in a coroutine session.)"""

    _value = None

    def __bool__(self) -> bool:
        return False

    def __eq__(self, other: object) -> bool:
        return other is None or isinstance(other, _NoneType)

    def __hash__(self) -> int:
        return hash(None)

    def __repr__(self) -> str:
        return "None"

    __str__ = __repr__


class _Proxy(_Awaitable):
    """Any other value (option values may be any object): awaitable, and forwards what it is asked."""

    def __init__(self, value: Any) -> None:
        self._value = value

    def __getattr__(self, name: str) -> Any:
        return getattr(self._value, name)

    def __eq__(self, other: object) -> bool:
        return bool(self._value == (other._value if isinstance(other, _Awaitable) else other))

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return repr(self._value)

    def __str__(self) -> str:
        return str(self._value)


_NONE = _NoneType()
_KINDS: dict[type, type[_Awaitable]] = {str: _Str, int: _Int, float: _Float, list: _List, dict: _Dict,
                                        tuple: _Tuple, bool: _Bool}


def awaitable(value: Any) -> Any:
    """``value`` as a coroutine session returns it: usable as it is, and by ``await``."""
    if value is None:
        return _NONE
    kind = _KINDS.get(type(value))
    if kind is None:
        return _Proxy(value)
    made = kind(value)  # type: ignore[call-arg]
    made._value = value
    return made
