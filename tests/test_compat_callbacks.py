"""Callbacks that are, or return, coroutines: run as tasks of an ``async def`` app's session (PyWebIO awaits
what a callback returns when it is a coroutine), and run to their end in their own thread in a plain app;
``mutex_mode`` drops a trigger while the previous call runs."""
from __future__ import annotations

import asyncio
import threading

from htmio.datatable import put_datatable
from htmio.input import input
from htmio.output import close_popup, popup, put_button, put_buttons, put_text, toast, use_scope
from htmio.pin import pin_on_change, put_input
from htmio.session import hold


def errors(page) -> list[str]:
    return [e.get_text(" ", strip=True) for e in page.soup.select(".htmio-app-error")]


# ---- coroutine sessions (async def apps) -------------------------------------------------------------

def test_an_async_function_in_the_list_form_of_put_buttons_runs_when_clicked(open_app):
    async def main():
        async def left():
            await asyncio.sleep(0.01)
            put_text("left done")

        async def right():
            await asyncio.sleep(0.01)
            put_text("right done")

        put_buttons(["Left", "Right"], onclick=[left, right])

    page = open_app(main)
    page.click("Right")
    assert page.texts() == ["right done"]  # the task counted as running from the click on: no gap to settle in
    page.click("Left")
    assert page.texts() == ["right done", "left done"]


def test_put_button_with_an_async_function_and_its_own_scope_stack(open_app):
    async def main():
        async def note():
            await asyncio.sleep(0)
            put_text("from the callback")  # the task starts at ROOT, not in main's scope
            with use_scope("side"):
                put_text("side note")

        with use_scope("main"):
            put_button("Note", onclick=note)
            await input("wait")
            put_text("main still in its scope")

    page = open_app(main)
    page.click("Note")
    assert page.texts("main") == []
    assert page.texts("side") == ["side note"]
    assert page.texts() == ["from the callback", "side note"]
    page.submit("ok")
    assert page.texts("main") == ["main still in its scope"]


def test_onclick_with_a_lambda_that_returns_a_coroutine(open_app):
    async def main():
        async def hello(who):
            await asyncio.sleep(0)
            put_text(f"hello {who}")

        put_text("click me").onclick(lambda: hello("onclick"))

    page = open_app(main)
    page.click("click me")
    assert page.texts() == ["click me", "hello onclick"]


def test_toast_onclick_async(open_app):
    async def main():
        async def undo():
            await asyncio.sleep(0)
            put_text("undone")

        toast("Undo", duration=0, onclick=undo)
        toast("Also undo", duration=0, onclick=lambda: undo())

    page = open_app(main)
    page.click_toast("Undo")
    assert page.texts() == ["undone"]
    page.click_toast("Also undo")
    assert page.texts() == ["undone", "undone"]


def test_pin_on_change_async_function_lambda_and_init_run(open_app):
    async def main():
        async def show(value):
            await asyncio.sleep(0)
            put_text(f"now {value!r}")

        put_input("a", value="first")
        pin_on_change("a", onchange=show, init_run=True)
        put_input("b")
        pin_on_change("b", onchange=lambda value: show(f"b={value}"), init_run=True)

    page = open_app(main)
    assert page.texts() == ["now 'first'", "now 'b='"]
    page.set_pin("a", "second")
    assert page.texts()[-1] == "now 'second'"
    page.set_pin("b", "x")
    assert page.texts()[-1] == "now 'b=x'"


def test_an_async_input_action_sets_the_value_over_the_stream(open_app):
    async def main():
        async def pick(set_value):
            await asyncio.sleep(0.01)
            set_value(42, "the answer")

        value = await input("Number", action=("Pick", pick), readonly=True)
        put_text(f"got {value!r}")

    page = open_app(main)
    assert page.submit(action="action:value") == 200
    page.wait_until(lambda: page.fields()["value"].get("value") == "the answer", "the picked label")
    sent = page._sent()  # the live page got the field over the stream, not only a reload
    assert any(f.get("value") == "the answer" for f in sent.select('input[name="value"]'))
    page.submit()
    assert page.texts() == ["got 42"]


