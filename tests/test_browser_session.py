"""Real-browser tests of the session and pin modules: Debian's chromium, driven by Playwright, against htmio
served by uvicorn (the fixtures are in tests/conftest.py, the page helpers in tests/browser_support.py).

Pins: values typed into pin widgets reach the server by themselves (no submit), ``pin_wait_change`` loops
react to every widget kind, ``pin_update`` changes the widget in the page and ``pin_on_change`` callbacks run.
Session: ``run_js`` and ``eval_js`` (values, Promises, errors, before the first page), ``set_env``,
``download``, a registered thread updating the page, ``defer_call`` when the app ends or its page goes (a
reload must not end it), and ``info``.

Tests whose docstring starts with "BUG:" show a fault of htmio found while writing them; they fail until
it is fixed.
"""
from __future__ import annotations

import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Request, expect

from htmio.exceptions import JavaScriptError, SessionClosedException
from htmio.input import NUMBER, input
from htmio.output import put_buttons, put_text, use_scope
from htmio.pin import (pin, pin_on_change, pin_update, pin_wait_change, put_actions, put_checkbox, put_input,
                       put_radio, put_select, put_slider, put_textarea)
from htmio.session import defer_call, download, eval_js, info, local, register_thread, run_js, set_env
from tests.browser_support import (keep_this_document, only_session, open_streams, same_document, submit, texts,
                                   visit, wait_until)
from tests.live import LiveServer


def posts(page: Page) -> list[Request]:
    """Every POST the page makes from now on (a live list)."""
    made: list[Request] = []
    page.on("request", lambda r: made.append(r) if r.method == "POST" else None)
    return made


def paths(requests: list[Request]) -> list[str]:
    """``pin/a``, ``click/3``, ``form/2``...: what each post was for."""
    return [re.sub(r"^.*/s/[^/]+/", "", r.url) for r in requests]


def pin_posted(page: Page, name: str) -> Any:
    """Wait for the answer to the next post of the pin widget ``name`` (use as a context manager)."""
    return page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith(f"/pin/{name}"))


def click(page: Page, label: str) -> None:
    page.locator("form.htmio-buttons button", has_text=label).click()


# ---- 1. pins -------------------------------------------------------------------------------------

@pytest.mark.browser
def test_typing_into_a_pin_input_reaches_the_server_without_a_submit(page, serve):
    def main():
        put_input("name", label="Name")
        put_buttons(["Read"], onclick=lambda _: put_text("pin.name is", repr(pin.name)))

    server = serve(main)
    visit(page, server)
    keep_this_document(page)
    made = posts(page)

    with pin_posted(page, "name") as answer:
        page.get_by_label("Name").press_sequentially("Ada")  # real key presses: one debounced post
    assert answer.value.status == 204
    assert set(paths(made)) == {"pin/name"}, f"nothing but the pin's own posts, no submit: {paths(made)}"
    expect(page.locator("#htmio-inputs form")).to_have_count(0)

    click(page, "Read")
    expect(texts(page)).to_have_text(["pin.name is 'Ada'"])
    expect(page.get_by_label("Name")).to_have_value("Ada")  # the widget was left alone, not re-rendered
    expect(page.get_by_label("Name")).to_be_visible()
    assert same_document(page)


@pytest.mark.browser
def test_an_empty_pin_input_reads_as_an_empty_string_before_and_after_typing(page, serve):
    """Regression (fixed): an untouched ``put_input`` without ``value=`` reads as None, but as '' once typed into and cleared
    (and as '' in PyWebIO, where ``pin.name`` is the input's ``.val()``). The pin docstring keeps None for
    "no widget"; an empty text widget should read ''. Same for put_textarea."""
    def main():
        put_input("name", label="Name")
        put_textarea("notes", label="Notes")
        put_buttons(["Read"], onclick=lambda _: put_text(repr([pin.name, pin.notes])))

    server = serve(main)
    visit(page, server)
    click(page, "Read")
    expect(texts(page)).to_have_count(1)
    with pin_posted(page, "name"):
        page.get_by_label("Name").fill("x")
    with pin_posted(page, "name"):
        page.get_by_label("Name").fill("")
    with pin_posted(page, "notes"):
        page.get_by_label("Notes").fill("y")
    with pin_posted(page, "notes"):
        page.get_by_label("Notes").fill("")
    click(page, "Read")
    expect(texts(page)).to_have_count(2)
    expect(texts(page)).to_have_text(["['', '']", "['', '']"], timeout=1000)


