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


# ---- forms: fields, validation, cancel, waiting for one ---------------------------------------------

def test_inputs_describe_every_field_of_the_form_as_the_user_sees_it(htmio_app):
    from htmio.input import NUMBER, actions, checkbox, file_upload, input_group, radio, select, slider, textarea

    def main():
        input_group("Order", [
            input("Name", name="name", placeholder="you", help_text="as on your card", required=True),
            input("Age", name="age", type=NUMBER, value=36),
            input("Secret", name="secret", type="password"),
            select("Colour", ["red", "green"], name="colour", value="green"),
            checkbox("Extras", ["milk", "sugar"], name="extras", value=["sugar"]),
            radio("Size", ["S", "L"], name="size", required=True),
            textarea("Notes", name="notes", value="line 1\nline 2"),
            slider("Volume", name="volume", value=3),
            file_upload("Photo", name="photo"),
            actions("Then", ["Save", "Print"], name="then"),
        ])

    page = htmio_app(main)
    fields = {f.name: f for f in page.inputs()}
    assert list(fields) == ["name", "age", "secret", "colour", "extras", "size", "notes", "volume", "photo", "then"]
    assert [f.type for f in fields.values()] == ["text", "number", "password", "select", "checkbox", "radio",
                                                 "textarea", "slider", "file", "actions"]
    assert [f.label for f in fields.values()] == ["Name", "Age", "Secret", "Colour", "Extras", "Size", "Notes",
                                                  "Volume", "Photo", "Then"]
    name = fields["name"]
    assert (name.placeholder, name.help_text, name.required, name.value, name.error) == (
        "you", "as on your card", True, "", None)
    assert fields["age"].value == "36" and not fields["age"].required
    assert fields["colour"].options == ("red", "green") and fields["colour"].value == "green"
    assert fields["extras"].options == ("milk", "sugar") and fields["extras"].value == ("sugar",)
    assert fields["size"].value is None and fields["size"].required
    assert fields["notes"].value == "line 1\nline 2"
    assert fields["volume"].value == "3"
    assert fields["then"].options == ("Save", "Print") and fields["then"].value is None


def test_a_lone_input_is_one_field_named_value(htmio_app):
    from htmio.input import select

    page = htmio_app(lambda: put_text(select("Colour", ["red", "green"])))
    [colour] = page.inputs()
    assert (colour.name, colour.label, colour.value) == ("value", "Colour", "red")  # what the browser shows first
    page.submit("green")
    assert page.texts() == ["green"]


def test_inputs_show_each_fields_validation_message(htmio_app):
    from htmio.input import NUMBER, input_group

    def main():
        input_group("Who", [input("Name", name="name"),
                            input("Age", name="age", type=NUMBER, validate=lambda n: "too young" if n < 18 else None)])

    page = htmio_app(main)
    assert page.submit(name="Ada", age=12) == 422
    name, age = page.inputs()
    assert (name.value, name.error) == ("Ada", None)
    assert (age.value, age.error) == ("12", "too young") and page.error() == "too young"


def test_next_input_waits_for_a_form_a_callback_asks_for(htmio_app):
    from htmio.input import select

    def main():
        put_buttons(["Ask"], onclick=lambda _: put_text("picked", select("Colour", ["red", "green"])))

    page = htmio_app(main)
    page.click("Ask")
    [colour] = page.next_input()
    assert colour.options == ("red", "green")
    page.submit("green")
    assert page.texts() == ["picked green"]


def test_next_input_waits_for_a_form_a_background_thread_shows(htmio_app):
    def main():
        time.sleep(0.2)
        input("Later")

    page = htmio_app(main, timeout=0.05)
    assert [f.label for f in page.next_input(timeout=3)] == ["Later"]


def test_next_input_fails_with_the_page_text(htmio_app):
    page = htmio_app(lambda: put_text("no questions"))
    with pytest.raises(AppTimeout, match=r"an input form did not come within 0.1 s\. Page:\n(?s:.*)no questions"):
        page.next_input(timeout=0.1)


def test_cancel_makes_input_group_return_none(htmio_app):
    from htmio.input import input_group

    def main():
        put_text(repr(input_group("Who", [input("Name", name="name", required=True)], cancelable=True)))

    page = htmio_app(main)
    assert page.cancel() == 204  # a required field left empty does not hold a Cancel back
    assert page.texts() == ["None"]


def test_cancel_without_a_cancel_button_says_how_to_get_one(htmio_app):
    page = htmio_app(lambda: input("Name"))
    with pytest.raises(AssertionError, match=r"the form shown has no Cancel button: "
                                             r"input_group\(\.\.\., cancelable=True\) adds one"):
        page.cancel()


# ---- reading the page: scopes, tables, popups ----------------------------------------------------

