"""What every output shares: ``Output``, positions, and placing a new node in the session's document.

The ``_`` helpers here are shared by the modules of this package, ``htmio.datatable`` and ``htmio.pin``;
users never import them.
"""
from __future__ import annotations

import re
import secrets
from collections import UserList
from collections.abc import Callable, Generator, Sequence
from typing import Any

from htmio.callbacks import Callback
from htmio.runtime import Session, current_session
from htmio.scopes import Node, check_scope_name

# the colour names buttons and put_loading take (Bootstrap's)
_COLORS = ("primary", "secondary", "success", "danger", "warning", "info", "light", "dark")


class OutputPosition:
    """Where ``position=`` puts an output among its scope's children: ``TOP`` first, ``BOTTOM`` last.

        put_text("first", position=OutputPosition.TOP)
    """

    TOP = 0
    BOTTOM = -1


class Position:
    """Where ``scroll_to`` puts a scope in the window.

        scroll_to("results", Position.MIDDLE)
    """

    TOP = "top"
    MIDDLE = "middle"
    BOTTOM = "bottom"


class Output:
    """What every ``put_*`` returns: already on the page, and changeable by chaining.

        put_text("warning").style("color: red").onclick(lambda: toast("clicked"))
    """

    __slots__ = ("_node", "_session")

    def __init__(self, node: Node, session: Session) -> None:
        self._node = node
        self._session = session

    def style(self, css_style: str) -> Output:
        """Add CSS declarations to the output's element.

            put_text("hello").style("color: red; font-size: 20px")
        """
        if not isinstance(css_style, str):
            raise TypeError(f"style() takes a CSS string like 'color: red', not {css_style!r}.")
        with self._session.changing():
            node = self._node
            node.style = f"{node.style};{css_style}" if node.style else css_style
            self._session.document.changed(node)
        return self

    def onclick(self, callback: Callable[[], Any]) -> Output:
        """Call ``callback()`` (no arguments) in the session when the output is clicked.

            put_text("click me").onclick(lambda: put_text("clicked"))
        """
        if not callable(callback):
            raise TypeError(f"onclick() takes a function to call, not {callback!r}.")
        number = self._session.callbacks.add(Callback(callback))
        with self._session.changing():
            self._node.click = number
            self._session.document.changed(self._node)
        return self

    def show(self) -> Output:
        """Kept for PyWebIO compatibility: htmio shows every output when it is made, so this does nothing.

            put_text("already shown").show()
        """
        return self

    send = show

    def __await__(self) -> Generator[Any, None, Output]:
        """``await put_text(...)`` works in an ``async def`` app, as in PyWebIO: the output is shown when it
        is made, so awaiting it changes nothing and gives the output back.

            async def main():
                note = await put_text("saved")
        """
        yield from ()
        return self

    def __enter__(self) -> str:
        name = self._node.scope_name
        if name is None:
            what = self._node.template.rsplit("/", 1)[-1].removesuffix(".html")
            raise TypeError(
                f"{what}() cannot collect outputs in a with block. Containers can: put_row, put_column, "
                "put_collapse, put_scrollable, put_info (and its siblings), put_loading, put_scope, popup."
            )
        self._session.scope_stack().append(name)
        return name

    def __exit__(self, *exc: object) -> None:
        stack = self._session.scope_stack()
        if len(stack) > 1 and stack[-1] == self._node.scope_name:
            stack.pop()
        if self._node.context.get("remove_on_exit"):
            with self._session.changing():
                self._session.document.detach(self._node)

    def __repr__(self) -> str:
        return f"<htmio Output {self._node.template} #{self._node.dom_id}>"


def _open(caller: str) -> Session:
    """The current session, checked open: what every output function starts with."""
    session = current_session(caller)
    session.check_open(caller)
    return session


def _emit(caller: str, template: str, scope: str | None, position: int, *,
          children: Sequence[Output] | None = None, build: Callable[[Session, Node], None] | None = None,
          container: bool = False, style: str = "", **context: Any) -> Output:
    """Build an output node, place it in the scope at ``position`` and queue it for the page.

    ``container=True`` makes the node a scope drawn by ``template``, so ``with`` can collect outputs into
    it; ``build(session, node)`` fills in children and context under the session's lock."""
    session = _open(caller)
    if not isinstance(position, int):
        raise TypeError(f"{caller}(position={position!r}): position must be an int (0 top, -1 bottom).")
    with session.changing():
        if container:
            node = session.document.new_scope(_fresh_name(), template=template, context=context)
        else:
            node = session.document.new_output(template, context)
        node.style = style
        _adopt(session, node, children or [], caller)
        if build is not None:
            build(session, node)
        target = _target_scope(session, scope, caller)
        session.document.insert(node, target, position, caller)
    return Output(node, session)


def _fresh_name() -> str:
    """A random scope name for a container that the app did not name."""
    return f"c{secrets.token_hex(5)}"


def _adopt(session: Session, container: Node, outputs: Sequence[Output], caller: str) -> None:
    """Move each of ``outputs`` into ``container``; anything that is not an output is a TypeError."""
    for item in outputs:
        if not isinstance(item, Output):
            raise TypeError(f"{caller}: expected an output made by a put_* function, got {item!r}.")
        _take_output(session, container, item)


def _take(session: Session, container: Node, item: Any, caller: str) -> Node:
    """``item`` as a child node of ``container``: an output moves there, anything else becomes text."""
    if isinstance(item, Output):
        return _take_output(session, container, item)
    text = "" if item is None else str(item)
    node = session.document.new_output("output/put_text.html", {"text": text, "inline": False})
    node.parent = container
    container.children.append(node)
    return node


def _contents(content: Any) -> list[Any]:
    """A container's ``content`` argument as a list: one output, one string, or a list of them."""
    if content is None:
        return []
    if isinstance(content, (list, tuple, UserList)):
        return list(content)
    return [content]


def _target_scope(session: Session, scope: str | None, caller: str) -> Node:
    """The scope node ``scope=`` names, or the current scope for None."""
    name = session.current_scope() if scope is None else check_scope_name(scope, caller)
    return session.document.scope(name, caller)


def _take_output(session: Session, container: Node, item: Output) -> Node:
    """Move an output into ``container`` (off the page, if it was shown on its own)."""
    session.document.adopt(item._node, container)
    container.children.append(item._node)
    return item._node


def _css_size(value: Any, caller: str, what: str) -> str:
    """A width or height as CSS: a number is pixels, a string is checked to be a CSS size."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TypeError(f"{caller}({what}={value!r}): give pixels as a number or a CSS size like '50%'.")
    text = f"{value}px" if isinstance(value, (int, float)) else value.strip()
    if not re.fullmatch(r"[\w.%() +-]+", text):
        raise ValueError(f"{caller}({what}={value!r}): not a CSS size; use a number of pixels, '50%' or '10em'.")
    return text
