"""Every file in examples/ runs, driven in-process the way a user would use it."""
from __future__ import annotations

from pathlib import Path

from htmio.cli import load_app

EXAMPLES = Path(__file__).parent.parent / "examples"
TESTED = {"hello.py", "scopes.py"}


def test_every_example_has_a_test():
    assert {p.name for p in EXAMPLES.glob("*.py")} == TESTED


def test_hello(open_app):
    page = open_app(load_app(EXAMPLES / "hello.py"))
    assert page.form().select_one("label").get_text() == "what's your name"
    page.submit("Ada")
    assert page.texts() == ["hello Ada"]


def test_scopes(open_app):
    page = open_app(load_app(EXAMPLES / "scopes.py"))
    assert page.texts("total") == ["total: 0"]
    page.submit("5")
    assert page.texts("total") == ["total: 5"]
    page.click("+10")
    assert page.texts("total") == ["total: 15"]
    assert page.texts("log") == ["added 10", "added 5"]
    page.click("Reset")
    assert page.texts("total") == ["total: 0"] and page.texts("log") == []
    page.click("Hide log")
    assert page.soup.select_one("#htmio-scope-log") is None
