"""Form items: what each kind of input renders, and how its posted value is read back as a Python value.

Shared by ``htmio.input`` (forms that block until submitted) and ``htmio.pin`` (widgets that keep
their value); internal, not part of the public API.
"""
from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from htmio.events import FormSubmitted, number_or_none
from htmio.i18n import ENGLISH, Messages

TEXT = "text"
TEXTAREA = "textarea"
SELECT = "select"
CHECKBOX = "checkbox"
RADIO = "radio"
NUMBER = "number"
FLOAT = "float"
PASSWORD = "password"
URL = "url"
DATE = "date"
TIME = "time"
COLOR = "color"
DATETIME_LOCAL = "datetime-local"
DATETIME = DATETIME_LOCAL

TYPES = (TEXT, NUMBER, FLOAT, PASSWORD, URL, DATE, TIME, COLOR, DATETIME_LOCAL)
NAME = re.compile(r"[A-Za-z0-9_-]+")

Validate = Callable[[Any], Any]


class Missing:
    """The browser sent nothing for a field (a malformed or hand-made post)."""


MISSING = Missing()


@dataclass(frozen=True)
class PostLimit:
    """The bytes a form field may bring in one post: ``each`` for one value (a text, a file), ``total`` for all
    its values together; 0 leaves it to the server's ``max_body_size``."""

    each: int = 0
    total: int = 0
    is_file: bool = False


def _text_bytes(maxlength: object) -> int:
    """The bytes a text of ``maxlength`` characters takes at most in a post (4 per character in UTF-8, a line
    break sent as two), or 0 when no length is declared."""
    if isinstance(maxlength, bool) or not isinstance(maxlength, (int, str)) \
            or not str(maxlength).isascii() or not str(maxlength).isdigit() or len(str(maxlength)) > 12:
        return 0
    return 4 * int(maxlength) + 64


def button_index(raw: str, count: int) -> int | None:
    """The option or button number a form sent, when it is one of ``count``: ASCII digits only (``"²"``
    and ``"١"`` are digits to ``str.isdigit`` but not numbers a page sends), never ``int()`` on junk."""
    index = number_or_none(raw, 6)
    return index if index is not None and index < count else None


def shorten(value: str, limit: int = 60) -> str:
    """``repr(value)`` cut to about ``limit`` characters, for a message that quotes what was sent."""
    return repr(value) if len(value) <= limit else repr(value[:limit]) + "…"


@dataclass
class Item:
    """One input item of a form: what its template shows and how its posted value is read back."""

    kind: ClassVar[str] = "input"
    updatable: ClassVar[frozenset[str]] = frozenset(
        {"label", "value", "placeholder", "help_text", "readonly", "required", "options", "min_value",
         "max_value", "step", "rows", "maxlength", "minlength", "datalist", "valid_status", "invalid_feedback",
         "valid_feedback"})

    name: str
    label: str = ""
    value: Any = None
    help_text: str | None = None
    required: bool = False
    readonly: bool = False
    validate: Validate | None = None
    onchange: Callable[[Any], Any] | None = None
    attrs: dict[str, Any] = field(default_factory=dict)

    text_like: ClassVar[bool] = True

    def raw_initial(self) -> Any:
        """What the field shows before anything was posted."""
        return "" if self.value is None else str(self.value)

    def post_limit(self) -> PostLimit:
        """What this field may bring in one post: as much as its declared ``maxlength`` allows, else the server's limit."""
        return PostLimit(each=_text_bytes(self.attrs.get("maxlength")))

    def read(self, event: FormSubmitted, t: Messages = ENGLISH) -> tuple[Any, Any, str | None]:
        """(value, what to show again, error) from a post; ``t`` gives the messages in the user's language."""
        sent = event.values.get(self.name)
        if sent is None:
            return None, MISSING, t("field_missing")
        value, error = self.convert(sent[0], t)
        return value, sent[0], error

    def convert(self, raw: str, t: Messages = ENGLISH) -> tuple[Any, str | None]:
        if raw == "" and self.required:
            return None, t("required")
        return raw, None


