"""async def apps in a real browser: awaited inputs, coroutine callbacks, run_async updates over the stream."""
from __future__ import annotations

import asyncio

import pytest
from playwright.sync_api import expect

from htmio.input import NUMBER, input
from htmio.output import put_buttons, put_text, use_scope
from htmio.session import eval_js, run_async
from tests.browser_support import texts, visit


@pytest.mark.browser
def test_an_async_app_in_the_browser(page, serve):
    async def main():
        async def on_click(value):
            await asyncio.sleep(0.01)
            put_text(f"clicked {value}", scope="log")

        async def tick():
            for i in range(1, 1000):
                with use_scope("clock", clear=True):
                    put_text(f"tick {i}")
                await asyncio.sleep(0.05)

        put_buttons(["A", "B"], onclick=on_click)
        with use_scope("log"):
            pass
        run_async(tick())
        age = await input("age", type=NUMBER, validate=lambda a: "too young" if a < 18 else None)
        width = await eval_js("window.innerWidth")
        put_text(f"age {age}, width {width}")

    server = serve(main)
    visit(page, server)
    expect(page.locator("#pywebio-scope-clock")).to_contain_text("tick")
    first = page.locator("#pywebio-scope-clock").inner_text()
    expect(page.locator("#pywebio-scope-clock")).not_to_have_text(first)  # the task keeps running
    page.get_by_role("button", name="B", exact=True).click()
    expect(texts(page, "log")).to_have_text(["clicked B"])
    page.get_by_label("age").fill("5")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator(".htmio-field-error")).to_have_text("too young")
    page.get_by_label("age").fill("30")
    page.get_by_role("button", name="Submit").click()
    width = page.evaluate("window.innerWidth")
    expect(texts(page).last).to_have_text(f"age 30, width {width}")
