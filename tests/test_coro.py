"""async def apps: coroutine sessions on the server's loop, awaited inputs, coroutine callbacks, run_async."""
from __future__ import annotations

import asyncio
import json
import time

from bs4 import BeautifulSoup

from htmio.input import NUMBER, input, input_group
from htmio.output import put_buttons, put_text, use_scope
from htmio.session import eval_js, hold, run_async, run_asyncio_coroutine


def test_an_async_app_awaits_its_inputs(open_app):
    async def main():
        name = await input("name")
        age = await input("age", type=NUMBER, validate=lambda a: "too young" if a < 18 else None)
        group = await input_group("more", [input("city", name="city")])
        put_text(f"{name} {age} {group['city']}")

    page = open_app(main)
    assert page.session.is_async
    page.submit("Ada")
    assert page.submit("5") == 422 and page.error() == "too young"
    page.submit("36")
    page.submit(city="Paris")
    assert page.texts() == ["Ada 36 Paris"]
    assert page.session.closed and page.session.close_reason == "finished"


def test_async_apps_share_the_loop_without_blocking_each_other(open_app):
    async def slow():
        await asyncio.sleep(0.3)
        put_text("slow done")
        await input("wait")

    async def quick():
        put_text("quick")
        await input("wait")

    slow_page = open_app(slow, timeout=0.05)
    start = time.monotonic()
    quick_page = open_app(quick)
    assert time.monotonic() - start < 0.25  # the sleeping app did not hold up the other session
    assert quick_page.texts() == ["quick"]
    time.sleep(0.35)
    slow_page.refresh()
    assert slow_page.texts() == ["slow done"]


def test_coroutine_callbacks_and_scopes_per_task(open_app):
    async def main():
        async def clicked(value):
            with use_scope("log"):
                await asyncio.sleep(0)
                put_text(f"clicked {value}")
        put_buttons(["a", "b"], onclick=clicked)
        with use_scope("main"):
            await input("wait")

    page = open_app(main)
    page.click("b")
    assert page.texts("log") == ["clicked b"]
    assert page.texts("main") == []


def test_run_async_runs_beside_main_and_can_be_closed(open_app):
    async def main():
        async def tick():
            for i in range(1000):
                with use_scope("clock", clear=True):
                    put_text(f"tick {i}")
                await asyncio.sleep(0.01)

        task = run_async(tick())
        await input("stop?")
        task.close()
        await asyncio.sleep(0.05)
        put_text(f"closed {task.closed()}")
        put_text(await run_asyncio_coroutine(asyncio.sleep(0, result="awaited")))

    page = open_app(main, timeout=0.2)
    time.sleep(0.1)
    page.refresh()
    assert page.texts("clock")[0].startswith("tick ")
    page.submit("yes")
    time.sleep(0.1)
    page.refresh()
    assert page.texts()[-2:] == ["closed True", "awaited"]


def test_await_eval_js(open_app):
    async def main():
        put_text(repr(await eval_js("1 + n", n=2)))

    page = open_app(main, timeout=0.3)
    call = json.loads(page.soup.select_one("#htmio-commands [data-htmio-command=eval]")["data-payload"])
    page.http.post(f"{page.url}/js/{call['id']}", data={"_token": page._token(), "value": "3"})
    time.sleep(0.05)
    page.refresh()
    assert page.texts() == ["3"]


def test_closing_the_page_ends_an_awaited_input_and_hold(open_app):
    seen = []

    async def main():
        try:
            await input("x")
        finally:
            seen.append("input ended")

    page = open_app(main)
    page.close()
    time.sleep(0.1)
    assert seen == ["input ended"]

    async def holding():
        put_text("held")
        await hold()

    page = open_app(holding)
    assert not page.session.closed
    page.close()


def test_an_error_in_an_async_app_is_shown(open_app):
    async def main():
        put_text("before")
        raise ValueError("boom")

    page = open_app(main)
    assert page.soup.select_one(".htmio-app-error") is not None
    assert page.texts() == ["before"]


def test_run_async_outside_a_coroutine_session_says_what_to_do(raised_in_app):
    async def coro():
        pass

    def start():
        c = coro()
        try:
            run_async(c)
        finally:
            c.close()

    assert "async def app" in raised_in_app(start, RuntimeError)


def test_many_async_sessions(open_app):
    async def main():
        name = await input("name")
        put_text(f"hi {name}")

    pages = [open_app(main) for _ in range(20)]
    for i, page in enumerate(pages):
        page.submit(f"u{i}")
    assert [p.texts() for p in pages] == [[f"hi u{i}"] for i in range(20)]
    assert all(BeautifulSoup(p.http.get(p.url).text, "html.parser").select_one("#htmio-status") for p in pages)