@pytest.mark.browser
def test_a_button_clicked_right_after_typing_reads_the_typed_value(page, serve):
    """The user types and at once clicks a button (before the 200 ms debounce of ``input`` is over): the
    click blurs the input, whose ``change`` posts the value; the callback must see it, as it would in
    PyWebIO, where ``pin.name`` asks the browser."""
    def main():
        put_input("name", label="Name")
        put_buttons(["Read"], onclick=lambda _: put_text("pin.name is", repr(pin.name)))

    server = serve(main)
    visit(page, server)
    for word in ["Ada", "Bob", "Cy", "Dee", "Eve", "Flo", "Gus", "Hal", "Ida", "Jo"]:
        page.get_by_label("Name").fill(word)
        click(page, "Read")
        expect(texts(page).last).to_have_text(f"pin.name is '{word}'")


@pytest.mark.browser
def test_pin_wait_change_runs_a_live_calculator(page, serve):
    ops = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b}

    def show(change: Any) -> None:
        a, b = pin.a or 0, pin.b or 0
        result = ops[pin.op](a, b) * pin.scale * (-1 if "negate" in pin.sign else 1)
        with use_scope("result", clear=True):
            put_text(f"= {result}")
            put_text(f"after {change}")

    def main():
        put_input("a", NUMBER, label="a", value=1)
        put_input("b", NUMBER, label="b", value=2)
        put_select("op", ["+", "-", "*"], label="operator")
        put_checkbox("sign", ["negate"], label="sign")
        put_slider("scale", label="scale", value=1, min_value=1, max_value=10)
        put_actions("act", label="actions", buttons=[("Zero a", "zero"), ("Ten b", "ten")])
        show(None)
        while True:
            change = pin_wait_change("a", "b", "op", "sign", "scale", "act")
            assert change is not None
            if change["name"] == "act" and change["value"] == "zero":
                pin.a = 0  # pin_update: does not wake this loop again
            if change["name"] == "act" and change["value"] == "ten":
                pin_update("b", value=10)
            show(f"{change['name']}={change['value']!r}")

    server = serve(main)
    visit(page, server)
    keep_this_document(page)
    session = only_session(server)
    result = texts(page, "result")
    expect(result).to_have_text(["= 3", "after None"])

    def type_into(label: str, text: str, *shown: str) -> None:
        field = page.get_by_label(label, exact=True)
        field.fill(text)
        expect(result).to_have_text(list(shown))
        # leaving the field posts its value once more (`change`): let that pass, and the loop wait again,
        # before the next change (a change made while the loop is busy is not seen, as in PyWebIO)
        with pin_posted(page, label):
            field.blur()
        wait_until(lambda: session.is_settled, 3, "the loop to wait again")

    type_into("a", "6", "= 8", "after a=6")
    type_into("b", "5", "= 11", "after b=5")
    page.get_by_label("operator").select_option("*")
    expect(result).to_have_text(["= 30", "after op='*'"])
    page.get_by_label("negate").check()
    expect(result).to_have_text(["= -30", "after sign=['negate']"])
    page.get_by_label("scale").fill("3")
    expect(result).to_have_text(["= -90", "after scale=3"])
    page.get_by_label("negate").uncheck()
    expect(result).to_have_text(["= 90", "after sign=[]"])
    page.get_by_role("button", name="Ten b").click()
    expect(result).to_have_text(["= 180", "after act='ten'"])
    expect(page.get_by_label("b", exact=True)).to_have_value("10")
    page.get_by_role("button", name="Zero a").click()
    expect(result).to_have_text(["= 0", "after act='zero'"])
    expect(page.get_by_label("a", exact=True)).to_have_value("0")

    # the widgets re-rendered by pin_update still post what the user types
    type_into("a", "7", "= 210", "after a=7")
    page.get_by_label("operator").select_option("-")
    expect(result).to_have_text(["= -9", "after op='-'"])
    assert same_document(page)


