"""Input functions: each shows a form in the page's input area and blocks until it is validly submitted.

The form is a real ``<form>``: htmx posts it when JavaScript is on, the browser posts it when it is off.
Values come back as Python values (NUMBER -> int, FLOAT -> float, checkbox -> list, file -> dict),
checked by ``validate`` in the app's own thread; an invalid value keeps the form and the typed text,
and shows the message under its field. Called with ``name=``, an input function does not show a form:
it returns the item for ``input_group``.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from htmio.fields import (
    CHECKBOX,
    COLOR,
    DATE,
    DATETIME,
    DATETIME_LOCAL,
    FLOAT,
    NAME,
    NUMBER,
    PASSWORD,
    RADIO,
    SELECT,
    TEXT,
    TEXTAREA,
    TIME,
    TYPES,
    URL,
    ActionsItem,
    Button,
    CheckboxItem,
    ChoiceItem,
    FileUploadItem,
    Item,
    RadioItem,
    SelectItem,
    SliderItem,
    TextAreaItem,
    TextItem,
    Validate,
    file_placeholder,
    parse_file_size,
    parse_options,
)
from htmio.inputform import InputForm, running
from htmio.runtime import current_session

__all__ = [
    "TEXT",
    "NUMBER",
    "FLOAT",
    "PASSWORD",
    "URL",
    "DATE",
    "TIME",
    "COLOR",
    "DATETIME_LOCAL",
    "DATETIME",
    "TEXTAREA",
    "SELECT",
    "CHECKBOX",
    "RADIO",
    "input",
    "textarea",
    "select",
    "checkbox",
    "radio",
    "slider",
    "actions",
    "file_upload",
    "input_group",
    "input_update",
]

log = logging.getLogger("htmio")


_SINGLE = "value"  # field name of a lone input


def _show(caller: str, form: InputForm) -> Any:
    session = current_session(caller)
    focus = next((i.name for i in form.items if i.text_like), form.items[0].name if form.single else None)
    if session.document.env.get("input_auto_focus") is False:
        focus = None
    last = form.items[-1]
    context = {
        "fields": form.items, "label": form.label, "single": form.single, "cancelable": form.cancelable,
        "multipart": any(isinstance(i, FileUploadItem) for i in form.items), "focus": focus,
        "own_buttons": isinstance(last, ActionsItem) and (last.has_submit or form.single),
    }
    return session.forms.run("input/_form.html", context, form, caller)


def _single_or_item(caller: str, item: Item, name: str | None) -> Any:
    """Show a one-item form now, or, with a name, return the item for input_group."""
    if name is not None:
        if not isinstance(name, str) or not NAME.fullmatch(name):
            raise ValueError(f"{caller}(name={name!r}): use letters, digits, '-' and '_' in names.")
        return item
    return _show(caller, InputForm([replace(item, name=_SINGLE)], single=True))


def _common(validate: Any, onchange: Any, caller: str) -> None:
    if validate is not None and not callable(validate):
        raise TypeError(f"{caller}(validate={validate!r}): validate must be a function value -> None or message.")
    if onchange is not None and not callable(onchange):
        raise TypeError(f"{caller}(onchange={onchange!r}): onchange must be a function taking the new value.")


def _attrs(other: dict[str, Any]) -> dict[str, Any]:
    return {k.replace("_", "-"): v for k, v in other.items() if v is not None and v is not False}


# ---- public functions ----------------------------------------------------------------------------

def input(label: str = "", type: str = TEXT, *, validate: Validate | None = None, name: str | None = None,
          value: Any = None, action: tuple[str, Callable[..., Any]] | None = None,
          onchange: Callable[[Any], Any] | None = None, placeholder: str | None = None,
          required: bool | None = None, readonly: bool | None = None, datalist: Sequence[str] | None = None,
          help_text: str | None = None, **other_html_attrs: Any) -> Any:
    """Ask for one value and wait until it is submitted. NUMBER returns an int, FLOAT a float, the
    other types a str (DATE 'YYYY-MM-DD', TIME 'HH:MM:SS', COLOR '#rrggbb').

        name = input("What's your name?")
        age = input("Age", type=NUMBER, validate=lambda n: "too young" if n < 18 else None)
        secret = input("Password", type=PASSWORD, help_text="at least 8 characters")

    ``validate(value)`` returns None when the value is fine, or the message to show under the field.
    In an ``async def`` app every input function is awaited: ``name = await input("Name")``.
    ``action=("Now", callback)`` adds a button that calls ``callback(set_value)``; ``set_value(v)``
    fills the field, ``set_value(v, label)`` shows ``label`` and makes the input return ``v``.
    ``onchange(value)`` runs whenever the value changes (JavaScript on) and may call ``input_update``.
    """
    if type not in TYPES:
        other = {TEXTAREA: "textarea", SELECT: "select", CHECKBOX: "checkbox", RADIO: "radio"}.get(type)
        hint = f" For a {type} call {other}(...) instead." if other else ""
        raise ValueError(f"input(type={type!r}): the type must be one of {', '.join(map(repr, TYPES))}.{hint}")
    _common(validate, onchange, "input")
    if datalist is not None and not isinstance(datalist, (list, tuple)):
        raise TypeError("input(datalist=...): give a list of suggestion strings.")
    if action is not None and not (isinstance(action, (tuple, list)) and len(action) == 2 and callable(action[1])):
        raise TypeError("input(action=...): give (button label, callback), where callback(set_value) fills the field.")
    item = TextItem(name=name or _SINGLE, label=str(label), value=value, help_text=help_text, required=bool(required),
                 readonly=bool(readonly), validate=validate, onchange=onchange, attrs=_attrs(other_html_attrs),
                 type=type, placeholder=placeholder, datalist=[str(d) for d in datalist] if datalist else None,
                 action=(str(action[0]), action[1]) if action else None)
    return _single_or_item("input", item, name)


def textarea(label: str = "", *, rows: int = 6, code: bool | dict[str, Any] | None = None,
             maxlength: int | None = None, minlength: int | None = None, validate: Validate | None = None,
             name: str | None = None, value: str | None = None, onchange: Callable[[Any], Any] | None = None,
             placeholder: str | None = None, required: bool | None = None, readonly: bool | None = None,
             help_text: str | None = None, **other_html_attrs: Any) -> Any:
    """Ask for multi-line text. ``code=True`` (or a dict like ``{"mode": "python"}``) makes it a code
    editor when JavaScript is on; without JavaScript it stays a plain textarea.

        poem = textarea("Your poem", rows=8, maxlength=2000)
        source = textarea("Code", code={"mode": "python"}, value="print('hi')")
    """
    _common(validate, onchange, "textarea")
    editor = None
    if code:
        editor = dict(code) if isinstance(code, dict) else {}
        editor = {k: v for k, v in editor.items() if isinstance(v, (str, int, float, bool))}
    item = TextAreaItem(name=name or _SINGLE, label=str(label), value=value, help_text=help_text,
                     required=bool(required), readonly=bool(readonly), validate=validate, onchange=onchange,
                     attrs=_attrs(other_html_attrs), rows=int(rows), placeholder=placeholder, maxlength=maxlength,
                     minlength=minlength, code=editor)
    return _single_or_item("textarea", item, name)


def select(label: str = "", options: Sequence[Any] | None = None, *, multiple: bool | None = None,
           validate: Validate | None = None, name: str | None = None, value: Any = None,
           onchange: Callable[[Any], Any] | None = None, native: bool = True, required: bool | None = None,
           help_text: str | None = None, **other_html_attrs: Any) -> Any:
    """Choose from a drop-down list; with ``multiple=True`` several, returned as a list.

        color = select("Colour", ["red", "green", "blue"])
        size = select("Size", [("Small", "s"), ("Large", "l", True)])   # (label, value, selected)
        tags = select("Tags", [{"label": "A", "value": 1}, {"label": "B", "value": 2, "disabled": True}],
                      multiple=True)

    Values may be any Python object: only their position goes to the browser. ``native`` is accepted
    and ignored (the browser's own control is always used). As in PyWebIO, ``value`` (one value, or a
    list) and options marked selected both count; a single select shows and returns the last of them.
    """
    _common(validate, onchange, "select")
    item = SelectItem(name=name or _SINGLE, label=str(label), value=value, help_text=help_text,
                   required=bool(required), validate=validate, onchange=onchange, attrs=_attrs(other_html_attrs),
                   options=parse_options(options, "select"), multiple=bool(multiple))
    return _single_or_item("select", item, name)


def checkbox(label: str = "", options: Sequence[Any] | None = None, *, inline: bool | None = None,
             validate: Validate | None = None, name: str | None = None, value: Sequence[Any] | None = None,
             onchange: Callable[[Any], Any] | None = None, help_text: str | None = None,
             **other_html_attrs: Any) -> Any:
    """Tick any number of options; returns the list of ticked values.

        toppings = checkbox("Toppings", ["cheese", "olives", "basil"], value=["cheese"])
        agreed = checkbox(options=["I agree"])  # [] or ["I agree"]
    """
    _common(validate, onchange, "checkbox")
    item = CheckboxItem(name=name or _SINGLE, label=str(label), value=list(value) if value is not None else None,
                     help_text=help_text, validate=validate, onchange=onchange, attrs=_attrs(other_html_attrs),
                     options=parse_options(options, "checkbox"), inline=bool(inline))
    return _single_or_item("checkbox", item, name)


def radio(label: str = "", options: Sequence[Any] | None = None, *, inline: bool | None = None,
          validate: Validate | None = None, name: str | None = None, value: Any = None,
          onchange: Callable[[Any], Any] | None = None, required: bool | None = None,
          help_text: str | None = None, **other_html_attrs: Any) -> Any:
    """Choose one option; returns its value, or None when nothing was chosen.

        answer = radio("Is it true?", ["yes", "no"], required=True)
    """
    _common(validate, onchange, "radio")
    item = RadioItem(name=name or _SINGLE, label=str(label), value=value, help_text=help_text,
                  required=bool(required), validate=validate, onchange=onchange, attrs=_attrs(other_html_attrs),
                  options=parse_options(options, "radio"), inline=bool(inline))
    return _single_or_item("radio", item, name)


def slider(label: str = "", *, name: str | None = None, value: float = 0, min_value: float = 0,
           max_value: float = 100, step: float = 1, validate: Validate | None = None,
           onchange: Callable[[Any], Any] | None = None, required: bool | None = None,
           help_text: str | None = None, **other_html_attrs: Any) -> Any:
    """Pick a number with a slider; an int, or a float when any of value/min/max is a float.

        volume = slider("Volume", value=30)
        ratio = slider("Ratio", min_value=0.0, max_value=1.0, step=0.05)
    """
    _common(validate, onchange, "slider")
    if min_value > max_value:
        raise ValueError(f"slider(min_value={min_value!r}, max_value={max_value!r}): min_value must not exceed max_value.")
    item = SliderItem(name=name or _SINGLE, label=str(label), value=value, help_text=help_text,
                   required=bool(required), validate=validate, onchange=onchange, attrs=_attrs(other_html_attrs),
                   min_value=min_value, max_value=max_value, step=step)
    return _single_or_item("slider", item, name)


_BUTTON_TYPES = ("submit", "reset", "cancel")
_COLORS = ("primary", "secondary", "success", "danger", "warning", "info", "light", "dark")


def actions(label: str = "", buttons: Sequence[Any] | None = None, name: str | None = None,
            help_text: str | None = None) -> Any:
    """A row of buttons; returns the value of the one pressed. A ``cancel`` button makes the call (or
    the whole ``input_group``) return None; a ``reset`` button clears the form.

        choice = actions("Continue?", ["Yes", "No"])
        op = actions(buttons=[{"label": "Save", "value": "save"},
                              {"label": "Cancel", "type": "cancel", "color": "secondary"}])

    Buttons are labels, ``(label, value[, type[, disabled]])`` tuples, or dicts with ``label``,
    ``value``, ``type`` (submit, reset, cancel), ``disabled`` and ``color``.
    """
    if not buttons:
        raise ValueError("actions(): give at least one button, like buttons=['OK'].")
    parsed = []
    for b in buttons:
        if isinstance(b, dict):
            btn = Button(str(b.get("label", b.get("value", ""))), b.get("value", b.get("label")),
                          b.get("type", "submit"), bool(b.get("disabled")), b.get("color") or "primary")
        elif isinstance(b, (tuple, list)):
            if not 2 <= len(b) <= 4:
                raise ValueError(f"actions(): a button tuple is (label, value[, type[, disabled]]), not {b!r}.")
            btn = Button(str(b[0]), b[1], b[2] if len(b) > 2 else "submit", bool(b[3]) if len(b) > 3 else False)
        else:
            btn = Button(str(b), b)
        if btn.type not in _BUTTON_TYPES:
            raise ValueError(f"actions(): button type {btn.type!r} is not one of submit, reset, cancel.")
        if btn.color not in _COLORS:
            raise ValueError(f"actions(): button color {btn.color!r} is not one of {', '.join(_COLORS)}.")
        parsed.append(btn)
    item = ActionsItem(name=name or _SINGLE, label=str(label), help_text=help_text, buttons=parsed)
    return _single_or_item("actions", item, name)


def file_upload(label: str = "", accept: str | Sequence[str] | None = None, name: str | None = None,
                placeholder: str = "Choose file", multiple: bool = False, max_size: int | str = 0,
                max_total_size: int | str = 0, required: bool | None = None, help_text: str | None = None,
                **other_html_attrs: Any) -> Any:
    """Ask for a file; returns ``{'filename', 'content', 'mime_type', 'last_modified'}``, or None when
    none was chosen. With ``multiple=True``, a list of such dicts.

        photo = file_upload("Your photo", accept="image/*", max_size="5M")
        docs = file_upload("Documents", accept=[".pdf", ".txt"], multiple=True, max_total_size="50M")
        open(photo["filename"], "wb").write(photo["content"])

    Sizes are bytes, or strings like '500K', '3M', '1G'; 0 means the server's limit
    (``HTMIO_MAX_BODY_SIZE``, 200 MB). Uploads stream to disk on the way in. ``last_modified`` is the
    time the upload arrived (browsers do not send the file's own date in a form).
    """
    limit = current_session("file_upload").settings.max_body_size
    size, total = parse_file_size(max_size), parse_file_size(max_total_size)
    for what, value in (("max_size", size), ("max_total_size", total)):
        if value > limit:
            raise ValueError(f"file_upload({what}={value}): larger than the server accepts ({limit} bytes). "
                             "Lower it, or raise HTMIO_MAX_BODY_SIZE.")
    accepted = accept if accept is None or isinstance(accept, str) else ",".join(accept)
    item = FileUploadItem(name=name or _SINGLE, label=str(label), help_text=help_text, required=bool(required),
                       attrs=_attrs(other_html_attrs), accept=accepted, placeholder=file_placeholder(placeholder),
                       multiple=bool(multiple), max_size=size, max_total_size=total)
    return _single_or_item("file_upload", item, name)


def input_group(label: str = "", inputs: Sequence[Any] | None = None,
                validate: Callable[[dict[str, Any]], Any] | None = None, cancelable: bool = False) -> Any:
    """Ask for several values in one form; returns ``{name: value}``, or None when cancelled.

        info = input_group("Your details", [
            input("Name", name="name", required=True),
            input("Age", name="age", type=NUMBER),
            select("Team", ["red", "blue"], name="team"),
        ], validate=lambda d: ("age", "too young") if d["age"] < 18 else None, cancelable=True)

    Each item is an input function called with ``name=``. ``validate(data)`` returns None, or
    ``(name, message)`` to show the message under that input.
    """
    if not inputs:
        raise ValueError("input_group(): give a list of inputs, each made with name=..., like input('Age', name='age').")
    items: list[Item] = []
    for item in inputs:
        if not isinstance(item, Item):
            raise TypeError(
                f"input_group(): {item!r} is not an input item. Call each input function with name=..., "
                "like input('Age', name='age'): without a name it asks on its own and returns the answer."
            )
        if any(i.name == item.name for i in items):
            raise ValueError(f"input_group(): two inputs are named {item.name!r}; each needs its own name.")
        items.append(item)
    if validate is not None and not callable(validate):
        raise TypeError("input_group(validate=...): give a function data -> None or (name, message).")
    return _show("input_group", InputForm(items, single=False, label=str(label), validate=validate,
                                      cancelable=bool(cancelable)))


def input_update(name: str | None = None, **spec: Any) -> None:
    """Change an item of the form being shown, from inside one of its ``onchange`` callbacks.

        def on_country(country):
            input_update("city", options=CITIES[country])

        input_group("Where", [
            select("Country", list(CITIES), name="country", onchange=on_country),
            select("City", CITIES["France"], name="city"),
        ])

    ``name`` defaults to the item whose onchange is running. ``value``, ``label``, ``placeholder``,
    ``help_text``, ``readonly``, ``required``, ``options`` and the like can change; ``type``,
    ``name``, ``multiple``, ``validate`` and ``onchange`` cannot.
    """
    current = getattr(running, "current", None)
    if current is None:
        raise RuntimeError("input_update() works only inside an onchange callback of the form being shown, "
                           "like input('x', name='x', onchange=lambda v: input_update('y', value=v)).")
    form, node, trigger, changed = current
    target = name or trigger
    item = form.item(target)
    if item is None:
        raise ValueError(f"input_update({target!r}): the form has no input named {target!r}; "
                         f"it has {', '.join(i.name for i in form.items)}.")
    refused = set(spec) - item.updatable
    if refused:
        raise ValueError(f"input_update({target!r}): {', '.join(sorted(refused))} cannot be changed after the "
                         "form is shown. Show a new form instead.")
    session = current_session("input_update")
    with session.lock:
        values = dict(node.context["values"])
        errors = dict(node.context["errors"])
        for key, new in spec.items():
            if key == "options":
                assert isinstance(item, ChoiceItem)
                item.options = parse_options(new, "input_update")
                values.pop(target, None)
            elif key == "value":
                item.value = new
                values.pop(target, None)
            elif key == "valid_status":
                if new is False and spec.get("invalid_feedback"):
                    errors[target] = str(spec["invalid_feedback"])
                elif new in (True, 0):
                    errors.pop(target, None)
            elif key in ("invalid_feedback", "valid_feedback"):
                continue
            else:
                setattr(item, key, new)
        node.context["values"] = values
        node.context["errors"] = errors
    changed.add(target)

