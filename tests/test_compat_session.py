"""PyWebIO programs run unchanged (issue 12), the session part: go_app's address on servers of several
apps, mounted and path-deployed; get_current_session().closed(); info.origin and info.user_agent;
run_async tasks that keep their session; and concurrent input forms that stack, the newest on top."""
from __future__ import annotations

import asyncio
import json
import textwrap
import threading
import time

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from starlette.testclient import TestClient

from htmio.deploy import create_path_app
from htmio.input import input
from htmio.output import put_buttons, put_text
from htmio.platform.fastapi import asgi_app
from htmio.server import create_app
from htmio.session import (
    get_current_session,
    go_app,
    info,
    local,
    parse_user_agent,
    register_thread,
    run_async,
)
from htmio.settings import Settings
from htmio.testing import AppClient

FAST = Settings(first_paint_wait=5, settle_timeout=5)


def go_commands(html: str) -> list[dict]:
    """The go_app commands a page carries (made before it was first shown)."""
    soup = BeautifulSoup(html, "html.parser")
    return [json.loads(c["data-payload"]) for c in soup.select("#htmio-commands [data-htmio-command=go]")]


def texts_of(html: str) -> list[str]:
    return [p.get_text() for p in BeautifulSoup(html, "html.parser").select(".htmio-text")]


def open_session(http: TestClient, url: str) -> str:
    """Start a session at ``url`` like a browser (GET, follow the redirect) and return its page."""
    response = http.get(url, follow_redirects=False)
    assert response.status_code == 303, f"GET {url} answered {response.status_code}: {response.text[:300]}"
    return http.get(response.headers["location"]).text


# ---- go_app -------------------------------------------------------------------------------------

def app_a():
    put_text("this is a")
    go_app("b", new_window=False)


def app_b():
    put_text("this is b")


def test_go_app_on_a_server_of_several_apps_opens_the_other_app():
    with TestClient(create_app({"a": app_a, "b": app_b}, FAST)) as http:
        page = open_session(http, "/?app=a")
        assert texts_of(page) == ["this is a"]
        [go] = go_commands(page)
        assert go == {"url": "/?app=b", "new_window": False}  # was '/?app=a?app=b'
        assert texts_of(open_session(http, go["url"])) == ["this is b"]


def test_go_app_from_the_index_app():
    with AppClient({"index": app_a, "b": app_b}, FAST) as page:  # type: ignore[arg-type]
        [go] = go_commands(str(page.soup))
        assert go["url"] == "/?app=b"


def test_go_app_in_an_app_mounted_under_a_prefix():
    host = FastAPI()
    host.mount("/tools", asgi_app({"a": app_a, "b": app_b}))
    with TestClient(host) as http:
        page = open_session(http, "/tools/?app=a")
        [go] = go_commands(page)
        assert go["url"] == "/tools/?app=b"
        assert texts_of(open_session(http, go["url"])) == ["this is b"]


def test_go_app_on_a_single_app_server_asks_the_server_for_that_app():
    def main():
        go_app("other")

    with AppClient(main, FAST) as page:
        assert go_commands(str(page.soup)) == [{"url": "/?app=other", "new_window": True}]