@pytest.mark.browser
def test_pin_update_from_the_server_shows_in_the_widgets(page, serve):
    def update():
        pin.a = 10
        pin_update("op", options=["min", "max"], value="max")
        pin_update("note", label="Note (locked)", readonly=True, help_text="set by the app", value="from app")

    def main():
        put_input("a", NUMBER, label="a", value=1)
        put_select("op", ["+", "-"], label="operator")
        put_input("note", label="Note", placeholder="type here")
        put_buttons(["Update", "Read"], onclick=[update, lambda: put_text(repr([pin.a, pin.op, pin.note]))])

    server = serve(main)
    visit(page, server)
    keep_this_document(page)
    expect(page.get_by_label("operator").locator("option")).to_have_text(["+", "-"])

    click(page, "Update")
    expect(page.get_by_label("a", exact=True)).to_have_value("10")
    select = page.get_by_label("operator")
    expect(select.locator("option")).to_have_text(["min", "max"])
    expect(select.locator("option:checked")).to_have_text("max")
    note = page.get_by_label("Note (locked)")
    expect(note).to_have_value("from app")
    expect(note).to_have_attribute("readonly", "")
    expect(page.get_by_text("set by the app")).to_be_visible()

    click(page, "Read")
    expect(texts(page)).to_have_text(["[10, 'max', 'from app']"])  # what the page shows is what pin holds

    # the re-rendered widgets still post what the user does
    with pin_posted(page, "op"):
        select.select_option("min")
    with pin_posted(page, "a"):
        page.get_by_label("a", exact=True).fill("4")
    click(page, "Read")
    expect(texts(page).last).to_have_text("[4, 'min', 'from app']")
    assert same_document(page)


@pytest.mark.browser
def test_pin_update_of_the_label_keeps_what_the_user_typed(page, serve):
    """Regression (fixed): ``pin_update(name, label=...)`` (or help_text, readonly, placeholder) without ``value=`` throws
    away what the user typed: pin_update re-renders the widget from ``item.raw_initial()`` and sets
    ``state.values[name] = _initial(item)``, i.e. the value the widget was *made* with. The page shows it
    again and ``pin.<name>`` reads it. In PyWebIO, pin_update only changes the attributes given."""
    def main():
        put_input("a", NUMBER, label="a", value=1)
        put_select("op", ["+", "-", "*"], label="operator")
        put_buttons(["Relabel", "Read"], onclick=[
            lambda: (pin_update("a", label="a (checked)", help_text="ok"), pin_update("op", label="op (checked)")),
            lambda: put_text(repr([pin.a, pin.op]))])

    server = serve(main)
    visit(page, server)
    with pin_posted(page, "a"):
        page.get_by_label("a", exact=True).fill("5")
    with pin_posted(page, "op"):
        page.get_by_label("operator").select_option("*")

    click(page, "Relabel")
    expect(page.get_by_text("ok", exact=True)).to_be_visible()
    expect(page.get_by_label("op (checked)")).to_be_visible()  # both re-rendered: what they show is final
    expect(page.get_by_label("a (checked)")).to_have_value("5", timeout=1000)
    expect(page.get_by_label("op (checked)").locator("option:checked")).to_have_text("*", timeout=1000)
    click(page, "Read")
    expect(texts(page)).to_have_text(["[5, '*']"])


