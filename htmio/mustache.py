"""The Mustache subset ``put_widget`` templates use: variables, sections, inverted sections, comments.

PyWebIO's custom widgets are Mustache templates; this renders them on the server. Variables are
HTML-escaped (``{{name}}``) or not (``{{& name}}``, ``{{{name}}}``); ``{{#list}}...{{/list}}`` repeats for each
item, ``{{^x}}...{{/x}}`` shows when ``x`` is empty or false, ``{{.}}`` is the current item and dotted names
reach into dicts. The name ``pywebio_output_parse`` (alias ``htmio_output``) renders the current item as an
output: a ``put_*`` shows, anything else becomes text.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape

_TAG = re.compile(r"\{\{(\{?)\s*([#^/&!]?)\s*(.*?)\s*\}?\}\}", re.S)
OUTPUT_NAMES = ("pywebio_output_parse", "htmio_output")


class MustacheError(ValueError):
    """A widget template that cannot be parsed (an unclosed or mismatched section)."""


@dataclass
class _Section:
    name: str
    inverted: bool
    body: list[Any]


@lru_cache(maxsize=256)
def _parse(template: str) -> tuple[Any, ...]:
    root: list[Any] = []
    stack: list[tuple[_Section, list[Any]]] = []
    current = root
    pos = 0
    for m in _TAG.finditer(template):
        if m.start() > pos:
            current.append(template[pos:m.start()])
        pos = m.end()
        triple, sigil, name = m.group(1), m.group(2), m.group(3)
        if sigil == "!":
            continue
        if sigil in ("#", "^"):
            section = _Section(name, sigil == "^", [])
            current.append(section)
            stack.append((section, current))
            current = section.body
        elif sigil == "/":
            if not stack or stack[-1][0].name != name:
                open_name = stack[-1][0].name if stack else None
                raise MustacheError(
                    f"put_widget: the template closes {{{{/{name}}}}} but the open section is "
                    f"{open_name!r}. Close sections in the order they were opened."
                )
            _, current = stack.pop()
        else:
            current.append(("raw" if triple or sigil == "&" else "var", name))
    if stack:
        raise MustacheError(f"put_widget: the section {{{{#{stack[-1][0].name}}}}} is never closed with "
                            f"{{{{/{stack[-1][0].name}}}}}.")
    current.append(template[pos:])
    return tuple(root)


def check(template: str) -> None:
    """Raise MustacheError now if ``template`` cannot be parsed (rather than when it is first shown)."""
    _parse(template)


def _lookup(name: str, stack: Sequence[Any]) -> Any:
    if name == ".":
        return stack[-1]
    first, *rest = name.split(".")
    for frame in reversed(stack):
        if isinstance(frame, Mapping) and first in frame:
            value = frame[first]
            for part in rest:
                value = value.get(part) if isinstance(value, Mapping) else None
            return value
    return None


def render(template: str, data: Mapping[str, Any], output: Callable[[Any], Markup],
           is_output: Callable[[Any], bool] = lambda v: False) -> Markup:
    """Render ``template`` with ``data``; ``output(value)`` renders one embedded output or text, and
    any value for which ``is_output(value)`` holds is rendered that way wherever it appears.

        render("<b>{{name}}</b>", {"name": "Ada"}, str)   # '<b>Ada</b>'
    """
    out: list[str] = []

    def run(nodes: Sequence[Any], stack: list[Any]) -> None:
        for node in nodes:
            if isinstance(node, str):
                out.append(node)
            elif isinstance(node, _Section):
                value = _lookup(node.name, stack)
                if node.inverted:
                    if not value:
                        run(node.body, stack)
                elif isinstance(value, (list, tuple)):
                    for item in value:
                        run(node.body, [*stack, item])
                elif value:
                    run(node.body, stack if value is True else [*stack, value])
            else:
                kind, name = node
                if name in OUTPUT_NAMES:
                    out.append(output(stack[-1]))
                    continue
                value = _lookup(name, stack)
                if value is None:
                    continue
                if is_output(value):
                    out.append(output(value))
                elif kind == "raw":
                    out.append(str(value))
                else:
                    out.append(escape(value))

    run(_parse(template), [data])
    return Markup("".join(out))
