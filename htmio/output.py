"""Output functions: ``put_*`` append content to the page, scopes organise it, toasts notify.

Every ``put_*`` renders its template on the server and queues the fragment for the page's event
stream; outputs made close together leave as one message.
"""
from __future__ import annotations

import base64
import functools
import inspect
import io
import mimetypes
import re
import secrets
import textwrap
import warnings
import weakref
from collections import UserList
from collections.abc import Callable, Generator, Mapping, Sequence
from typing import Any

from htmio import mustache, urls
from htmio.fields import human_size
from htmio.render import Markup, highlight, markdown_to_html, render_template, sanitize_html
from htmio.runtime import Callback, Session, current_session
from htmio.scopes import ROOT, Node, check_scope_name

__all__ = [
    "Output",
    "OutputPosition",
    "Position",
    "put_text",
    "put_markdown",
    "put_html",
    "put_buttons",
    "put_button",
    "put_scope",
    "use_scope",
    "get_scope",
    "clear",
    "remove",
    "scroll_to",
    "toast",
    "put_code",
    "put_link",
    "put_image",
    "put_file",
    "put_info",
    "put_success",
    "put_warning",
    "put_error",
    "put_loading",
    "put_processbar",
    "set_processbar",
    "put_progressbar",
    "set_progressbar",
    "span",
    "put_table",
    "put_collapse",
    "put_scrollable",
    "put_tabs",
    "put_widget",
    "put_row",
    "put_column",
    "put_grid",
    "PopupSize",
    "popup",
    "close_popup",
    "style",
    "set_scope",
    "output",
    "OutputHandler",
    "put_datatable",
    "datatable_update",
    "datatable_insert",
    "datatable_remove",
    "JSFunction",
]


class OutputPosition:
    """Where ``position=`` puts an output among its scope's children: ``TOP`` first, ``BOTTOM`` last.

        put_text("first", position=OutputPosition.TOP)
    """

    TOP = 0
    BOTTOM = -1


class Position:
    """Where ``scroll_to`` puts a scope in the window.

        scroll_to("results", Position.MIDDLE)
    """

    TOP = "top"
    MIDDLE = "middle"
    BOTTOM = "bottom"


class Output:
    """What every ``put_*`` returns: already on the page, and changeable by chaining.

        put_text("warning").style("color: red").onclick(lambda: toast("clicked"))
    """

    __slots__ = ("_node", "_session")

    def __init__(self, node: Node, session: Session) -> None:
        self._node = node
        self._session = session

    def style(self, css_style: str) -> Output:
        """Add CSS declarations to the output's element.

            put_text("hello").style("color: red; font-size: 20px")
        """
        if not isinstance(css_style, str):
            raise TypeError(f"style() takes a CSS string like 'color: red', not {css_style!r}.")
        with self._session.lock:
            node = self._node
            node.style = f"{node.style};{css_style}" if node.style else css_style
            self._session.document.changed(node)
        self._session.changed()
        return self

    def onclick(self, callback: Callable[[], Any]) -> Output:
        """Call ``callback()`` (no arguments) in the session when the output is clicked.

            put_text("click me").onclick(lambda: put_text("clicked"))
        """
        if not callable(callback):
            raise TypeError(f"onclick() takes a function to call, not {callback!r}.")
        number = self._session.add_callback(Callback(callback))
        with self._session.lock:
            self._node.click = number
            self._session.document.changed(self._node)
        self._session.changed()
        return self

    def show(self) -> Output:
        """Kept for PyWebIO compatibility: htmio shows every output when it is made, so this does nothing.

            put_text("already shown").show()
        """
        return self

    send = show

    def __await__(self) -> Generator[Any, None, Output]:
        """``await put_text(...)`` works in an ``async def`` app, as in PyWebIO: the output is shown when it
        is made, so awaiting it changes nothing and gives the output back.

            async def main():
                note = await put_text("saved")
        """
        yield from ()
        return self

    def __enter__(self) -> str:
        name = self._node.scope_name
        if name is None:
            what = self._node.template.rsplit("/", 1)[-1].removesuffix(".html")
            raise TypeError(
                f"{what}() cannot collect outputs in a with block. Containers can: put_row, put_column, "
                "put_collapse, put_scrollable, put_info (and its siblings), put_loading, put_scope, popup."
            )
        self._session.scope_stack().append(name)
        return name

    def __exit__(self, *exc: object) -> None:
        stack = self._session.scope_stack()
        if len(stack) > 1 and stack[-1] == self._node.scope_name:
            stack.pop()
        if self._node.context.get("remove_on_exit"):
            with self._session.lock:
                self._session.document.detach(self._node)
            self._session.changed()

    def __repr__(self) -> str:
        return f"<htmio Output {self._node.template} #{self._node.dom_id}>"