def test_a_datatable_action_that_returns_a_coroutine(open_app):
    async def main():
        async def show(row_id):
            await asyncio.sleep(0)
            put_text(f"show {row_id}")

        put_datatable([{"name": "Ada"}, {"name": "Bob"}],
                      actions=[("Show", lambda row_id: show(row_id))], onselect=lambda row_id: put_text("picked"))

    page = open_app(main)
    grid = page.soup.select_one(".htmio-datatable")
    url = grid.select_one("form.htmio-dt-filter")["action"]
    key = grid.select('input[name="select"]')[1]["value"]
    answer = page.http.post(url, data={"_token": page._token(), "select": [key], "_action": "0"},
                            headers={"HX-Request": "true"})
    assert answer.status_code == 200
    page.wait_for_text("show 1")
    assert page.texts() == ["picked", "show 1"]  # onselect first, then the action, in that order


def test_an_error_in_a_returned_coroutine_is_shown_like_other_callback_errors(open_app):
    async def main():
        async def broken():
            await asyncio.sleep(0)
            raise ValueError("no such thing")

        put_buttons(["Break"], onclick=[broken])
        put_button("Still works", onclick=lambda: put_text("fine"))

    page = open_app(main)
    page.click("Break")
    assert len(errors(page)) == 1
    page.click("Still works")
    assert page.texts() == ["fine"]


def test_mutex_mode_drops_clicks_while_the_previous_call_runs(open_app):
    def app(**options):
        async def main():
            runs = []

            async def work():
                runs.append(1)
                put_text(f"run {len(runs)}")
                await input("more?")

            put_buttons(["Work"], onclick=[work], **options)

        return main

    page = open_app(app(mutex_mode=True))
    page.click("Work")
    page.click("Work")  # the first call still waits on its input: ignored
    assert page.texts() == ["run 1"] and len(page.soup.select("#htmio-inputs form")) == 1
    page.submit("done")
    page.click("Work")  # the first call has ended
    assert page.texts() == ["run 1", "run 2"]

    page = open_app(app())
    page.click("Work")
    page.click("Work")
    assert page.texts() == ["run 1", "run 2"]


def test_mutex_mode_of_pin_on_change_holds_across_changes(open_app):
    async def main():
        async def slow(value):
            put_text(f"saw {value}")
            await input("ok?")

        put_input("q")
        pin_on_change("q", onchange=slow, mutex_mode=True)

    page = open_app(main)
    page.set_pin("q", "a")
    page.set_pin("q", "b")
    assert page.texts() == ["saw a"]
    page.submit("ok")
    page.set_pin("q", "c")
    assert page.texts() == ["saw a", "saw c"]


def test_serial_mode_runs_returned_coroutines_one_after_another(open_app):
    order = []

    async def main():
        async def step(name):
            order.append(f"start {name}")
            await asyncio.sleep(0.05)
            order.append(f"end {name}")

        put_buttons(["One", "Two"], onclick=[lambda: step("one"), lambda: step("two")], serial_mode=True)

    page = open_app(main)
    form = page.soup.select_one("form.htmio-buttons")
    for index in ("0", "1"):  # two clicks close together, without waiting for the first to end
        page.http.post(str(form["action"]), data={"_token": page._token(), "_index": index},
                       headers={"HX-Request": "true"})
    page.wait_until(lambda: len(order) == 4, "both calls")
    assert order == ["start one", "end one", "start two", "end two"]


# ---- thread sessions (plain def apps) --------------------------------------------------------------------
# PyWebIO refuses an async def callback in a thread session (an AssertionError when it is registered).
# htmio runs it: to its end, in the callback's own thread, on an event loop of its own (asyncio.run), so
# it can await asyncio libraries and use every output function; htmio's interactive calls there are the
# plain app's, called without await.

