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

from htmio import urls
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
    env.globals["urls"] = urls  # every URL a template writes comes from htmio/urls.py
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


# What sanitised HTML keeps (put_markdown, put_html(sanitize=True)): close to what PyWebIO's DOMPurify
# keeps by default (formatting, tables, images, media, <details>, <font>, <center>, inline styles), minus
# what could reach htmio itself: no scripts, handlers, ids, names, data-* or hx-* attributes (an id could
# become the target of htmio's swaps, data-hx-* is live in htmx 4), no forms or their controls, no <style>
# and no positioning in style="" (a link stretched over the page by a chat message)
_ALLOWED_TAGS = {
    "a", "abbr", "acronym", "address", "article", "aside", "audio", "b", "bdi", "bdo", "big", "blockquote",
    "br", "caption", "center", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl",
    "dt", "em", "figcaption", "figure", "font", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "i", "img", "input", "ins", "kbd", "li", "main", "mark", "meter", "nav", "nobr", "ol",
    "p", "picture", "pre", "progress", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "source",
    "span", "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "time", "tr", "track", "tt", "u", "ul", "var", "video", "wbr",
}
_CELL = {"colspan", "rowspan", "headers", "scope", "width", "height", "valign", "bgcolor", "nowrap"}
_ALLOWED_ATTRS = {
    "*": {"title", "lang", "dir", "align", "style", "role"},
    "a": {"href", "hreflang", "target"},
    "img": {"src", "alt", "width", "height", "loading", "border"},
    "table": {"border", "cellpadding", "cellspacing", "width", "bgcolor", "summary"},
    "td": _CELL, "th": _CELL,
    "col": {"span", "width"}, "colgroup": {"span", "width"},
    "font": {"color", "face", "size"},
    "hr": {"noshade", "size", "width"},
    "ol": {"start", "reversed", "type"}, "ul": {"type"}, "li": {"value"},
    "details": {"open"},
    "time": {"datetime"}, "del": {"datetime"}, "ins": {"datetime"},
    "meter": {"value", "min", "max", "low", "high", "optimum"}, "progress": {"value", "max"},
    "video": {"src", "poster", "controls", "width", "height", "loop", "muted", "preload", "playsinline", "autoplay"},
    "audio": {"src", "controls", "loop", "muted", "preload", "autoplay"},
    "source": {"src", "type", "media"},
    "track": {"src", "kind", "srclang", "label", "default"},
    # Pygments' token classes and markdown-it's language-* on fenced code
    "code": {"class"}, "span": {"class"}, "pre": {"class"},
    "input": {"checked", "disabled"},
}
_SET_VALUES = {"input": {"type": "checkbox"}}  # a task list's box: never a text field or other control
_STYLE_PROPERTIES = {
    "color", "background", "background-color", "background-image", "background-repeat", "background-size",
    "opacity", "visibility", "cursor", "display", "float", "clear", "vertical-align", "box-sizing",
    "width", "height", "min-width", "max-width", "min-height", "max-height", "overflow", "overflow-x", "overflow-y",
    "margin", "margin-top", "margin-right", "margin-bottom", "margin-left",
    "padding", "padding-top", "padding-right", "padding-bottom", "padding-left",
    "border", "border-top", "border-right", "border-bottom", "border-left", "border-color", "border-style",
    "border-width", "border-radius", "border-collapse", "border-spacing", "outline", "box-shadow",
    "font", "font-family", "font-size", "font-style", "font-weight", "font-variant", "line-height",
    "letter-spacing", "word-spacing", "white-space", "word-break", "overflow-wrap", "text-align",
    "text-decoration", "text-transform", "text-indent", "text-shadow", "list-style", "list-style-type",
    "list-style-position", "table-layout", "caption-side", "object-fit",
    "gap", "row-gap", "column-gap", "flex", "flex-direction", "flex-wrap", "flex-grow", "flex-shrink",
    "flex-basis", "justify-content", "align-items", "align-self", "align-content", "order",
    "grid-template-columns", "grid-template-rows", "grid-column", "grid-row",
}


def _keep_url(tag: str, attribute: str, value: str) -> str | None:
    # data: URLs only as images (markdown-it lets through the same); nh3 has checked the other schemes
    url = value.strip().lower()
    if attribute in ("href", "src", "poster") and url.startswith("data:"):
        return value if tag == "img" and attribute == "src" and url.startswith("data:image/") else None
    return value


@lru_cache(maxsize=1)
def _markdown() -> markdown_it.MarkdownIt:
    # inline and block HTML on, as in PyWebIO's marked.js: put_markdown sanitises what comes out
    # (sanitize=True) or keeps it as the app wrote it; tables and strikethrough on;
    # fenced code with a language is highlighted by Pygments, like put_code
    return markdown_it.MarkdownIt("js-default", {"html": True, "linkify": False,
                                                 "highlight": lambda code, lang, _: str(highlight(code, lang))})


def markdown_to_html(text: str, sanitize: bool = True) -> Markup:
    """Markdown to HTML on the server, HTML written in the text included. With ``sanitize`` the result
    keeps no scripts, handlers, ids, data-* or hx-* attributes; without, it is as trusted as ``put_html``."""
    html = _markdown().render(text)
    if sanitize:
        html = sanitize_html(html)
    return Markup(html)


def sanitize_html(html: str) -> str:
    """Strip scripts, handlers, ids, forms and htmx attributes from untrusted HTML; formatting stays."""
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRS,
        set_tag_attribute_values=_SET_VALUES,
        generic_attribute_prefixes={"aria-"},
        attribute_filter=_keep_url,
        url_schemes={"http", "https", "mailto", "data"},
        link_rel="noopener noreferrer",
        filter_style_properties=_STYLE_PROPERTIES,
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
