"""Output functions: ``put_*`` append content to the page, scopes organise it, toasts notify.

Every ``put_*`` renders its template on the server and queues the fragment for the page's event
stream; outputs made close together leave as one message.
"""
from __future__ import annotations

import functools
import inspect
import secrets
from collections.abc import Callable, Sequence
from typing import Any

from htmio.render import Markup, markdown_to_html, render_template, sanitize_html
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

    def __repr__(self) -> str:
        return f"<htmio Output {self._node.template} #{self._node.dom_id}>"


def _emit(caller: str, template: str, scope: str | None, position: int, *,
          children: list[Output] | None = None, **context: Any) -> Output:
    """Build an output node, place it in the scope at ``position`` and queue it for the page."""
    session = current_session(caller)
    session.check_open(caller)
    if not isinstance(position, int):
        raise TypeError(f"{caller}(position={position!r}): position must be an int (0 top, -1 bottom).")
    with session.lock:
        node = session.document.new_output(template, context)
        _adopt(session, node, children or [], caller)
        target = _target_scope(session, scope, caller)
        session.document.insert(node, target, position, caller)
    session.changed()
    return Output(node, session)


def _adopt(session: Session, container: Node, outputs: Sequence[Output], caller: str) -> None:
    for item in outputs:
        if not isinstance(item, Output):
            raise TypeError(f"{caller}: expected an output made by a put_* function, got {item!r}.")
        session.document.adopt(item._node, container)
        container.children.append(item._node)


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
    """Output Markdown, rendered on the server (tables and strikethrough included). Raw HTML inside is
    shown as text and links keep only http, https and mailto.

        put_markdown("# Title\\n\\nSome *emphasis* and a [link](https://example.org).")

    ``options`` (marked.js options in PyWebIO) is accepted and ignored; ``sanitize=False`` keeps the
    generated HTML as it is (it never contains raw HTML from the text).
    """
    if not isinstance(mdcontent, str):
        raise TypeError(f"put_markdown() takes a string of Markdown, not {type(mdcontent).__name__}.")
    if kwargs.get("strip_indent"):
        lstrip = True
    text = _dedent(mdcontent) if lstrip else mdcontent
    return _emit("put_markdown", "output/put_markdown.html", scope, position,
                 html=markdown_to_html(text, sanitize=True))


def _dedent(text: str) -> str:
    lines = text.splitlines()
    indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    if not indents:
        return text
    cut = min(indents)
    return "\n".join(line[cut:] for line in lines)


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
    if sanitize:
        html = sanitize_html(html)
    return _emit("put_html", "output/put_html.html", scope, position, html=Markup(html))


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
    and ``disabled``. ``serial_mode=True`` runs the callbacks one after another in one thread.
    """
    session = current_session("put_buttons")
    specs = _button_specs(buttons, "put_buttons")
    if callable(onclick):
        callback = Callback(onclick, [s["value"] for s in specs], bool(callback_options.get("serial_mode")))
    else:
        functions = list(onclick)
        if len(functions) != len(specs) or not all(callable(f) for f in functions):
            raise ValueError(
                f"put_buttons: onclick is a list of {len(functions)} items for {len(specs)} buttons; "
                "give one function per button, or a single function that takes the value."
            )
        callback = Callback(lambda f: f(), functions, bool(callback_options.get("serial_mode")))
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

