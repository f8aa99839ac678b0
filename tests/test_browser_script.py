"""Script mode in a real browser: `python app.py` with module-level input()/put_text() and no server call."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest
from playwright.sync_api import expect

SCRIPT = """
import sys
from htmio.exceptions import SessionException
from htmio.input import input
from htmio.output import put_text

put_text("script started")
name = input("what's your name")
put_text("hello", name)
if "--loop" in sys.argv:
    try:
        while True:
            input("again?")
    except SessionException as exc:
        print("session ended:", type(exc).__name__, file=sys.stderr, flush=True)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_script(tmp_path, *args: str, **env: str) -> tuple[subprocess.Popen[str], str]:
    file = tmp_path / "script.py"
    file.write_text(SCRIPT)
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(file), *args], stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "HTMIO_SCRIPT_PORT": str(port), **env})
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 15
    while True:  # the first htmio call starts the server
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, url
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError(f"the script's server did not start: {proc.stderr.read() if proc.stderr else ''}")
            time.sleep(0.05)


@pytest.mark.browser
def test_a_script_runs_in_the_page_and_the_page_says_when_it_ends(tmp_path, page):
    proc, url = run_script(tmp_path)
    try:
        page.goto(url)
        expect(page.locator(".htmio-text")).to_have_text(["script started"])
        page.get_by_label("what's your name").fill("Ada")
        page.get_by_role("button", name="Submit", exact=True).click()
        expect(page.locator(".htmio-text")).to_have_text(["script started", "hello Ada"])
        expect(page.locator("#htmio-status")).to_contain_text("The app has finished")
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


@pytest.mark.browser
def test_closing_the_browser_ends_the_script_with_session_exception(tmp_path, new_context):
    proc, url = run_script(tmp_path, "--loop", HTMIO_LEFT_GRACE="0.3", HTMIO_DISCONNECT_GRACE="1")
    try:
        context = new_context()
        page = context.new_page()
        page.goto(url)
        page.get_by_label("what's your name").fill("Ada")
        page.get_by_role("button", name="Submit", exact=True).click()
        expect(page.get_by_label("again?")).to_be_visible()
        page.close()  # the page says it left; the server ends the session
        assert proc.wait(timeout=15) == 0
        assert "session ended: SessionClosedException" in (proc.stderr.read() if proc.stderr else "")
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
