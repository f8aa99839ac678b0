"""What only a browser shows about htmio's defences: a link from another site still starts a working session
(through a page of htmio's own), and cookie tossing from another port of the host does not put the victim
in the attacker's session."""
from __future__ import annotations

import httpx
import pytest

from htmio.input import input
from htmio.output import put_html, put_text
from htmio.platform import free_port
from htmio.session import eval_js, run_js
from tests.browser_support import SESSION_URL, visit

pytestmark = pytest.mark.browser


def greet() -> None:
    put_text("the attacker's session")
    name = input("Your name")
    put_text(f"hello {name}")


def sibling_page(context, body: str) -> str:
    """A page of another port of the same host (a sibling site: same-site, not same-origin); its address."""
    url = f"http://127.0.0.1:{free_port()}/start"
    context.route(url, lambda route: route.fulfill(status=200, content_type="text/html", body=body))
    return url


def test_a_link_from_another_site_opens_a_working_session(new_context, serve):
    server = serve(greet)
    context = new_context()
    page = context.new_page()
    page.goto(sibling_page(context, f'<a href="{server.url}/?from=link">open the app</a>'))
    page.click("text=open the app")
    page.wait_for_url(lambda url: SESSION_URL.match(url.partition("?")[0]) is not None)
    assert page.url.endswith("?from=link")
    page.get_by_label("Your name").fill("Ada")
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("hello Ada").wait_for()


def test_reload_and_back_from_another_site_keep_the_session_page(new_context, serve):
    """Both load the session page again: neither may look to htmio like a page opened from another site."""
    server = serve(greet)
    context = new_context()
    page = context.new_page()
    elsewhere = sibling_page(context, "<p>another site</p>")
    page.goto(sibling_page(context, f'<a href="{server.url}/">open the app</a>'))
    page.click("text=open the app")
    page.wait_for_url(lambda url: SESSION_URL.match(url) is not None)
    session_page = page.url
    page.get_by_label("Your name").fill("Ada")
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("hello Ada").wait_for()
    page.reload()
    page.get_by_text("hello Ada").wait_for()
    page.evaluate(f"location.href = {elsewhere!r}")  # a link to another site, then the Back button
    page.get_by_text("another site").wait_for()
    page.go_back()
    page.wait_for_url(session_page)
    page.get_by_text("hello Ada").wait_for()
    assert "opened from another site" not in page.content()
    session = next(iter(server.sessions.values()))
    assert session.view == 3  # the first load, the reload and the way back all asked the server for the page


def test_a_cookie_tossed_in_from_another_port_does_not_put_the_victim_in_the_attackers_session(new_context, serve):
    server = serve(greet)
    with httpx.Client(base_url=server.url, timeout=5) as attacker:
        started = attacker.get("/", follow_redirects=False)
        session_page = started.headers["location"]
        assert attacker.get(session_page).status_code == 200
        identity = attacker.cookies["htmio_browser"]
    context = new_context()
    victim = context.new_page()
    # cookies do not keep ports apart: this page's document.cookie reaches the app's port too
    victim.goto(sibling_page(context, f'''<script>
        document.cookie = "htmio_browser={identity}; path=/";
        location.href = "{server.url}{session_page}";
    </script>'''))
    victim.wait_for_url(f"{server.url}{session_page}")
    victim.get_by_text("This page was opened from another site").wait_for()
    assert "the attacker's session" not in victim.content()
    assert {c["name"]: c["value"] for c in context.cookies(server.url)}["htmio_browser"] == identity  # tossed indeed


# the stricter policy docs/security.md suggests for an app that loads nothing from other origins
STRICT_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
              "img-src 'self' data: blob:; frame-ancestors 'self'; base-uri 'self'; form-action 'self'; object-src 'none'")


@pytest.mark.parametrize("csp", ["default", STRICT_CSP])
def test_run_js_eval_js_and_put_html_scripts_work_under_the_csp(new_context, serve, csp):
    def main():
        put_html("<p id='inline'></p><script>document.getElementById('inline').textContent = 'inline ran'</script>")
        run_js("document.body.dataset.ran = 'run_js ran'")
        put_text(f"eval_js: {eval_js('1 + 2')}")
        name = input("Your name")
        put_text(f"hello {name}")

    server = serve(main) if csp == "default" else serve(main, csp=csp)
    page = new_context().new_page()
    visit(page, server)
    page.get_by_text("inline ran").wait_for()
    page.get_by_text("eval_js: 3").wait_for()
    assert page.evaluate("document.body.dataset.ran") == "run_js ran"
    page.get_by_label("Your name").fill("Ada")
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("hello Ada").wait_for()
