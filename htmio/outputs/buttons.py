"""Buttons: ``put_buttons`` and ``put_button``, whose clicks call back into the session."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from htmio.callbacks import Callback
from htmio.outputs.base import _COLORS, Output, OutputPosition, _emit
from htmio.runtime import current_session


def _button_specs(buttons: Sequence[Any], caller: str) -> list[dict[str, Any]]:
    """The buttons as dicts of label, value, color and disabled, from labels, pairs or dicts."""
    specs = []
    for item in buttons:
        if isinstance(item, dict):
            if "label" not in item:
                raise ValueError(f"{caller}: the button {item!r} has no 'label'.")
            spec = {"label": str(item["label"]), "value": item.get("value", item["label"]),
                    "color": item.get("color") or "primary", "disabled": bool(item.get("disabled", False))}
        elif isinstance(item, (tuple, list)):
            if len(item) != 2:
                raise ValueError(f"{caller}: a button given as a tuple must be (label, value), got {item!r}.")
            spec = {"label": str(item[0]), "value": item[1], "color": "primary", "disabled": False}
        else:
            spec = {"label": str(item), "value": item, "color": "primary", "disabled": False}
        if spec["color"] not in _COLORS:
            raise ValueError(f"{caller}: color {spec['color']!r} is not one of {', '.join(_COLORS)}.")
        specs.append(spec)
    return specs


def put_buttons(buttons: Sequence[Any], onclick: Callable[..., Any] | Sequence[Callable[[], Any]],
                small: bool | None = None, link_style: bool = False, outline: bool = False,
                group: bool = False, scope: str | None = None, position: int = OutputPosition.BOTTOM,
                **callback_options: Any) -> Output:
    """Output a row of buttons. ``onclick(value)`` gets the clicked button's value, or give one
    no-argument function per button. They work without JavaScript too.

        put_buttons(["A", "B"], onclick=lambda v: put_text("you clicked", v))
        put_buttons([{"label": "Delete", "value": 1, "color": "danger"}], onclick=delete)
        put_buttons(["Yes", "No"], onclick=[on_yes, on_no])

    Buttons may be labels, ``(label, value)`` pairs or dicts with ``label``, ``value``, ``color``
    and ``disabled``. ``serial_mode=True`` runs the callbacks one after another in one thread;
    ``mutex_mode=True`` ignores clicks while the previous call (an ``async def`` one too) still runs.
    """
    session = current_session("put_buttons")
    specs = _button_specs(buttons, "put_buttons")
    if callable(onclick):
        callback = Callback(onclick, [s["value"] for s in specs], bool(callback_options.get("serial_mode")),
                            bool(callback_options.get("mutex_mode")))
    else:
        functions = list(onclick)
        if len(functions) != len(specs) or not all(callable(f) for f in functions):
            raise ValueError(
                f"put_buttons: onclick is a list of {len(functions)} items for {len(specs)} buttons; "
                "give one function per button, or a single function that takes the value."
            )
        callback = Callback(lambda f: f(), functions, bool(callback_options.get("serial_mode")),
                            bool(callback_options.get("mutex_mode")))
    number = session.callbacks.add(callback)
    return _emit("put_buttons", "output/put_buttons.html", scope, position, buttons=specs, callback=number,
                 small=bool(small), link_style=link_style, outline=outline, group=group)


def put_button(label: str, onclick: Callable[[], Any], color: str | None = None, small: bool | None = None,
               link_style: bool = False, outline: bool = False, disabled: bool = False,
               scope: str | None = None, position: int = OutputPosition.BOTTOM) -> Output:
    """Output one button that calls ``onclick()`` when clicked.

        put_button("Refresh", onclick=refresh, color="success")
    """
    return put_buttons([{"label": label, "value": 0, "color": color or "primary", "disabled": disabled}],
                       onclick=[onclick], small=small, link_style=link_style, outline=outline,
                       scope=scope, position=position)
