"""PyWebIO programs run unchanged: input type constants, select/checkbox/radio with both `value` and
options marked selected, the put_file_upload pin, textarea pins with minlength, and `await pin.x`."""
from __future__ import annotations

import asyncio

import pytest

from htmio.input import CHECKBOX, NUMBER, RADIO, SELECT, TEXTAREA, checkbox, input, input_group, radio, select
from htmio.output import put_text
from htmio.pin import (
    get_pin_values,
    pin,
    pin_on_change,
    pin_update,
    pin_wait_change,
    put_checkbox,
    put_file_upload,
    put_input,
    put_radio,
    put_select,
    put_textarea,
)


# ---- the type constants ------------------------------------------------------------------------

def test_the_other_input_type_constants_exist_with_pywebio_values():
    assert (TEXTAREA, SELECT, CHECKBOX, RADIO) == ("textarea", "select", "checkbox", "radio")


@pytest.mark.parametrize(("kind", "function"), [(SELECT, "select"), (TEXTAREA, "textarea"),
                                                (CHECKBOX, "checkbox"), (RADIO, "radio")])
def test_input_refuses_the_types_that_have_their_own_function(raised_in_app, kind, function):
    # PyWebIO asserts the type is one of input()'s nine; htmio says which function to call instead
    message = raised_in_app(lambda: input("x", type=kind), ValueError)
    assert f"input(type={kind!r})" in message and f"call {function}(...) instead" in message


# ---- value and options marked selected -----------------------------------------------------------

def test_a_single_select_shows_and_returns_the_last_of_value_and_selected_options(open_app):
    # PyWebIO marks the options `value` names as selected too; a drop-down shows the last marked one
    got = []

    def main():
        got.append(select("Size", [("Small", "s"), ("Medium", "m", True), ("Large", "l")], value="s"))

    page = open_app(main)
    [field] = page.inputs()
    assert field.value == "Medium"
    assert [o.get_text() for o in page.form().select("option[selected]")] == ["Medium"]
    page.submit(field.value)  # what the browser sends for the option it shows
    assert got == ["m"]


def test_a_list_value_on_a_single_select_selects_its_last_option(open_app):
    got = []

    def main():
        got.append(select("Pick", ["a", "b", "c", "d"], value=["b", "c"]))

    page = open_app(main)
    [field] = page.inputs()
    assert field.value == "c"
    page.submit(field.value)
    assert got == ["c"]


def test_value_and_selected_options_add_up_on_multiple_select_and_checkbox(open_app):
    got = []

    def main():
        got.append(input_group("", [
            select("Tags", [("A", 1, True), ("B", 2), ("C", 3)], multiple=True, value=[3], name="tags"),
            checkbox("Extras", [("milk", "m"), ("sugar", "s", True)], value=["m"], name="extras"),
        ]))

    page = open_app(main)
    tags, extras = page.inputs()
    assert tags.value == ("A", "C") and extras.value == ("milk", "sugar")
    page.submit(tags=list(tags.value), extras=list(extras.value))
    assert got == [{"tags": [1, 3], "extras": ["m", "s"]}]


def test_radio_with_value_and_a_selected_option_checks_the_last_one(open_app):
    got = []

    def main():
        got.append(radio("Answer", [("yes", 1), ("no", 0, True)], value=1))

    page = open_app(main)
    [field] = page.inputs()
    assert field.value == "no"  # a radio group keeps the last box marked checked
    assert len(page.form().select("input[checked]")) == 1
    page.submit(field.value)
    assert got == [0]


def test_pin_choices_hold_what_they_show(open_app):
    def main():
        put_select("s", [("A", 1, True), ("B", 2)], value=2)
        put_select("one", ["x", "y", "z"], value=["x", "y"])
        put_checkbox("c", [("p", "p", True), ("q", "q")], value=["q"])
        put_radio("r", [("u", "u"), ("v", "v", True)], value="u")

    page = open_app(main)
    assert page.pins() == {"s": 2, "one": "y", "c": ["p", "q"], "r": "v"}
    shown = {s["name"]: [o.get_text() for o in s.select("option[selected]")] for s in page.soup.select("select")}
    assert shown == {"s": ["B"], "one": ["y"]}


# ---- put_file_upload ---------------------------------------------------------------------------