def test_element_is_a_scope_to_query(htmio_app):
    from htmio.output import put_markdown, use_scope

    def main():
        with use_scope("notes"):
            put_markdown("**bold**")

    page = htmio_app(main)
    assert page.element("notes").select_one("strong").get_text() == "bold"
    with pytest.raises(AssertionError, match=r"(?s)no scope 'gone' on the page\. Page:\n.*bold"):
        page.element("gone")


def test_tables_are_rows_of_cell_texts_header_first(htmio_app):
    from htmio.output import put_table, use_scope

    def main():
        put_table([["Ada", 36], ["Bob", put_text("unknown")]], header=["name", "age"])
        with use_scope("other"):
            put_table([[1, 2]])

    page = htmio_app(main)
    assert page.tables() == [[["name", "age"], ["Ada", "36"], ["Bob", "unknown"]], [["1", "2"]]]
    assert page.tables("other") == [[["1", "2"]]]


def test_buttons_in_tables_and_popups_are_clicked_by_label(htmio_app):
    from htmio.output import close_popup, popup, put_table

    def main():
        def edit(who):
            popup(f"Edit {who}", [put_text(f"editing {who}"),
                                  put_buttons(["Done"], onclick=lambda _: (close_popup(), put_text(f"{who} saved")))])

        put_table([[name, put_buttons(["Edit"], onclick=lambda _, n=name: edit(n))] for name in ("Ada", "Bob")])

    page = htmio_app(main)
    assert page.popup() is None
    page.click("Edit", nth=1)
    shown = page.popup()
    assert (shown.title, shown.texts, shown.closable) == ("Edit Bob", ["editing Bob"], True)
    assert page.texts(shown.scope) == ["editing Bob"]
    page.click("Done")
    assert page.popup() is None and page.texts()[-1] == "Bob saved"


def test_close_popup_uses_its_close_button(htmio_app):
    from htmio.output import popup

    page = htmio_app(lambda: popup("Hello", "a message"))
    assert page.wait_for_popup("Hello").text == "a message"
    page.close_popup()
    assert page.popup() is None
    with pytest.raises(AssertionError, match=r"(?s)no popup is shown\. Page:\n"):
        page.close_popup()


def test_a_popup_without_close_button_says_only_the_app_can_close_it(htmio_app):
    from htmio.output import popup

    page = htmio_app(lambda: popup("Busy", "wait", closable=False))
    assert not page.popup().closable
    with pytest.raises(AssertionError, match=r"the popup 'Busy' has no close button \(popup\(\.\.\., closable=False\)\)"):
        page.close_popup()


def test_wait_for_popup_fails_with_the_page_text(htmio_app):
    from htmio.output import popup

    page = htmio_app(lambda: (put_text("below"), popup("Other", "x")))
    with pytest.raises(AppTimeout, match=r"a popup titled 'Wanted' did not come within 0.1 s\. Page:\n(?s:.*)below"):
        page.wait_for_popup("Wanted", timeout=0.1)


# ---- clicking ---------------------------------------------------------------------------------

def test_outputs_made_clickable_are_clicked_by_their_text(htmio_app):
    page = htmio_app(lambda: put_text("click me").onclick(lambda: put_text("clicked")))
    page.click("click me")
    assert page.texts() == ["click me", "clicked"]


def test_click_can_look_in_one_scope(htmio_app):
    from htmio.output import use_scope

    def main():
        for box in ("a", "b"):
            with use_scope(box):
                put_buttons(["Go"], onclick=lambda _, box=box: put_text(f"went {box}", scope="ROOT"))

    page = htmio_app(main)
    page.click("Go", scope="b")
    assert page.texts("ROOT")[-1] == "went b"
    with pytest.raises(AssertionError, match=r"only 2 buttons labelled 'Go'\. Page:"):
        page.click("Go", nth=2)
    with pytest.raises(AssertionError, match=r"no button labelled 'Stop' in scope 'a'\. Page:"):
        page.click("Stop", scope="a")


def test_click_refuses_a_disabled_button_and_points_form_buttons_to_submit(htmio_app):
    from htmio.input import actions

    def main():
        put_buttons([{"label": "Off", "value": 0, "disabled": True}], onclick=lambda _: put_text("never"))
        actions("Then", ["Save"])

    page = htmio_app(main)
    with pytest.raises(AssertionError, match=r"the button labelled 'Off' is disabled"):
        page.click("Off")
    with pytest.raises(AssertionError, match=r"no button labelled 'Save'\. It is in the input form: "
                                             r"press it with submit\('Save'\)\."):
        page.click("Save")


# ---- pins -------------------------------------------------------------------------------------

