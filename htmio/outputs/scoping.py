"""Named scopes: creating them (``put_scope``, ``use_scope``, ``set_scope``), emptying, removing, scrolling."""
from __future__ import annotations

import functools
import inspect
import secrets
from collections.abc import Callable, Sequence
from typing import Any

from htmio.outputs.base import (
    Output,
    OutputPosition,
    Position,
    _adopt,
    _open,
    _target_scope,
)
from htmio.render import render_template
from htmio.runtime import Session, current_session
from htmio.scopes import ROOT, check_scope_name


def put_scope(name: str, content: Output | Sequence[Output] = (), scope: str | None = None,
              position: int = OutputPosition.BOTTOM) -> Output:
    """Output a new, named scope, optionally with content; write into it later with ``scope=name``
    or ``use_scope(name)``.

        put_scope("log", [put_text("started")])
        put_text("more", scope="log")
    """
    check_scope_name(name, f"put_scope({name!r})")
    session = current_session("put_scope")
    session.check_open("put_scope")
    items = [content] if isinstance(content, Output) else list(content)
    with session.changing():
        node = session.document.new_scope(name)
        _adopt(session, node, items, "put_scope")
        target = _target_scope(session, scope, "put_scope")
        session.document.insert(node, target, position, f"put_scope({name!r})")
    return Output(node, session)


class use_scope:  # noqa: N801 - PyWebIO's name
    """Enter a scope: outputs inside the block (or the decorated function) go into it. The scope is
    created at the end of the current scope if it does not exist yet.

        with use_scope("results", clear=True):
            put_text("fresh results")

        @use_scope("clock", clear=True)
        def show_time():
            put_text(time.ctime())

    ``name=None`` makes a fresh scope with a random name, which ``with ... as name`` gives you.
    """

    def __init__(self, name: str | None = None, clear: bool = False, **kwargs: Any) -> None:
        self.name = name if name is not None else f"s{secrets.token_hex(5)}"
        check_scope_name(self.name, f"use_scope({self.name!r})")
        self.clear = clear
        self.create_scope = kwargs.get("create_scope", True)
        self.position = kwargs.get("position", OutputPosition.BOTTOM)
        self.container = kwargs.get("container_scope")
        self._entered: list[Session] = []

    def __enter__(self) -> str:
        session = current_session("use_scope")
        session.check_open("use_scope")
        with session.changing():
            if self.name not in session.document.scopes:
                if not self.create_scope:
                    session.document.scope(self.name, f"use_scope({self.name!r})")
                node = session.document.new_scope(self.name)
                parent = _target_scope(session, self.container, "use_scope")
                session.document.insert(node, parent, self.position, f"use_scope({self.name!r})")
            elif self.clear:
                session.document.clear(session.document.scopes[self.name])
            session.scope_stack().append(self.name)
        self._entered.append(session)
        return self.name

    def __exit__(self, *exc: object) -> None:
        session = self._entered.pop()
        stack = session.scope_stack()
        if len(stack) > 1:
            stack.pop()

    def __call__(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                with use_scope(self.name, clear=self.clear, position=self.position,
                               container_scope=self.container, create_scope=self.create_scope):
                    return await fn(*args, **kwargs)
            return async_wrapper

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with use_scope(self.name, clear=self.clear, position=self.position,
                           container_scope=self.container, create_scope=self.create_scope):
                return fn(*args, **kwargs)
        return wrapper


def get_scope(stack_idx: int = -1) -> str | None:
    """The name of a scope in the current thread's scope stack: -1 the current one, 0 ``'ROOT'``.

        with use_scope("a"):
            assert get_scope() == "a"
    """
    stack = current_session("get_scope").scope_stack()
    try:
        return stack[stack_idx]
    except IndexError:
        return None


def clear(scope: str | None = None) -> None:
    """Remove everything inside a scope (the current one by default); the scope itself stays.

        clear("results")
    """
    session = current_session("clear")
    session.check_open("clear")
    with session.changing():
        node = _target_scope(session, scope, f"clear({scope!r})")
        session.document.clear(node)


clear_scope = clear  # PyWebIO's module-level alias, not in its __all__ (nor in ours)


def remove(scope: str | None = None) -> None:
    """Remove a scope and its content from the page. ``ROOT`` cannot be removed.

        remove("results")
    """
    session = current_session("remove")
    session.check_open("remove")
    name = session.current_scope() if scope is None else scope
    if name == ROOT:
        raise ValueError("remove('ROOT'): the root scope cannot be removed; use clear('ROOT') to empty it.")
    with session.changing():
        node = _target_scope(session, name, f"remove({name!r})")
        session.document.detach(node)


def scroll_to(scope: str | None = None, position: str = Position.TOP) -> None:
    """Scroll the page so that a scope is at the top, middle or bottom of the window.

        scroll_to("results", position="middle")
    """
    if position not in (Position.TOP, Position.MIDDLE, Position.BOTTOM):
        raise ValueError(f"scroll_to(position={position!r}): use 'top', 'middle' or 'bottom'.")
    session = current_session("scroll_to")
    session.check_open("scroll_to")
    with session.changing():
        node = _target_scope(session, scope, f"scroll_to({scope!r})")
        html = render_template("_command.html", command="scroll", payload={"target": node.dom_id, "position": position})
        session.document.command("htmio-commands", "beforeend", html)


def set_scope(name: str, container_scope: str | None = None, position: int = OutputPosition.BOTTOM,
              if_exist: str | None = None) -> None:
    """Create a scope named ``name`` in ``container_scope`` (the current scope by default).

        set_scope("results", if_exist="clear")

    ``if_exist``: ``None`` leaves an existing scope alone, ``'clear'`` empties it, ``'remove'`` replaces it.
    """
    if if_exist not in (None, "clear", "remove"):
        raise ValueError(f"set_scope(if_exist={if_exist!r}): use None, 'clear' or 'remove'.")
    session = _open("set_scope")
    check_scope_name(name, f"set_scope({name!r})")
    with session.changing():
        existing = session.document.scopes.get(name)
        if existing is not None and if_exist == "clear":
            session.document.clear(existing)
        elif existing is None or if_exist == "remove":
            if existing is not None:
                session.document.detach(existing)
            node = session.document.new_scope(name)
            parent = _target_scope(session, container_scope, f"set_scope({name!r})")
            session.document.insert(node, parent, position, f"set_scope({name!r})")
