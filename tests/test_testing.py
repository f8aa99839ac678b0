"""htmio.testing and its pytest fixture, as app authors use them; and their failure messages."""
from __future__ import annotations

import threading
import time

import pytest

from htmio.input import input
from htmio.output import put_buttons, put_text, toast
from htmio.session import download, register_thread
from htmio.testing import AppTimeout


def test_the_installed_fixture_opens_apps(htmio_app):
    def main():
        put_text("hello", input("name"))

    page = htmio_app(main)
    page.submit("Ada")
    assert page.texts() == ["hello Ada"]


def test_wait_for_text_sees_what_a_background_thread_shows(htmio_app):
    def main():
        def later():
            time.sleep(0.2)
            put_text("done")

        worker = threading.Thread(target=later)
        register_thread(worker)
        worker.start()

    page = htmio_app(main, timeout=0.05)
    assert page.texts() == []
    assert page.wait_for_text("done", timeout=3) == ["done"]


def test_wait_for_text_fails_with_the_page_text(htmio_app):
    def main():
        put_text("something else")
        input("name")

    page = htmio_app(main)
    with pytest.raises(AppTimeout, match=r"'never' did not appear in scope 'ROOT' within 0.1 s\. Page:\nsomething else"):
        page.wait_for_text("never", timeout=0.1)


def test_missing_things_fail_with_the_page_text(htmio_app):
    page = htmio_app(lambda: put_text("only text"))
    with pytest.raises(AppTimeout, match="(?s)no input form is shown. Page:\n.*only text"):
        page.form()
    with pytest.raises(AssertionError, match="(?s)no button labelled 'Go'. Page:\n.*only text"):
        page.click("Go")
    with pytest.raises(AssertionError, match="no scope 'log' on the page"):
        page.texts("log")


def test_submitting_an_option_that_is_not_offered_names_the_options(htmio_app):
    from htmio.input import select

    page = htmio_app(lambda: select("Colour", ["red", "green"]))
    with pytest.raises(AssertionError, match=r"'value' has no option labelled 'blue'; it offers \['red', 'green'\]"):
        page.submit("blue")


def test_toasts_and_downloads_are_readable(htmio_app):
    def main():
        toast("saved")
        put_buttons(["export"], onclick=lambda _: (download("a.csv", b"x,y\n"), toast("exported", color="success")))

    page = htmio_app(main)
    page.click("export")
    assert page.toasts() == ["saved", "exported"]
    assert page.downloads() == [("a.csv", b"x,y\n")]
