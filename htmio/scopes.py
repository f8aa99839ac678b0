"""The session's document: a tree of scopes and outputs, ``position`` semantics, DOM ids, and the
translation of queued changes into (target, swap, html) triples for one SSE message."""
from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from htmio import urls
from htmio.events import (
    CommandSent,
    Outbound,
    OutputAdded,
    OutputRemoved,
    OutputReplaced,
    ScopeCleared,
)
from htmio.exceptions import ScopeError
from htmio.i18n import Messages
from htmio.render import Markup, render_template

ROOT = "ROOT"
_SCOPE_NAME = re.compile(r"[A-Za-z0-9_-]+")


def scope_dom_id(name: str) -> str:
    """The DOM id of a scope: ``scope_dom_id("log") == "pywebio-scope-log"``."""
    return f"pywebio-scope-{name}"


def output_dom_id(number: int) -> str:
    """The DOM id of the n-th output of a session."""
    return f"htmio-o-{number}"


def form_dom_id(number: int) -> str:
    """The DOM id of an input form; its fields are ``<form id>-<field name>``."""
    return f"htmio-form-{number}"


def check_scope_name(name: object, caller: str) -> str:
    """A valid scope name, or a ScopeError saying what is allowed."""
    if not isinstance(name, str) or not _SCOPE_NAME.fullmatch(name):
        raise ScopeError(
            f"{caller}: {name!r} is not a valid scope name. "
            "Use letters, digits, '-' and '_' only, for example 'results' or 'step-2'."
        )
    return name


def resolve_position(position: int, length: int) -> int:
    """Index in a list of ``length`` children where an output at ``position`` goes.

    ``position >= 0`` inserts before the child with that index; ``position < 0`` inserts after the child
    with that index counted from the end (``-1`` appends). Out-of-range positions clamp to the ends.
    """
    if position >= 0:
        return min(position, length)
    return max(length + position + 1, 0)


@dataclass(frozen=True)
class PageContext:
    """What every template needs to build URLs and forms for one session."""

    base: str  # URL prefix of the session, e.g. "/s/abc" or "/tools/s/abc" when mounted
    static: str  # URL prefix of htmio's static files
    token: str
    home: str = "/"  # where "start again" goes: the app's own URL
    debug: bool = False
    # the session's language and the app's own texts (set_env(language=..., messages=...) changes them in place)
    messages: Messages = field(default_factory=Messages, compare=False)


# context values a leaf's HTML may be cached for: immutable, so an equal key means an equal HTML
_PLAIN = frozenset({str, Markup, int, float, bool, type(None)})
_NAMES: dict[tuple[str, ...], tuple[str, ...]] = {}  # the context names of cached leaves, one tuple per set


