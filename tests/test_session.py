"""The session API: set_env, info, run_js, eval_js, download, go_app, task ids."""
from __future__ import annotations

import json
import threading
import time

import pytest
from bs4 import BeautifulSoup

from htmio.exceptions import JavaScriptError
from htmio.input import input
from htmio.output import put_text
from htmio.session import (
    download,
    eval_js,
    get_current_task_id,
    go_app,
    info,
    parse_user_agent,
    run_js,
    set_env,
)
from htmio.settings import Settings


def commands(page, name: str) -> list[dict]:
    page.session.flush()
    soup = BeautifulSoup("".join(m.data for m in page.session.messages), "html.parser")
    return [json.loads(c["data-payload"]) for c in soup.select(f"[data-htmio-command={name}]")]


def test_set_env_title_and_layout_apply_to_the_page_and_live(open_app):
    def main():
        set_env(title="My tool", output_max_width="1200px", input_panel_fixed=False, auto_scroll_bottom=True)
        input("wait")
        set_env(title="Second")

    page = open_app(main)
    assert page.soup.title.get_text() == "My tool"
    body = page.soup.body
    assert "--htmio-width: 1200px" in body["style"]
    assert "htmio-panel-fixed" not in body["class"] and "htmio-auto-scroll" in body["class"]
    page.submit("x")
    assert page.soup.title.get_text() == "Second"
    assert commands(page, "env")[-1]["title"] == "Second"


def test_set_env_refuses_unknown_keys_and_wrong_types(raised_in_app):
    assert "unknown setting 'colour'" in raised_in_app(lambda: set_env(colour="red"), ValueError)
    assert "takes a bool" in raised_in_app(lambda: set_env(input_auto_focus="no"), TypeError)
    assert "CSS width" in raised_in_app(lambda: set_env(output_max_width="wide"), ValueError)


def test_input_auto_focus_off(open_app):
    def main():
        set_env(input_auto_focus=False)
        input("x")

    page = open_app(main)
    assert not page.form().select_one("input[name=value]").has_attr("autofocus")


CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"


def test_info_describes_the_browser_page():
    from htmio.testing import AppClient

    def main():
        put_text(info.user_language, info.backend, info.protocol, info.server_host, bool(info.request),
                 info.user_agent.browser.family, info.user_agent.is_pc)

    client = AppClient(main)
    client.http.headers.update({"Accept-Language": "de-DE,de;q=0.9", "User-Agent": CHROME})
    with client as page:
        assert page.texts() == ["de-DE starlette http testserver True Chrome True"]


def test_info_user_ip_honours_only_trusted_proxies():
    from htmio.testing import AppClient

    def main():
        put_text(info.user_ip)

    for trusted, expected in (("", "testclient"), ("testclient", "203.0.113.9")):
        client = AppClient(main, settings=Settings(trusted_proxies=trusted, first_paint_wait=5, settle_timeout=5))
        client.http.headers["X-Forwarded-For"] = "203.0.113.9, 10.0.0.1"
        with client as page:
            assert page.texts() == [expected]


@pytest.mark.parametrize(("agent", "browser", "system", "mobile", "tablet"), [
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
     "Chrome", "Windows", False, False),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 "
     "Mobile/15E148 Safari/604.1", "Mobile Safari", "iOS", True, False),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox", "Linux", False, False),
    ("Mozilla/5.0 (Linux; Android 14; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
     "Chrome", "Android", False, True),
])
def test_user_agent_parsing(agent, browser, system, mobile, tablet):
    ua = parse_user_agent(agent)
    assert (ua.browser.family, ua.os.family, ua.is_mobile, ua.is_tablet) == (browser, system, mobile, tablet)
    assert ua.is_pc == (not mobile and not tablet)
    assert ua.browser.version and ua.browser.version_string


def test_run_js_sends_code_and_json_arguments(open_app):
    def main():
        run_js("document.title = t", t="x")

    page = open_app(main)
    # made before the first page: the page itself carries it
    command = page.soup.select_one("#htmio-commands [data-htmio-command=run]")
    assert json.loads(command["data-payload"]) == {"code": "document.title = t", "args": {"t": "x"}}


def test_run_js_refuses_arguments_that_are_not_json(raised_in_app):
    assert "JSON values" in raised_in_app(lambda: run_js("x", v=object()), TypeError)
    assert "variable name" in raised_in_app(lambda: run_js("x", **{"a-b": 1}), ValueError)


