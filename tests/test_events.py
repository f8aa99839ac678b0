"""The one inbound path: each post's fields become a typed event, bad numbers a clear 4xx, one dispatch."""
from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from htmio import inbound, pin, session, urls
from htmio.events import (
    ButtonClicked,
    FormSubmitted,
    JsAnswered,
    PinChanged,
    PresenceChanged,
    UploadedFile,
    ViewChanged,
)
from htmio.inbound import BadPost
from htmio.input import input
from htmio.output import put_buttons, put_datatable, put_text
from htmio.pin import put_input
from htmio.runtime import Session
from htmio.served import Views
from htmio.testing import AppClient

BAD_NUMBERS = ["²", "١٢", "5" * 5000, "", "-1", "+1", " 1", "1_000", "1.0", "0x10", "1e3", "1" * 19]


# ---- the parser ---------------------------------------------------------------------------------

def test_each_route_s_fields_become_its_event():
    upload = UploadedFile("a.txt", b"hi", "text/plain")
    assert inbound.form_submitted("3", {"name": ["Ada"]}, {"f": [upload]}, "cancel") == \
        FormSubmitted(3, {"name": ["Ada"]}, {"f": [upload]}, action="cancel")
    assert inbound.form_submitted("3", {}, {}, None).action == "submit"
    assert inbound.button_clicked("7", {"_token": ["t"], "_index": ["2"]}) == ButtonClicked(7, 2)
    assert inbound.button_clicked("7", {}) == ButtonClicked(7, 0)  # a clickable output posts no index
    assert inbound.presence_changed({"state": ["hidden"], "view": ["4"]}) == PresenceChanged("hidden", 4)
    assert inbound.presence_changed({"state": ["left"], "view": [""]}) == PresenceChanged("left", None)
    assert inbound.pin_changed("n", {"_token": ["t"], "n": ["5"]}, {}) == PinChanged("n", {"n": ["5"]}, {})
    assert inbound.js_answered("12", {"value": ["[1]"]}) == JsAnswered(12, "[1]", None)
    assert inbound.js_answered("12", {"error": ["boom"]}) == JsAnswered(12, None, "boom")
    assert inbound.view_changed("9", {"page": ["2"], "_anchor": ["t"]}) == \
        ViewChanged(9, {"page": ["2"], "_anchor": ["t"]})


def test_events_are_frozen():
    event = inbound.button_clicked("1", {})
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.index = 3  # type: ignore[misc]


@pytest.mark.parametrize("raw", BAD_NUMBERS)
def test_a_number_is_ascii_digits_of_bounded_length(raw):
    with pytest.raises(BadPost) as caught:
        inbound.parse_number(raw, "form number")
    assert caught.value.status == 400 and "not a number" in caught.value.message
    assert len(caught.value.message) < 300  # a 5,000-digit value is not echoed whole
    with pytest.raises(BadPost):
        inbound.button_clicked("1", {"_index": [raw]})
    with pytest.raises(BadPost):
        inbound.js_answered(raw, {})


def test_a_beacon_s_state_is_one_of_three():
    with pytest.raises(BadPost):
        inbound.presence_changed({"state": ["gone"]})
    with pytest.raises(BadPost):
        inbound.presence_changed({"state": ["hidden"], "view": ["²"]})


# ---- bad numbers through the real routes -------------------------------------------------------

def buttons_and_a_form():
    put_buttons(["A"], onclick=lambda label: put_text("clicked " + label))
    put_text("got " + input("name"))


