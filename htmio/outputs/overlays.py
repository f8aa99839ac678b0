"""What shows over the page: toasts and the popup."""
from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from htmio.callbacks import Callback
from htmio.outputs.base import OutputPosition, _contents, _open, _take
from htmio.outputs.scoping import use_scope
from htmio.render import render_template
from htmio.runtime import Session, current_session
from htmio.scopes import Node

_TOAST_COLORS = {"info": "info", "error": "error", "warn": "warn", "success": "success"}


def toast(content: Any, duration: float = 2, position: str = "center", color: str = "info",
          onclick: Callable[[], Any] | None = None) -> None:
    """Show a short notification at the top of the page.

        toast("Saved")
        toast("Something went wrong", color="error", duration=0)   # stays until closed
        toast("Click me", onclick=lambda: put_text("toast clicked"))

    ``duration`` is in seconds (0 keeps it until closed); ``position`` is left, center or right;
    ``color`` is info, error, warn, success, or a '#hex' colour.
    """
    if position not in ("left", "center", "right"):
        raise ValueError(f"toast(position={position!r}): use 'left', 'center' or 'right'.")
    custom = None
    if color not in _TOAST_COLORS:
        if isinstance(color, str) and color.startswith("#") and all(c in "0123456789abcdefABCDEF" for c in color[1:]) \
                and len(color) in (4, 7):
            custom = color
        else:
            raise ValueError(f"toast(color={color!r}): use info, error, warn, success or a colour like '#1565c0'.")
    session = current_session("toast")
    session.check_open("toast")
    callback = session.callbacks.add(Callback(onclick)) if onclick is not None else None
    with session.changing():
        number = session.document.next_number()
        html = render_template("output/toast.html", page=session.page, number=number, text=str(content),
                               duration=float(duration), position=position,
                               color=color if custom is None else "custom", custom=custom, callback=callback)
        session.document.toast(html, float(duration))


class PopupSize:
    """The widths of a popup.

        popup("Help", "text", size=PopupSize.LARGE)
    """

    LARGE = "large"
    NORMAL = "normal"
    SMALL = "small"


def popup(title: str, content: Any = None, size: str = PopupSize.NORMAL, implicit_close: bool = True,
          closable: bool = True) -> use_scope:
    """Show a popup over the page (one at a time: a new one replaces the old). Its content may be text,
    ``put_*`` outputs or a list; ``with popup(...)`` collects the outputs made in the block.

        popup("Saved", "Your changes are stored.")
        with popup("Details", size=PopupSize.LARGE) as name:
            put_table(rows)
            put_button("Close", onclick=close_popup)

    ``implicit_close`` lets Esc or a click beside it close the popup; ``closable=False`` leaves no way
    to close it but ``close_popup()``.
    """
    if size not in (PopupSize.LARGE, PopupSize.NORMAL, PopupSize.SMALL):
        raise ValueError(f"popup(size={size!r}): use 'large', 'normal' or 'small'.")
    session = _open("popup")
    items = _contents(content)
    name = f"popup-{secrets.token_hex(5)}"
    with session.changing():
        document = session.document
        body = document.new_scope(name, template="output/_popup_body.html")
        for item in items:
            _take(session, body, item, "popup")
        box = document.new_output("output/popup.html", {"title": str(title), "size": size,
                                                        "implicit_close": bool(implicit_close) and bool(closable),
                                                        "close": None})
        body.parent = box
        box.children.append(body)
        if closable:
            box.context["close"] = session.callbacks.add(Callback(lambda: _close_popup(session, box)))
        document.clear(document.popups)
        document.insert(box, document.popups, OutputPosition.BOTTOM, "popup")
    return use_scope(name, create_scope=False)


def _close_popup(session: Session, box: Node | None = None) -> None:
    """Close the popup, or only ``box`` if that one is still showing."""
    with session.changing():
        popups = session.document.popups
        if popups.children and (box is None or box in popups.children):
            session.document.clear(popups)


def close_popup() -> None:
    """Close the popup that is showing, if any.

        put_button("Done", onclick=close_popup, scope=popup_scope)
    """
    _close_popup(_open("close_popup"))