def _open(caller: str) -> Session:
    session = current_session(caller)
    session.check_open(caller)
    return session


def _emit(caller: str, template: str, scope: str | None, position: int, *,
          children: Sequence[Output] | None = None, build: Callable[[Session, Node], None] | None = None,
          container: bool = False, style: str = "", **context: Any) -> Output:
    """Build an output node, place it in the scope at ``position`` and queue it for the page.

    ``container=True`` makes the node a scope drawn by ``template``, so ``with`` can collect outputs into
    it; ``build(session, node)`` fills in children and context under the session's lock."""
    session = _open(caller)
    if not isinstance(position, int):
        raise TypeError(f"{caller}(position={position!r}): position must be an int (0 top, -1 bottom).")
    with session.lock:
        if container:
            node = session.document.new_scope(_fresh_name(), template=template, context=context)
        else:
            node = session.document.new_output(template, context)
        node.style = style
        _adopt(session, node, children or [], caller)
        if build is not None:
            build(session, node)
        target = _target_scope(session, scope, caller)
        session.document.insert(node, target, position, caller)
    session.changed()
    return Output(node, session)


def _fresh_name() -> str:
    return f"c{secrets.token_hex(5)}"


def _adopt(session: Session, container: Node, outputs: Sequence[Output], caller: str) -> None:
    for item in outputs:
        if not isinstance(item, Output):
            raise TypeError(f"{caller}: expected an output made by a put_* function, got {item!r}.")
        _take_output(session, container, item)


def _take(session: Session, container: Node, item: Any, caller: str) -> Node:
    """``item`` as a child node of ``container``: an output moves there, anything else becomes text."""
    if isinstance(item, Output):
        return _take_output(session, container, item)
    text = "" if item is None else str(item)
    node = session.document.new_output("output/put_text.html", {"text": text, "inline": False})
    node.parent = container
    container.children.append(node)
    return node


def _contents(content: Any) -> list[Any]:
    """A container's ``content`` argument as a list: one output, one string, or a list of them."""
    if content is None:
        return []
    if isinstance(content, (list, tuple, UserList)):
        return list(content)
    return [content]


def _target_scope(session: Session, scope: str | None, caller: str) -> Node:
    name = session.current_scope() if scope is None else check_scope_name(scope, caller)
    return session.document.scope(name, caller)


# ---- content ------------------------------------------------------------------------------------

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


# ---- buttons -----------------------------------------------------------------------------------

_COLORS = ("primary", "secondary", "success", "danger", "warning", "info", "light", "dark")


def _button_specs(buttons: Sequence[Any], caller: str) -> list[dict[str, Any]]:
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
    number = session.add_callback(callback)
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


# ---- scopes ------------------------------------------------------------------------------------

def put_scope(name: str, content: Output | Sequence[Output] = (), scope: str | None = None,
              position: int = OutputPosition.BOTTOM) -> Output:
    """Output a new, named scope, optionally with content; write into it later with ``scope=name``
    or ``use_scope(name)``.

        put_scope("log", [put_text("started")])
        put_text("more", scope="log")
    """
    check_scope_name(name, f"put_scope({name!r})")
    session = current_session("put_scope")
    session.check_open("put_scope")
    items = [content] if isinstance(content, Output) else list(content)
    with session.lock:
        node = session.document.new_scope(name)
        _adopt(session, node, items, "put_scope")
        target = _target_scope(session, scope, "put_scope")
        session.document.insert(node, target, position, f"put_scope({name!r})")
    session.changed()
    return Output(node, session)