@pytest.mark.browser
def test_pin_on_change_callbacks_run_on_each_change(page, serve):
    def main():
        put_radio("color", ["red", "green", "blue"], label="color", value="red")
        put_slider("level", label="level", value=5, max_value=10)
        pin_on_change("color", lambda v: put_text("color is", v), init_run=True)
        pin_on_change("level", lambda v: put_text("level is", v))
        pin_on_change("level", lambda v: put_text("level doubled", v * 2))

    server = serve(main)
    visit(page, server)
    expect(texts(page)).to_have_text(["color is red"])  # init_run

    page.get_by_label("green").check()
    expect(texts(page)).to_have_text(["color is red", "color is green"])
    page.get_by_label("blue").check()
    expect(texts(page)).to_have_text(["color is red", "color is green", "color is blue"])
    page.get_by_label("level").fill("7")
    expect(texts(page).nth(3)).to_have_text("level is 7")
    expect(texts(page).nth(4)).to_have_text("level doubled 14")


@pytest.mark.browser
def test_pin_on_change_runs_once_per_edit_not_again_when_the_input_loses_focus(page, serve):
    """Regression (fixed): a text pin reports the same value twice: the form posts on ``input`` (after a 200 ms pause in
    typing) and again on ``change`` (when the input loses focus), and ``pin.receive`` treats every post as
    a change, so pin_on_change callbacks run twice with the same value and pin_wait_change wakes twice.
    In PyWebIO, leaving the input sends its value without firing onchange (a "blur" event)."""
    def main():
        put_input("word", label="Word")
        pin_on_change("word", lambda v: put_text("changed to", repr(v)))
        put_buttons(["Done"], onclick=lambda _: put_text("done"))

    server = serve(main)
    visit(page, server)
    session = only_session(server)
    field = page.get_by_label("Word")
    with pin_posted(page, "word"):
        field.press_sequentially("abc")
    expect(texts(page)).to_have_text(["changed to 'abc'"])
    with pin_posted(page, "word"):
        field.blur()  # leaving the field: nothing changed since the last post
    wait_until(lambda: session.is_settled, 3, "the callbacks to finish")
    click(page, "Done")  # its output comes after any the callbacks made
    expect(texts(page).last).to_have_text("done")
    expect(texts(page)).to_have_text(["changed to 'abc'", "done"], timeout=1000)


# ---- 2. run_js and eval_js -----------------------------------------------------------------------

@pytest.mark.browser
def test_run_js_runs_in_the_page_before_and_after_the_first_render(page, serve):
    def later():
        run_js("document.title = title; document.body.dataset.mark = mark.join('-')", title="set live",
               mark=["a", 1, None])

    def main():
        run_js("document.body.dataset.early = 'yes'")  # before the first page is sent
        put_buttons(["Go"], onclick=[later])

    server = serve(main)
    visit(page, server)
    keep_this_document(page)
    expect(page.locator("body")).to_have_attribute("data-early", "yes")
    click(page, "Go")
    expect(page).to_have_title("set live")
    expect(page.locator("body")).to_have_attribute("data-mark", "a-1-")
    assert same_document(page)


