"""The Jinja environment and the HTML envelopes htmx swaps: templates in, fragments out."""
from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import markdown_it
import nh3
from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from htmio.i18n import ENGLISH, Messages

__all__ = ["render_template", "envelope", "join_envelopes", "markdown_to_html", "highlight", "Markup"]


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one Jinja environment: package templates, autoescape on, missing variables are errors."""
    env = Environment(
        loader=PackageLoader("htmio", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["tojson_attr"] = _tojson_attr
    env.globals["t"] = _translate
    return env


def _messages(context: Context) -> Messages:
    # the session's texts ride on its page context; pages without a session pass ``messages`` themselves
    page = context.get("page")
    found = getattr(page, "messages", None) if page is not None else context.get("messages")
    return found if isinstance(found, Messages) else ENGLISH


@pass_context
def _translate(context: Context, key: str, **args: Any) -> str:
    """``{{ t("submit") }}``: a built-in text in the session's language."""
    return _messages(context)(key, **args)


def _tojson_attr(value: object) -> Markup:
    # for single-quoted attributes (hx-headers, hx-vals): escape the quote and HTML specials
    text = json.dumps(value, separators=(",", ":"))
    for ch, rep in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("'", "\\u0027")):
        text = text.replace(ch, rep)
    return Markup(text)


def render_template(name: str, /, **context: Any) -> Markup:
    """Render one template of ``htmio/templates`` to safe HTML."""
    return Markup(environment().get_template(name).render(**context))


def envelope(target: str, swap: str, html: str) -> str:
    """One htmx 4 partial: ``html`` swapped with ``swap`` into the element whose id is ``target``."""
    return f'<hx-partial hx-target="#{escape(target)}" hx-swap="{escape(swap)}">{html}</hx-partial>'


def join_envelopes(parts: Iterable[tuple[str, str, str]]) -> str:
    """Envelopes for (target, swap, html) triples, neighbours with the same target and swap merged."""
    out: list[str] = []
    last: tuple[str, str] | None = None
    chunk: list[str] = []
    for target, swap, html in parts:
        key = (target, swap)
        # only appends and inserts-before keep their order when merged; anything else stays alone
        if key == last and swap in ("beforeend", "beforebegin"):
            chunk.append(html)
            continue
        if last is not None:
            out.append(envelope(last[0], last[1], "".join(chunk)))
        last, chunk = key, [html]
    if last is not None:
        out.append(envelope(last[0], last[1], "".join(chunk)))
    return "\n".join(out)


_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "kbd", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul", "input",
}
_ALLOWED_ATTRS = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align", "colspan", "rowspan", "style"},
    "th": {"align", "colspan", "rowspan", "style"},
    "code": {"class"},
    "span": {"class"},
    "pre": {"class"},
    "ol": {"start"},
    "input": {"type", "checked", "disabled"},
}


@lru_cache(maxsize=1)
def _markdown() -> markdown_it.MarkdownIt:
    # html off: raw HTML in Markdown is shown as text; tables and strikethrough on
    # fenced code with a language is highlighted by Pygments, like put_code
    return markdown_it.MarkdownIt("js-default", {"linkify": False,
                                                 "highlight": lambda code, lang, _: str(highlight(code, lang))})


def markdown_to_html(text: str, sanitize: bool = True) -> Markup:
    """Markdown to HTML on the server; the result keeps no ids, data-* or hx-* attributes."""
    html = _markdown().render(text)
    if sanitize:
        html = sanitize_html(html)
    return Markup(html)


def sanitize_html(html: str) -> str:
    """Strip scripts, handlers, ids and htmx attributes from untrusted HTML."""
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRS,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        filter_style_properties={"text-align"},
    )


@lru_cache(maxsize=64)
def _lexer(language: str) -> Any:
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def highlight(code: str, language: str) -> Markup:
    """``code`` as HTML with Pygments' short token classes (styled by htmio.css), or escaped plain text
    when ``language`` is empty or unknown."""
    lexer = _lexer(language.strip().lower()) if language else None
    if lexer is None:
        return escape(code)
    from pygments import highlight as pygments_highlight
    from pygments.formatters import HtmlFormatter

    html = pygments_highlight(code, lexer, HtmlFormatter(nowrap=True))
    if not code.endswith("\n") and html.endswith("\n"):
        html = html[:-1]  # Pygments ends every text with a newline
    return Markup(html)
