"""Session life: ending, automatic hold, defer_call, errors in the app, liveness, threads."""
from __future__ import annotations

import threading
import time

import pytest

from htmio.exceptions import SessionClosedException, SessionNotFoundException
from htmio.input import input
from htmio.output import put_buttons, put_text
from htmio.session import defer_call, get_current_session, hold, local, register_thread
from htmio.settings import Settings
from htmio.testing import AppClient


def test_a_finished_app_without_callbacks_ends_and_says_so(open_app):
    def main():
        put_text("done")

    page = open_app(main)
    assert page.session.closed and page.session.close_reason == "finished"
    assert "has finished" in page.soup.select_one("#htmio-status").get_text()
    assert page.texts() == ["done"]  # the page stays readable
    assert page.soup.select_one("#htmio-stream") is None


def test_callbacks_keep_the_session_alive_after_main_returns(open_app):
    def main():
        put_buttons(["more"], onclick=lambda v: put_text("more"))

    page = open_app(main)
    assert not page.session.closed
    page.click("more")
    page.click("more")
    assert page.texts() == ["more", "more"]


def test_closing_the_page_raises_in_a_blocked_input_and_runs_defer_call(open_app):
    log = []

    def main():
        defer_call(lambda: log.append("first"))
        defer_call(lambda: log.append("second"))
        try:
            input("never answered")
        except SessionClosedException:
            log.append("input raised")
            raise

    page = open_app(main)
    page.close()
    deadline = time.monotonic() + 5
    while "input raised" not in log and time.monotonic() < deadline:
        time.sleep(0.01)
    assert log[:2] == ["first", "second"] or set(log) == {"first", "second", "input raised"}
    assert "input raised" in log


def test_output_after_the_session_ended_raises_session_closed(open_app):
    errors = []

    def main():
        def worker():
            try:
                for i in range(1000):
                    put_text(f"tick {i}")
                    time.sleep(0.01)
            except SessionClosedException as exc:
                errors.append(str(exc))

        thread = threading.Thread(target=worker)
        register_thread(thread)
        thread.start()
        hold()

    page = open_app(main, timeout=0.3)
    assert page.texts()[:2] == ["tick 0", "tick 1"]
    page.close()
    deadline = time.monotonic() + 5
    while not errors and time.monotonic() < deadline:
        time.sleep(0.01)
    assert "has ended" in errors[0]


def test_an_error_in_main_shows_a_short_message_and_other_sessions_carry_on(open_app):
    def main():
        put_text("before")
        raise ValueError("boom")

    page = open_app(main)
    error = page.soup.select_one("#pywebio-scope-ROOT .htmio-app-error")
    assert "internal error" in error.get_text()
    assert "boom" not in error.get_text()  # details only with debug
    assert page.texts() == ["before"]
    other = open_app(lambda: put_text("fine"))
    assert other.texts() == ["fine"]


def test_with_debug_the_traceback_is_on_the_page(open_app):
    def main():
        raise ValueError("boom")

    page = open_app(main, settings=Settings(debug=True, first_paint_wait=5, settle_timeout=5))
    error = page.soup.select_one(".htmio-app-error pre")
    assert "ValueError: boom" in error.get_text() and "Traceback" in error.get_text()


def test_an_unregistered_thread_is_told_to_register(open_app):
    errors = []

    def main():
        def worker():
            try:
                put_text("x")
            except SessionNotFoundException as exc:
                errors.append(str(exc))

        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()

    open_app(main)
    assert "register_thread" in errors[0]


def test_a_registered_thread_outputs_and_keeps_the_session_until_it_ends(open_app):
    go = threading.Event()

    def main():
        def worker():
            go.wait(5)
            put_text("from the thread")

        thread = threading.Thread(target=worker)
        register_thread(thread)
        thread.start()

    page = open_app(main, timeout=0.3)
    assert not page.session.closed
    go.set()
    deadline = time.monotonic() + 5
    while not page.session.closed and time.monotonic() < deadline:
        time.sleep(0.01)
    page.refresh()
    assert page.texts() == ["from the thread"]
    assert page.session.close_reason == "finished"


def test_local_is_per_session(open_app):
    def main():
        local.count = (local.count or 0) + 1
        local["name"] = "x"
        put_text(f"{local.count} {local['name']} {'name' in local} {len(local)} {local.missing}")
        assert get_current_session().local is local._dict

    assert open_app(main).texts() == ["1 x True 2 None"]
    assert open_app(main).texts() == ["1 x True 2 None"]