class Node:
    """One element of the document: an output (rendered by its template) or a scope (``scope_name``)."""

    __slots__ = ("template", "context", "children", "parent", "dom_id", "style", "click", "scope_name", "shown", "anchor",
                 "_key", "_html")

    def __init__(self, template: str, context: dict[str, Any], dom_id: str, *, scope_name: str | None = None,
                 children: list[Node] | None = None, anchor: bool = False) -> None:
        self.template = template
        self.context = context
        self.children: list[Node] = children if children is not None else []
        self.parent: Node | None = None
        self.dom_id = dom_id
        self.style = ""
        self.click: int | None = None
        self.scope_name = scope_name
        self.shown = anchor
        self.anchor = anchor
        self._key: tuple[Any, ...] | None = None  # what the cached HTML of a leaf was rendered from
        self._html: str | None = None  # a plain str: the garbage collector tracks Markup objects, not str

    def __repr__(self) -> str:
        return f"<Node {self.template} #{self.dom_id}>"

    def walk(self) -> Iterator[Node]:
        """This node and every node below it."""
        yield self
        for child in self.children:
            yield from child.walk()

    def render(self, page: PageContext, fresh: set[str] | None = None) -> Markup:
        """HTML of this node and its children (see ``html``), safe to put in a template."""
        html = self.html(page, fresh)
        return html if isinstance(html, Markup) else Markup(html)

    def html(self, page: PageContext, fresh: set[str] | None = None) -> str:
        """HTML of this node and its children; marks them as shown, and adds their DOM ids to ``fresh``.

        A leaf whose context holds only plain values (text, numbers, Markup) keeps its HTML: a page load
        of a document of 100,000 outputs then joins strings instead of rendering 100,000 templates. The
        cache is checked against everything the HTML is made of, every time (no change has to report
        itself): the template, the context's items, ``style``, ``click`` and the session's texts."""
        self.shown = True
        if fresh is not None:
            fresh.add(self.dom_id)
        key = self._cache_key(page) if not self.children else None
        if key is not None and self._html is not None and key == self._key:
            return self._html  # already escaped: the caller wraps it, or joins it into Markup
        attrs = [f'id="{self.dom_id}"']
        if self.style and not self.context.get("style_inside"):  # the template puts node.style elsewhere
            attrs.append(f'style="{Markup.escape(self.style)}"')
        if self.click is not None:
            url = urls.click(page.base, self.click)
            attrs.append(
                f'hx-post="{Markup.escape(url)}" hx-trigger="click" hx-swap="none" role="button" tabindex="0" '
                'data-htmio-clickable=""'
            )
        html = render_template(
            self.template,
            attrs=Markup(" ".join(attrs)),
            page=page,
            node=self,
            children=self.children,
            child=lambda n: n.render(page, fresh),
            # the children's HTML joined in Python: a scope of 100,000 outputs loops faster here than in Jinja
            inner=lambda: _joined(self.children, page, fresh),
            **self.context,
        )
        self._key, self._html = (key, str(html)) if key is not None else (None, None)
        return html

    def _cache_key(self, page: PageContext) -> tuple[Any, ...] | None:
        """What this leaf's HTML is made of, in one flat tuple (kept beside the HTML: small), or None when
        its context holds anything but plain values (a list, a dict, an object: they can change in place, unseen)."""
        values = tuple(self.context.values())
        for value in values:
            if type(value) not in _PLAIN:
                return None
        names = tuple(self.context)
        names = _NAMES.setdefault(names, names)  # one tuple per set of names, shared by every leaf using it
        messages = page.messages
        return (self.template, names, self.style, self.click, messages.language, tuple(messages.overrides.items()),
                *values)


def _joined(children: list[Node], page: PageContext, fresh: set[str] | None) -> Markup:
    """The children's HTML, one after the other. A long run gives way now and then: a whole page renders in
    a worker thread, and the event loop's thread, when it wants the GIL meanwhile, would otherwise wait the
    interpreter's whole switch interval (5 ms) each time, which adds up over one round trip of a request."""
    parts: list[str] = []
    for index, node in enumerate(children, 1):
        parts.append(node.html(page, fresh))
        if index % 256 == 0:
            time.sleep(0)  # releases the GIL: a thread waiting for it takes it now
    return Markup("".join(parts))


def _unshow(node: Node) -> None:
    for n in node.walk():
        n.shown = False