def _post_files(page, name, files, htmx=True):
    form = page.soup.select_one(f'form.htmio-pin[action$="/pin/{name}"]')
    assert form is not None, page.text()
    response = page.http.post(str(form["action"]), data={"_token": page._token()},
                              files=[(name, f) for f in files], headers={"HX-Request": "true"} if htmx else {},
                              follow_redirects=False)
    page.refresh()
    page.last_response = response
    return response.status_code


def test_put_file_upload_holds_the_chosen_file_and_wakes_pin_wait_change(open_app):
    def main():
        put_file_upload("doc", label="Document", accept=[".txt", ".md"], max_size="1K")
        put_text(repr(pin.doc))
        change = pin_wait_change("doc")
        f = change["value"]
        put_text(change["name"], f["filename"], f["content"].decode(), f["mime_type"])
        put_text(pin.doc["filename"])

    page = open_app(main)
    form = page.soup.select_one("form.htmio-pin")
    assert form["enctype"] == "multipart/form-data"
    chooser = form.select_one('input[type=file][name="doc"]')
    assert chooser["accept"] == ".txt,.md" and form.select_one("label").get_text() == "Document"
    assert page.texts() == ["None"]
    assert _post_files(page, "doc", [("notes.txt", b"hello", "text/plain")]) == 204
    page.wait_for_text("notes.txt")
    assert page.texts()[1:] == ["doc notes.txt hello text/plain", "notes.txt"]
    assert page.pin("doc")["content"] == b"hello"
    assert "notes.txt" in page.soup.select_one("form.htmio-pin").get_text()  # a reload shows what is held


def test_put_file_upload_multiple_and_its_limit(open_app):
    seen = []

    def main():
        put_file_upload("pics", multiple=True, max_size=10)
        seen.append(pin.pics)
        pin_on_change("pics", lambda files: seen.append([f["filename"] for f in files]))

    page = open_app(main)
    assert seen == [[]]
    assert _post_files(page, "pics", [("a.png", b"12345", "image/png"), ("b.png", b"678", "image/png")]) == 204
    page.wait_until(lambda: len(seen) == 2, "the callback")
    assert seen[1] == ["a.png", "b.png"]
    # refused as it streams, the moment it passes the widget's max_size: 413, and nothing changes
    assert _post_files(page, "pics", [("big.png", b"x" * 11, "image/png")]) == 413
    assert "big.png is larger than 10 bytes, the limit for each file." in page.last_response.text
    assert [f["filename"] for f in page.pin("pics")] == ["a.png", "b.png"]  # the refused file changed nothing
    assert len(seen) == 2
    # max_size is for each file: two of 8 bytes (16 in all) go through
    assert _post_files(page, "pics", [("c.png", b"x" * 8, "image/png"), ("d.png", b"y" * 8, "image/png")]) == 204
    page.wait_until(lambda: len(seen) == 3, "the callback")
    assert seen[2] == ["c.png", "d.png"]


def test_put_file_upload_without_javascript(open_app):
    def main():
        put_file_upload("doc")
        put_text(pin_wait_change("doc")["value"]["filename"])

    page = open_app(main)
    assert _post_files(page, "doc", [("x.csv", b"a,b", "text/csv")], htmx=False) == 303
    assert page.texts() == ["x.csv"]


def test_put_file_upload_refuses_a_limit_above_the_server_s(raised_in_app):
    message = raised_in_app(lambda: put_file_upload("f", max_size="10G"), ValueError)
    assert "put_file_upload(max_size=" in message and "HTMIO_MAX_BODY_SIZE" in message


# ---- textarea pins with minlength -----------------------------------------------------------------

def test_a_textarea_pin_with_minlength_reports_every_change(open_app):
    def main():
        put_textarea("note", minlength=5, maxlength=8)
        while True:
            change = pin_wait_change("note")
            put_text(f"{change['value']!r} {pin.note!r}")

    page = open_app(main)
    page.set_pin("note", "ab")
    page.wait_for_text("'ab' 'ab'")
    page.set_pin("note", "abc")
    page.wait_for_text("'abc' 'abc'")
    page.set_pin("note", "abcdefghij")  # longer than maxlength: the browser stops typing, the pin still reports
    page.wait_for_text("'abcdefghij' 'abcdefghij'")


# ---- coroutine sessions: await pin.x -----------------------------------------------------------