# ---- liveness (what the reaper decides), with a clock we control ---------------------------------

@pytest.fixture
def idle_session(open_app):
    def main():
        input("wait")

    page = open_app(main)
    return page.session


def test_a_page_that_was_never_loaded_is_reaped(open_app):
    def main():
        input("x")

    with AppClient(main) as page:
        session = page.session
        session.page_loaded = None
        start = session.created
        assert session.expiry_reason(start + 30) is None
        assert session.expiry_reason(start + session.settings.unopened_timeout + 1) == "page never loaded"


def test_a_page_without_javascript_lives_while_used_then_expires(idle_session):
    s = idle_session
    assert not s.ever_streamed  # the in-process client never opens the stream
    assert s.expiry_reason(s.last_request + 60) is None
    assert s.expiry_reason(s.last_request + s.settings.nojs_idle_timeout + 1) == "idle"


def test_a_reload_or_short_network_cut_is_not_a_close(idle_session):
    s = idle_session
    s.stream_opened()
    assert s.expiry_reason(time.monotonic() + 10_000) is None  # connected: alive
    s.stream_closed()
    assert s.expiry_reason(s.last_disconnect + 5) is None
    assert s.expiry_reason(s.last_disconnect + s.settings.disconnect_grace + 1) == "page gone"
    assert s.settings.disconnect_grace < 30  # "closing the tab ends it within 30 seconds"


def test_a_hidden_tab_keeps_its_session_for_hours(idle_session):
    s = idle_session
    s.stream_opened()
    s.presence("hidden")
    s.stream_closed()  # htmx pauses the stream of a hidden tab
    assert s.expiry_reason(s.last_disconnect + 3600) is None
    assert s.expiry_reason(s.last_disconnect + s.settings.hidden_timeout + 1) == "hidden too long"
    s.stream_opened()  # shown again
    assert not s.hidden


def test_a_page_that_said_it_left_ends_soon_unless_it_comes_back(idle_session):
    s = idle_session
    s.stream_opened()
    s.stream_closed()
    s.presence("left")
    assert s.expiry_reason(s.left_at + 1) is None
    assert s.expiry_reason(s.left_at + s.settings.left_grace + 1) == "page closed"
    s.stream_opened()  # it was a reload
    s.stream_closed()
    assert s.left_at is None


def test_the_reaper_ends_then_forgets_sessions(open_app):
    def main():
        input("x")

    page = open_app(main)
    state = page.api.state.htmio
    session = page.session
    now = session.last_request + session.settings.nojs_idle_timeout + 1
    state.reap(now)
    assert session.closed and session.close_reason == "idle"
    assert session.id in state.sessions  # still readable for a while
    state.reap(session.closed_at + session.settings.ended_keep + 1)
    assert session.id not in state.sessions


def test_presence_beacons_are_accepted_only_with_the_token(open_app):
    def main():
        input("x")

    page = open_app(main)
    url = page.url + "/presence"
    assert page.http.post(url, data={"_token": "bad", "state": "hidden"}).status_code == 403
    assert page.http.post(url, data={"_token": page._token(), "state": "weird"}).status_code == 400
    assert page.http.post(url, data={"_token": page._token(), "state": "hidden"}).status_code == 204
    assert page.session.hidden


def test_a_hidden_beacon_after_the_left_one_does_not_undo_it(idle_session):
    # closing a tab sends "left" and then "hidden"
    s = idle_session
    s.stream_opened()
    s.stream_closed()
    s.presence("left")
    s.touched()  # the beacon's own post
    s.presence("hidden")
    assert s.expiry_reason(s.left_at + s.settings.left_grace + 1) == "page closed"


def test_beacons_from_an_earlier_load_of_the_page_are_ignored(open_app):
    def main():
        input("x")

    page = open_app(main)
    first_view = page.session.view
    page.refresh()  # a reload: the old page's beacons come late
    page.http.post(page.url + "/presence", data={"_token": page._token(), "state": "left", "view": str(first_view)})
    assert page.session.left_at is None
    page.http.post(page.url + "/presence",
                   data={"_token": page._token(), "state": "left", "view": str(page.session.view)})
    assert page.session.left_at is not None
