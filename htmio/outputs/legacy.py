"""PyWebIO's older output API, kept for compatibility: ``style()``, ``OutputList``, ``output()``."""
from __future__ import annotations

from collections import UserList
from collections.abc import Generator, Sequence
from typing import Any

from htmio.outputs.base import Output, OutputPosition, _emit, _take
from htmio.runtime import Session
from htmio.scopes import Node


class OutputList(UserList[Output]):
    """A list of outputs, as PyWebIO's ``style()`` returns for a list; containers take it like a list.

        cells = style([put_text("a"), put_text("b")], "color: red")
        put_row(cells)
        cells.style("font-weight: bold")            # to each of them

    Like a single output, it is already on the page (``show()`` does nothing) and ``await`` gives it back.
    """

    def style(self, css_style: str) -> OutputList:
        """Add CSS declarations to each output of the list.

            style([put_text("a"), put_text("b")], "color: red").style("margin: 0")
        """
        for item in self.data:
            item.style(css_style)
        return self

    def show(self) -> OutputList:
        """Kept for PyWebIO compatibility: the outputs are shown when they are made, so this does nothing.

            style([put_text("a")], "color: red").show()
        """
        return self

    send = show

    def __await__(self) -> Generator[Any, None, OutputList]:
        yield from ()
        return self


def style(outputs: Output | Sequence[Output], css_style: str) -> Output | OutputList:
    """Kept from PyWebIO 1.2: add CSS to an output or to each of a list (given back as an
    :class:`OutputList`). Prefer ``output.style(css)``.

        style(put_text("red"), "color: red")
        put_row(style([put_text("a"), put_text("b")], "border: 1px solid"))
    """
    if isinstance(outputs, Output):
        return outputs.style(css_style)
    items = list(outputs)
    for item in items:
        if not isinstance(item, Output):
            raise TypeError(f"style() styles outputs made by put_* functions, not {item!r}.")
    return OutputList(items).style(css_style)


class OutputHandler(Output):
    """What ``output()`` returns: a place on the page whose content can be replaced or extended.

        log = output("starting")
        log.append(put_text("step 1"))
        log.reset("done")
    """

    __slots__ = ()

    def _place(self, contents: tuple[Any, ...], position: int | None, caller: str) -> None:
        session = self._session
        session.check_open(caller)
        with session.changing():
            scope = self._node
            for offset, item in enumerate(contents):
                if isinstance(item, Output):
                    node = item._node
                else:
                    node = session.document.new_output("output/put_text.html", {"text": str(item), "inline": False})
                # from the top each item goes after the one before it; counted from the end, each one
                # goes after the item at that place, which is the one inserted just before it
                at = OutputPosition.BOTTOM if position is None else position + offset if position >= 0 else position
                session.document.insert(node, scope, at, caller)

    def reset(self, *contents: Any) -> None:
        """Replace the content with ``contents`` (outputs or texts).

            log.reset(put_text("cleared"))
        """
        with self._session.changing():
            self._session.document.clear(self._node)
        self._place(contents, None, "output().reset")

    def append(self, *contents: Any) -> None:
        """Add ``contents`` at the end.

            log.append("one more line")
        """
        self._place(contents, None, "output().append")

    def insert(self, idx: int, *contents: Any) -> None:
        """Add ``contents`` before the item at ``idx`` (negative counts from the end, as ``position=``).

            log.insert(0, "first line")
        """
        if not isinstance(idx, int):
            raise TypeError(f"output().insert({idx!r}, ...): the index must be an int.")
        self._place(contents, idx, "output().insert")


def output(*contents: Any) -> OutputHandler:
    """Kept from PyWebIO 1.5: a placeholder to change later; prefer ``put_scope`` and ``use_scope``.
    It is shown where it is made, and moves into a container when given to one.

        board = output(put_text("waiting"))
        put_table([["status", board]])
        board.reset(put_text("ready"))
    """
    def build(session: Session, node: Node) -> None:
        for item in contents:
            _take(session, node, item, "output")

    made = _emit("output", "output/put_scope.html", None, OutputPosition.BOTTOM, build=build, container=True)
    return OutputHandler(made._node, made._session)