class use_scope:  # noqa: N801 - PyWebIO's name
    """Enter a scope: outputs inside the block (or the decorated function) go into it. The scope is
    created at the end of the current scope if it does not exist yet.

        with use_scope("results", clear=True):
            put_text("fresh results")

        @use_scope("clock", clear=True)
        def show_time():
            put_text(time.ctime())

    ``name=None`` makes a fresh scope with a random name, which ``with ... as name`` gives you.
    """

    def __init__(self, name: str | None = None, clear: bool = False, **kwargs: Any) -> None:
        self.name = name if name is not None else f"s{secrets.token_hex(5)}"
        check_scope_name(self.name, f"use_scope({self.name!r})")
        self.clear = clear
        self.create_scope = kwargs.get("create_scope", True)
        self.position = kwargs.get("position", OutputPosition.BOTTOM)
        self.container = kwargs.get("container_scope")
        self._entered: list[Session] = []

    def __enter__(self) -> str:
        session = current_session("use_scope")
        session.check_open("use_scope")
        with session.lock:
            if self.name not in session.document.scopes:
                if not self.create_scope:
                    session.document.scope(self.name, f"use_scope({self.name!r})")
                node = session.document.new_scope(self.name)
                parent = _target_scope(session, self.container, "use_scope")
                session.document.insert(node, parent, self.position, f"use_scope({self.name!r})")
            elif self.clear:
                session.document.clear(session.document.scopes[self.name])
            session.scope_stack().append(self.name)
        session.changed()
        self._entered.append(session)
        return self.name

    def __exit__(self, *exc: object) -> None:
        session = self._entered.pop()
        stack = session.scope_stack()
        if len(stack) > 1:
            stack.pop()

    def __call__(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                with use_scope(self.name, clear=self.clear, position=self.position,
                               container_scope=self.container, create_scope=self.create_scope):
                    return await fn(*args, **kwargs)
            return async_wrapper

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with use_scope(self.name, clear=self.clear, position=self.position,
                           container_scope=self.container, create_scope=self.create_scope):
                return fn(*args, **kwargs)
        return wrapper


def get_scope(stack_idx: int = -1) -> str | None:
    """The name of a scope in the current thread's scope stack: -1 the current one, 0 ``'ROOT'``.

        with use_scope("a"):
            assert get_scope() == "a"
    """
    stack = current_session("get_scope").scope_stack()
    try:
        return stack[stack_idx]
    except IndexError:
        return None


def clear(scope: str | None = None) -> None:
    """Remove everything inside a scope (the current one by default); the scope itself stays.

        clear("results")
    """
    session = current_session("clear")
    session.check_open("clear")
    with session.lock:
        node = _target_scope(session, scope, f"clear({scope!r})")
        session.document.clear(node)
    session.changed()


clear_scope = clear  # PyWebIO's module-level alias, not in its __all__ (nor in ours)


def remove(scope: str | None = None) -> None:
    """Remove a scope and its content from the page. ``ROOT`` cannot be removed.

        remove("results")
    """
    session = current_session("remove")
    session.check_open("remove")
    name = session.current_scope() if scope is None else scope
    if name == ROOT:
        raise ValueError("remove('ROOT'): the root scope cannot be removed; use clear('ROOT') to empty it.")
    with session.lock:
        node = _target_scope(session, name, f"remove({name!r})")
        session.document.detach(node)
    session.changed()


def scroll_to(scope: str | None = None, position: str = Position.TOP) -> None:
    """Scroll the page so that a scope is at the top, middle or bottom of the window.

        scroll_to("results", position="middle")
    """
    if position not in (Position.TOP, Position.MIDDLE, Position.BOTTOM):
        raise ValueError(f"scroll_to(position={position!r}): use 'top', 'middle' or 'bottom'.")
    session = current_session("scroll_to")
    session.check_open("scroll_to")
    with session.lock:
        node = _target_scope(session, scope, f"scroll_to({scope!r})")
        html = render_template("_command.html", command="scroll", payload={"target": node.dom_id, "position": position})
        session.document.command("htmio-commands", "beforeend", html)
    session.changed()


# ---- toast -------------------------------------------------------------------------------------

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
    callback = session.add_callback(Callback(onclick)) if onclick is not None else None
    with session.lock:
        number = session.document.next_number()
        html = render_template("output/toast.html", page=session.page, number=number, text=str(content),
                               duration=float(duration), position=position,
                               color=color if custom is None else "custom", custom=custom, callback=callback)
        session.document.toast(html, float(duration))
    session.changed()



# ---- more content --------------------------------------------------------------------------------

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


class _Media:
    """Bytes an output serves from its session (an image, a file); lives as long as its output."""

    __slots__ = ("media_type", "content", "filename", "__weakref__")

    def __init__(self, media_type: str, content: bytes, filename: str | None = None) -> None:
        self.media_type = media_type
        self.content = content
        self.filename = filename


def _media_url(session: Session, media: _Media) -> str:
    registry: weakref.WeakValueDictionary[int, _Media] = session.extras.setdefault(
        "media", weakref.WeakValueDictionary())
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
    fmt = fmt.lower().removeprefix("image/")
    return {"jpg": "jpeg", "svg": "svg+xml", "ico": "x-icon"}.get(fmt, fmt)


def _css_size(value: Any, caller: str, what: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TypeError(f"{caller}({what}={value!r}): give pixels as a number or a CSS size like '50%'.")
    text = f"{value}px" if isinstance(value, (int, float)) else value.strip()
    if not re.fullmatch(r"[\w.%() +-]+", text):
        raise ValueError(f"{caller}({what}={value!r}): not a CSS size; use a number of pixels, '50%' or '10em'.")
    return text


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
        media = _Media(f"image/{subtype}", data)
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
        media = _Media(mimetypes.guess_type(filename)[0] or "application/octet-stream", data, filename)
        node.context["media"] = media
        node.context["url"] = _media_url(session, media)

    return _emit("put_file", "output/put_file.html", scope, position, build=build, url="", filename=filename,
                 label=str(label) if label is not None else filename, size=human_size(len(data)))


def _alert(kind: str, caller: str, contents: tuple[Any, ...], closable: bool, scope: str | None,
           position: int) -> Output:
    def build(session: Session, node: Node) -> None:
        for item in contents:
            _take(session, node, item, caller)
        if closable:
            node.context["close"] = session.add_callback(Callback(lambda: _remove_node(session, node)))

    return _emit(caller, "output/put_alert.html", scope, position, build=build, container=True, kind=kind,
                 close=None)


def _remove_node(session: Session, node: Node) -> None:
    with session.lock:
        session.document.detach(node)
    session.changed()


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
        session.extras.setdefault("processbars", {})[name] = node

    return _emit("put_processbar", "output/put_processbar.html", scope, position, build=build,
                 **_progress(name, init, label, "put_processbar"), auto_close=bool(auto_close))


def _progress(name: str, value: float, label: str | None, caller: str) -> dict[str, Any]:
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
    with session.lock:
        node = session.extras.get("processbars", {}).get(name)
        if node is None:
            raise ValueError(f"set_processbar({name!r}): no progress bar of that name; "
                             f"make it first with put_processbar({name!r}).")
        node.context.update(_progress(name, value, label, "set_processbar"))
        if node.context["auto_close"] and node.context["value"] >= 1:
            session.document.detach(node)
            del session.extras["processbars"][name]
        else:
            session.document.changed(node)
    session.changed()


put_progressbar = put_processbar
set_progressbar = set_processbar


# ---- tables ------------------------------------------------------------------------------------

class span:  # noqa: N801 - PyWebIO's name
    """A table or grid cell that spans ``row`` rows and ``col`` columns.

        put_table([["Name", span("Contact", col=2)], ["Ada", "ada@example.org", "555-0100"]])
    """

    __slots__ = ("content", "row", "col")

    def __init__(self, content: Any, row: int = 1, col: int = 1) -> None:
        for what, n in (("row", row), ("col", col)):
            if isinstance(n, bool) or not isinstance(n, int) or n < 1:
                raise ValueError(f"span({what}={n!r}): spans are whole numbers of at least 1.")
        self.content = content
        self.row = row
        self.col = col


def _cell(session: Session, node: Node, item: Any, caller: str) -> dict[str, Any]:
    rows = cols = 1
    if isinstance(item, span):
        item, rows, cols = item.content, item.row, item.col
    if isinstance(item, Output):
        return {"node": _take_output(session, node, item), "text": "", "row": rows, "col": cols}
    return {"node": None, "text": "" if item is None else str(item), "row": rows, "col": cols}


def _take_output(session: Session, container: Node, item: Output) -> Node:
    """Move an output into ``container`` (off the page, if it was shown on its own)."""
    session.document.adopt(item._node, container)
    container.children.append(item._node)
    return item._node


def _table_rows(tdata: Any, header: Any) -> tuple[list[Any] | None, list[list[Any]]]:
    """PyWebIO's table shapes as (header cells or None, rows of cells)."""
    if hasattr(tdata, "columns") and hasattr(tdata, "itertuples"):  # a pandas DataFrame
        if header is None:
            header = [str(c) for c in tdata.columns]
        tdata = [list(row) for row in tdata.itertuples(index=False, name=None)]
    if isinstance(tdata, (str, bytes)) or not isinstance(tdata, Sequence):
        raise TypeError(f"put_table() takes a list of rows (lists or dicts), not {type(tdata).__name__}.")
    rows = list(tdata)
    if rows and all(isinstance(r, Mapping) for r in rows):
        if header is None:
            keys = list(rows[0].keys())
            labels: list[Any] = [str(k).capitalize() for k in keys]
        else:
            pairs = [h if isinstance(h, (tuple, list)) else (h, h) for h in header]
            labels = [label for label, _ in pairs]
            keys = [key for _, key in pairs]
        return labels, [[r.get(k, "") for k in keys] for r in rows]
    for index, row in enumerate(rows):
        if isinstance(row, (str, bytes)) or not isinstance(row, Sequence):
            raise TypeError(f"put_table(): row {index} is {row!r}; each row is a list of cells (or all rows dicts).")
    if header is not None:
        return list(header), [list(r) for r in rows]
    if not rows:
        return None, []
    return list(rows[0]), [list(r) for r in rows[1:]]


def put_table(tdata: Any, header: Sequence[Any] | None = None, scope: str | None = None,
              position: int = OutputPosition.BOTTOM) -> Output:
    """Output a table. Cells are texts, ``put_*`` outputs (buttons keep working) or ``span(...)``.

        put_table([["Name", "Age"], ["Ada", 36], ["Alan", 41]])        # the first row is the header
        put_table([{"name": "Ada", "age": 36}], header=["name", "age"])
        put_table([["Ada", put_buttons(["edit"], onclick=edit)]], header=["Name", "Actions"])
        put_table(dataframe)                                         # a pandas DataFrame

    Rows of dicts take their header from the first row's keys (capitalised); ``header=[(label, key), ...]``
    labels them yourself. ``None`` cells are empty.
    """
    head, body = _table_rows(tdata, header)

    def build(session: Session, node: Node) -> None:
        node.context["header"] = [_cell(session, node, c, "put_table") for c in head] if head is not None else None
        node.context["rows"] = [[_cell(session, node, c, "put_table") for c in row] for row in body]
        # a header cell spanning rows reaches into the body: a rowspan cannot cross from <thead> into
        # <tbody>, so such a table keeps its header row as the first row of one body, as PyWebIO does
        node.context["header_in_body"] = any(c["row"] > 1 for c in node.context["header"] or ())

    return _emit("put_table", "output/put_table.html", scope, position, build=build, header=None, rows=[],
                 header_in_body=False)


# ---- containers --------------------------------------------------------------------------------

def put_collapse(title: str, content: Any = (), open: bool = False, scope: str | None = None,  # noqa: A002
                 position: int = OutputPosition.BOTTOM) -> Output:
    """Output a section that folds away under its title; ``open=True`` shows it unfolded.

        put_collapse("Details", [put_text("hidden until clicked"), put_table([[1, 2]])])
        with put_collapse("Log", open=True):
            put_text("collected in the section")
    """
    items = _contents(content)

    def build(session: Session, node: Node) -> None:
        for item in items:
            _take(session, node, item, "put_collapse")

    return _emit("put_collapse", "output/put_collapse.html", scope, position, build=build, container=True,
                 title=str(title), open=bool(open))


def put_scrollable(content: Any = (), height: Any = 400, keep_bottom: bool = False, border: bool = True,
                   scope: str | None = None, position: int = OutputPosition.BOTTOM, **kwargs: Any) -> Output:
    """Output a box of fixed height that scrolls; ``keep_bottom`` follows new content at the bottom
    (until the user scrolls up).

        put_scrollable(put_scope("log"), height=200, keep_bottom=True)
        put_scrollable([put_text(line) for line in lines], height=(100, 300))   # between 100 and 300 px

    ``height=None`` sets no limit.
    """
    if "max_height" in kwargs:
        height = kwargs.pop("max_height")
    if kwargs:
        raise TypeError(f"put_scrollable() got unexpected arguments: {', '.join(kwargs)}.")
    if height is None:
        style = ""
    elif isinstance(height, (tuple, list)):
        if len(height) != 2:
            raise ValueError(f"put_scrollable(height={height!r}): give one height or (min, max).")
        style = (f"min-height: {_css_size(height[0], 'put_scrollable', 'height')}; "
                 f"max-height: {_css_size(height[1], 'put_scrollable', 'height')}")
    else:
        style = f"height: {_css_size(height, 'put_scrollable', 'height')}"
    items = _contents(content)

    def build(session: Session, node: Node) -> None:
        for item in items:
            _take(session, node, item, "put_scrollable")

    return _emit("put_scrollable", "output/put_scrollable.html", scope, position, build=build, container=True,
                 keep_bottom=bool(keep_bottom), border=bool(border), style=style)


def put_tabs(tabs: Sequence[Mapping[str, Any]], scope: str | None = None,
             position: int = OutputPosition.BOTTOM) -> Output:
    """Output tabs; each is ``{"title": ..., "content": text, put_* or a list}``. Switching works without
    JavaScript.

        put_tabs([
            {"title": "Text", "content": "Hello"},
            {"title": "Table", "content": put_table([[1, 2], [3, 4]])},
        ])
    """
    if isinstance(tabs, Mapping) or not isinstance(tabs, Sequence):
        raise TypeError("put_tabs() takes a list of tabs like [{'title': 'A', 'content': ...}, ...].")
    for index, tab in enumerate(tabs):
        if not isinstance(tab, Mapping) or "title" not in tab:
            raise ValueError(f"put_tabs(): tab {index} is {tab!r}; each tab is a dict with 'title' and 'content'.")

    def build(session: Session, node: Node) -> None:
        node.context["tabs"] = [
            {"title": str(tab["title"]),
             "nodes": [_take(session, node, item, "put_tabs") for item in _contents(tab.get("content"))]}
            for tab in tabs
        ]

    return _emit("put_tabs", "output/put_tabs.html", scope, position, build=build, tabs=[])


def put_widget(template: str, data: Mapping[str, Any], scope: str | None = None,
               position: int = OutputPosition.BOTTOM) -> Output:
    """Output your own component from a Mustache template; ``put_*`` outputs in ``data`` show inside it.

        tpl = '''<details {{#open}}open{{/open}}><summary>{{title}}</summary>
                 {{#contents}}{{& pywebio_output_parse}}{{/contents}}</details>'''
        put_widget(tpl, {"title": "More", "contents": [put_text("text"), put_markdown("**md**")]})

    ``{{name}}`` is escaped, ``{{& name}}`` is not; ``{{& pywebio_output_parse}}`` shows the current item
    as an output (a string becomes text).
    """
    if not isinstance(template, str):
        raise TypeError(f"put_widget() takes a template string, not {type(template).__name__}.")
    if not isinstance(data, Mapping):
        raise TypeError(f"put_widget() takes its data as a dict, not {type(data).__name__}.")
    mustache.check(template)

    def build(session: Session, node: Node) -> None:
        def convert(value: Any) -> Any:
            if isinstance(value, Output):
                return _take_output(session, node, value)
            if isinstance(value, Mapping):
                return {k: convert(v) for k, v in value.items()}
            if isinstance(value, (list, tuple, UserList)):
                return [convert(v) for v in value]
            return value

        converted = convert(data)

        def draw(child: Callable[[Node], Markup]) -> Markup:
            def output(value: Any) -> Markup:
                return child(value) if isinstance(value, Node) else Markup.escape("" if value is None else value)
            return mustache.render(template, converted, output, lambda v: isinstance(v, Node))

        node.context["draw"] = draw

    return _emit("put_widget", "output/put_widget.html", scope, position, build=build, draw=None)


# ---- layout ------------------------------------------------------------------------------------

def _line(caller: str, template: str, content: Any, size: str | None, scope: str | None, position: int,
          axis: str) -> Output:
    items = _contents(content)
    for item in items:
        if item is not None and not isinstance(item, Output):
            raise TypeError(f"{caller}: items are put_* outputs or None (a gap), not {item!r}; "
                            "wrap text in put_text().")
    if size is not None and not isinstance(size, str):
        raise TypeError(f"{caller}(size={size!r}): size is a string like '1fr 10px 2fr', one width per item.")
    style = f"display: grid; grid-template-{axis}: {size}" if size else ""

    def build(session: Session, node: Node) -> None:
        for item in items:
            if item is None:
                gap = session.document.new_output("output/_gap.html", {})
                gap.parent = node
                node.children.append(gap)
            else:
                _take_output(session, node, item)

    return _emit(caller, template, scope, position, build=build, container=True, style=style)


def put_row(content: Any = (), size: str | None = None, scope: str | None = None,
            position: int = OutputPosition.BOTTOM) -> Output:
    """Output items side by side; ``None`` is a 10px gap. ``size`` gives one CSS width per item.

        put_row([put_text("left"), None, put_text("right")])
        put_row([put_code("a"), put_code("b")], size="2fr 1fr")
        with put_row():
            put_text("collected side by side")
    """
    return _line("put_row", "output/put_row.html", content, size, scope, position, "columns")


def put_column(content: Any = (), size: str | None = None, scope: str | None = None,
               position: int = OutputPosition.BOTTOM) -> Output:
    """Output items stacked vertically; ``None`` is a 10px gap. ``size`` gives one CSS height per item.

        put_column([put_text("top"), put_text("bottom")], size="50px auto")
    """
    return _line("put_column", "output/put_column.html", content, size, scope, position, "rows")


def put_grid(content: Sequence[Sequence[Any]], cell_width: str = "auto", cell_height: str = "auto",
             cell_widths: str | None = None, cell_heights: str | None = None, direction: str = "row",
             scope: str | None = None, position: int = OutputPosition.BOTTOM) -> Output:
    """Output a grid from a list of rows of ``put_*`` outputs, ``None`` (empty) or ``span(...)``.

        put_grid([[put_text("a"), put_text("b")], [span(put_text("wide"), col=2)]], cell_width="120px")

    ``direction="column"`` reads the inner lists as columns instead of rows.
    """
    if direction not in ("row", "column"):
        raise ValueError(f"put_grid(direction={direction!r}): use 'row' or 'column'.")
    if isinstance(content, (str, bytes)) or not isinstance(content, Sequence) or not all(
            isinstance(line, Sequence) and not isinstance(line, (str, bytes)) for line in content):
        raise TypeError("put_grid() takes a list of lists of put_* outputs, None or span(...).")
    for line in content:
        for item in line:
            inner = item.content if isinstance(item, span) else item
            if inner is not None and not isinstance(inner, Output):
                raise TypeError(f"put_grid: cells are put_* outputs, None or span(...), not {item!r}.")
    # CSS grid places the cells one after another, skipping places taken by a span from an earlier line,
    # so every line is padded to the same count of places (its own cells and the spans reaching into it)
    # for the next line to start where it should; along "column" the lines are columns
    reach = [0] * len(content)
    for index, line in enumerate(content):
        for item in line:
            rows, cols = (item.row, item.col) if isinstance(item, span) else (1, 1)
            lines_spanned, width = (rows, cols) if direction == "row" else (cols, rows)
            if index + lines_spanned > len(reach):
                reach.extend([0] * (index + lines_spanned - len(reach)))
            for covered in range(index, index + lines_spanned):
                reach[covered] += width
    across = max(reach, default=0)
    padded = [list(line) + [None] * (across - reach[index]) for index, line in enumerate(content)]
    cols, rows = (across, len(reach)) if direction == "row" else (len(reach), across)
    style = (f"grid-template-columns: {cell_widths or f'repeat({cols}, {cell_width})'}; "
             f"grid-template-rows: {cell_heights or f'repeat({rows}, {cell_height})'}; "
             f"grid-auto-flow: {direction}")

    def build(session: Session, node: Node) -> None:
        node.context["cells"] = [_cell(session, node, item, "put_grid") for line in padded for item in line]

    return _emit("put_grid", "output/put_grid.html", scope, position, build=build, cells=[], style=style)


# ---- popups ------------------------------------------------------------------------------------

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
    with session.lock:
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
            box.context["close"] = session.add_callback(Callback(lambda: _close_popup(session, box)))
        document.clear(document.popups)
        document.insert(box, document.popups, OutputPosition.BOTTOM, "popup")
    session.changed()
    return use_scope(name, create_scope=False)


def _close_popup(session: Session, box: Node | None = None) -> None:
    with session.lock:
        popups = session.document.popups
        if popups.children and (box is None or box in popups.children):
            session.document.clear(popups)
    session.changed()


def close_popup() -> None:
    """Close the popup that is showing, if any.

        put_button("Done", onclick=close_popup, scope=popup_scope)
    """
    _close_popup(_open("close_popup"))


# ---- PyWebIO's older names -----------------------------------------------------------------------

class OutputList(UserList[Output]):
    """A list of outputs, as PyWebIO's ``style()`` returns for a list; containers take it like a list.

        cells = style([put_text("a"), put_text("b")], "color: red")
        put_row(cells)
        cells.style("font-weight: bold")            # to each of them

    Like a single output, it is already on the page (``show()`` does nothing) and ``await`` gives it back.
    """

    def style(self, css_style: str) -> OutputList:
        """Add CSS declarations to each output of the list.

            style([put_text("a"), put_text("b")], "color: red").style("margin: 0")
        """
        for item in self.data:
            item.style(css_style)
        return self

    def show(self) -> OutputList:
        """Kept for PyWebIO compatibility: the outputs are shown when they are made, so this does nothing.

            style([put_text("a")], "color: red").show()
        """
        return self

    send = show

    def __await__(self) -> Generator[Any, None, OutputList]:
        yield from ()
        return self


def style(outputs: Output | Sequence[Output], css_style: str) -> Output | OutputList:
    """Kept from PyWebIO 1.2: add CSS to an output or to each of a list (given back as an
    :class:`OutputList`). Prefer ``output.style(css)``.

        style(put_text("red"), "color: red")
        put_row(style([put_text("a"), put_text("b")], "border: 1px solid"))
    """
    if isinstance(outputs, Output):
        return outputs.style(css_style)
    items = list(outputs)
    for item in items:
        if not isinstance(item, Output):
            raise TypeError(f"style() styles outputs made by put_* functions, not {item!r}.")
    return OutputList(items).style(css_style)


class OutputHandler(Output):
    """What ``output()`` returns: a place on the page whose content can be replaced or extended.

        log = output("starting")
        log.append(put_text("step 1"))
        log.reset("done")
    """

    __slots__ = ()

    def _place(self, contents: tuple[Any, ...], position: int | None, caller: str) -> None:
        session = self._session
        session.check_open(caller)
        with session.lock:
            scope = self._node
            for offset, item in enumerate(contents):
                if isinstance(item, Output):
                    node = item._node
                else:
                    node = session.document.new_output("output/put_text.html", {"text": str(item), "inline": False})
                # from the top each item goes after the one before it; counted from the end, each one
                # goes after the item at that place, which is the one inserted just before it
                at = OutputPosition.BOTTOM if position is None else position + offset if position >= 0 else position
                session.document.insert(node, scope, at, caller)
        session.changed()

    def reset(self, *contents: Any) -> None:
        """Replace the content with ``contents`` (outputs or texts).

            log.reset(put_text("cleared"))
        """
        with self._session.lock:
            self._session.document.clear(self._node)
        self._place(contents, None, "output().reset")

    def append(self, *contents: Any) -> None:
        """Add ``contents`` at the end.

            log.append("one more line")
        """
        self._place(contents, None, "output().append")

    def insert(self, idx: int, *contents: Any) -> None:
        """Add ``contents`` before the item at ``idx`` (negative counts from the end, as ``position=``).

            log.insert(0, "first line")
        """
        if not isinstance(idx, int):
            raise TypeError(f"output().insert({idx!r}, ...): the index must be an int.")
        self._place(contents, idx, "output().insert")


def output(*contents: Any) -> OutputHandler:
    """Kept from PyWebIO 1.5: a placeholder to change later; prefer ``put_scope`` and ``use_scope``.
    It is shown where it is made, and moves into a container when given to one.

        board = output(put_text("waiting"))
        put_table([["status", board]])
        board.reset(put_text("ready"))
    """
    def build(session: Session, node: Node) -> None:
        for item in contents:
            _take(session, node, item, "output")

    made = _emit("output", "output/put_scope.html", None, OutputPosition.BOTTOM, build=build, container=True)
    return OutputHandler(made._node, made._session)


def set_scope(name: str, container_scope: str | None = None, position: int = OutputPosition.BOTTOM,
              if_exist: str | None = None) -> None:
    """Create a scope named ``name`` in ``container_scope`` (the current scope by default).

        set_scope("results", if_exist="clear")

    ``if_exist``: ``None`` leaves an existing scope alone, ``'clear'`` empties it, ``'remove'`` replaces it.
    """
    if if_exist not in (None, "clear", "remove"):
        raise ValueError(f"set_scope(if_exist={if_exist!r}): use None, 'clear' or 'remove'.")
    session = _open("set_scope")
    check_scope_name(name, f"set_scope({name!r})")
    with session.lock:
        existing = session.document.scopes.get(name)
        if existing is not None and if_exist == "clear":
            session.document.clear(existing)
        elif existing is None or if_exist == "remove":
            if existing is not None:
                session.document.detach(existing)
            node = session.document.new_scope(name)
            parent = _target_scope(session, container_scope, f"set_scope({name!r})")
            session.document.insert(node, parent, position, f"set_scope({name!r})")
    session.changed()


# the data table lives in its own module; its names are part of this one
from htmio.datatable import JSFunction as JSFunction  # noqa: E402
from htmio.datatable import datatable_insert as datatable_insert  # noqa: E402
from htmio.datatable import datatable_remove as datatable_remove  # noqa: E402
from htmio.datatable import datatable_update as datatable_update  # noqa: E402
from htmio.datatable import put_datatable as put_datatable  # noqa: E402
