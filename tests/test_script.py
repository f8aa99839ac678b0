"""Scripts with module-level calls: `htmio serve script.py` runs the file once per session."""
from __future__ import annotations

import pytest

from htmio.deploy import AppLoadError, load_app

SCRIPT = """\"\"\"Greeter

Says hello.\"\"\"
from htmio.input import input
from htmio.output import put_text

put_text("script started")
name = input("what's your name")
put_text("hello", name)
"""


def test_a_script_runs_once_per_session(tmp_path, open_app):
    file = tmp_path / "greet.py"
    file.write_text(SCRIPT)
    app = load_app(file)
    assert app.__name__ == "greet" and app.__doc__.startswith("Greeter")
    first, second = open_app(app), open_app(app)
    assert first.texts() == second.texts() == ["script started"]
    first.submit("Ada")
    second.submit("Bob")
    assert first.texts() == ["script started", "hello Ada"]
    assert second.texts() == ["script started", "hello Bob"]


def test_a_file_of_definitions_only_still_needs_main(tmp_path):
    file = tmp_path / "defs.py"
    file.write_text("import os\nX = 1\ndef helper():\n    pass\n")
    with pytest.raises(AppLoadError, match="defines no main"):
        load_app(file)


def test_a_file_that_is_not_python_says_so(tmp_path):
    file = tmp_path / "bad.py"
    file.write_text("def main(:\n")
    with pytest.raises(AppLoadError, match="not valid Python"):
        load_app(file)
