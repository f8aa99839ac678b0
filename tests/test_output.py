"""Output functions, checked on the page a user receives and on the SSE fragments."""
from __future__ import annotations

import json
import time

import pytest
from bs4 import BeautifulSoup

from htmio.exceptions import ScopeError, SessionNotFoundException
from htmio.input import input
from htmio.output import (
    clear,
    get_scope,
    put_button,
    put_buttons,
    put_html,
    put_markdown,
    put_scope,
    put_text,
    remove,
    scroll_to,
    toast,
    use_scope,
)


def messages_html(page) -> BeautifulSoup:
    page.session.flush()
    return BeautifulSoup("".join(m.data for m in page.session.messages), "html.parser")


# ---- put_text --------------------------------------------------------------------------------

def test_put_text_joins_with_sep_and_escapes_html(open_app):
    def main():
        put_text("a", 1, "<b>x</b>", sep="-")

    page = open_app(main)
    assert page.texts() == ["a-1-<b>x</b>"]
    assert page.soup.select_one("#pywebio-scope-ROOT b") is None


def test_put_text_inline_is_a_span(open_app):
    def main():
        put_text("one", inline=True)
        put_text("two")

    page = open_app(main)
    root = page.soup.select_one("#pywebio-scope-ROOT")
    assert [el.name for el in root.select(".htmio-text")] == ["span", "p"]


def test_outputs_appear_in_program_order(open_app):
    def main():
        for i in range(300):
            put_text(str(i))

    page = open_app(main)
    assert page.texts() == [str(i) for i in range(300)]


def test_a_burst_of_outputs_leaves_as_few_sse_messages(open_app):
    def main():
        for i in range(1000):
            put_text(str(i))

    page = open_app(main)
    soup = messages_html(page)
    assert [p.get_text() for p in soup.select("p")] == [str(i) for i in range(1000)]
    # at most max_batch (200) outputs per message: 1000 outputs fit in a handful of messages
    assert len(page.session.messages) <= 10


def test_outputs_outside_a_session_say_how_to_run_the_app():
    with pytest.raises(SessionNotFoundException, match="start_server"):
        put_text("hello")


# ---- put_markdown and put_html -----------------------------------------------------------------

def test_put_markdown_renders_on_the_server(open_app):
    def main():
        put_markdown("""
            # Title
            Some *emphasis*, ~~gone~~ and a [link](https://example.org).

            | a | b |
            |---|---|
            | 1 | 2 |
        """)

    page = open_app(main)
    md = page.soup.select_one("#pywebio-scope-ROOT .htmio-markdown")
    assert md.h1.get_text() == "Title"
    assert md.em.get_text() == "emphasis"
    assert md.s.get_text() == "gone"
    assert md.a["href"] == "https://example.org"
    assert [td.get_text() for td in md.select("td")] == ["1", "2"]


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        '<img src=x onerror="alert(1)">',
        '<div id="pywebio-scope-ROOT" hx-post="/evil" data-hx-post="/evil">x</div>',
    ],
)
def test_put_markdown_keeps_no_script_handler_id_or_htmx_attribute(open_app, hostile):
    def main():
        put_markdown(hostile)

    page = open_app(main)
    md = page.soup.select_one("#pywebio-scope-ROOT .htmio-markdown")
    assert md.find("script") is None
    for el in md.find_all(True):
        assert not any(a.startswith(("on", "hx-", "data-")) or a == "id" for a in el.attrs), el
        assert "javascript:" not in el.get("href", "")


def test_put_html_is_raw_and_inert_for_htmx(open_app):
    def main():
        put_html("<b>bold</b>")
        put_html("<i>x</i><script>1</script>", sanitize=True)

    page = open_app(main)
    blocks = page.soup.select("#pywebio-scope-ROOT .htmio-html")
    assert blocks[0].b.get_text() == "bold"
    assert blocks[0].has_attr("hx-ignore")
    assert blocks[1].i is not None and blocks[1].script is None


def test_put_html_accepts_objects_with_html_methods(open_app):
    class Rich:
        def _repr_html_(self):
            return "<table><tr><td>cell</td></tr></table>"

    def main():
        put_html(Rich())

    page = open_app(main)
    assert page.soup.select_one("#pywebio-scope-ROOT td").get_text() == "cell"


# ---- style and onclick ---------------------------------------------------------------------------