@dataclass
class TextItem(Item):
    kind: ClassVar[str] = "input"
    type: str = TEXT
    placeholder: str | None = None
    datalist: list[str] | None = None
    action: tuple[str, Callable[..., Any]] | None = None
    action_label: str | None = None  # set_value(v, label): show label, return v
    action_value: Any = None

    @property
    def html_type(self) -> str:
        return {FLOAT: "number", NUMBER: "number"}.get(self.type, self.type)

    @property
    def step(self) -> str | None:
        return {FLOAT: "any", NUMBER: "1", TIME: "1"}.get(self.type)

    def raw_initial(self) -> Any:
        if self.action_label is not None:
            return self.action_label
        return super().raw_initial()

    def read(self, event: FormSubmitted, t: Messages = ENGLISH) -> tuple[Any, Any, str | None]:
        if self.action_label is not None:  # the value was chosen by the action callback
            return self.action_value, self.action_label, None
        return super().read(event, t)

    def convert(self, raw: str, t: Messages = ENGLISH) -> tuple[Any, str | None]:
        text = raw.strip() if self.type in (NUMBER, FLOAT) else raw
        if text == "":
            if self.required:
                return None, t("required")
            return (None if self.type in (NUMBER, FLOAT) else ""), None
        if self.type == NUMBER:
            try:
                return int(text), None
            except ValueError:
                try:
                    as_float = float(text)
                except ValueError:
                    return None, t("not_integer", value=shorten(raw))
                if as_float.is_integer():
                    return int(as_float), None
                return None, t("not_whole", value=shorten(raw))
        if self.type == FLOAT:
            try:
                number = float(text)
            except ValueError:
                return None, t("not_number", value=shorten(raw))
            if number != number or number in (float("inf"), float("-inf")):
                return None, t("not_finite", value=shorten(raw))
            return number, None
        if self.type == DATE and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return None, t("not_date", value=shorten(raw))
        if self.type == TIME and not re.fullmatch(r"\d{2}:\d{2}(:\d{2})?", text):
            return None, t("not_time", value=shorten(raw))
        if self.type == TIME and len(text) == 5:
            text += ":00"
        if self.type == COLOR and not re.fullmatch(r"#[0-9a-fA-F]{6}", text):
            return None, t("not_color", value=shorten(raw))
        return text, None


@dataclass
class TextAreaItem(Item):
    kind: ClassVar[str] = "textarea"
    rows: int = 6
    placeholder: str | None = None
    maxlength: int | None = None
    minlength: int | None = None
    code: dict[str, Any] | None = None

    def post_limit(self) -> PostLimit:
        return PostLimit(each=_text_bytes(self.maxlength if self.maxlength is not None else self.attrs.get("maxlength")))

    def convert(self, raw: str, t: Messages = ENGLISH) -> tuple[Any, str | None]:
        raw = raw.replace("\r\n", "\n")
        if raw == "" and self.required:
            return None, t("required")
        if self.maxlength is not None and len(raw) > self.maxlength:
            return None, t("too_long", length=len(raw), max=self.maxlength)
        if self.minlength is not None and raw and len(raw) < self.minlength:
            return None, t("too_short", length=len(raw), min=self.minlength)
        return raw, None


@dataclass
class Option:
    label: str
    value: Any
    selected: bool = False
    disabled: bool = False


def parse_options(options: Any, caller: str) -> list[Option]:
    if options is None:
        raise ValueError(f"{caller}: options are required, like options=['red', 'green'] or [('Red', 1)].")
    result = []
    for item in options:
        if isinstance(item, dict):
            if "value" not in item and "label" not in item:
                raise ValueError(f"{caller}: the option {item!r} needs a 'label' and a 'value'.")
            value = item.get("value", item.get("label"))
            result.append(Option(str(item.get("label", value)), value, bool(item.get("selected")),
                                  bool(item.get("disabled"))))
        elif isinstance(item, (tuple, list)):
            if not 2 <= len(item) <= 4:
                raise ValueError(f"{caller}: an option given as a tuple is (label, value[, selected[, disabled]]), "
                                 f"not {item!r}.")
            result.append(Option(str(item[0]), item[1], bool(item[2]) if len(item) > 2 else False,
                                  bool(item[3]) if len(item) > 3 else False))
        else:
            result.append(Option(str(item), item))
    return result


@dataclass
class ChoiceItem(Item):
    """Base of select, checkbox and radio: options are sent as their index, values stay on the server."""

    options: list[Option] = field(default_factory=list)
    multiple: bool = False
    inline: bool = False
    text_like: ClassVar[bool] = False

    def raw_initial(self) -> Any:
        """The indexes of the options chosen at first: those marked ``selected`` and those ``value`` names
        (PyWebIO honours both). A single choice keeps the last of them, as a browser does when a plain
        drop-down or a radio group has several marked."""
        wanted = self._wanted()
        chosen = [str(i) for i, o in enumerate(self.options) if o.selected or any(o.value == w for w in wanted)]
        return chosen if self.multiple else chosen[-1:]

    def _wanted(self) -> list[Any]:
        """The values ``value`` names: one value, or a list of them (also for a single choice)."""
        if self.value is None:
            return []
        if any(o.value == self.value for o in self.options):  # an option whose value is itself a list
            return [self.value]
        if isinstance(self.value, (list, tuple, set)):
            return list(self.value)
        return [self.value]

    def read(self, event: FormSubmitted, t: Messages = ENGLISH) -> tuple[Any, Any, str | None]:
        sent = [s for s in event.values.get(self.name, []) if s != ""]
        chosen: list[Any] = []
        for raw in sent:
            index = button_index(raw, len(self.options))
            if index is None or self.options[index].disabled:
                return None, sent, t("stale_option", value=shorten(raw))
            chosen.append(self.options[index].value)
        if self.required and not chosen:
            return None, sent, t("choose_options" if self.multiple else "choose_option")
        if self.multiple:
            return chosen, sent, None
        if len(chosen) > 1:
            return None, sent, t("only_one_option")
        return (chosen[0] if chosen else None), sent, None