@pytest.mark.browser
def test_eval_js_returns_values_awaits_promises_and_gives_none_for_errors(page, serve):
    def ask(expression: str, **args: Any) -> None:
        try:
            value = eval_js(expression, **args)
        except JavaScriptError as exc:
            put_text("error:", str(exc))
        else:
            put_text(type(value).__name__, repr(value))

    def main():
        put_text("width", eval_js("window.innerWidth"))  # at the start of main, before the first page
        input("go")
        ask("1 + 2")
        ask("a * b", a=6, b=7)
        ask("'htmio'.toUpperCase()")
        ask("({n: 1.5, list: [1, 'x', null, true], nested: {ok: false}})")
        ask("new Promise(resolve => setTimeout(() => resolve('late'), 100))")
        ask("(function () { var a = 1; a += b; return a; })()", b=100)
        ask("undefined")
        ask("null.x")
        ask("Promise.reject(new Error('nope'))")
        ask("document.title")

    server = serve(main)
    visit(page, server)
    expect(texts(page)).to_have_text(["width 1280"])  # Playwright's default viewport
    submit(page)
    expect(texts(page)).to_have_text([
        "width 1280",
        "int 3",
        "int 42",
        "str 'HTMIO'",
        "dict {'n': 1.5, 'list': [1, 'x', None, True], 'nested': {'ok': False}}",
        "str 'late'",
        "int 101",
        "NoneType None",
        "NoneType None",  # a TypeError thrown: None, as in PyWebIO (the server's log has the error)
        "NoneType None",  # a rejected Promise: None, as PyWebIO documents
        "str 'main'",
    ])


# ---- 3. set_env ----------------------------------------------------------------------------------

@pytest.mark.browser
def test_set_env_title_changes_live_and_stays_after_a_reload(page, serve):
    def main():
        set_env(title="first title")
        title = input("new title")
        set_env(title=title)
        put_text("title set")
        input("end")

    server = serve(main)
    visit(page, server)
    keep_this_document(page)
    expect(page).to_have_title("first title")
    page.get_by_label("new title").fill("Second — ü")
    submit(page)
    expect(texts(page)).to_have_text(["title set"])
    expect(page).to_have_title("Second — ü")
    assert same_document(page), "the title came over the stream"
    page.reload()
    expect(page).to_have_title("Second — ü")
    expect(page.get_by_label("end")).to_be_visible()


@pytest.mark.browser
def test_set_env_output_max_width_applies_live_and_on_reload(page, serve):
    def main():
        put_text("x " * 400)
        input("go")
        set_env(output_max_width="500px")
        input("end")

    server = serve(main)
    visit(page, server)
    doc = page.locator(".htmio-doc").first

    def width() -> float:
        box = doc.bounding_box()
        assert box is not None
        return box["width"]

    assert width() > 800  # the default, 880px
    submit(page)
    expect(page.get_by_label("end")).to_be_visible()
    wait_until(lambda: width() == 500, 3, "the output to be 500 px wide")
    page.reload()
    expect(page.get_by_label("end")).to_be_visible()
    assert width() == 500


# ---- 4. download ---------------------------------------------------------------------------------

CSV = b"name,score\r\nAda,1\r\n\xff\xfe\x00 raw bytes\n"


@pytest.mark.browser
def test_download_saves_the_exact_bytes_under_the_given_name(page, serve):
    def main():
        put_buttons(["Report", "Unicode"], onclick=[lambda: download("report.csv", CSV),
                                                    lambda: download("données été.txt", "é\n".encode())])

    server = serve(main)
    visit(page, server)
    keep_this_document(page)
    with page.expect_download() as caught:
        click(page, "Report")
    saved = caught.value
    assert saved.suggested_filename == "report.csv"
    assert Path(saved.path()).read_bytes() == CSV

    with page.expect_download() as caught:
        click(page, "Unicode")
    assert caught.value.suggested_filename == "données été.txt"
    assert Path(caught.value.path()).read_bytes() == "é\n".encode()
    assert same_document(page), "a download must not navigate the page away"


# ---- 5. a registered thread ----------------------------------------------------------------------