def test_a_plain_app_runs_an_async_callback_in_its_own_thread_and_loop(open_app):
    seen = {}

    def main():
        async def fetch():
            await asyncio.sleep(0.01)
            loop = asyncio.get_running_loop()
            seen["own loop"] = loop is not page.session.loop
            seen["thread"] = threading.current_thread().name
            with use_scope("result"):
                put_text("fetched")
            name = input("name")  # a blocking call, as everywhere in a plain app
            put_text(f"hi {name}")

        put_button("Fetch", onclick=fetch)
        put_buttons(["Again"], onclick=[lambda: fetch()])

    page = open_app(main)
    page.click("Fetch")
    assert page.texts("result") == ["fetched"]
    assert seen["own loop"] and seen["thread"].endswith("-cb")
    page.submit("Ada")
    assert page.texts()[-1] == "hi Ada"
    page.click("Again")
    page.submit("Bob")
    assert page.texts()[-1] == "hi Bob"


def test_a_plain_app_runs_async_pin_callbacks_and_init_run_at_once(open_app):
    def main():
        async def show(value):
            await asyncio.sleep(0)
            put_text(f"value {value!r}")

        put_input("x", value="start")
        pin_on_change("x", onchange=show, init_run=True)
        put_text("after pin_on_change")  # init_run ran to its end first
        hold()

    page = open_app(main)
    assert page.texts() == ["value 'start'", "after pin_on_change"]
    page.set_pin("x", "new")
    assert page.texts()[-1] == "value 'new'"


def test_a_plain_app_with_an_async_action_and_a_failing_async_callback(open_app):
    def main():
        async def pick(set_value):
            await asyncio.sleep(0)
            set_value("picked")

        async def broken():
            raise RuntimeError("oops")

        put_button("Break", onclick=broken)
        put_text(input("Value", action=("Pick", pick)))

    page = open_app(main)
    page.click("Break")
    assert len(errors(page)) == 1
    assert page.submit(action="action:value") == 200
    assert 'value="picked"' in page.last_response.text  # answered in the post, as a plain action is
    assert page.fields()["value"]["value"] == "picked"
    page.submit("picked")  # what the browser sends: the field's value
    assert page.texts() == ["picked"]


def test_mutex_mode_in_a_plain_app(open_app):
    def main():
        def work():
            put_text("working")
            input("more?")

        put_buttons(["Work"], onclick=[work], mutex_mode=True)

    page = open_app(main)
    page.click("Work")
    page.click("Work")
    assert page.texts() == ["working"] and len(page.soup.select("#htmio-inputs form")) == 1


def test_a_plain_app_runs_an_async_action_of_an_input_asked_inside_an_async_callback(open_app):
    # the action comes while the callback's own event loop runs (blocked in input()): it runs beside, in
    # a thread of the session, and the form waits for it
    def main():
        async def pick(set_value):
            await asyncio.sleep(0)
            set_value(7, "seven")

        async def ask():
            await asyncio.sleep(0)
            put_text(f"chose {input('Number', action=('Pick', pick), readonly=True)!r}")

        put_button("Ask", onclick=ask)

    page = open_app(main)
    page.click("Ask")
    assert page.submit(action="action:value") == 200
    assert page.fields()["value"]["value"] == "seven"
    page.submit()
    assert page.texts() == ["chose 7"]


def test_set_value_called_later_from_a_popup_changes_the_field_on_the_open_page(open_app):
    # PyWebIO's own example of input(action=...): the action opens a popup whose buttons call set_value
    def main():
        def pick(set_value):
            with popup("Pick a day"):
                put_buttons(["Today"], onclick=[lambda: (set_value("2024-05-01", "Today"), close_popup())])

        put_text(f"day {input('Date', action=('Pick', pick), readonly=True)}")

    page = open_app(main)
    page.submit(action="action:value")
    page.click("Today")
    assert any(f.get("value") == "Today" for f in page._sent().select('input[name="value"]'))
    page.submit()
    assert page.texts() == ["day 2024-05-01"]
