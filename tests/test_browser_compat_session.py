"""PyWebIO programs run unchanged (issue 12), the session part in chromium: a go_app button lands on the
other app; concurrent input forms stack, the newest on top, and the one below comes back as it was."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from htmio.input import input
from htmio.output import put_button, put_buttons, put_text
from htmio.session import go_app
from tests.browser_support import SESSION_URL, forms, open_streams, texts, visit, wait_until


@pytest.mark.browser
def test_a_go_app_button_lands_on_the_other_app(page, serve):
    def first():
        put_text("this is a")
        put_button("Open b", onclick=lambda: go_app("b", new_window=False))

    def second():
        put_text("this is b")

    server = serve({"a": first, "b": second})
    page.goto(server.url + "/?app=a")
    expect(texts(page)).to_have_text(["this is a"])
    wait_until(lambda: open_streams(server) >= 1, 5, "the page to open its event stream")
    page.get_by_role("button", name="Open b").click()
    expect(texts(page)).to_have_text(["this is b"])
    # the session page keeps the query of the address go_app opened (/?app=b -> /s/<id>?app=b)
    assert SESSION_URL.match(page.url.removesuffix("?app=b")) and page.url.endswith("?app=b"), page.url
    assert {s.app_name for s in server.sessions.values()} == {"a", "b"}


@pytest.mark.browser
def test_concurrent_forms_stack_and_the_one_below_comes_back(page, serve):
    def main():
        def ask(_):
            put_text(f"newer said {input('newer')}")

        put_buttons(["Ask", "Ask again"], onclick=ask)
        put_text(f"older said {input('older')}")

    server = serve(main)
    visit(page, server)
    page.get_by_label("older").fill("typed before")
    page.get_by_role("button", name="Ask", exact=True).click()
    expect(page.get_by_label("newer")).to_be_visible()
    expect(forms(page)).to_have_count(2)
    expect(forms(page).first).to_be_hidden()  # only the newest form shows
    page.get_by_label("newer").fill("B")
    page.get_by_role("button", name="Submit").click()
    expect(texts(page)).to_have_text(["newer said B"])
    expect(page.get_by_label("older")).to_be_visible()
    expect(page.get_by_label("older")).to_have_value("typed before")  # as the user left it

    # the same after a reload: the page is rendered with the form below hidden
    page.get_by_role("button", name="Ask again").click()
    expect(page.get_by_label("newer")).to_be_visible()
    page.reload()
    expect(forms(page)).to_have_count(2)
    expect(forms(page).first).to_be_hidden()
    expect(page.get_by_label("newer")).to_be_visible()
    wait_until(lambda: open_streams(server) >= 1, 5, "the reloaded page to open its event stream")
    page.get_by_label("newer").fill("C")
    page.get_by_label("newer").press("Enter")
    expect(texts(page)).to_have_text(["newer said B", "newer said C"])
    expect(page.get_by_label("older")).to_be_visible()
    page.get_by_label("older").fill("A")
    page.get_by_role("button", name="Submit").click()
    expect(texts(page)).to_have_text(["newer said B", "newer said C", "older said A"])