def test_go_app_under_path_deploy_opens_the_app_file_beside_this_one(tmp_path):
    going = textwrap.dedent("""\
        from htmio.output import put_text
        from htmio.session import go_app

        def main():
            put_text("in {name}")
            go_app("b", new_window=False)
        """)
    (tmp_path / "a.py").write_text(going.format(name="a"))
    (tmp_path / "b.py").write_text("from htmio.output import put_text\n\ndef main():\n    put_text('this is b')\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "index.py").write_text(going.format(name="sub"))
    (tmp_path / "sub" / "b.py").write_text("from htmio.output import put_text\n\ndef main():\n    put_text('sub b')\n")
    with TestClient(create_path_app(tmp_path, FAST)) as http:
        [go] = go_commands(open_session(http, "/a"))
        assert go["url"] == "/b"
        assert texts_of(open_session(http, go["url"])) == ["this is b"]
        [go] = go_commands(open_session(http, "/sub/"))
        assert go["url"] == "/sub/b"
        assert texts_of(open_session(http, go["url"])) == ["sub b"]


def test_go_app_under_path_deploy_to_an_app_of_the_same_file(tmp_path):
    # a file whose main is a dict of apps: the name is one of its own apps, reached with ?app=
    (tmp_path / "tools.py").write_text(textwrap.dedent("""\
        from htmio.output import put_text
        from htmio.session import go_app

        def first():
            go_app("second", new_window=False)

        def second():
            put_text("second")

        main = {"index": first, "second": second}
        """))
    with TestClient(create_path_app(tmp_path, FAST)) as http:
        [go] = go_commands(open_session(http, "/tools"))
        assert go["url"] == "/tools/?app=second"


# ---- get_current_session() ----------------------------------------------------------------------

def test_closed_is_a_method_as_in_pywebio(open_app):
    seen = []

    def main():
        session = get_current_session()
        seen.append(session)
        put_text(f"closed() {session.closed()!r}, same {get_current_session() is session}, "
                 f"truthy {bool(session.closed)}")
        input("wait")

    page = open_app(main)
    assert page.texts() == ["closed() False, same True, truthy False"]
    page.close()
    assert seen[0].closed() is True and bool(seen[0].closed)


def test_a_player_sees_that_the_other_player_left(open_app):
    players = []

    def main():
        players.append(get_current_session())
        me = len(players)

        def check(_):
            other = players[2 - me]
            put_text("opponent left" if other.closed() else "opponent here")

        put_buttons(["check"], onclick=check)

    first, second = open_app(main), open_app(main)
    second.click("check")
    assert second.texts() == ["opponent here"]
    first.close()
    second.click("check")
    assert second.texts() == ["opponent here", "opponent left"]


def test_the_session_object_offers_pywebio_session_methods(open_app):
    ran = []

    def main():
        session = get_current_session()
        session.defer_call(lambda: ran.append("deferred"))
        local.name = "Ada"
        worker = threading.Thread(target=lambda: put_text("from a thread"))
        session.register_thread(worker)
        worker.start()
        worker.join()
        put_text(session.local["name"], session.save["name"], session.get_current_task_id() != "",
                 session.get_current_session() is session, session.id == get_current_session().id)
        input("wait")

    page = open_app(main)
    assert page.texts() == ["from a thread", "Ada Ada True True True"]
    page.close()
    assert ran == ["deferred"]


def test_closing_the_session_from_the_app(open_app):
    def main():
        put_text("bye")
        get_current_session().close()
        put_text("never shown")

    page = open_app(main)
    assert page.session.closed and page.session.close_reason == "finished"
    assert page.texts() == ["bye"] and page.soup.select_one(".htmio-app-error") is None


def test_closed_in_a_coroutine_session(open_app):
    async def main():
        session = get_current_session()
        put_text(f"closed() {session.closed()}")

    assert open_app(main).texts() == ["closed() False"]


# ---- info.origin and info.user_agent ------------------------------------------------------------

def origin_app():
    put_text(info.origin)


@pytest.mark.parametrize(("base_url", "headers", "trusted", "origin"), [
    ("http://testserver", {}, "", "http://testserver"),
    ("http://testserver", {"Host": "localhost:8080"}, "", "http://localhost:8080"),
    ("https://example.org", {}, "", "https://example.org"),  # the scheme uvicorn puts in the scope
    # forwarded headers count only from a trusted proxy
    ("http://testserver", {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "tools.example.org"}, "",
     "http://testserver"),
    ("http://testserver", {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "tools.example.org"}, "testclient",
     "https://tools.example.org"),
])
def test_info_origin_is_the_page_origin(base_url, headers, trusted, origin):
    client = AppClient(origin_app, Settings(first_paint_wait=5, settle_timeout=5, trusted_proxies=trusted))
    client.http = TestClient(client.api, base_url=base_url, headers=headers)
    with client as page:
        assert page.texts() == [origin]


def test_info_origin_of_a_mounted_app_has_no_path():
    host = FastAPI()
    host.mount("/tools", asgi_app(origin_app))
    with TestClient(host, base_url="http://apps.example.org") as http:
        assert texts_of(open_session(http, "/tools/")) == ["http://apps.example.org"]


# what PyWebIO's info.user_agent (the user-agents package) says for real browsers' headers
AGENTS = [
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 "
     "Safari/537.36", "PC / Windows 10 / Chrome 120.0.6099", "pc"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
     "Safari/537.36", "PC / Windows 10 / Chrome 131.0.0", "pc"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
     "PC / Windows 10 / Firefox 121.0", "pc"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
     "Safari/537.36 Edg/120.0.2210.91", "PC / Windows 10 / Edge 120.0.2210", "pc"),
    ("Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 "
     "Safari/537.36", "PC / Windows 7 / Chrome 109.0.0", "pc"),
    ("Mozilla/5.0 (Windows NT 6.3; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 "
     "Safari/537.36", "PC / Windows 8.1 / Chrome 109.0.0", "pc"),
    ("Mozilla/5.0 (Windows NT 5.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/49.0.2623.112 Safari/537.36",
     "PC / Windows XP / Chrome 49.0.2623", "pc"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
     "Safari/537.36 OPR/106.0.0.0", "PC / Windows 10 / Opera 106.0.0", "pc"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; Trident/7.0; rv:11.0) like Gecko", "PC / Windows 10 / IE 11.0", "pc"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 "
     "Safari/605.1.15", "PC / Mac OS X 10.15.7 / Safari 17.2", "pc"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
     "Safari/537.36", "PC / Mac OS X 10.15.7 / Chrome 120.0.0", "pc"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:121.0) Gecko/20100101 Firefox/121.0",
     "PC / Mac OS X 10.15 / Firefox 121.0", "pc"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
     "Safari/537.36 Edg/120.0.2210.91", "PC / Mac OS X 10.15.7 / Edge 120.0.2210", "pc"),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
     "PC / Linux / Chrome 120.0.0", "pc"),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", "PC / Linux / Firefox 121.0", "pc"),
    ("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
     "PC / Ubuntu / Firefox 121.0", "pc"),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.28 "
     "Safari/537.36", "PC / Linux / HeadlessChrome 120.0.6099", "pc"),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chromium/120.0.6099.71 "
     "Chrome/120.0.6099.71 Safari/537.36", "PC / Linux / Chromium 120.0.6099", "pc"),
    ("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
     "Safari/537.36", "PC / Chrome OS 14541.0.0 / Chrome 120.0.0", "pc"),
    ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile "
     "Safari/537.36", "K / Android 10 / Chrome Mobile 120.0.0", "phone"),
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 "
     "Mobile Safari/537.36", "Pixel 8 / Android 14 / Chrome Mobile 120.0.6099", "phone"),
    ("Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile "
     "Safari/537.36", "Samsung SM-S918B / Android 13 / Chrome Mobile 120.0.0", "phone"),
    ("Mozilla/5.0 (Linux; Android 11; moto g(30)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
     "Mobile Safari/537.36", "Motorola g(30) / Android 11 / Chrome Mobile 120.0.0", "phone"),
    ("Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Version/4.0 Chrome/120.0.6099.144 Mobile Safari/537.36", "Pixel 7 / Android 13 / Chrome Mobile WebView 120.0.6099",
     "phone"),
    ("Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 Firefox/121.0",
     "Generic Smartphone / Android 14 / Firefox Mobile 121.0", "phone"),
    ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile "
     "Safari/537.36 EdgA/120.0.2210.115", "K / Android 10 / Edge Mobile 120.0.2210", "phone"),
    ("Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 "
     "Chrome/115.0.0.0 Mobile Safari/537.36", "Samsung SM-S918B / Android 13 / Samsung Internet 23.0", "phone"),
    ("Mozilla/5.0 (Linux; Android 14; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
     "SM-X700 / Android 14 / Chrome 131.0", "tablet"),
    ("Mozilla/5.0 (Linux; Android 13; Pixel Tablet) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
     "Safari/537.36", "Pixel Tablet / Android 13 / Chrome 120.0.0", "tablet"),
    ("Mozilla/5.0 (Linux; Android 9; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/120.2.1 like "
     "Chrome/120.0.6099.230 Safari/537.36", "Kindle / Android 9 / Amazon Silk 120.2.1", "tablet"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.2 Mobile/15E148 Safari/604.1", "iPhone / iOS 17.2 / Mobile Safari 17.2", "phone"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 16_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/16.6 Mobile/15E148 Safari/604.1", "iPhone / iOS 16.6.1 / Mobile Safari 16.6", "phone"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1", "iPhone / iOS 17.2 / Chrome Mobile iOS 120.0.6099", "phone"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "FxiOS/121.0 Mobile/15E148 Safari/605.1.15", "iPhone / iOS 17.2 / Firefox iOS 121.0", "phone"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.0 EdgiOS/120.2210.126 Mobile/15E148 Safari/605.1.15", "iPhone / iOS 17.2 / Edge Mobile 120.2210.126",
     "phone"),
    ("Mozilla/5.0 (iPod touch; CPU iPhone OS 15_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/15.6 Mobile/15E148 Safari/604.1", "iPod / iOS 15.7 / Mobile Safari 15.6", "phone"),
    ("Mozilla/5.0 (iPad; CPU OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 "
     "Mobile/15E148 Safari/604.1", "iPad / iOS 17.2 / Mobile Safari 17.2", "tablet"),
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Spider / Other / Googlebot 2.1",
     "bot"),
    ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "Spider / Other / bingbot 2.0", "bot"),
    ("curl/8.5.0", "Other / Other / curl 8.5.0", "other"),
    ("", "Other / Other / Other", "other"),
]
KINDS = {  # is_pc, is_mobile, is_tablet, is_touch_capable, is_bot
    "pc": (True, False, False, False, False),
    "phone": (False, True, False, True, False),
    "tablet": (False, False, True, True, False),
    "bot": (False, False, False, False, True),
    "other": (False, False, False, False, False),
}


