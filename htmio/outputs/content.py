"""Content outputs: text, Markdown, HTML, code, links, images, files, alert boxes, spinners, progress bars."""
from __future__ import annotations

import base64
import io
import mimetypes
import re
import textwrap
import warnings
from typing import Any

from htmio import urls
from htmio.callbacks import Callback
from htmio.fields import human_size
from htmio.outputs.base import (
    _COLORS,
    Output,
    OutputPosition,
    _css_size,
    _emit,
    _open,
    _take,
)
from htmio.render import Markup, highlight, markdown_to_html, sanitize_html
from htmio.runtime import Session
from htmio.scopes import Node, check_scope_name
from htmio.served import Media, MediaFiles


def put_text(*texts: Any, sep: str = " ", inline: bool = False, scope: str | None = None,
             position: int = OutputPosition.BOTTOM) -> Output:
    """Output plain text; HTML in it is shown as typed, and spaces and newlines are kept.

        put_text("Hello", "world")          # Hello world
        put_text("no line break", inline=True)
    """
    return _emit("put_text", "output/put_text.html", scope, position,
                 text=sep.join(str(t) for t in texts), inline=inline)


def put_markdown(mdcontent: str, lstrip: bool = True, options: dict[str, Any] | None = None,
                 sanitize: bool = True, scope: str | None = None, position: int = OutputPosition.BOTTOM,
                 **kwargs: Any) -> Output:
    """Output Markdown, rendered on the server (tables and strikethrough included). HTML written in it
    (``<br>``, ``<kbd>``, ``<details>``, ``<font color=...>``) is kept, as in PyWebIO.

        def main():
            put_markdown('''# Title
            Some *emphasis* and a [link](https://example.org).
            ''')

    ``lstrip`` (on by default) takes off the indent that the lines after the first share, so Markdown
    indented with the code around it reads as written; the first line, which follows the opening quotes,
    is kept as it is. ``lstrip=False`` keeps the text as it is. ``strip_indent=n`` is deprecated (a
    DeprecationWarning); with ``lstrip=False`` it still takes ``n`` leading spaces off each line.
    ``sanitize=True`` (the default) cleans the result for text from users: scripts, event handlers,
    ``javascript:`` links, ids, ``data-*`` and ``hx-*`` attributes, forms and ``<style>`` go, formatting
    stays. ``sanitize=False`` keeps the HTML as written, for the app's own trusted text: its scripts run
    as ``put_html``'s do and htmx attributes in it are inert. ``options`` (marked.js options in PyWebIO)
    is accepted and ignored.
    """
    if not isinstance(mdcontent, str):
        raise TypeError(f"put_markdown() takes a string of Markdown, not {type(mdcontent).__name__}.")
    text = mdcontent
    if "strip_indent" in kwargs:
        warnings.warn("put_markdown(strip_indent=...) is deprecated: lstrip=True (the default) removes the "
                      "indent of triple-quoted Markdown by itself; drop the argument.",
                      DeprecationWarning, stacklevel=2)
        cut = kwargs["strip_indent"]
        if not lstrip and isinstance(cut, int) and not isinstance(cut, bool) and cut > 0:
            text = "\n".join(line[cut:] if line[:cut] == " " * cut else line for line in text.splitlines())
    if lstrip:
        text = _strip_literal_indent(text)
    html = markdown_to_html(text, sanitize=bool(sanitize))
    if not sanitize:
        html = Markup(_ordered_scripts(html))
    return _emit("put_markdown", "output/put_markdown.html", scope, position, html=html,
                 trusted=not sanitize)


def _strip_literal_indent(text: str) -> str:
    """PyWebIO's ``lstrip``: the indent shared by the lines after the first comes off them (blank lines do
    not count); the first line, which starts right after the opening quotes, stays as it is."""
    first, newline, rest = text.partition("\n")
    if not newline:
        return text
    return first + newline + textwrap.dedent(rest)


def put_html(html: Any, sanitize: bool = False, scope: str | None = None,
             position: int = OutputPosition.BOTTOM) -> Output:
    """Output HTML as it is. Trusted input only: pass ``sanitize=True`` for HTML from users.

        put_html("<b>bold</b> and <i>italic</i>")

    Objects with ``__html__()`` or ``_repr_html_()`` (pandas, IPython displays) are accepted.
    """
    if hasattr(html, "__html__"):
        html = html.__html__()
    elif hasattr(html, "_repr_html_"):
        html = html._repr_html_()
    if not isinstance(html, str):
        raise TypeError(f"put_html() takes a string of HTML, not {type(html).__name__}.")
    html = sanitize_html(html) if sanitize else _ordered_scripts(html)
    return _emit("put_html", "output/put_html.html", scope, position, html=Markup(html))


_SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
_SCRIPT_TYPE = re.compile(r"""\stype\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_JS_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript", "application/ecmascript"}


def _ordered_scripts(html: str) -> str:
    """Mark the scripts of trusted HTML so that htmio.js runs them one after another, each ``src`` loaded
    before the next script runs: a chart's inline code may use the library a ``<script src>`` before it
    loads (scripts inserted by a swap would otherwise load in parallel). Data blocks keep their type."""
    def mark(match: re.Match[str]) -> str:
        attrs = match.group(1)
        found = _SCRIPT_TYPE.search(attrs)
        kind = next((g for g in found.groups() if g is not None), "") if found else ""
        if kind.strip().lower() not in _JS_TYPES:
            return match.group(0)
        rest = _SCRIPT_TYPE.sub("", attrs, count=1) if found else attrs
        original = ' data-htmio-type="module"' if kind.strip().lower() == "module" else ""
        return f'<script type="text/x-htmio-script"{original}{rest}>'

    return _SCRIPT_TAG.sub(mark, html)


def put_code(content: Any, language: str = "", rows: int | None = None, scope: str | None = None,
             position: int = OutputPosition.BOTTOM) -> Output:
    """Output a block of code, highlighted on the server (Pygments; no script in the browser).

        put_code("print('hello')", language="python")
        put_code(long_log, rows=10)          # at most about 10 lines high, then it scrolls

    An unknown ``language`` shows the code plain.
    """
    if rows is not None and (not isinstance(rows, int) or rows < 1):
        raise ValueError(f"put_code(rows={rows!r}): rows must be a positive int, or None for no limit.")
    text = str(content)
    return _emit("put_code", "output/put_code.html", scope, position, html=highlight(text, language),
                 language=str(language or ""), style=f"max-height: {rows * 19 + 32}px" if rows else "")


def put_link(name: str, url: str | None = None, app: str | None = None, new_window: bool = False,
             scope: str | None = None, position: int = OutputPosition.BOTTOM) -> Output:
    """Output a link to a URL, or to another app of the same server (``app=``).

        put_link("Documentation", "https://example.org/docs", new_window=True)
        put_link("Settings", app="settings")
    """
    if (url is None) == (app is None):
        raise ValueError(f"put_link({name!r}): give exactly one of url= (a web address) or app= (an app's name).")
    if app is not None and not re.fullmatch(r"[A-Za-z0-9_-]+", str(app)):
        raise ValueError(f"put_link(app={app!r}): app names use letters, digits, '-' and '_'.")
    return _emit("put_link", "output/put_link.html", scope, position, text=str(name), url=url, app=app,
                 new_window=bool(new_window))


_INLINE_LIMIT = 16 * 1024  # smaller images are inlined as data: URLs; larger ones are served by the session
_IMAGE_MAGIC = ((b"\x89PNG", "png"), (b"\xff\xd8", "jpeg"), (b"GIF8", "gif"), (b"BM", "bmp"), (b"<svg", "svg+xml"),
                (b"<?xml", "svg+xml"))


def _media_url(session: Session, media: Media) -> str:
    """The session URL that serves ``media`` while something keeps it alive."""
    registry = session.part(MediaFiles)
    number = session.document.next_number()
    registry[number] = media
    return urls.media(session.page.base, number)


def _image_bytes(src: Any, format: str | None) -> tuple[bytes, str]:
    """Bytes and MIME subtype of a bytes image, a PIL image or a matplotlib figure."""
    if isinstance(src, (bytes, bytearray, memoryview)):
        data = bytes(src)
        if format:
            return data, _subtype(format)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return data, "webp"
        for magic, subtype in _IMAGE_MAGIC:
            if data.lstrip()[:len(magic)] == magic:
                return data, subtype
        raise ValueError("put_image(): these bytes are not a PNG, JPEG, GIF, WebP, BMP or SVG image; "
                         "say which with format='png' (or the right one).")
    buffer = io.BytesIO()
    if hasattr(src, "savefig"):  # a matplotlib figure
        fmt = (format or "png").lower()
        src.savefig(buffer, format=fmt, bbox_inches="tight")
        return buffer.getvalue(), _subtype(fmt)
    if hasattr(src, "save") and hasattr(src, "mode"):  # a PIL image
        fmt = (format or getattr(src, "format", None) or ("PNG" if "A" in src.mode or src.mode == "P" else "JPEG"))
        src.save(buffer, format=fmt)
        return buffer.getvalue(), _subtype(fmt)
    raise TypeError(f"put_image() takes a URL, bytes, a PIL image or a matplotlib figure, not {type(src).__name__}.")


def _subtype(fmt: str) -> str:
    """The MIME subtype of an image format name (``jpg`` -> ``jpeg``)."""
    fmt = fmt.lower().removeprefix("image/")
    return {"jpg": "jpeg", "svg": "svg+xml", "ico": "x-icon"}.get(fmt, fmt)


def put_image(src: Any, format: str | None = None, title: str = "", width: Any = None, height: Any = None,
              scope: str | None = None, position: int = OutputPosition.BOTTOM) -> Output:
    """Output an image: a URL, image bytes, a PIL image or a matplotlib figure.

        put_image("https://example.org/logo.png", width="120px")
        put_image(open("chart.png", "rb").read(), title="Sales")
        put_image(pil_image)                     # PIL: saved in its own format (PNG or JPEG otherwise)
        put_image(figure)                        # matplotlib: saved as PNG

    Small images are inlined in the page; larger ones are served by the session, to its browser only, for
    as long as the output exists.
    """
    style = ";".join(f"{name}: {_css_size(v, 'put_image', name)}" for name, v in (("width", width), ("height", height))
                     if v is not None)
    if isinstance(src, str):
        return _emit("put_image", "output/put_image.html", scope, position, src=src, title=str(title), style=style)
    data, subtype = _image_bytes(src, format)

    def build(session: Session, node: Node) -> None:
        media = Media(f"image/{subtype}", data)
        node.context["media"] = media  # the node keeps the bytes alive; the registry only points at them
        if len(data) <= _INLINE_LIMIT and subtype != "svg+xml":
            node.context["src"] = f"data:image/{subtype};base64,{base64.b64encode(data).decode()}"
        else:
            node.context["src"] = _media_url(session, media)

    return _emit("put_image", "output/put_image.html", scope, position, build=build, src="", title=str(title),
                 style=style)


def put_file(name: str, content: bytes, label: str | None = None, scope: str | None = None,
             position: int = OutputPosition.BOTTOM) -> Output:
    """Output a link that downloads ``content`` as a file named ``name``; it works without JavaScript.

        put_file("report.csv", b"a,b\\n1,2\\n", label="Download the report")

    The bytes stay with the session as long as the output exists.
    """
    if isinstance(content, str):
        raise TypeError(f"put_file({name!r}, ...): content must be bytes, not str; encode text first, "
                        "like text.encode().")
    if not isinstance(content, (bytes, bytearray, memoryview)):
        raise TypeError(f"put_file({name!r}, ...): content must be bytes, not {type(content).__name__}.")
    filename = str(name)
    data = bytes(content)

    def build(session: Session, node: Node) -> None:
        media = Media(mimetypes.guess_type(filename)[0] or "application/octet-stream", data, filename)
        node.context["media"] = media
        node.context["url"] = _media_url(session, media)

    return _emit("put_file", "output/put_file.html", scope, position, build=build, url="", filename=filename,
                 label=str(label) if label is not None else filename, size=human_size(len(data)))


def _alert(kind: str, caller: str, contents: tuple[Any, ...], closable: bool, scope: str | None,
           position: int) -> Output:
    """An alert box of ``kind`` holding ``contents``; ``closable`` adds a close button."""

    def build(session: Session, node: Node) -> None:
        for item in contents:
            _take(session, node, item, caller)
        if closable:
            node.context["close"] = session.callbacks.add(Callback(lambda: _remove_node(session, node)))

    return _emit(caller, "output/put_alert.html", scope, position, build=build, container=True, kind=kind,
                 close=None)


def _remove_node(session: Session, node: Node) -> None:
    """Take ``node`` off the page (a closable alert's close button)."""
    with session.changing():
        session.document.detach(node)


def put_info(*contents: Any, closable: bool = False, scope: str | None = None,
             position: int = OutputPosition.BOTTOM) -> Output:
    """Output an information box; texts and ``put_*`` outputs inside. ``closable`` adds a close button.

        put_info("The import has started.", closable=True)
        with put_info():
            put_text("collected in the box")
    """
    return _alert("info", "put_info", contents, closable, scope, position)


def put_success(*contents: Any, closable: bool = False, scope: str | None = None,
                position: int = OutputPosition.BOTTOM) -> Output:
    """Output a success box, like ``put_info`` in green.

        put_success("Saved.", put_link("open it", url="/files/1"))
    """
    return _alert("success", "put_success", contents, closable, scope, position)


def put_warning(*contents: Any, closable: bool = False, scope: str | None = None,
                position: int = OutputPosition.BOTTOM) -> Output:
    """Output a warning box, like ``put_info`` in amber.

        put_warning("Disk almost full")
    """
    return _alert("warning", "put_warning", contents, closable, scope, position)


def put_error(*contents: Any, closable: bool = False, scope: str | None = None,
              position: int = OutputPosition.BOTTOM) -> Output:
    """Output an error box, like ``put_info`` in red.

        put_error("The upload failed:", put_code(str(exc)))
    """
    return _alert("danger", "put_error", contents, closable, scope, position)


def put_loading(shape: str = "border", color: str = "dark", scope: str | None = None,
                position: int = OutputPosition.BOTTOM) -> Output:
    """Output a spinner. In a ``with`` block, the outputs made inside show next to it, and the spinner
    and those outputs go away when the block ends.

        with put_loading():
            put_text("Crunching numbers...")
            crunch()
        put_loading(shape="grow", color="primary").style("width: 4rem; height: 4rem")
    """
    if shape not in ("border", "grow"):
        raise ValueError(f"put_loading(shape={shape!r}): use 'border' or 'grow'.")
    if color not in _COLORS:
        raise ValueError(f"put_loading(color={color!r}): use one of {', '.join(_COLORS)}.")
    return _emit("put_loading", "output/put_loading.html", scope, position, container=True, shape=shape,
                 color=color, remove_on_exit=True, style_inside=True)


def put_processbar(name: str, init: float = 0, label: str | None = None, auto_close: bool = False,
                   scope: str | None = None, position: int = OutputPosition.BOTTOM) -> Output:
    """Output a progress bar named ``name``, at ``init`` (0 to 1); move it with ``set_processbar``.

        put_processbar("download")
        for i in range(1, 11):
            set_processbar("download", i / 10)

    The label shows the percentage unless given; ``auto_close`` removes the bar when it reaches 1.
    """
    check_scope_name(name, f"put_processbar({name!r})")

    def build(session: Session, node: Node) -> None:
        session.part(_Processbars)[name] = node

    return _emit("put_processbar", "output/put_processbar.html", scope, position, build=build,
                 **_progress(name, init, label, "put_processbar"), auto_close=bool(auto_close))


class _Processbars(dict[str, Node]):
    """A session's progress bars by name."""


def _progress(name: str, value: float, label: str | None, caller: str) -> dict[str, Any]:
    """The progress bar's template context for ``value``, clamped to 0..1."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{caller}({name!r}, {value!r}): the value is a number from 0 to 1.")
    value = min(max(float(value), 0.0), 1.0)
    return {"name": name, "value": value, "percent": round(value * 100, 1),
            "label": label if label is not None else f"{value * 100:.1f}%"}


def set_processbar(name: str, value: float, label: str | None = None) -> None:
    """Move the progress bar ``name`` to ``value`` (0 to 1), optionally with a new label.

        set_processbar("download", 0.5, label="half way")
    """
    session = _open("set_processbar")
    with session.changing():
        node = session.part(_Processbars).get(name)
        if node is None:
            raise ValueError(f"set_processbar({name!r}): no progress bar of that name; "
                             f"make it first with put_processbar({name!r}).")
        node.context.update(_progress(name, value, label, "set_processbar"))
        if node.context["auto_close"] and node.context["value"] >= 1:
            session.document.detach(node)
            del session.part(_Processbars)[name]
        else:
            session.document.changed(node)


put_progressbar = put_processbar
set_progressbar = set_processbar
