"""Input functions: each shows a form in the page's input area and blocks until it is validly submitted.

The form is a real ``<form>``: htmx posts it when JavaScript is on, the browser posts it when it is off.
Values come back as Python values (NUMBER -> int, FLOAT -> float), checked by ``validate`` in the app's
own thread; an invalid value keeps the form, the typed text and shows the message under the field.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from htmio.events import FormSubmitted
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
    "input",
]

log = logging.getLogger("htmio")

TEXT = "text"
NUMBER = "number"
FLOAT = "float"
PASSWORD = "password"
URL = "url"
DATE = "date"
TIME = "time"
COLOR = "color"
DATETIME_LOCAL = "datetime-local"
DATETIME = DATETIME_LOCAL

_TYPES = (TEXT, NUMBER, FLOAT, PASSWORD, URL, DATE, TIME, COLOR, DATETIME_LOCAL)
_SINGLE = "value"  # field name of a lone input(); user names never start with '_' or clash with it


@dataclass
class _Field:
    """One input item of a form, with what the template needs and how to read its value back."""

    name: str
    type: str
    label: str = ""
    value: Any = None
    placeholder: str | None = None
    required: bool = False
    readonly: bool = False
    help_text: str | None = None
    datalist: list[str] | None = None
    validate: Callable[[Any], str | None] | None = None
    attrs: dict[str, Any] = field(default_factory=dict)

    kind = "input"  # the template that renders it: templates/input/<kind>.html

    @property
    def html_type(self) -> str:
        return {FLOAT: "number", NUMBER: "number"}.get(self.type, self.type)

    @property
    def step(self) -> str | None:
        return {FLOAT: "any", NUMBER: "1"}.get(self.type)

    def initial(self) -> str:
        return "" if self.value is None else str(self.value)

    def convert(self, raw: str) -> tuple[Any, str | None]:
        """(value, error message) for the text the browser sent."""
        text = raw.strip() if self.type in (NUMBER, FLOAT) else raw
        if text == "":
            if self.required:
                return None, "Please fill in this field."
            return (None if self.type in (NUMBER, FLOAT) else ""), None
        if self.type == NUMBER:
            try:
                return int(text), None
            except ValueError:
                try:
                    as_float = float(text)
                except ValueError:
                    return None, f"{raw!r} is not a number. Enter a whole number, like 42."
                if as_float.is_integer():
                    return int(as_float), None
                return None, f"{raw!r} is not a whole number. Enter a whole number, like 42."
        if self.type == FLOAT:
            try:
                number = float(text)
            except ValueError:
                return None, f"{raw!r} is not a number. Enter a number, like 3.14."
            if number != number or number in (float("inf"), float("-inf")):
                return None, f"{raw!r} is not a finite number. Enter a number, like 3.14."
            return number, None
        return raw, None


@dataclass
class _Form:
    """A form of one or more fields; ``check`` runs in the session thread."""

    fields: list[_Field]
    single: bool = True

    def check(self, event: FormSubmitted) -> tuple[Any, dict[str, str], dict[str, str]]:
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        raw: dict[str, str] = {}
        for f in self.fields:
            sent = event.values.get(f.name)
            if sent is None:
                errors[f.name] = "This field was missing from what the browser sent. Reload the page and try again."
                continue
            raw[f.name] = sent[0]
            value, error = f.convert(sent[0])
            if error is None and f.validate is not None:
                error = _run_validate(f.validate, value)
            if error is not None:
                errors[f.name] = error
            values[f.name] = value
        if errors:
            return None, errors, raw
        return (values[self.fields[0].name] if self.single else values), {}, raw


def _run_validate(validate: Callable[[Any], Any], value: Any) -> str | None:
    try:
        message = validate(value)
    except Exception:
        log.warning("htmio: the validate function %r raised; the value is treated as invalid", validate, exc_info=True)
        return "This value could not be checked (the app's validate function failed). Try another value."
    return None if message is None else str(message)


def _show_form(caller: str, fields: list[_Field], *, single: bool, label: str = "") -> Any:
    session = current_session(caller)
    form = _Form(fields, single=single)
    context = {"fields": fields, "label": label, "single": single, "multipart": False}
    return session.run_form("input/_form.html", context, form, caller)


def input(label: str = "", type: str = TEXT, *, validate: Callable[[Any], str | None] | None = None,
          name: str | None = None, value: Any = None, action: Any = None, onchange: Any = None,
          placeholder: str | None = None, required: bool | None = None, readonly: bool | None = None,
          datalist: list[str] | None = None, help_text: str | None = None, **other_html_attrs: Any) -> Any:
    """Ask for one value and wait until it is submitted. NUMBER returns an int, FLOAT a float, the
    other types a str.

        name = input("What's your name?")
        age = input("Age", type=NUMBER, validate=lambda n: "too young" if n < 18 else None)
        secret = input("Password", type=PASSWORD, help_text="at least 8 characters")

    ``validate(value)`` returns None when the value is fine, or the message to show under the field.
    """
    if type not in _TYPES:
        raise ValueError(f"input(type={type!r}): the type must be one of {', '.join(map(repr, _TYPES))}.")
    if validate is not None and not callable(validate):
        raise TypeError(f"input(validate={validate!r}): validate must be a function value -> None or message.")
    if datalist is not None and not isinstance(datalist, (list, tuple)):
        raise TypeError("input(datalist=...): give a list of suggestion strings.")
    item = _Field(
        name=name or _SINGLE, type=type, label=str(label), value=value, placeholder=placeholder,
        required=bool(required), readonly=bool(readonly), help_text=help_text,
        datalist=[str(d) for d in datalist] if datalist else None, validate=validate,
        attrs={k: v for k, v in other_html_attrs.items() if v is not None},
    )
    return _show_form("input", [item], single=True)