@dataclass
class SelectItem(ChoiceItem):
    kind: ClassVar[str] = "select"


@dataclass
class CheckboxItem(ChoiceItem):
    kind: ClassVar[str] = "checkbox"
    multiple: bool = True


@dataclass
class RadioItem(ChoiceItem):
    kind: ClassVar[str] = "radio"


@dataclass
class SliderItem(Item):
    kind: ClassVar[str] = "slider"
    min_value: float = 0
    max_value: float = 100
    step: float = 1
    text_like: ClassVar[bool] = False

    @property
    def is_float(self) -> bool:
        return any(isinstance(v, float) for v in (self.value, self.min_value, self.max_value))

    def convert(self, raw: str, t: Messages = ENGLISH) -> tuple[Any, str | None]:
        try:
            number: float = float(raw) if self.is_float else int(raw)
        except ValueError:
            return None, t("slider_not_number", value=shorten(raw))
        if not self.min_value <= number <= self.max_value:
            return None, t("slider_range", value=number, min=self.min_value, max=self.max_value)
        return number, None


@dataclass
class Button:
    label: str
    value: Any
    type: str = "submit"
    disabled: bool = False
    color: str = "primary"


@dataclass
class ActionsItem(Item):
    kind: ClassVar[str] = "actions"
    buttons: list[Button] = field(default_factory=list)
    text_like: ClassVar[bool] = False

    @property
    def has_submit(self) -> bool:
        return any(b.type == "submit" for b in self.buttons)

    def raw_initial(self) -> Any:
        return ""

    def read(self, event: FormSubmitted, t: Messages = ENGLISH) -> tuple[Any, Any, str | None]:
        sent = event.values.get(self.name, [""])[0]
        if sent == "" and event.action == "submit":
            # Enter in a text field: browsers press the first submit button
            sent = next((str(i) for i, b in enumerate(self.buttons) if b.type == "submit" and not b.disabled), "")
        index = button_index(sent, len(self.buttons))
        if index is None or self.buttons[index].type != "submit" or self.buttons[index].disabled:
            return None, "", t("stale_option", value=shorten(sent))
        return self.buttons[index].value, "", None


@dataclass
class FileUploadItem(Item):
    kind: ClassVar[str] = "file_upload"
    accept: str | None = None
    placeholder: str | None = None  # None: "Choose file" in the user's language
    multiple: bool = False
    max_size: int = 0
    max_total_size: int = 0
    text_like: ClassVar[bool] = False

    def raw_initial(self) -> Any:
        return ""

    def post_limit(self) -> PostLimit:
        """PyWebIO's meaning: ``max_size`` for each file, ``max_total_size`` for all of them together."""
        return PostLimit(each=self.max_size, total=self.max_total_size, is_file=True)

    def read(self, event: FormSubmitted, t: Messages = ENGLISH) -> tuple[Any, Any, str | None]:
        """The file dict (a list of them with ``multiple``); what it shows again is the list of file names."""
        files = [f for f in event.files.get(self.name, []) if f.filename or f.content]
        for f in files:
            if self.max_size and len(f.content) > self.max_size:
                return None, "", t("file_too_large", name=f.filename, size=t.size(len(f.content)),
                                   max=t.size(self.max_size))
        total = sum(len(f.content) for f in files)
        if self.max_total_size and total > self.max_total_size:
            return None, "", t("files_too_large", size=t.size(total), max=t.size(self.max_total_size))
        if self.required and not files:
            return None, "", t("file_required")
        if not self.multiple and len(files) > 1:
            return None, "", t("one_file_only")
        now = time.time()
        results = [{"filename": f.filename.replace("\\", "/").rsplit("/", 1)[-1], "content": f.content,
                    "mime_type": f.mime_type, "last_modified": now} for f in files]
        names = [str(r["filename"]) for r in results]
        if self.multiple:
            return results, names, None
        return (results[0] if results else None), names, None


def file_placeholder(placeholder: str | None) -> str | None:
    """A file chooser's placeholder: None (shown as "Choose file" in the user's language) for PyWebIO's
    English default, else the app's own text."""
    return None if placeholder in (None, "Choose file") else str(placeholder)


def human_size(n: int) -> str:
    """A byte count for people, in English: '512 bytes', '1.5 KB'."""
    return ENGLISH.size(n)


def parse_file_size(size: int | str, caller: str = "file_upload") -> int:
    """Bytes in ``size``: an int, or a string like ``'3M'``, ``'500k'``, ``'1G'`` (binary multiples)."""
    if isinstance(size, int):
        return size
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)[bB]?\s*", str(size))
    if not match:
        raise ValueError(f"{caller}: {size!r} is not a size. Use bytes as an int, or a string like '500K', '3M', '1G'.")
    number, unit = float(match.group(1)), match.group(2).upper()
    return int(number * {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}[unit])