def test_style_applies_before_the_output_is_sent(open_app):
    def main():
        put_text("red").style("color: red").style("font-weight: bold")

    page = open_app(main)
    p = page.soup.select_one("#pywebio-scope-ROOT .htmio-text")
    assert p["style"] == "color: red;font-weight: bold"
    sent = messages_html(page).select(".htmio-text")
    assert len(sent) == 1 and sent[0]["style"] == "color: red;font-weight: bold"


def test_style_after_the_output_was_shown_updates_it(open_app):
    def main():
        out = put_text("later")
        input("wait")
        out.style("color: blue")

    page = open_app(main)
    page.submit("go")
    assert page.soup.select_one("#pywebio-scope-ROOT .htmio-text")["style"] == "color: blue"
    replaced = [m.data for m in page.session.messages if 'hx-swap="outerHTML"' in m.data and "color: blue" in m.data]
    assert replaced


def test_onclick_on_any_output_posts_back_and_runs_in_the_session(open_app):
    def main():
        put_text("click me").onclick(lambda: put_text("clicked"))

    page = open_app(main)
    target = page.soup.select_one("#pywebio-scope-ROOT [data-htmio-clickable]")
    assert target["hx-post"].endswith(f"/click/{target['hx-post'].rsplit('/', 1)[1]}")
    response = page.http.post(target["hx-post"], headers={"HX-Request": "true", "X-Htmio-Token": page._token()})
    assert response.status_code == 204
    page.refresh()
    assert page.texts() == ["click me", "clicked"]


# ---- buttons -----------------------------------------------------------------------------------

def test_put_buttons_pass_the_value_to_onclick(open_app):
    def main():
        put_buttons(["A", ("Bee", "b"), {"label": "C", "value": 3, "color": "danger"}],
                    onclick=lambda v: put_text(f"got {v!r}"))

    page = open_app(main)
    buttons = page.soup.select("form.htmio-buttons button")
    assert [b.get_text() for b in buttons] == ["A", "Bee", "C"]
    assert "htmio-btn-danger" in buttons[2]["class"]
    page.click("Bee")
    page.click("C")
    assert page.texts() == ["got 'b'", "got 3"]


def test_put_buttons_with_one_function_per_button(open_app):
    def main():
        put_buttons(["x", "y"], onclick=[lambda: put_text("X"), lambda: put_text("Y")])

    page = open_app(main)
    page.click("y")
    assert page.texts() == ["Y"]


def test_put_buttons_are_real_forms_that_work_without_javascript(open_app):
    def main():
        put_buttons(["go"], onclick=lambda v: put_text("went"))

    page = open_app(main)
    form = page.soup.select_one("form.htmio-buttons")
    assert form["method"] == "post" and form["action"] == form["hx-post"]
    assert form.select_one("input[name=_token]")["value"]
    assert page.click("go", htmx=False) == 303
    assert page.texts() == ["went"]


def test_put_buttons_list_of_wrong_length_says_so(raised_in_app):
    message = raised_in_app(lambda: put_buttons(["a", "b"], onclick=[lambda: None]), ValueError)
    assert "one function per button" in message


def test_put_button_disabled(open_app):
    def main():
        put_button("off", onclick=lambda: None, disabled=True, color="secondary")

    page = open_app(main)
    button = page.soup.select_one("form.htmio-buttons button")
    assert button.has_attr("disabled") and "htmio-btn-secondary" in button["class"]


def test_a_callback_error_is_shown_and_the_session_goes_on(open_app):
    def main():
        def fail(_):
            raise RuntimeError("bad click")
        put_buttons(["fail"], onclick=fail)
        put_buttons(["ok"], onclick=lambda v: put_text("still here"))

    page = open_app(main)
    page.click("fail")
    assert page.soup.select_one(".htmio-app-error") is not None
    page.click("ok")
    assert page.texts() == ["still here"]


# ---- scopes ------------------------------------------------------------------------------------

def test_use_scope_as_context_manager_and_nesting(open_app):
    def main():
        with use_scope("outer"):
            put_text("a")
            with use_scope("inner"):
                put_text("b")
                put_text(get_scope())
            put_text(get_scope())
        put_text(get_scope())

    page = open_app(main)
    inner = page.soup.select_one("#pywebio-scope-outer > #pywebio-scope-inner")
    assert inner is not None
    assert page.texts("inner") == ["b", "inner"]
    assert page.texts("outer") == ["a", "b", "inner", "outer"]
    assert page.texts()[-1] == "ROOT"


