"""Pin widgets: rendered as outputs, values kept on the server, waits, updates and callbacks."""
from __future__ import annotations

import time

import pytest

from htmio.exceptions import SessionClosedException
from htmio.input import NUMBER
from htmio.output import put_buttons, put_text, use_scope
from htmio.pin import (
    get_pin_values,
    pin,
    pin_on_change,
    pin_update,
    pin_wait_change,
    put_actions,
    put_checkbox,
    put_input,
    put_radio,
    put_select,
    put_slider,
    put_textarea,
)


def change(page, name: str, **values) -> int:
    """What htmx posts when the user edits a pin widget."""
    form = page.soup.select_one(f'form.htmio-pin[action$="/pin/{name}"]')
    response = page.http.post(form["action"], data={"_token": page._token(), **values}, headers={"HX-Request": "true"})
    page.refresh()
    return response.status_code


def test_widgets_are_outputs_with_labels_in_scopes_and_positions(open_app):
    def main():
        put_text("last")
        put_input("a", label="A", value="x", placeholder="type", help_text="help")
        put_textarea("t", label="T", rows=2, position=0)
        with use_scope("box"):
            put_select("s", ["p", "q"], label="S")
        put_checkbox("c", ["p", "q"], label="C", inline=True)
        put_radio("r", ["p", "q"], label="R")
        put_slider("v", label="V", value=3)
        put_actions("go", label="Go", buttons=["Start", "Stop"])

    page = open_app(main)
    widgets = page.soup.select("#pywebio-scope-ROOT form.htmio-pin")
    assert [w["action"].rsplit("/", 1)[1] for w in widgets] == ["t", "a", "s", "c", "r", "v", "go"]
    assert page.soup.select_one("#pywebio-scope-box form.htmio-pin")["action"].endswith("/pin/s")
    field = page.soup.select_one("form.htmio-pin input[name=a]")
    assert page.soup.select_one(f"label[for={field['id']}]").get_text() == "A"
    assert field["value"] == "x" and field["placeholder"] == "type"
    for widget in widgets:
        assert widget["hx-post"] == widget["action"] and "change" in widget["hx-trigger"]
        assert widget.select_one("input[name=_token]")


def test_values_are_kept_on_the_server_as_the_user_changes_them(open_app):
    def main():
        put_input("n", type=NUMBER, value=1)
        put_select("s", [("One", 1), ("Two", 2)])
        put_checkbox("c", ["p", "q"], value=["q"])
        put_slider("v", value=3)
        put_buttons(["read"], onclick=lambda _: put_text(repr([pin.n, pin["s"], pin.c, pin.v, pin.missing])))

    page = open_app(main)
    page.click("read")
    assert page.texts() == ["[1, 1, ['q'], 3, None]"]
    assert change(page, "n", n="41") == 204
    change(page, "s", s="1")
    change(page, "c", c=["0", "1"])
    change(page, "v", v="9")
    page.click("read")
    assert page.texts()[-1] == "[41, 2, ['p', 'q'], 9, None]"
    assert page.soup.select_one("form.htmio-pin input[name=n]")["value"] == "41"  # a reload shows it


def test_an_option_never_offered_is_refused(open_app):
    page = open_app(lambda: put_select("s", ["a"]))
    assert change(page, "s", s="5") == 409


def test_pin_wait_change_returns_user_changes(open_app):
    def main():
        put_input("a")
        put_actions("op", buttons=["Start", ("Stop", 0)])
        for _ in range(2):
            put_text(repr(pin_wait_change("a", "op")))

    page = open_app(main)
    change(page, "op", op="1")
    change(page, "a", a="hi")
    assert page.texts() == ["{'name': 'op', 'value': 0}", "{'name': 'a', 'value': 'hi'}"]


def test_pin_wait_change_timeout_and_list_form(open_app):
    def main():
        put_input("a")
        put_text(repr(pin_wait_change(["a"], timeout=0.05)))

    page = open_app(main)
    time.sleep(0.1)  # the app waits on the browser meanwhile: the page may come before the timeout
    page.refresh()
    assert page.texts() == ["None"]


def test_pin_wait_change_raises_when_the_page_closes(open_app):
    seen = []

    def main():
        put_input("a")
        try:
            pin_wait_change("a")
        except SessionClosedException:
            seen.append("closed")

    page = open_app(main)
    page.close()
    time.sleep(0.2)
    assert seen == ["closed"]


