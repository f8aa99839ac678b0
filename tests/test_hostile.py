"""A hostile-input corpus (issue 14): malformed values of every kind posted to every route of a session
that uses every input kind and widget. Whatever comes in: no 5xx, the app still answers, the page keeps
what it showed, and another session of the same server is untouched.

Property-based with hypothesis where the space is open (field names, values, actions, duplicates); a
fixed list where it is a known class (Unicode digits, huge numbers, bad bodies, unknown ids).
"""
from __future__ import annotations

import re
from urllib.parse import quote
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from htmio import urls
from htmio.input import FLOAT, NUMBER, actions, checkbox, file_upload, input, input_group, radio, select, slider, textarea
from htmio.output import put_buttons, put_datatable, put_text
from htmio.pin import (
    put_actions,
    put_checkbox,
    put_file_upload,
    put_input,
    put_radio,
    put_select,
    put_slider,
    put_textarea,
)
from htmio.served import Views
from htmio.settings import Settings
from htmio.testing import AppClient

# the classes of bad value met so far, each of which once crashed an app or a route
KNOWN_BAD = [
    "²", "١", "١٢", "𝟘", "5" * 5000, "9" * 19, "-1", "+1", " 1", "1_0", "0x10", "1e999", "nan", "inf", "-0",
    "", " ", "\x00", "\t\n", "x" * 100_000, "<script>alert(1)</script>", "{{7*7}}", "[]", "{}", "null", "%FF",
    "../../etc/passwd", "\u202e", "ü" * 3000,
]
HOSTILE = st.one_of(st.sampled_from(KNOWN_BAD), st.text(max_size=40), st.integers().map(str))
# a part of a path, percent-encoded as a browser would send it (short enough for a URL)
IN_PATH = HOSTILE.filter(lambda s: 0 < len(s) < 6000).map(lambda s: quote(s, safe=""))
GROUP = ["text", "num", "flt", "area", "sel", "multi", "check", "radio", "slider", "act", "file"]
PINS = ["p_text", "p_num", "p_area", "p_sel", "p_multi", "p_check", "p_radio", "p_slider", "p_act", "p_file"]
HX = {"HX-Request": "true"}
MAGIC = {"text": "the magic word", "num": "", "flt": "", "area": "", "slider": "0"}  # what a browser sends
SLOW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def everything() -> None:
    """Every input kind in one group, every pin widget, buttons and a data table."""
    put_text("shown before")
    put_buttons(["A", "B"], onclick=lambda label: put_text("clicked " + label))
    put_input("p_text")
    put_input("p_num", type=NUMBER)
    put_textarea("p_area")
    put_select("p_sel", ["x", "y"])
    put_select("p_multi", ["x", "y"], multiple=True)
    put_checkbox("p_check", ["x", "y"])
    put_radio("p_radio", ["x", "y"])
    put_slider("p_slider")
    put_actions("p_act", buttons=["go"])
    put_file_upload("p_file")
    put_datatable([{"a": i, "b": str(i)} for i in range(30)])
    while True:
        data = input_group("All", [
            input("text", name="text"), input("num", name="num", type=NUMBER), input("flt", name="flt", type=FLOAT),
            textarea("area", name="area"), select("sel", ["a", "b"], name="sel"),
            select("multi", ["a", "b"], name="multi", multiple=True), checkbox("check", ["a", "b"], name="check"),
            radio("radio", ["a", "b"], name="radio"), slider("slider", name="slider"),
            actions("act", ["ok", {"label": "Stop", "value": "stop", "type": "cancel"}], name="act"),
            file_upload("file", name="file", max_size="1K"),
        ], validate=lambda d: None if d["text"] == "the magic word" else ("text", "say the magic word"), cancelable=True)
        put_text("got " + ("nothing" if data is None else data["text"]))


@pytest.fixture(scope="module")
def pages() -> Iterator[tuple[AppClient, AppClient]]:
    """Two sessions of one server: the target, and a bystander that must never notice."""
    with AppClient(everything) as target:
        bystander = AppClient(everything)
        bystander.api, bystander.http, bystander.settings = target.api, target.http, target.settings
        bystander.open()
        yield target, bystander


def base_of(page: AppClient) -> str:
    return page.url.partition("?")[0]


def form_url(page: AppClient) -> str:
    top = page.session.forms.top()
    assert top is not None, "the form is gone"
    return urls.form(base_of(page), top.node.context["form_id"])


def still_fine(page: AppClient) -> None:
    """The app answers, and the page shows what it showed before (plus what the app said since)."""
    page.refresh()
    texts = page.texts()
    assert texts[:1] == ["shown before"], texts
    assert not page.session.closed
    assert page.submit(**MAGIC) == 204
    page.wait_for_text("got the magic word")
    assert page.soup.select("#htmio-inputs form")  # the next form is there
    assert not page.soup.select(".htmio-error")  # no "an internal error occurred" on the page