@pytest.mark.parametrize("raw", ["²", "5" * 5000, "-1"])
def test_bad_numbers_in_paths_and_fields_are_refused_and_the_app_keeps_running(raw):
    with AppClient(buttons_and_a_form) as page:
        base = page.url.partition("?")[0]
        token = {"_token": page._token()}
        action = str(page.soup.select_one("form.htmio-buttons")["action"])
        answers = [
            page.http.post(urls.click(base, raw), data=token, headers={"HX-Request": "true"}),
            page.http.post(action, data={**token, "_index": raw}, headers={"HX-Request": "true"}),
            page.http.post(urls.form(base, raw), data={**token, "name": "x"}, headers={"HX-Request": "true"}),
            page.http.post(urls.js(base, raw), data={**token, "value": "1"}),
            page.http.post(urls.view(base, raw), data=token, headers={"HX-Request": "true"}),
            page.http.get(urls.view(base, raw), headers={"HX-Request": "true"}),
            page.http.post(urls.presence(base), data={**token, "state": "hidden", "view": raw}),
        ]
        beacon = answers.pop()  # a beacon's body is at most 4 KB: 5,000 digits are refused as too large
        assert [a.status_code for a in answers] == [400] * len(answers)
        assert beacon.status_code == (413 if len(raw) > 4096 else 400)
        assert "not a number" in answers[0].text and "not a number" in answers[1].text
        assert len(answers[0].text) < 20_000  # the huge value is not echoed
        page.click("A")  # the session lives on
        assert page.submit("Ada") == 204
        assert page.texts()[-2:] == ["clicked A", "got Ada"]


def test_an_empty_button_index_is_refused_without_javascript_too():
    with AppClient(buttons_and_a_form) as page:
        action = str(page.soup.select_one("form.htmio-buttons")["action"])
        answer = page.http.post(action, data={"_token": page._token(), "_index": ""}, follow_redirects=False)
        assert answer.status_code == 400 and "The click could not be read" in answer.text


# ---- the dispatch ------------------------------------------------------------------------------

def test_each_event_type_has_its_handler():
    handlers = inbound._handlers
    assert handlers[FormSubmitted] is inbound._form
    assert handlers[ButtonClicked] is inbound._click
    assert handlers[PinChanged] is pin.receive
    assert handlers[JsAnswered] is session.answer_js
    assert {PresenceChanged, ViewChanged} <= set(handlers)


def test_dispatch_reaches_the_handler_of_the_event_s_type(monkeypatch):
    seen: list[tuple[str, Any]] = []
    for kind in (FormSubmitted, ButtonClicked, PresenceChanged, PinChanged, JsAnswered, ViewChanged):
        monkeypatch.setitem(inbound._handlers, kind, lambda s, e, name=kind.__name__: seen.append((name, e)) or name)
    events = [FormSubmitted(1, {}), ButtonClicked(2), PresenceChanged("left"), PinChanged("p", {}),
              JsAnswered(3, "1"), ViewChanged(4, {})]
    for event in events:
        assert inbound.dispatch(None, event) == type(event).__name__  # type: ignore[call-overload]
    assert seen == [(type(e).__name__, e) for e in events]


def test_dispatch_delivers_to_a_real_session():
    def main():
        put_input("n")
        put_buttons(["A"], onclick=lambda label: put_text("clicked " + label))
        put_datatable([{"a": 1}])

    with AppClient(main) as page:
        live = page.session
        callback_id = int(str(page.soup.select_one("form.htmio-buttons")["action"]).rsplit("/", 1)[-1])
        assert inbound.dispatch(live, ButtonClicked(callback_id, 0))
        assert not inbound.dispatch(live, ButtonClicked(10**9, 0))
        assert inbound.dispatch(live, PinChanged("n", {"n": ["hello"]})) is None
        assert "No pin named" in str(inbound.dispatch(live, PinChanged("gone", {"gone": ["x"]})))
        assert inbound.dispatch(live, JsAnswered(10**9, "1")) is False  # no eval_js call waits
        assert inbound.dispatch(live, ViewChanged(10**9, {})) is None  # no such view
        views = live.part(Views)
        assert "<" in str(inbound.dispatch(live, ViewChanged(next(iter(views)), {})))
        inbound.dispatch(live, PresenceChanged("hidden"))
        page.wait_for_text("clicked A")
        assert page.pin("n") == "hello"