class Document:
    """The server-side copy of one page: scopes, outputs, pending input forms and a status line.

    Every change is applied here at once (so a page load shows it) and queued as an outbound event;
    ``take_swaps`` turns the queue into the envelopes of one SSE message.
    """

    def __init__(self) -> None:
        self.root = Node("output/put_scope.html", {}, scope_dom_id(ROOT), scope_name=ROOT, anchor=True)
        self.inputs = Node("input/_area.html", {}, "htmio-inputs", anchor=True)
        self.status = Node("_status.html", {"message": "", "kind": "info"}, "htmio-status", anchor=True)
        self.popups = Node("_popups.html", {}, "htmio-popups", anchor=True)  # at most one popup
        self.scopes: dict[str, Node] = {ROOT: self.root}
        self.ops: list[Outbound] = []
        self.toasts: list[tuple[float, str]] = []  # (shown until, html): a page loaded meanwhile shows them
        self.env: dict[str, Any] = {}  # what set_env() changed; the page shell applies it
        self.early_commands: list[str] | None = []  # commands made before the first page: it runs them
        self._numbers = itertools.count(1)

    # ---- building nodes ----------------------------------------------------------------------

    def next_number(self) -> int:
        return next(self._numbers)

    def new_output(self, template: str, context: dict[str, Any], children: list[Node] | None = None) -> Node:
        """A detached output node with a fresh DOM id."""
        return Node(template, context, output_dom_id(self.next_number()), children=children)

    def new_scope(self, name: str, children: list[Node] | None = None, template: str = "output/put_scope.html",
                  context: dict[str, Any] | None = None) -> Node:
        """A detached scope node (named ``name``; registered when it enters the document). Containers that
        collect outputs in a ``with`` block are scopes drawn by their own template."""
        return Node(template, context or {}, scope_dom_id(name), scope_name=name, children=children)

    # ---- queries ---------------------------------------------------------------------------

    def scope(self, name: str, caller: str) -> Node:
        """The scope named ``name``, or a ScopeError that says how to create it."""
        try:
            return self.scopes[name]
        except KeyError:
            raise ScopeError(
                f"{caller}: no scope named {name!r} exists. "
                f"Create it first with use_scope({name!r}) or put_scope({name!r})."
            ) from None

    def is_attached(self, node: Node) -> bool:
        """True when the node is part of the page (below the root, the input area or the status line)."""
        while node.parent is not None:
            node = node.parent
        return node.anchor

    # ---- changes -----------------------------------------------------------------------

    def insert(self, node: Node, parent: Node, position: int, caller: str) -> None:
        """Put ``node`` into ``parent`` at ``position`` (PyWebIO's semantics) and queue it."""
        if node.parent is not None:
            self.detach(node)
        names = [n.scope_name for n in node.walk() if n.scope_name is not None]
        for name in names:
            if name in self.scopes:
                raise ScopeError(
                    f"{caller}: a scope named {name!r} already exists. Scope names are unique in a page: "
                    f"pick another name, write into it with use_scope({name!r}), or remove({name!r}) it first."
                )
        if position == -1:
            parent.children.append(node)
        else:
            parent.children.insert(resolve_position(position, len(parent.children)), node)
        node.parent = parent
        if self.is_attached(parent):
            for n in node.walk():
                if n.scope_name is not None:
                    self.scopes[n.scope_name] = n
        self.ops.append(OutputAdded(node))

    def adopt(self, node: Node, container: Node) -> None:
        """Make ``node`` a child of a container output, taking it off the page if it was shown on its own."""
        if node.parent is not None:
            self.detach(node)
        node.parent = container

    def detach(self, node: Node) -> None:
        """Take ``node`` out of its parent (and the page)."""
        parent = node.parent
        if parent is None:
            return
        if node in parent.children:
            parent.children.remove(node)
        node.parent = None
        for n in node.walk():
            if n.scope_name is not None and self.scopes.get(n.scope_name) is n:
                del self.scopes[n.scope_name]
        self.ops.append(OutputRemoved(node))

    def clear(self, scope: Node) -> None:
        """Remove every child of ``scope``."""
        removed = scope.children
        scope.children = []
        for child in removed:
            child.parent = None
            for n in child.walk():
                if n.scope_name is not None and self.scopes.get(n.scope_name) is n:
                    del self.scopes[n.scope_name]
        self.ops.append(ScopeCleared(scope, tuple(removed)))

    def changed(self, node: Node) -> None:
        """``node`` changed after it was queued: re-render it if it is already on the page."""
        self.ops.append(OutputReplaced(node))

    def toast(self, html: str, seconds: float) -> None:
        """Queue a toast, and keep it for pages loaded while it is still up (a toast made before the first page)."""
        now = time.monotonic()
        self.toasts = [t for t in self.toasts if t[0] > now]
        self.toasts.append((now + (seconds if seconds > 0 else 60.0), html))
        self.command("htmio-toasts", "beforeend", html)

    def recent_toasts(self) -> list[str]:
        """The toasts that are still up."""
        now = time.monotonic()
        return [html for until, html in self.toasts if until > now]

    def command(self, target: str, swap: str, html: str) -> None:
        """Queue transient HTML that is not part of the document (toasts, scroll commands)."""
        if target == "htmio-commands" and self.early_commands is not None:
            self.early_commands.append(html)
        self.ops.append(CommandSent(target, swap, html))

    def take_early_commands(self) -> list[str]:
        """The commands made before the first page was rendered (once; later ones go over the stream)."""
        early, self.early_commands = self.early_commands or [], None
        return early

    # ---- flushing ------------------------------------------------------------------------

    def take_swaps(self, page: PageContext) -> list[tuple[str, str, str]]:
        """The queued changes as one flat list of (target id, swap style, html)."""
        return [swap for message in self.take_messages(page) for swap in message]

    def take_messages(self, page: PageContext) -> list[list[tuple[str, str, str]]]:
        """Turn the queued changes into (target id, swap style, html) triples, grouped into SSE messages.

        Nodes are rendered as they are now, at the end of the batch, so a node rendered once in this
        batch already shows every later change to it and below it: those later changes are skipped.
        htmx looks up every target of a message before it swaps any, so a swap aimed at an element
        that an earlier swap of the same message creates, replaces or deletes starts a new message
        (the element looked up would be missing, or the old one, already off the page).
        """
        ops, self.ops = self.ops, []
        messages: list[list[tuple[str, str, str]]] = [[]]
        fresh: set[str] = set()  # DOM ids rendered in this batch
        touched: set[str] = set()  # DOM ids rendered, replaced or deleted by the current message

        def add(target: str, swap: str, node: Node | None = None, html: str = "") -> None:
            # decide on a new message before rendering: the rendered node's own ids are not targets yet
            nonlocal touched
            if target in touched:
                messages.append([])
                touched = set()
            if swap in ("delete", "outerHTML"):
                touched.add(target)
            if node is None:
                messages[-1].append((target, swap, html))
                return
            rendered: set[str] = set()
            messages[-1].append((target, swap, node.render(page, rendered)))
            fresh.update(rendered)
            touched.update(rendered)

        # per parent, the index from which every child is unshown (new in this batch): a run of appends
        # then finds each node's place in O(1) instead of walking the batch; other changes reset it
        tails: dict[int, int] = {}

        def next_shown(parent: Node, node: Node) -> Node | None:
            children = parent.children
            tail = tails.get(id(parent))
            if tail is None:
                tail = len(children)
                while tail > 0 and not children[tail - 1].shown:
                    tail -= 1
            if tail < len(children) and children[tail] is node:
                tails[id(parent)] = tail + 1
                return None
            tails.pop(id(parent), None)
            return _next_shown_sibling(parent, node)

        for op in ops:
            if not isinstance(op, OutputAdded):
                tails.clear()
            if isinstance(op, OutputAdded):
                node = op.node
                parent = node.parent
                if node.shown or parent is None or not parent.shown or not self.is_attached(node):
                    continue
                sibling = next_shown(parent, node)
                if sibling is None:
                    add(parent.dom_id, "beforeend", node)
                else:
                    add(sibling.dom_id, "beforebegin", node)
            elif isinstance(op, OutputReplaced):
                node = op.node
                if node.shown and node.dom_id not in fresh and self.is_attached(node):
                    add(node.dom_id, "outerHTML", node)
            elif isinstance(op, OutputRemoved):
                # a node moved (put_text(...) then placed elsewhere) and already drawn in its new place by
                # this batch stays: deleting it only to draw it again would cost two more swaps
                if op.node.dom_id in fresh and self.is_attached(op.node):
                    continue
                if op.node.shown:
                    _unshow(op.node)
                    add(op.node.dom_id, "delete")
            elif isinstance(op, ScopeCleared):
                for child in op.removed:
                    _unshow(child)
                scope = op.scope
                if scope.shown and scope.dom_id not in fresh and self.is_attached(scope):
                    add(scope.dom_id, "outerHTML", scope)
            elif isinstance(op, CommandSent):
                add(op.target, op.swap, html=op.html)
        return [m for m in messages if m]

    def render_all(self, page: PageContext) -> Markup:
        """The whole document, for a page load or a resync after a replay gap."""
        return render_template(
            "_document.html",
            page=page,
            status=self.status.render(page),
            root=self.root.render(page),
            inputs=self.inputs.render(page),
            popups=self.popups.render(page),
        )


def _next_shown_sibling(parent: Node, node: Node) -> Node | None:
    # walk back from the end: new outputs sit near the end, so this stays short for appends
    children = parent.children
    nearest: Node | None = None
    for index in range(len(children) - 1, -1, -1):
        child = children[index]
        if child is node:
            return nearest
        if child.shown:
            nearest = child
    return None