@pytest.mark.browser
def test_a_registered_thread_updates_a_scope_live(page, serve):
    def clock():
        for tick in range(200):
            with use_scope("clock", clear=True):
                put_text(f"tick {tick}")
            time.sleep(0.1)

    def main():
        put_text("clock:")
        thread = threading.Thread(target=clock, daemon=True)
        register_thread(thread)
        thread.start()
        # main returns: the registered thread keeps the session going

    server = serve(main)
    visit(page, server)
    keep_this_document(page)
    expect(texts(page, "clock")).to_have_text(re.compile(r"^tick \d+$"))
    page.evaluate("""() => {
        window.__ticks = [];
        const record = () => {  // the scope may be swapped whole: look it up each time
            const scope = document.getElementById('pywebio-scope-clock');
            const text = scope ? scope.textContent.trim() : '';
            if (text !== window.__ticks[window.__ticks.length - 1]) window.__ticks.push(text);
        };
        new MutationObserver(record).observe(document.body, {childList: true, subtree: true, characterData: true});
    }""")
    page.wait_for_timeout(1200)
    ticks = [int(t.split()[1]) for t in page.evaluate("window.__ticks") if t.startswith("tick ")]
    distinct = sorted(set(ticks))
    assert len(distinct) >= 6, f"expected ~12 ticks in 1.2 s, saw {ticks}"
    assert ticks == sorted(ticks), f"ticks out of order: {ticks}"
    assert distinct[-1] - distinct[0] <= len(distinct) + 1, f"ticks were skipped: {ticks}"
    assert not only_session(server).closed
    assert same_document(page)


# ---- 6. defer_call and the end of the session ----------------------------------------------------

class Ending:
    """An app waiting in input(), with two defer_call functions and a session-local counter, and what
    happened to it: ``deferred`` (both ran, ``order``), ``interrupted`` (input raised SessionClosedException)."""

    def __init__(self) -> None:
        self.deferred = threading.Event()
        self.interrupted = threading.Event()
        self.order: list[str] = []

    def main(self) -> None:
        defer_call(lambda: self.order.append("first"))

        @defer_call
        def cleanup() -> None:
            self.order.append("cleanup")
            self.deferred.set()

        put_buttons(["Visit"], onclick=lambda _: put_text("visits", self.visit()))
        try:
            input("waiting")
        except SessionClosedException:
            self.interrupted.set()
            raise

    @staticmethod
    def visit() -> int:
        local.visits = (local.visits or 0) + 1
        return int(local.visits)

    def check_ended(self, server: LiveServer, session: Any, since: float, reason: str, within: float) -> None:
        """The session ended for ``reason`` ``within`` seconds of ``since``, and everything that follows ran."""
        assert self.deferred.wait(within + 1), (
            f"the defer_call functions did not run; session closed={session.closed} left_at={session.left_at} "
            f"hidden={session.hidden}")
        took = time.monotonic() - since
        assert session.closed and session.close_reason == reason, session.close_reason
        assert took < within, f"the session ended {took:.1f} s after the page went"
        assert self.order == ["first", "cleanup"]
        assert self.interrupted.wait(2), "the blocked input() did not raise SessionClosedException"
        assert open_streams(server) == 0


@pytest.mark.browser
def test_defer_call_runs_when_the_app_finishes(page, serve):
    ran: list[str] = []
    done = threading.Event()

    def main():
        defer_call(lambda: ran.append("first"))
        defer_call(lambda: (ran.append("second"), done.set()))
        put_text("hello", input("name"))

    server = serve(main)
    visit(page, server)
    session = only_session(server)
    page.get_by_label("name").fill("Ada")
    submit(page)
    expect(texts(page)).to_have_text(["hello Ada"])
    expect(page.locator("#htmio-status")).to_contain_text("The app has finished")
    assert done.wait(2), "the defer_call functions did not run when the app finished"
    assert ran == ["first", "second"]
    assert session.close_reason == "finished"


@pytest.mark.browser
def test_a_reload_does_not_end_the_session(page, serve):
    app = Ending()
    server = serve(app.main, left_grace=0.5, disconnect_grace=2)
    visit(page, server)
    session = only_session(server)
    click(page, "Visit")
    expect(texts(page)).to_have_text(["visits 1"])

    page.reload()  # the page says "left" (and "hidden"), then comes back
    expect(page.get_by_label("waiting")).to_be_visible()
    wait_until(lambda: open_streams(server) == 1, 5, "the reloaded page to open its stream")
    time.sleep(1.6)  # > left_grace + the reaper's period
    assert not session.closed, session.close_reason
    assert not app.deferred.is_set()
    click(page, "Visit")
    expect(texts(page)).to_have_text(["visits 1", "visits 2"])  # local kept its value
    assert len(server.sessions) == 1