def test_use_scope_as_decorator_with_clear(open_app):
    @use_scope("clock", clear=True)
    def show(n):
        put_text(f"tick {n}")

    def main():
        for n in range(3):
            show(n)

    page = open_app(main)
    assert page.texts("clock") == ["tick 2"]


def test_use_scope_without_a_name_makes_a_fresh_one(open_app):
    names = []

    def main():
        with use_scope() as name:
            names.append(name)
            put_text("x")

    page = open_app(main)
    assert page.texts(names[0]) == ["x"]


def test_put_scope_with_content_and_scope_argument(open_app):
    def main():
        put_scope("log", [put_text("first")])
        put_text("second", scope="log")
        put_text("top", scope="log", position=0)

    page = open_app(main)
    assert page.texts("log") == ["top", "first", "second"]
    assert page.texts() == ["top", "first", "second"]  # the put_text made for put_scope is not shown twice


def test_put_scope_twice_is_an_error_that_says_so(raised_in_app):
    def twice():
        put_scope("log")
        put_scope("log")

    assert "already exists" in raised_in_app(twice, ScopeError)


@pytest.mark.parametrize("bad", ["has space", "", "a/b", 5])
def test_bad_scope_names_are_refused(raised_in_app, bad):
    assert "letters, digits" in raised_in_app(lambda: put_text("x", scope=bad), ScopeError)


def test_output_to_a_missing_scope_says_how_to_create_it(raised_in_app):
    assert "use_scope('missing')" in raised_in_app(lambda: put_text("x", scope="missing"), ScopeError)


def test_clear_and_remove(open_app):
    def main():
        put_scope("a", [put_text("1"), put_text("2")])
        put_scope("b", [put_text("3")])
        clear("a")
        put_text("new", scope="a")
        remove("b")

    page = open_app(main)
    assert page.texts("a") == ["new"]
    assert page.soup.select_one("#pywebio-scope-b") is None


def test_remove_root_is_refused(raised_in_app):
    assert "cannot be removed" in raised_in_app(lambda: remove("ROOT"), ValueError)


def test_scroll_to_sends_a_command(open_app):
    def main():
        put_scope("target")
        scroll_to("target", position="middle")

    page = open_app(main)
    command = messages_html(page).select_one("[data-htmio-command=scroll]")
    assert json.loads(command["data-payload"]) == {"target": "pywebio-scope-target", "position": "middle"}


def test_scroll_to_checks_the_position(raised_in_app):
    message = raised_in_app(lambda: scroll_to("ROOT", position="sideways"), ValueError)
    assert "'top', 'middle' or 'bottom'" in message


# ---- toast -------------------------------------------------------------------------------------

def test_toast_is_sent_once_and_shown_by_pages_loaded_while_it_is_up(open_app):
    def main():
        toast("saved", duration=3, position="right", color="success")
        toast("brief", duration=0.05)

    page = open_app(main)
    item = messages_html(page).select_one(".htmio-toast")
    assert item.get_text(strip=True).startswith("saved")
    assert item["data-duration"] == "3.0"
    assert {"htmio-toast-right", "htmio-toast-success"} <= set(item["class"])
    assert page.soup.select_one("#htmio-doc .htmio-toast") is None  # not part of the document
    time.sleep(0.1)
    page.refresh()
    shown = [t.get_text(strip=True) for t in page.soup.select("#htmio-toasts .htmio-toast-body")]
    assert shown == ["saved"]  # a toast made before the first page still shows; an expired one does not


def test_toast_with_onclick_and_custom_colour(open_app):
    def main():
        toast("click", color="#123abc", onclick=lambda: put_text("toasted"))

    page = open_app(main)
    item = messages_html(page).select_one(".htmio-toast")
    assert "#123abc" in item["style"]
    body = item.select_one("[hx-post]")
    page.http.post(body["hx-post"], headers={"HX-Request": "true", "X-Htmio-Token": page._token()})
    page.refresh()
    assert page.texts() == ["toasted"]


def test_toast_refuses_unknown_colours(raised_in_app):
    assert "info, error, warn, success" in raised_in_app(lambda: toast("x", color="purple"), ValueError)