def test_set_pin_posts_like_the_widget_and_pins_read_the_servers_values(htmio_app):
    from htmio.input import NUMBER
    from htmio.pin import pin, pin_wait_change, put_actions, put_checkbox, put_input, put_select

    def main():
        put_input("a", type=NUMBER, value=1, label="A")
        put_select("op", ["plus", "minus"], label="Op")
        put_checkbox("extras", ["milk", "sugar"], value=["milk"])
        put_actions("go", buttons=[("Start", 1), ("Stop", 0)])
        while True:
            change = pin_wait_change("a", "op", "extras", "go")
            put_text(f"{change['name']} is {change['value']!r}; a={pin.a!r}")

    page = htmio_app(main)
    assert page.pins() == {"a": 1, "op": "plus", "extras": ["milk"], "go": None}
    page.set_pin("a", 5)
    assert page.pin("a") == 5 and page.texts()[-1] == "a is 5; a=5"
    page.set_pin("op", "minus")
    page.set_pin("extras", [])
    page.set_pin("go", "Start")
    assert page.pins() == {"a": 5, "op": "minus", "extras": [], "go": 1}
    assert page.texts()[-3:] == ["op is 'minus'; a=5", "extras is []; a=5", "go is 1; a=5"]


def test_set_pin_failures_name_what_there_is(htmio_app):
    from htmio.pin import put_select

    page = htmio_app(lambda: (put_text("calc"), put_select("op", ["plus", "minus"])))
    with pytest.raises(AssertionError, match=r"'op' has no option labelled 'times'; it offers \['plus', 'minus'\]"):
        page.set_pin("op", "times")
    with pytest.raises(AssertionError, match=r"(?s)no pin widget named 'b' on the page; there are \['op'\]\. Page:\n.*calc"):
        page.set_pin("b", 1)
    with pytest.raises(AssertionError, match=r"no pin widget named 'b' on the page; there are \['op'\]"):
        page.pin("b")


# ---- waiting and closing ------------------------------------------------------------------------

def test_wait_until_returns_what_the_condition_found(htmio_app):
    from htmio.output import put_table

    def main():
        def later():
            time.sleep(0.2)
            put_table([["ready"]])

        worker = threading.Thread(target=later)
        register_thread(worker)
        worker.start()

    page = htmio_app(main, timeout=0.05)
    assert page.wait_until(page.tables, "a table", timeout=3) == [[["ready"]]]


def test_wait_until_fails_with_what_it_waited_for_and_the_page_text(htmio_app):
    page = htmio_app(lambda: put_text("nothing yet"))
    with pytest.raises(AppTimeout, match=r"(?s)the report table did not come within 0.1 s\. Page:\n.*nothing yet"):
        page.wait_until(page.tables, "the report table", timeout=0.1)


def test_close_runs_defer_call(htmio_app):
    from htmio.session import defer_call

    ran = []

    def main():
        defer_call(lambda: ran.append("cleaned up"))
        input("Name")

    page = htmio_app(main)
    page.close()
    assert ran == ["cleaned up"]


def test_close_fails_with_the_page_text_when_defer_call_hangs(htmio_app):
    from htmio.session import defer_call

    def main():
        defer_call(lambda: time.sleep(0.5))
        put_text("still here")

    page = htmio_app(main, timeout=0.1)
    with pytest.raises(AppTimeout, match=r"(?s)defer_call functions did not finish within 0.1 s\. Page:\n.*still here"):
        page.close()


# ---- its documentation --------------------------------------------------------------------------

def test_every_public_method_has_an_example_and_a_docs_entry():
    import inspect
    from pathlib import Path

    from htmio.testing import AppClient

    docs = (Path(__file__).parent.parent / "docs" / "testing.md").read_text()
    for name, member in vars(AppClient).items():
        if name.startswith("_") or not (inspect.isfunction(member) or isinstance(member, property)):
            continue
        assert f"`{name}" in docs, f"AppClient.{name} has no entry in docs/testing.md"
        doc = member.__doc__ or ""  # a method's docstring is indented 8; an example is indented 4 more
        assert any(line.startswith(" " * 12) and line.strip() for line in doc.splitlines()), \
            f"AppClient.{name}: add an example to the docstring"
    assert "(docs/testing.md)" in (Path(__file__).parent.parent / "README.md").read_text()


def test_a_toast_with_a_callback_can_be_clicked(htmio_app):
    def main():
        toast("Undo", onclick=lambda: put_text("undone"), duration=0)
        toast("plain")

    page = htmio_app(main)
    assert page.click_toast("Undo") == 204
    assert page.texts() == ["undone"]
    with pytest.raises(AssertionError, match=r"no clickable toast says 'plain'; toasts shown: \['Undo', 'plain'\]"):
        page.click_toast("plain")
