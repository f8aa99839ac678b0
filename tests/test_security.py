"""What htmio promises against a hostile page or client (docs/security.md): the browser identity is issued,
never adopted; a page opened from another site is refused; security headers on every answer; limits on
streams per session and on new sessions per client; a data table's view needs the page's token."""
from __future__ import annotations

import re
import threading

import httpx
import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from starlette.testclient import TestClient

from htmio.input import input
from htmio.output import put_datatable, put_text
from htmio.platform.fastapi import asgi_app, lifespan
from htmio.session import defer_call
from htmio.server import create_app
from htmio.server.identity import identity_key, is_issued
from htmio.settings import Settings
from tests.live import EventReader, LiveServer

COOKIE = "htmio_browser"


def main() -> None:
    put_text("the attacker's session")
    input("Your password")


def client(settings: Settings | None = None, **options: object) -> TestClient:
    return TestClient(create_app(main, settings or Settings(first_paint_wait=2)), **options)  # type: ignore[arg-type]


def start_session(browser: TestClient, headers: dict[str, str] | None = None) -> httpx.Response:
    response = browser.get("/", headers=headers or {}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response


def text_of(response: httpx.Response) -> str:
    return BeautifulSoup(response.text, "html.parser").get_text(" ", strip=True)


# ---- the browser identity: issued, never adopted ---------------------------------------------------

def test_a_cookie_the_server_did_not_issue_is_replaced_and_opens_nothing():
    with client() as browser:
        browser.cookies.set(COOKIE, "chosen-by-an-attacker")
        response = start_session(browser)
        issued = response.cookies[COOKIE]
        assert issued != "chosen-by-an-attacker" and is_issued(issued, identity_key(""))
        assert browser.get(response.headers["location"]).status_code == 200  # the new identity opens the page
        again = start_session(browser)  # an identity the server issued is kept: one per browser
        assert again.cookies[COOKIE] == issued
        other = TestClient(browser.app)  # the forged value opens none of the server's sessions
        other.cookies.set(COOKIE, "chosen-by-an-attacker")
        assert other.get(response.headers["location"]).status_code == 403


def test_processes_sharing_htmio_secret_accept_each_others_identity_and_others_replace_it():
    with client(Settings(first_paint_wait=2, secret="site-key")) as first:
        issued = start_session(first).cookies[COOKIE]
    with client(Settings(first_paint_wait=2, secret="site-key")) as shard:
        shard.cookies.set(COOKIE, issued)
        assert start_session(shard).cookies[COOKIE] == issued
    with client(Settings(first_paint_wait=2, secret="another-key")) as stranger:
        stranger.cookies.set(COOKIE, issued)
        assert start_session(stranger).cookies[COOKIE] != issued


def test_over_https_the_cookie_is_host_only_secure_and_prefixed():
    with client(base_url="https://testserver") as browser:
        header = start_session(browser).headers["set-cookie"]
        assert header.startswith("__Host-htmio_browser=")
        assert "Secure" in header and "HttpOnly" in header and "Path=/;" in header + ";" and "Domain" not in header


def test_a_victim_sent_from_a_sibling_site_never_lands_in_the_attackers_session():
    """Cookie tossing: a page on another port or subdomain of the host plants the attacker's (genuinely
    issued) cookie in the victim's browser and sends the victim to the attacker's session."""
    with client() as attacker:
        victim = TestClient(attacker.app)  # another browser, on the same server
        session_page = start_session(attacker).headers["location"]
        assert attacker.get(session_page).status_code == 200
        victim.cookies.set(COOKIE, attacker.cookies[COOKIE])  # what the sibling page's document.cookie did
        for site in ("same-site", "cross-site"):
            landed = victim.get(session_page, headers={"Sec-Fetch-Site": site, "Sec-Fetch-Mode": "navigate"})
            assert landed.status_code == 403
            assert "opened from another site" in text_of(landed)
            assert "the attacker's session" not in landed.text and "Your password" not in landed.text
        # the attacker's own page, reloaded or opened from a bookmark, still works
        assert attacker.get(session_page, headers={"Sec-Fetch-Site": "same-origin"}).status_code == 200
        assert attacker.get(session_page, headers={"Sec-Fetch-Site": "none"}).status_code == 200


def test_a_link_from_another_site_starts_a_session_through_a_page_of_its_own():
    with client() as browser:
        arrival = browser.get("/?x=1", headers={"Sec-Fetch-Site": "cross-site"}, follow_redirects=False)
        assert arrival.status_code == 200 and "set-cookie" not in arrival.headers  # no session made yet
        soup = BeautifulSoup(arrival.text, "html.parser")
        assert soup.select_one('meta[http-equiv="refresh"]')["content"] == "0;url=/?x=1"
        assert soup.select_one("a.htmio-restart")["href"] == "/?x=1"  # and a link, where refresh is off
        assert browser.app.state.htmio.sessions == {}
        # the refresh is a navigation of our own page: same-origin, so the session page opens
        response = browser.get("/?x=1", headers={"Sec-Fetch-Site": "same-origin"}, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].endswith("?x=1")
        assert browser.get(response.headers["location"], headers={"Sec-Fetch-Site": "same-origin"}).status_code == 200


# ---- security headers ---------------------------------------------------------------------------------

def test_every_answer_carries_the_security_headers():
    with client() as browser:
        page_url = start_session(browser).headers["location"]
        answers = {
            "page": browser.get(page_url),
            "fragment": browser.get(page_url, headers={"HX-Request": "true"}),
            "static": browser.get("/_htmio/static/htmio.css"),
            "refusal": browser.get("/no/such/thing"),
        }
        for what, response in answers.items():
            assert response.headers["content-security-policy"] == "frame-ancestors 'self'; base-uri 'self'", what
            assert response.headers["x-frame-options"] == "SAMEORIGIN", what
            assert response.headers["x-content-type-options"] == "nosniff", what
            assert response.headers["referrer-policy"] == "same-origin", what


@pytest.mark.parametrize("csp,frame_options", [("", None), ("frame-ancestors https://portal.example", None),
                                               ("default-src 'self'; frame-ancestors 'self'", "SAMEORIGIN")])
def test_the_csp_is_a_setting_and_x_frame_options_follows_its_frame_ancestors(csp, frame_options):
    with client(Settings(first_paint_wait=2, csp=csp)) as browser:
        response = browser.get(start_session(browser).headers["location"])
        assert response.headers.get("content-security-policy") == (csp or None)
        assert response.headers.get("x-frame-options") == frame_options
        assert response.headers["x-content-type-options"] == "nosniff"


# ---- limits ---------------------------------------------------------------------------------------------

def test_new_sessions_per_client_are_limited_with_a_429_that_says_when_to_retry():
    settings = Settings(first_paint_wait=2, session_rate=3, trusted_proxies="testclient")
    with client(settings) as browser:
        for _ in range(3):
            start_session(browser, {"X-Forwarded-For": "203.0.113.7"})
        refused = browser.get("/", headers={"X-Forwarded-For": "203.0.113.7"}, follow_redirects=False)
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 20  # a token comes back every 20 s at 3 a minute
        assert "Too many new sessions" in text_of(refused) and "Wait" in text_of(refused)
        assert len(browser.app.state.htmio.sessions) == 3  # the refused request started nothing
        start_session(browser, {"X-Forwarded-For": "198.51.100.2"})  # another client is not held back


def test_a_session_rate_of_zero_is_no_limit():
    with client(Settings(first_paint_wait=2, session_rate=0)) as browser:
        for _ in range(130):
            browser.get("/", follow_redirects=False)
        assert len(browser.app.state.htmio.sessions) == 130


def test_a_new_stream_past_the_limit_ends_the_oldest_with_a_notice():
    server = LiveServer(main, Settings(first_paint_wait=2, max_streams_per_session=2)).start()
    try:
        with httpx.Client(base_url=server.url, timeout=httpx.Timeout(5, read=20)) as browser:
            page = browser.get("/", follow_redirects=True)
            events = re.search(r'hx-sse:connect="([^"]+)"', page.text).group(1)
            events = events.partition("?")[0]  # no position: each stream starts with the whole document
            session = next(iter(server.sessions.values()))
            with browser.stream("GET", events) as oldest:
                reader = EventReader(oldest)
                reader.read(1)  # the document as it stands
                with browser.stream("GET", events) as second, browser.stream("GET", events) as newest:
                    EventReader(second).read(1)
                    EventReader(newest).read(1)
                    notice, close = reader.read(2)
                    assert "no longer follows its session" in notice["data"]
                    assert close["event"] == "htmio-close"
                    assert reader.read(1) == []  # the body has ended, cleanly
                    assert not session.closed  # the session lives on in the newer streams
    finally:
        server.stop()


# ---- a data table's view needs the page's token --------------------------------------------------------

def table_app() -> None:
    put_datatable([{"n": i} for i in range(200)])


def test_a_view_change_without_the_page_token_is_refused_and_changes_nothing():
    with TestClient(create_app(table_app, Settings(first_paint_wait=2))) as browser:
        page_url = start_session(browser).headers["location"]
        soup = BeautifulSoup(browser.get(page_url).text, "html.parser")
        token = soup.body["data-htmio-token"]
        view = soup.select_one("form.htmio-dt-filter")["action"]
        for headers in ({"HX-Request": "true"}, {}, {"HX-Request": "true", "X-Htmio-Token": "wrong"}):
            refused = browser.get(view, params={"page": "3"}, headers=headers, follow_redirects=False)
            assert refused.status_code == 403
        from_elsewhere = browser.get(view, params={"page": "3", "_token": token}, follow_redirects=False,
                                     headers={"Sec-Fetch-Site": "cross-site"})
        assert from_elsewhere.status_code == 403
        current = BeautifulSoup(browser.get(page_url).text, "html.parser")
        assert current.select_one(".htmio-dt-current").get_text() == "1"  # nothing changed
        accepted = browser.get(view, params={"page": "3"}, headers={"HX-Request": "true", "X-Htmio-Token": token})
        assert accepted.status_code == 200
        assert BeautifulSoup(accepted.text, "html.parser").select_one(".htmio-dt-current").get_text() == "3"


# ---- stopping (the real processes are in tests/test_shutdown.py) ------------------------------------------

def test_a_host_app_stopping_waits_for_the_defer_call_functions_of_mounted_htmio_apps():
    done: list[str] = []

    def app() -> None:
        def clean_up() -> None:
            threading.Event().wait(0.3)  # takes its time: the host must wait for it
            done.append("cleaned up")
        defer_call(clean_up)
        input("Your name")

    tools = asgi_app(app, first_paint_wait=2)
    host = FastAPI(lifespan=lifespan(tools))
    host.mount("/tools", tools)
    with TestClient(host) as browser:
        assert browser.get("/tools/", follow_redirects=True).status_code == 200
        assert done == []
    assert done == ["cleaned up"]  # the host's lifespan ended once the session's clean-up had run


def test_a_defer_call_function_that_never_ends_holds_the_stop_only_for_shutdown_timeout(caplog):
    release = threading.Event()

    def app() -> None:
        defer_call(lambda: release.wait(30))  # stuck until the test lets it go
        input("Your name")

    try:
        with TestClient(create_app(app, Settings(first_paint_wait=2, shutdown_timeout=0.3))) as browser:
            assert browser.get("/", follow_redirects=True).status_code == 200
        assert not release.is_set()  # the stop returned while the function was still stuck
        assert "did not finish within HTMIO_SHUTDOWN_TIMEOUT=0.3 s" in caplog.text
    finally:
        release.set()