def test_await_pin_in_an_async_app(open_app):
    async def main():
        put_input("a", type=NUMBER, value=1)
        put_input("b", value="x")
        put_radio("r", ["p", "q"])
        put_checkbox("c", ["u", "v"], value=["u"])
        put_select("f", [("yes", True), ("no", False)], value=False)
        put_input("ratio", type="float", value=0.5)
        values = (await pin.a, await pin["b"], await pin.r, await pin.c, await pin.f, await pin.ratio,
                  await pin.missing)
        put_text(repr(values), " ".join(type(v).__name__ for v in values))
        put_text(repr(await get_pin_values(["a", "b"])))
        await pin_update("a", value=5)
        put_text(str(await pin.a))
        change = await pin_wait_change("a", "b")
        put_text(repr(change), repr(await pin.b))
        put_text(repr(await pin_wait_change("b", timeout=0.05)))

    page = open_app(main)
    page.wait_for_text("5")
    assert page.texts()[:3] == ["(1, 'x', None, ['u'], False, 0.5, None) int str NoneType list bool float NoneType",
                                "{'a': 1, 'b': 'x'}", "5"]
    page.set_pin("b", "hello")
    page.wait_for_text("None")
    assert page.texts()[3:] == ["{'name': 'b', 'value': 'hello'} 'hello'", "None"]


def test_pin_values_in_an_async_app_work_without_await_too(open_app):
    async def main():
        put_input("n", type=NUMBER, value=2)
        put_input("s", value="ab")
        put_checkbox("c", ["u", "v"], value=["v"])
        put_select("flag", [("on", True), ("off", False)], value=True)
        put_radio("r", ["p", "q"])
        put_text(pin.n * 3, pin.s.upper(), pin.c + ["w"], pin.c[0], pin["flag"], bool(pin.flag))
        put_text(pin.r == None, not pin.r, repr(pin.r), pin.missing)  # noqa: E711 (a stand-in for None)
        put_text(isinstance(pin.n, int), isinstance(pin.s, str), f"{pin.n:03d}")

    page = open_app(main)
    assert page.texts() == ["6 AB ['v', 'w'] v True True", "True True None None", "True True 002"]


def test_pin_values_in_a_thread_app_are_the_plain_values(open_app):
    def main():
        put_input("n", type=NUMBER, value=2)
        put_radio("r", ["p"])
        put_text(type(pin.n) is int, pin.r is None)

    page = open_app(main)
    assert page.texts() == ["True True"]


def test_a_coroutine_pin_wait_change_does_not_block_the_loop(open_app):
    async def waiting():
        put_input("x")
        put_text("waiting")
        await pin_wait_change("x")

    async def other():
        await asyncio.sleep(0)
        put_text("other runs")

    first = open_app(waiting)
    assert first.texts() == ["waiting"]
    second = open_app(other)  # the first session's wait holds no thread and not the loop
    assert second.texts() == ["other runs"]
    first.close()  # the waiting task ends with the page
    assert first.session.closed


def test_async_pin_on_change_with_init_run(open_app):
    async def main():
        async def show(value):
            put_text(f"volume {value}")

        put_input("v", type=NUMBER, value=3)
        pin_on_change("v", show, init_run=True)

    page = open_app(main)
    page.wait_for_text("volume 3")
    page.set_pin("v", 7)
    page.wait_for_text("volume 7")


@pytest.mark.browser
def test_put_file_upload_in_chromium_posts_the_file_when_chosen(page, serve):
    from playwright.sync_api import expect

    from tests.browser_support import texts, visit

    def main():
        put_file_upload("doc", label="Document")
        put_textarea("note", label="Note", minlength=10)
        while True:
            change = pin_wait_change("doc", "note")
            value = change["value"]
            put_text(change["name"], value["filename"] + " " + value["content"].decode()
                     if change["name"] == "doc" else repr(value))

    server = serve(main)
    visit(page, server)
    page.get_by_label("Document").set_input_files({"name": "a.txt", "mimeType": "text/plain", "buffer": b"hi there"})
    expect(texts(page)).to_have_text(["doc a.txt hi there"])
    page.get_by_label("Note").fill("short")  # under minlength: still a change, as in PyWebIO
    expect(texts(page)).to_have_text(["doc a.txt hi there", "note 'short'"])
