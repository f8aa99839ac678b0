"""Every route path is spelled once, in htmio/urls.py: the routes, templates, htmio.js and htmio.testing use it."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from htmio import urls

PACKAGE = Path(urls.__file__).parent
# what a route path looks like when spelled outside urls.py (the session prefix, each route's own part,
# htmio's static prefix)
ROUTE_PART = re.compile(r"/s/|/s$|/(click|events|presence)\b|/(form|pin|js|download|media|view)/|_htmio/static")


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the string constants that are docstrings (prose may name an address)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _python_spellings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    return [f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
            and ROUTE_PART.search(node.value)]


def _text_spellings(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [f"{path.relative_to(PACKAGE)}:{number}: {line.strip()[:120]}"
            for number, line in enumerate(text.splitlines(), 1) if ROUTE_PART.search(line)]


def test_route_paths_are_spelled_only_in_urls_py() -> None:
    found: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path != PACKAGE / "urls.py":
            found += _python_spellings(path)
    for path in sorted((PACKAGE / "templates").rglob("*.html")):
        found += _text_spellings(path)
    found += _text_spellings(PACKAGE / "static" / "htmio.js")
    assert not found, "route paths spelled outside htmio/urls.py (build them with htmio.urls):\n" + "\n".join(found)


def test_the_check_sees_a_spelling() -> None:
    assert _python_spellings(PACKAGE / "urls.py")  # urls.py itself is full of them
    assert ROUTE_PART.search('f"{base}/click/{n}"') and ROUTE_PART.search("base + '/presence'")
    assert not ROUTE_PART.search("static/htmio.css") and not ROUTE_PART.search("the files of DIR at /static/")


def test_builders_fill_in_the_patterns_the_router_mounts() -> None:
    base = urls.session_base("/tools", "abc")
    assert base == "/tools" + urls.PAGE.format(sid="abc")
    assert urls.click(base, 3) == "/tools" + urls.CLICK.format(sid="abc", callback_id=3)
    assert urls.form(base, 2) == "/tools" + urls.FORM.format(sid="abc", form_id=2)
    assert urls.pin(base, "x") == "/tools" + urls.PIN.format(sid="abc", name="x")
    assert urls.js(base, 5) == "/tools" + urls.JS.format(sid="abc", number=5)
    assert urls.view(base, 1) == "/tools" + urls.VIEW.format(sid="abc", number=1)
    assert urls.media(base, 1) == "/tools" + urls.MEDIA.format(sid="abc", number=1)
    assert urls.download(base, 1) == "/tools" + urls.DOWNLOAD.format(sid="abc", number=1)
    assert urls.presence(base) == "/tools" + urls.PRESENCE.format(sid="abc")
    assert urls.events(base, 4) == "/tools" + urls.EVENTS.format(sid="abc") + "?after=4"
    assert urls.static_base("/tools") + "/htmio.css" == "/tools" + urls.STATIC_FILE.replace("{path:path}", "htmio.css")