def answer_eval(page, number: int, **fields):
    return page.http.post(f"{page.url}/js/{number}", data={"_token": page._token(), **fields})


def test_eval_js_returns_the_value_the_page_answers(open_app):
    def main():
        input("go")
        put_text(repr(eval_js("window.innerWidth + n", n=1)))

    page = open_app(main)
    page.submit("x")
    [call] = commands(page, "eval")
    assert call["code"] == "window.innerWidth + n" and call["args"] == {"n": 1}
    assert answer_eval(page, call["id"], value="1025").status_code == 204
    page.refresh()
    assert page.texts() == ["1025"]
    assert answer_eval(page, call["id"], value="1").status_code == 409  # answered already


def test_eval_js_gives_none_as_in_pywebio_and_logs_a_javascript_error(open_app, caplog):
    # PyWebIO answers None when the expression throws or its Promise is rejected (its docs: "rejection ->
    # None"), and programs written for it do not catch an error there
    def main():
        put_text(repr(eval_js("nope()")))

    page = open_app(main, timeout=0.5)
    [call] = [json.loads(c["data-payload"]) for c in page.soup.select("#htmio-commands [data-htmio-command=eval]")]
    with caplog.at_level("WARNING", logger="htmio"):
        assert answer_eval(page, call["id"], error="ReferenceError: nope is not defined").status_code == 204
    page.refresh()
    assert page.texts() == ["None"]
    [record] = [r for r in caplog.records if "eval_js" in r.getMessage()]
    assert record.levelname == "WARNING"
    assert "'nope()'" in record.getMessage() and "ReferenceError: nope is not defined" in record.getMessage()


def test_eval_js_still_raises_for_an_answer_that_is_not_json(open_app):
    def main():
        try:
            eval_js("1")
        except JavaScriptError as exc:
            put_text(str(exc))

    page = open_app(main, timeout=0.5)
    [call] = [json.loads(c["data-payload"]) for c in page.soup.select("#htmio-commands [data-htmio-command=eval]")]
    answer_eval(page, call["id"], value="{not json")
    page.refresh()
    assert page.texts() == ["eval_js(): the page answered '{not json', which is not JSON."]


def test_eval_js_times_out_with_a_clear_message(open_app):
    def main():
        try:
            eval_js("1")
        except JavaScriptError as exc:
            put_text(str(exc))

    page = open_app(main, settings=Settings(eval_js_timeout=0.2, first_paint_wait=5, settle_timeout=5))
    time.sleep(0.4)  # eval_js waits on the browser (the session counts as settled meanwhile)
    page.refresh()
    assert "did not answer within 0.2 s" in page.texts()[0]


def test_eval_js_raises_session_closed_when_the_page_goes(open_app):
    seen = []

    def main():
        try:
            eval_js("1")
        except Exception as exc:
            seen.append(type(exc).__name__)
            raise

    page = open_app(main, timeout=0.3)
    page.close()
    time.sleep(0.3)
    assert seen == ["SessionClosedException"]


def test_download_serves_the_exact_bytes_to_the_owner_only(open_app):
    def main():
        download("rapport é.csv", b"a,b\n1,2\n")

    page = open_app(main)
    [call] = [json.loads(c["data-payload"]) for c in page.soup.select("#htmio-commands [data-htmio-command=download]")]
    assert call["name"] == "rapport é.csv"
    response = page.http.get(call["url"])
    assert response.content == b"a,b\n1,2\n"
    assert response.headers["content-disposition"] == \
        "attachment; filename=\"rapport ?.csv\"; filename*=UTF-8''rapport%20%C3%A9.csv"
    page.http.cookies.clear()
    assert page.http.get(call["url"]).status_code == 403


def test_download_wants_bytes(raised_in_app):
    assert "encode text first" in raised_in_app(lambda: download("a.txt", "text"), TypeError)


def test_go_app_opens_the_app_url(open_app):
    def main():
        input("x")
        go_app("settings", new_window=False)

    page = open_app(main)
    page.submit("x")
    assert commands(page, "go") == [{"url": "/?app=settings", "new_window": False}]


def test_task_ids_differ_per_thread(open_app):
    ids = []

    def main():
        ids.append(get_current_task_id())
        worker = threading.Thread(target=lambda: ids.append(get_current_task_id()))
        from htmio.session import register_thread

        register_thread(worker)
        worker.start()
        worker.join()

    open_app(main)
    assert len(ids) == 2 and ids[0] != ids[1]