def grouped(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Form fields as httpx takes them, duplicates kept: [("a", "1"), ("a", "2")] -> {"a": ["1", "2"]}."""
    out: dict[str, list[str]] = {}
    for name, value in pairs:
        out.setdefault(name, []).append(value)
    return out


def no_5xx(response: Any) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:500])


# ---- forms -------------------------------------------------------------------------------------

def test_unicode_digits_in_choices_never_kill_the_app(pages):
    target, _ = pages
    token = target._token()
    for name in ("sel", "multi", "check", "radio", "act"):
        for raw in ("²", "١", "5" * 5000):
            answer = target.http.post(form_url(target), data={"_token": token, name: raw, "text": "x"}, headers=HX)
            assert answer.status_code == 422, (name, raw, answer.status_code)
            assert len(answer.text) < 60_000  # the value is not echoed whole
    # the cancel button (an actions button of type cancel) with a bad index is no cancel
    answer = target.http.post(form_url(target), data={"_token": token, "act": "¹", "_action": "cancel"}, headers=HX)
    assert answer.status_code in (204, 422)
    still_fine(target)


@pytest.mark.parametrize("field, value", [("num", "1" * 500_000), ("flt", "x" * 500_000), ("slider", "9" * 500_000),
                                          ("sel", "7" * 500_000)])
def test_a_validation_message_does_not_repeat_a_huge_value(pages, field, value):
    target, _ = pages
    answer = target.http.post(form_url(target), data={"_token": target._token(), **MAGIC, field: value}, headers=HX)
    assert answer.status_code == 422
    # the field keeps what was typed (once); the message quotes only the start of it (a 500 KB value once gave 1 MB)
    assert len(answer.text) < len(value) + 50_000, len(answer.text)
    assert "…" in answer.text


@SLOW
@given(fields=st.lists(st.tuples(st.sampled_from([*GROUP, "_action", "_token", "zzz", ""]), HOSTILE), max_size=10),
       action=st.one_of(st.sampled_from(["submit", "change:num", "change:sel", "change:zzz", "action:text",
                                         "cancel:x", "", "submit:" + "x" * 500]), HOSTILE))
def test_hostile_form_posts(pages, fields, action):
    target, _ = pages
    data = [("_token", target._token()), *fields, ("_action", action)]
    no_5xx(target.http.post(form_url(target), data=grouped(data), headers=HX))


def test_bad_bodies_of_a_form_post(pages):
    target, _ = pages
    token = target._token()
    bodies = [
        (b"_token=" + token.encode() + b"&text=%FF%FE%00&num=%C0%AF", "application/x-www-form-urlencoded"),
        (b"_token=" + token.encode() + b"&text=\xff\xfe", "application/x-www-form-urlencoded"),
        (b"--x\r\nContent-Disposition: form-data; name=\"_token\"\r\n\r\n" + token.encode() + b"\r\n--x", "multipart/form-data; boundary=x"),
        (b"garbage without a boundary", "multipart/form-data"),
        (b"--y\r\n\r\n\r\n--y--", "multipart/form-data; boundary=y"),
        (b'{"_token": "' + token.encode() + b'"}', "application/json"),
        (b"\x00" * 1000, "application/octet-stream"),
        (b"", ""),
    ]
    for body, kind in bodies:
        headers = {**HX, **({"Content-Type": kind} if kind else {})}
        no_5xx(target.http.post(form_url(target), content=body, headers=headers))
    still_fine(target)


def test_a_replayed_and_a_stale_form_post(pages):
    target, _ = pages
    old = form_url(target)
    assert target.submit(**MAGIC) == 204
    target.wait_for_text("got the magic word")
    replay = target.http.post(old, data={"_token": target._token(), **MAGIC}, headers=HX)
    assert replay.status_code == 409  # that form was answered: nothing runs twice
    still_fine(target)


# ---- pins, clicks, JS answers, views, beacons ----------------------------------------------------

@SLOW
@given(name=st.one_of(st.sampled_from(PINS), IN_PATH),
       fields=st.lists(st.tuples(st.sampled_from([*PINS, "_token", "zzz"]), HOSTILE), max_size=6))
def test_hostile_pin_posts(pages, name, fields):
    target, _ = pages
    data = [("_token", target._token()), *fields]
    no_5xx(target.http.post(urls.pin(base_of(target), name), data=grouped(data), headers=HX))


@SLOW
@given(callback=IN_PATH, index=st.lists(HOSTILE, max_size=3))
def test_hostile_clicks(pages, callback, index):
    target, _ = pages
    data = [("_token", target._token()), *(("_index", i) for i in index)]
    no_5xx(target.http.post(urls.click(base_of(target), callback), data=grouped(data), headers=HX))


@SLOW
@given(number=IN_PATH, fields=st.lists(st.tuples(st.sampled_from(["value", "error", "_token", "zzz"]), HOSTILE), max_size=4))
def test_hostile_js_answers(pages, number, fields):
    target, _ = pages
    data = [("_token", target._token()), *fields]
    no_5xx(target.http.post(urls.js(base_of(target), number), data=grouped(data)))


@SLOW
@given(number=st.one_of(st.just("real"), IN_PATH),
       fields=st.lists(st.tuples(st.sampled_from(["page", "sort", "order", "filter", "select", "action", "_anchor", "zzz"]),
                                 HOSTILE), max_size=6))
def test_hostile_view_changes(pages, number, fields):
    target, _ = pages
    if number == "real":
        number = str(next(iter(target.session.part(Views))))
    data = [("_token", target._token()), *fields]
    no_5xx(target.http.post(urls.view(base_of(target), number), data=grouped(data), headers=HX))


@SLOW
@given(fields=st.lists(st.tuples(st.sampled_from(["state", "view", "_token", "zzz"]), HOSTILE), max_size=5))
def test_hostile_beacons(pages, fields):
    target, _ = pages
    no_5xx(target.http.post(urls.presence(base_of(target)), data=grouped([("_token", target._token()), *fields])))


@pytest.mark.parametrize("last", ["²", "١", "5" * 5000, "-1", "abc", ""])
@pytest.mark.parametrize("how", ["header", "query"])
def test_a_stream_with_a_bad_position_starts_afresh(pages, last, how):
    target, _ = pages
    if how == "header":  # a header goes as UTF-8 bytes; the page's first connect sends ?after= instead
        url, headers = urls.events(base_of(target)), {"Last-Event-ID": last.encode()}
    else:
        url, headers = urls.events(base_of(target), quote(last)), {}
    with target.http.stream("GET", url, headers=headers) as response:
        assert response.status_code == 200
        raw = b""
        for chunk in response.iter_raw():
            raw += chunk
            if b"\n\n" in raw:
                break
    assert b"htmio-doc" in raw  # a resync: the whole document, since the position was no position


# ---- unknown ids, static paths -------------------------------------------------------------------

@pytest.mark.parametrize("sid", ["nope", "²", "x" * 5000, "%00", "..%2F..%2F"])
def test_unknown_sessions_on_every_route(pages, sid):
    target, _ = pages
    base = urls.session_base("", sid)
    data = {"_token": target._token(), "x": "1"}
    answers = [
        target.http.get(base), target.http.post(urls.form(base, 1), data=data, headers=HX),
        target.http.post(urls.click(base, 1), data=data), target.http.post(urls.pin(base, "p_text"), data=data),
        target.http.post(urls.js(base, 1), data=data), target.http.post(urls.view(base, 1), data=data),
        target.http.post(urls.presence(base), data=data), target.http.get(urls.download(base, 1)),
        target.http.get(urls.media(base, 1)),
    ]
    for answer in answers:
        no_5xx(answer)
        assert answer.status_code >= 400 or answer.status_code == 303


@pytest.mark.parametrize("path", ["a%00b.js", "x" * 300, "x/" * 200 + "y", "%2e%2e/%2e%2e/etc/passwd", "htmio.js%00.css"])
def test_bad_static_paths_are_not_found(pages, path):
    target, _ = pages
    answer = target.http.get(urls.STATIC + "/" + path)
    assert answer.status_code == 404, (answer.status_code, answer.text[:200])


@pytest.mark.parametrize("path", ["a%00b.txt", "x" * 300, "x/" * 200 + "y", "%2e%2e/%2e%2e/etc/passwd"])
def test_bad_paths_in_the_app_s_static_folder_are_not_found(tmp_path, path):
    (tmp_path / "a.txt").write_text("hello")
    with AppClient(lambda: put_text("x"), Settings(static_dir=str(tmp_path))) as page:
        assert page.http.get(urls.USER_STATIC + "/a.txt").text == "hello"
        answer = page.http.get(urls.USER_STATIC + "/" + path)
        assert answer.status_code == 404, (answer.status_code, answer.text[:200])


# ---- after all of it --------------------------------------------------------------------------

def test_after_the_corpus_both_sessions_answer_and_kept_their_pages(pages):
    target, bystander = pages
    still_fine(target)
    assert target.click("A") == 204
    target.wait_for_text("clicked A")
    assert target.set_pin("p_num", "12") == 204 and target.pin("p_num") == 12
    bystander.refresh()
    assert bystander.texts() == ["shown before"]  # nothing of the target's traffic reached it
    assert re.search(r"\bA\b", bystander.text())
    still_fine(bystander)