def test_assignment_and_pin_update_change_the_widget(open_app):
    def main():
        put_input("a", value="old")
        put_select("s", ["x", "y"])
        put_buttons(["update"], onclick=lambda _: (
            setattr(pin, "a", "new"),
            pin_update("s", options=["p", "q", "r"], value="q", label="Pick", help_text="now three"),
            put_text(repr(get_pin_values(["a", "s", "nothing"]))),
        ))

    page = open_app(main)
    page.click("update")
    assert page.soup.select_one("form.htmio-pin input[name=a]")["value"] == "new"
    select = page.soup.select_one("form.htmio-pin select[name=s]")
    assert [o.get_text() for o in select.select("option")] == ["p", "q", "r"]
    assert select.select_one("option[selected]").get_text() == "q"
    assert "now three" in page.soup.select_one('form.htmio-pin[action$="/pin/s"]').get_text()
    assert page.texts() == ["{'a': 'new', 's': 'q'}"]


def test_pin_update_refuses_what_cannot_change(raised_in_app):
    def update_type():
        put_input("a")
        pin_update("a", type="password")

    assert "cannot be changed" in raised_in_app(update_type, ValueError)
    assert "no pin widget named 'zz'" in raised_in_app(lambda: pin_update("zz", value=1), ValueError)


def test_pin_on_change_runs_callbacks_in_order_and_clear_removes_them(open_app):
    def main():
        put_input("a", value="start")
        pin_on_change("a", lambda v: put_text(f"first {v}"), init_run=True)
        pin_on_change("a", lambda v: put_text(f"second {v}"))

    page = open_app(main)
    assert page.texts() == ["first start"]
    assert not page.session.closed  # callbacks keep the session
    change(page, "a", a="x")
    assert sorted(page.texts()[1:]) == ["first x", "second x"]


def test_pin_on_change_clear(open_app):
    def main():
        put_input("a")
        pin_on_change("a", lambda v: put_text(f"old {v}"))
        pin_on_change("a", lambda v: put_text(f"new {v}"), clear=True)

    page = open_app(main)
    change(page, "a", a="x")
    assert page.texts() == ["new x"]


@pytest.mark.parametrize("bad", ["has space", "", 3])
def test_pin_names_are_checked(raised_in_app, bad):
    assert "pin names use letters" in raised_in_app(lambda: put_input(bad), ValueError)


def test_a_pin_post_without_javascript_comes_back_to_the_page(open_app):
    def main():
        put_input("a")
        put_buttons(["read"], onclick=lambda _: put_text(pin.a))

    page = open_app(main)
    form = page.soup.select_one("form.htmio-pin")
    assert form.select_one("noscript button").get_text() == "Set"
    response = page.http.post(form["action"], data={"_token": page._token(), "a": "typed"}, follow_redirects=False)
    assert response.status_code == 303
    page.refresh()
    page.click("read")
    assert page.texts() == ["typed"]


def test_the_same_value_posted_again_is_not_a_change(open_app):
    # the widget posts after the typing pause and again when the field loses focus
    def main():
        put_input("a")
        pin_on_change("a", lambda v: put_text(f"changed to {v!r}"))

    page = open_app(main)
    change(page, "a", a="abc")
    change(page, "a", a="abc")
    assert page.texts() == ["changed to 'abc'"]


def test_an_empty_text_pin_reads_as_an_empty_string(open_app):
    def main():
        put_input("t")
        put_textarea("area")
        put_input("n", type=NUMBER)
        put_buttons(["read"], onclick=lambda _: put_text(repr([pin.t, pin.area, pin.n])))

    page = open_app(main)
    page.click("read")
    assert page.texts() == ["['', '', None]"]


def test_pin_update_without_a_value_keeps_what_the_user_typed(open_app):
    def main():
        put_input("a", type=NUMBER, value=1)
        put_select("s", ["x", "y"])
        put_buttons(["relabel"], onclick=lambda _: (pin_update("a", label="New label"),
                                                    pin_update("s", options=["w", "x", "y"]),
                                                    put_text(repr([pin.a, pin.s]))))

    page = open_app(main)
    change(page, "a", a="5")
    change(page, "s", s="1")
    page.click("relabel")
    assert page.texts() == ["[5, 'y']"]
    assert page.soup.select_one("form.htmio-pin input[name=a]")["value"] == "5"
    assert page.soup.select_one("form.htmio-pin select[name=s] option[selected]").get_text() == "y"
