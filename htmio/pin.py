"""Pin widgets: inputs that live in the page like outputs. Their values are kept on the server as the
user types or changes them, so reading ``pin.name`` costs no round trip to the browser.

    put_input("a", type=NUMBER, value=1)
    put_input("b", type=NUMBER, value=2)
    while True:
        pin_wait_change("a", "b")
        with use_scope("sum", clear=True):
            put_text(pin.a + pin.b)
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from htmio.awaitable import awaitable
from htmio.callbacks import Callback
from htmio.events import FormSubmitted, PinChanged
from htmio.fields import (
    NAME,
    TEXT,
    TYPES,
    ActionsItem,
    Button,
    CheckboxItem,
    ChoiceItem,
    FileUploadItem,
    Item,
    PostLimit,
    RadioItem,
    SelectItem,
    SliderItem,
    TextAreaItem,
    TextItem,
    file_placeholder,
    parse_file_size,
    parse_options,
)
from htmio.inbound import plug_inbound, plug_limits
from htmio.outputs.base import Output, OutputPosition, _emit
from htmio.runtime import Session, current_session, in_coroutine_session
from htmio.waiting import Waiter

__all__ = [
    "put_input",
    "put_textarea",
    "put_select",
    "put_checkbox",
    "put_radio",
    "put_slider",
    "put_actions",
    "put_file_upload",
    "pin",
    "get_pin_values",
    "pin_wait_change",
    "pin_update",
    "pin_on_change",
]

@dataclass
class _Widget:
    item: Item
    output: Output


@dataclass
class _Pins:
    """The pin state of one session: the newest widget of each name, values, waiters, callbacks."""

    widgets: dict[str, _Widget] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    waiters: list[tuple[set[str], Waiter[dict[str, Any]]]] = field(default_factory=list)
    callbacks: dict[str, list[Callback]] = field(default_factory=dict)


def _pins(session: Session) -> _Pins:
    return session.part(_Pins)


def _initial(item: Item) -> Any:
    """The value a widget has before the user touches it."""
    if isinstance(item, ChoiceItem):
        chosen = [item.options[int(i)].value for i in item.raw_initial()]
        if isinstance(item, SelectItem) and not item.multiple and not chosen:
            # a browser shows (and would send) the first enabled option of a plain drop-down
            chosen = [o.value for o in item.options if not o.disabled][:1]
        return chosen if item.multiple else (chosen[0] if chosen else None)
    if isinstance(item, ActionsItem):
        return None
    if isinstance(item, FileUploadItem):
        return [] if item.multiple else None
    if isinstance(item, TextItem):
        # what the browser's field holds: '' when empty, except that an empty number is None
        value, error = item.convert("" if item.value is None else str(item.value))
        return None if error else value
    if isinstance(item, TextAreaItem):
        return "" if item.value is None else str(item.value)
    return item.value


def _check_name(name: object, caller: str) -> str:
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise ValueError(f"{caller}({name!r}): pin names use letters, digits, '-' and '_', like 'amount'.")
    return name


def _put(caller: str, item: Item, scope: str | None, position: int) -> Output:
    session = current_session(caller)
    state = _pins(session)
    output = _emit(caller, f"pin/{caller}.html", scope, position, f=item, raw=item.raw_initial())
    with session.lock:
        state.widgets[item.name] = _Widget(item, output)  # the older widget of this name goes stale
        state.values[item.name] = _initial(item)
    return output


# ---- widgets -------------------------------------------------------------------------------------

def put_input(name: str, type: str = TEXT, *, label: str = "", value: Any = None, placeholder: str | None = None,
              readonly: bool | None = None, datalist: Sequence[str] | None = None, help_text: str | None = None,
              scope: str | None = None, position: int = OutputPosition.BOTTOM) -> Output:
    """A text input whose value ``pin.<name>`` always holds (NUMBER gives an int, FLOAT a float).

        put_input("city", label="City", value="Paris")
        put_text("You typed", pin.city)
    """
    _check_name(name, "put_input")
    if type not in TYPES:
        raise ValueError(f"put_input(type={type!r}): the type must be one of {', '.join(map(repr, TYPES))}.")
    item = TextItem(name=name, label=str(label), value=value, help_text=help_text, readonly=bool(readonly), type=type,
                 placeholder=placeholder, datalist=[str(d) for d in datalist] if datalist else None)
    return _put("put_input", item, scope, position)


def put_textarea(name: str, *, label: str = "", rows: int = 6, code: bool | dict[str, Any] | None = None,
                 maxlength: int | None = None, minlength: int | None = None, value: str | None = None,
                 placeholder: str | None = None, readonly: bool | None = None, help_text: str | None = None,
                 scope: str | None = None, position: int = OutputPosition.BOTTOM) -> Output:
    """A multi-line text input (a code editor with ``code=``) whose text ``pin.<name>`` holds.

        put_textarea("notes", label="Notes", rows=4)
    """
    _check_name(name, "put_textarea")
    editor = (dict(code) if isinstance(code, dict) else {}) if code else None
    item = TextAreaItem(name=name, label=str(label), value=value, help_text=help_text, readonly=bool(readonly),
                     rows=int(rows), placeholder=placeholder, maxlength=maxlength, minlength=minlength, code=editor)
    return _put("put_textarea", item, scope, position)


def put_select(name: str, options: Sequence[Any] | None = None, *, label: str = "", multiple: bool | None = None,
               value: Any = None, native: bool | None = None, help_text: str | None = None,
               scope: str | None = None, position: int = OutputPosition.BOTTOM) -> Output:
    """A drop-down whose chosen value (a list with ``multiple=True``) ``pin.<name>`` holds.

        put_select("unit", ["kg", "lb"], label="Unit")
    """
    _check_name(name, "put_select")
    item = SelectItem(name=name, label=str(label), value=value, help_text=help_text,
                   options=parse_options(options, "put_select"), multiple=bool(multiple))
    return _put("put_select", item, scope, position)


def put_checkbox(name: str, options: Sequence[Any] | None = None, *, label: str = "", inline: bool | None = None,
                 value: Sequence[Any] | None = None, help_text: str | None = None, scope: str | None = None,
                 position: int = OutputPosition.BOTTOM) -> Output:
    """Check boxes whose ticked values (a list) ``pin.<name>`` holds.

        put_checkbox("extras", ["milk", "sugar"], value=["milk"])
    """
    _check_name(name, "put_checkbox")
    item = CheckboxItem(name=name, label=str(label), value=list(value) if value is not None else None,
                     help_text=help_text, options=parse_options(options, "put_checkbox"), inline=bool(inline))
    return _put("put_checkbox", item, scope, position)


def put_radio(name: str, options: Sequence[Any] | None = None, *, label: str = "", inline: bool | None = None,
              value: Any = None, help_text: str | None = None, scope: str | None = None,
              position: int = OutputPosition.BOTTOM) -> Output:
    """Radio buttons whose chosen value (or None) ``pin.<name>`` holds.

        put_radio("size", ["S", "M", "L"], value="M", inline=True)
    """
    _check_name(name, "put_radio")
    item = RadioItem(name=name, label=str(label), value=value, help_text=help_text,
                  options=parse_options(options, "put_radio"), inline=bool(inline))
    return _put("put_radio", item, scope, position)


def put_slider(name: str, *, label: str = "", value: float = 0, min_value: float = 0, max_value: float = 100,
               step: float = 1, required: bool | None = None, help_text: str | None = None,
               scope: str | None = None, position: int = OutputPosition.BOTTOM) -> Output:
    """A slider whose number ``pin.<name>`` holds.

        put_slider("volume", value=30, label="Volume")
    """
    _check_name(name, "put_slider")
    item = SliderItem(name=name, label=str(label), value=value, help_text=help_text, required=bool(required),
                   min_value=min_value, max_value=max_value, step=step)
    return _put("put_slider", item, scope, position)


def put_actions(name: str, *, label: str = "", buttons: Sequence[Any] | None = None, help_text: str | None = None,
                scope: str | None = None, position: int = OutputPosition.BOTTOM) -> Output:
    """Buttons: clicking one sets ``pin.<name>`` to its value (and wakes ``pin_wait_change``).

        put_actions("op", buttons=["Start", "Stop"])
        change = pin_wait_change("op")
    """
    _check_name(name, "put_actions")
    if not buttons:
        raise ValueError("put_actions(): give at least one button, like buttons=['Go'].")
    parsed = []
    for b in buttons:
        if isinstance(b, dict):
            parsed.append(Button(str(b.get("label", b.get("value", ""))), b.get("value", b.get("label")),
                                  "submit", bool(b.get("disabled")), b.get("color") or "primary"))
        elif isinstance(b, (tuple, list)):
            parsed.append(Button(str(b[0]), b[1]))
        else:
            parsed.append(Button(str(b), b))
    item = ActionsItem(name=name, label=str(label), help_text=help_text, buttons=parsed)
    return _put("put_actions", item, scope, position)


def put_file_upload(name: str, *, label: str = "", accept: str | Sequence[str] | None = None,
                    placeholder: str = "Choose file", multiple: bool = False, max_size: int | str = 0,
                    max_total_size: int | str = 0, help_text: str | None = None, scope: str | None = None,
                    position: int = OutputPosition.BOTTOM) -> Output:
    """A file chooser whose files ``pin.<name>`` holds, read on the server as soon as they are chosen:
    ``{'filename', 'content', 'mime_type', 'last_modified'}`` or None (a list of such dicts with
    ``multiple=True``, ``[]`` when none).

        put_file_upload("photo", label="Photo", accept="image/*", max_size="2M")
        change = pin_wait_change("photo")
        put_image(change["value"]["content"])

    Sizes are as for ``file_upload``; a file over the limit is refused and ``pin.<name>`` keeps its value.
    """
    _check_name(name, "put_file_upload")
    limit = current_session("put_file_upload").settings.max_body_size
    size, total = parse_file_size(max_size, "put_file_upload"), parse_file_size(max_total_size, "put_file_upload")
    for what, value in (("max_size", size), ("max_total_size", total)):
        if value > limit:
            raise ValueError(f"put_file_upload({what}={value}): larger than the server accepts ({limit} bytes). "
                             "Lower it, or raise HTMIO_MAX_BODY_SIZE.")
    item = FileUploadItem(name=name, label=str(label), help_text=help_text,
                          accept=accept if accept is None or isinstance(accept, str) else ",".join(accept),
                          placeholder=file_placeholder(placeholder),
                          multiple=bool(multiple), max_size=size, max_total_size=total)
    return _put("put_file_upload", item, scope, position)


# ---- reading and writing -------------------------------------------------------------------------

def receive(session: Session, event: PinChanged) -> str | None:
    """A widget posted its value (on the server's loop): store it, wake waiters, run callbacks.

    Returns an error message when the value is not one the widget offers (or a file is too large), else None."""
    name, values, files = event.name, event.values, event.files
    state = _pins(session)
    with session.lock:
        widget = state.widgets.get(name)
        if widget is None:
            return f"No pin named {name!r} is on the page any more."
        if isinstance(widget.item, TextAreaItem) and name in values:
            # every change counts, as in PyWebIO: minlength and maxlength are hints for the browser, not checks
            raw: Any = values[name][0]
            value: Any = raw.replace("\r\n", "\n")
            error: str | None = None
        else:
            value, raw, error = widget.item.read(FormSubmitted(0, values, files or {}), session.page.messages)
        if error is not None and isinstance(widget.item, (ChoiceItem, ActionsItem, FileUploadItem)):
            return error
        if error is not None:
            value = None
        node = widget.output._node
        if not isinstance(widget.item, ActionsItem):
            node.context["raw"] = raw
            if name in state.values and state.values[name] == value:
                return None  # the same value again (a blur after the typing pause): not a change
        state.values[name] = value
        for entry in [w for w in state.waiters if name in w[0]]:
            state.waiters.remove(entry)  # each waiter takes one change
            entry[1].put({"name": name, "value": value})
        callbacks = list(state.callbacks.get(name, []))
    for callback in callbacks:
        session.callbacks.run(replace(callback, values=[value]))  # the same options, and mutex state
    return None


class _Pin:
    """``pin.name`` / ``pin["name"]`` read a widget's current value (None when there is none);
    assigning sets it on the page.

        put_input("name")
        put_button("Greet", onclick=lambda: put_text("hello", pin.name))
        pin.name = "Ada"
    """

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        session = current_session("pin")
        state = _pins(session)
        with session.lock:
            value = state.values.get(name)
        return awaitable(value) if in_coroutine_session(session) else value

    def __getitem__(self, name: str) -> Any:
        return self.__getattr__(name)

    def __setattr__(self, name: str, value: Any) -> None:
        pin_update(name, value=value)

    def __setitem__(self, name: str, value: Any) -> None:
        pin_update(name, value=value)

    def use_strict(self) -> None:
        """Reserved by PyWebIO; does nothing.

            pin.use_strict()
        """


pin = _Pin()


def get_pin_values(names: Sequence[str]) -> Any:
    """The values of several pins at once; names without a widget are left out.

        values = get_pin_values(["a", "b"])
    """
    session = current_session("get_pin_values")
    state = _pins(session)
    with session.lock:
        values = {n: state.values[n] for n in names if n in state.widgets}
    return awaitable(values) if in_coroutine_session(session) else values


def pin_wait_change(*names: str | Sequence[str], timeout: float | None = None) -> Any:
    """Wait until the user changes one of the named widgets; returns ``{"name": ..., "value": ...}``,
    or None after ``timeout`` seconds. Changes made by the app (``pin_update``) do not count.

        while True:
            change = pin_wait_change("a", "b", timeout=10)
            if change is None:
                put_text("nothing happened for 10 s")

    In an ``async def`` app it is awaited: ``change = await pin_wait_change("a", "b")``.
    """
    flat: list[str] = []
    for item in names:
        flat.extend([item] if isinstance(item, str) else list(item))
    if not flat:
        raise ValueError("pin_wait_change(): name at least one pin, like pin_wait_change('a').")
    session = current_session("pin_wait_change")
    session.check_open("pin_wait_change")
    state = _pins(session)
    waiter: Waiter[dict[str, Any]] = session.waits.new("pin_wait_change(): the page was closed.")
    entry = (set(flat), waiter)
    with session.lock:
        state.waiters.append(entry)
    session.flush()
    if in_coroutine_session(session):
        return _wait_change_async(session, state, entry, timeout)
    try:
        return waiter.get(timeout)
    finally:
        _stop_waiting(session, state, entry)


async def _wait_change_async(session: Session, state: _Pins, entry: tuple[set[str], Waiter[dict[str, Any]]],
                             timeout: float | None) -> dict[str, Any] | None:
    """``await pin_wait_change(...)``: the same wait, on the loop instead of in a thread."""
    try:
        return await entry[1].get_async(timeout)  # type: ignore[no-any-return]
    finally:
        _stop_waiting(session, state, entry)


def _stop_waiting(session: Session, state: _Pins, entry: tuple[set[str], Waiter[dict[str, Any]]]) -> None:
    """A pin_wait_change is over (a change, the time out, or the session's end): it takes no more changes."""
    with session.lock:
        if entry in state.waiters:
            state.waiters.remove(entry)
    entry[1].stop()


def pin_update(name: str, **spec: Any) -> Any:
    """Change a widget on the page: its value, label, options, help text, placeholder, readonly, ...

        pin_update("city", options=["Rome", "Milan"], value="Rome")
        pin_update("notes", readonly=True, help_text="locked")

    It returns None, one that ``await`` also takes in an ``async def`` app (``await pin_update(...)``).
    """
    session = current_session("pin_update")
    session.check_open("pin_update")
    state = _pins(session)
    with session.changing():
        widget = state.widgets.get(name)
        if widget is None:
            raise ValueError(f"pin_update({name!r}): no pin widget named {name!r} is on the page. "
                             f"Make it first, like put_input({name!r}).")
        item = widget.item
        refused = set(spec) - item.updatable
        if refused:
            raise ValueError(f"pin_update({name!r}): {', '.join(sorted(refused))} cannot be changed; "
                             "make a new widget instead.")
        node = widget.output._node
        if "value" not in spec:
            # keep what the user has chosen or typed: only the attributes given change
            item.value = state.values.get(name)
        for key, new in spec.items():
            if key == "options":
                assert isinstance(item, ChoiceItem)
                item.options = parse_options(new, "pin_update")
            elif key not in ("valid_status", "invalid_feedback", "valid_feedback"):
                setattr(item, key, new)
        if "value" in spec or "options" in spec:
            node.context["raw"] = item.raw_initial()
            state.values[name] = _initial(item)
        session.document.changed(node)
    return awaitable(None) if in_coroutine_session(session) else None


def pin_on_change(name: str, onchange: Callable[[Any], Any] | None = None, clear: bool = False,
                  init_run: bool = False, **callback_options: Any) -> None:
    """Call ``onchange(value)`` whenever the user changes the widget ``name`` (in a thread of the session).

        pin_on_change("volume", lambda v: put_text("volume", v), init_run=True)
        pin_on_change("volume", clear=True)   # no more callbacks

    Several callbacks run in the order they were added; ``clear=True`` removes the earlier ones
    first; ``init_run=True`` also calls it once now with the current value; ``serial_mode=True`` runs
    them one after another in one thread; ``mutex_mode=True`` ignores changes while the previous call runs.
    """
    if onchange is not None and not callable(onchange):
        raise TypeError(f"pin_on_change({name!r}, onchange={onchange!r}): give a function taking the value.")
    session = current_session("pin_on_change")
    state = _pins(session)
    with session.lock:
        if clear:
            state.callbacks.pop(name, None)
        if onchange is not None:
            callback = Callback(onchange, None, bool(callback_options.get("serial_mode")),
                                bool(callback_options.get("mutex_mode")))
            state.callbacks.setdefault(name, []).append(callback)
            session.callbacks.add(callback)  # a session with callbacks stays alive after main returns
        value = state.values.get(name)
    if init_run and onchange is not None:
        session.callbacks.call(onchange, value)  # a coroutine it returns runs as a task of an async app's session


def _file_limits(session: Session, name: str) -> dict[str, PostLimit]:
    """A file widget's ``max_size`` and ``max_total_size``, counted while its post streams (a text widget's
    ``maxlength`` stays a hint, as in PyWebIO)."""
    state = _pins(session)
    with session.lock:
        widget = state.widgets.get(name)
    limit = widget.item.post_limit() if widget is not None else None
    return {name: limit} if limit is not None and limit.is_file else {}


plug_inbound(PinChanged, receive)  # the server hands a pin's post to the core, which hands it here
plug_limits(PinChanged, _file_limits)