@pytest.mark.browser
def test_closing_the_tab_ends_the_session_and_runs_defer_call(new_context, serve):
    """Regression (fixed): closing the tab (or navigating away) does not end the session for ``hidden_timeout`` (24 h by
    default): defer_call functions do not run and a blocked input() never raises.

    On close Chromium fires pagehide, then visibilitychange, so htmio.js sends the beacon "left", then
    "hidden". The server's /presence handler goes through ``_open_post``, which calls ``session.touched()``
    for every post, and ``touched()`` clears ``left_at``: the "hidden" beacon erases the "left" one, and
    ``expiry_reason`` then treats the page as a hidden tab (``hidden=True``, ``left_at=None``)."""
    app = Ending()
    server = serve(app.main, left_grace=0.5, disconnect_grace=2)
    page = new_context().new_page()
    visit(page, server)
    session = only_session(server)
    click(page, "Visit")
    expect(texts(page)).to_have_text(["visits 1"])

    closed = time.monotonic()
    page.close()  # the pagehide beacon tells the server
    app.check_ended(server, session, closed, "page closed", within=2.0)


@pytest.mark.browser
def test_a_page_that_vanishes_without_a_beacon_ends_after_disconnect_grace(new_context, serve):
    """No beacon at all (a crashed tab, a lost network): the stream's end is all the server sees, and the
    session ends after ``disconnect_grace``, running its defer_call functions."""
    app = Ending()
    server = serve(app.main, left_grace=0.5, disconnect_grace=1)
    context = new_context()
    context.add_init_script("navigator.sendBeacon = () => true;")  # the beacons go nowhere
    page = context.new_page()
    visit(page, server)
    session = only_session(server)

    closed = time.monotonic()
    page.close()
    app.check_ended(server, session, closed, "page gone", within=3.0)


# ---- 7. info -------------------------------------------------------------------------------------

def info_app() -> None:
    ua = info.user_agent
    put_text("browser", ua.browser.family, ua.browser.version[:1])
    put_text("os", ua.os.family)
    put_text("pc", ua.is_pc, "mobile", ua.is_mobile, "touch", ua.is_touch_capable)
    put_text("language", info.user_language)
    put_text("ip", info.user_ip)


@pytest.mark.browser
def test_info_describes_the_real_browser(new_context, serve):
    server = serve(info_app)
    page = new_context(locale="de-DE").new_page()
    visit(page, server, stream=False)  # main has returned: the session ends at once
    agent = page.evaluate("navigator.userAgent")
    major = int(re.search(r"Chrome/(\d+)", agent).group(1))  # type: ignore[union-attr]
    family = "HeadlessChrome" if "HeadlessChrome" in agent else "Chrome"
    expect(texts(page)).to_have_text([
        f"browser {family} ({major},)",
        "os Linux",
        "pc True mobile False touch False",
        "language de-DE",
        "ip 127.0.0.1",
    ])
    assert page.evaluate("navigator.language") == "de-DE"


@pytest.mark.browser
def test_info_sees_a_phone(new_context, serve):
    phone = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
             "Version/17.2 Mobile/15E148 Safari/604.1")
    server = serve(info_app)
    page = new_context(locale="fr-CA", user_agent=phone, is_mobile=True, has_touch=True,
                       viewport={"width": 390, "height": 844}).new_page()
    visit(page, server, stream=False)
    expect(texts(page)).to_have_text([
        "browser Mobile Safari (17,)",
        "os iOS",
        "pc False mobile True touch True",
        "language fr-CA",
        "ip 127.0.0.1",
    ])