@pytest.mark.parametrize(("header", "shown", "kind"), AGENTS, ids=[a[1] for a in AGENTS])
def test_user_agent_reads_as_pywebio_shows_it(header, shown, kind):
    ua = parse_user_agent(header)
    assert str(ua) == shown
    assert (ua.is_pc, ua.is_mobile, ua.is_tablet, ua.is_touch_capable, ua.is_bot) == KINDS[kind]


def test_user_agent_fields():
    ua = parse_user_agent("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                          "Chrome/120.0.6099.144 Mobile Safari/537.36")
    assert (ua.browser.family, ua.browser.version, ua.browser.version_string) == ("Chrome Mobile", (120, 0, 6099),
                                                                                    "120.0.6099")
    assert (ua.os.family, ua.os.version, ua.os.version_string) == ("Android", (14,), "14")
    assert tuple(ua.device) == ("Pixel 8", "Google", "Pixel 8")
    mac = parse_user_agent("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                           "Version/17.2 Safari/605.1.15")
    assert (mac.device.family, mac.device.brand, mac.device.model) == ("Mac", "Apple", "Mac")
    assert mac.os.version == (10, 15, 7)
    windows = parse_user_agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0")
    assert (windows.device.family, windows.device.brand, windows.device.model) == ("Other", None, None)


def test_info_user_agent_in_an_app():
    def main():
        ua = info.user_agent
        put_text(str(ua), ua.is_pc, ua.browser.family)

    client = AppClient(main, FAST)
    client.http.headers["User-Agent"] = AGENTS[0][0]
    with client as page:
        assert page.texts() == ["PC / Windows 10 / Chrome 120.0.6099 True Chrome"]


# ---- run_async tasks keep the session; concurrent forms stack -----------------------------------

def test_a_run_async_task_waiting_in_input_keeps_the_session(open_app):
    async def main():
        async def ask():
            colour = await input("favourite colour")
            put_text(f"you like {colour}")

        run_async(ask())
        put_text("main is done")

    page = open_app(main)
    assert page.texts() == ["main is done"]
    assert not page.session.closed  # PyWebIO keeps the session while run_async tasks run
    [field] = page.inputs()
    assert field.label == "favourite colour"
    page.submit("green")
    page.wait_for_text("you like green")
    deadline = time.monotonic() + 5
    while not page.session.closed and time.monotonic() < deadline:  # then, nothing left: it ends
        time.sleep(0.01)
    assert page.session.close_reason == "finished"


def test_closing_a_run_async_task_lets_the_session_end(open_app):
    async def main():
        async def forever():
            while True:
                await asyncio.sleep(0.01)

        task = run_async(forever())
        await asyncio.sleep(0.05)
        task.close()

    page = open_app(main)
    deadline = time.monotonic() + 5
    while not page.session.closed and time.monotonic() < deadline:
        time.sleep(0.01)
    assert page.session.close_reason == "finished"


def shown_forms(page) -> list[tuple[str, bool]]:
    """The input forms on the page: (title or label, hidden), oldest first."""
    found = []
    for form in page.soup.select("#htmio-inputs > form"):
        label = form.select_one("label, legend, .htmio-form-title")
        found.append((label.get_text(strip=True) if label else "", form.has_attr("hidden")))
    return found


def test_concurrent_forms_of_a_coroutine_session_stack(open_app):
    async def main():
        async def second():
            answer = await input("newer")
            put_text(f"newer said {answer}")

        run_async(second())
        answer = await input("older")
        put_text(f"older said {answer}")

    page = open_app(main)
    page.wait_until(lambda: len(shown_forms(page)) == 2, "both forms")
    assert shown_forms(page) == [("older", True), ("newer", False)]  # only the newest shows
    assert page.inputs()[0].label == "newer"
    page.submit("2")
    page.wait_for_text("newer said 2")
    assert shown_forms(page) == [("older", False)]  # the older form shows again
    page.submit("1")
    assert page.texts() == ["newer said 2", "older said 1"]


def test_concurrent_forms_of_a_thread_session_stack(open_app):
    def main():
        def ask(_):
            put_text(f"newer said {input('newer')}")

        put_buttons(["ask"], onclick=ask)
        put_text(f"older said {input('older')}")

    page = open_app(main)
    assert shown_forms(page) == [("older", False)]
    page.click("ask")
    assert shown_forms(page) == [("older", True), ("newer", False)]
    older_form = page.soup.select("#htmio-inputs > form")[0]
    # a post to the form below (sent before the newer one came) is refused, and that form keeps waiting
    refused = page.http.post(str(older_form["action"]), data={"_token": page._token(), "value": "too early"},
                             headers={"HX-Request": "true"})
    assert refused.status_code == 409 and "Answer the form shown now" in refused.text
    assert page.http.post(str(older_form["action"]), data={"_token": page._token(), "value": "x"},
                          follow_redirects=False).status_code == 303  # without JavaScript: back to the page
    # a field check of the covered form (its field lost focus as the newer form came) still runs
    assert page.http.post(str(older_form["action"]), data={"_token": page._token(), "_action": "change:value",
                                                           "value": "half typed"},
                          headers={"HX-Request": "true"}).status_code == 200
    page.refresh()
    assert shown_forms(page) == [("older", True), ("newer", False)] and page.texts() == []
    page.submit("B")
    assert page.texts() == ["newer said B"]
    assert shown_forms(page) == [("older", False)]
    page.submit("A")
    assert page.texts() == ["newer said B", "older said A"]
