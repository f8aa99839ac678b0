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


def test_script_mode_opens_the_browser_named_by_BROWSER(tmp_path):
    import os
    import subprocess
    import sys
    import time

    import httpx

    script = tmp_path / "script.py"
    script.write_text(SCRIPT)
    opened = tmp_path / "opened.txt"
    # webbrowser runs $BROWSER with the URL in place of %s: here it only writes the URL down
    browser = f"{sys.executable} -c \"import sys; open({str(opened)!r}, 'w').write(sys.argv[1])\" %s"
    env = {k: v for k, v in os.environ.items() if k != "HTMIO_SCRIPT_PORT"}
    proc = subprocess.Popen([sys.executable, str(script)], env={**env, "BROWSER": browser},
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 15
        while not (opened.exists() and opened.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        url = opened.read_text().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        with httpx.Client(timeout=5) as client:  # the "browser" loads the page: the script runs in it
            page = client.get(url, follow_redirects=True)
        assert "script started" in page.text and "what&#39;s your name" in page.text
    finally:
        proc.kill()
        proc.communicate()
