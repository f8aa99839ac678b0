"""Drive an htmio app in-process, over the real ASGI app (same templates, routes and session runtime;
no browser, no socket), and read the page the way a user would see it.

    def test_greets():
        def main():
            put_text("hello", input("name"))

        with AppClient(main) as page:
            page.submit("Ada")
            assert page.texts() == ["hello Ada"]
"""
from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from typing import Any

from bs4 import BeautifulSoup, Tag

from htmio.runtime import Session
from htmio.server import create_app
from htmio.settings import Settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette warns about its own httpx transport; it works as it is
    from starlette.testclient import TestClient

__all__ = ["AppClient", "AppTimeout"]


def _group(pairs: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return list(grouped.items())


class AppTimeout(AssertionError):
    """What a test waited for did not happen in time; the message shows the page's text."""


class AppClient:
    """One browser page of an app: opens a session, submits forms, clicks buttons, reads the page.

        with AppClient(main) as page:
            page.submit("42")
            page.click("Refresh")
            print(page.texts())
    """

    def __init__(self, main: Callable[[], Any], settings: Settings | None = None, timeout: float = 5.0) -> None:
        self.settings = settings or Settings(first_paint_wait=timeout, settle_timeout=timeout)
        self.timeout = timeout
        self.api = create_app(main, self.settings)
        self.http = TestClient(self.api)
        self.url = ""
        self.soup = BeautifulSoup("", "html.parser")

    def __enter__(self) -> AppClient:
        self.http.__enter__()
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.__exit__(*exc)

    # ---- the session --------------------------------------------------------------------------

    def open(self) -> BeautifulSoup:
        """Start a new session (``GET /``) and load its page."""
        response = self.http.get("/", follow_redirects=False)
        assert response.status_code == 303, f"GET / answered {response.status_code}: {response.text[:300]}"
        self.url = response.headers["location"]
        return self.refresh()

    @property
    def session(self) -> Session:
        """The server-side session of this page."""
        sid = self.url.rsplit("/", 1)[-1]
        return self.api.state.htmio.sessions[sid]  # type: ignore[no-any-return]

    def wait_settled(self) -> bool:
        """Wait until the app waits on input or is done, at most ``timeout`` seconds (a background
        thread may never settle; then the page is read as it stands, as a browser would). True if it settled."""
        deadline = time.monotonic() + self.timeout
        while not (self.session.is_settled or self.session.closed):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.002)
        self.session.flush()
        return True

    def refresh(self) -> BeautifulSoup:
        """Reload the page once the app has settled, as a browser without JavaScript would."""
        if self.url:
            self.wait_settled()
            response = self.http.get(self.url)
            self.soup = BeautifulSoup(response.text, "html.parser")
        return self.soup

    def close(self) -> None:
        """End the session as if the page was closed, and wait for its ``defer_call`` functions."""
        self.session.close("page closed")
        if not self.session.deferred_done.wait(self.timeout):
            raise AppTimeout("defer_call functions did not finish in time.")

    # ---- reading ---------------------------------------------------------------------------

    def text(self) -> str:
        """All visible text of the document, for error messages."""
        doc = self.soup.select_one("#htmio-doc")
        return doc.get_text("\n", strip=True) if doc else self.soup.get_text("\n", strip=True)

    def texts(self, scope: str = "ROOT") -> list[str]:
        """The texts of ``put_text`` outputs in a scope (and the scopes inside it), in page order."""
        node = self.soup.select_one(f"#htmio-scope-{scope}")
        if node is None:
            raise AssertionError(f"no scope {scope!r} on the page. Page:\n{self.text()}")
        return [p.get_text() for p in node.select(".htmio-text")]

    def form(self) -> Tag:
        """The input form shown now (the newest one)."""
        forms = self.soup.select("#htmio-inputs form")
        if not forms:
            raise AppTimeout(f"no input form is shown. Page:\n{self.text()}")
        return forms[-1]

    def error(self) -> str | None:
        """The validation message shown in the current form, if any."""
        node = self.form().select_one(".htmio-field-error")
        return node.get_text() if node else None

    # ---- acting ----------------------------------------------------------------------------

    def submit(self, value: Any = None, *, htmx: bool = True, action: str = "submit",
               files: dict[str, Any] | None = None, **values: Any) -> int:
        """Submit the current form: ``submit("Ada")`` for a lone input, ``submit(name=..., age=...)`` for a
        group. Choices (select, checkbox, radio, actions) are given by their labels, a list for several;
        ``files={"photo": ("me.png", b"...", "image/png")}`` (or a list of such tuples) uploads files.

        Returns the HTTP status of the post; the page is reloaded afterwards.
        """
        form = self.form()
        data: list[tuple[str, str]] = [("_token", self._token()), ("_action", action)]
        if value is not None:
            values = {"value": value, **values}
        for name, given in values.items():
            data.extend((name, sent) for sent in self._encode(form, name, given))
        uploads: list[tuple[str, tuple[str, bytes, str]]] = []
        for name, given in (files or {}).items():
            uploads.extend((name, item) for item in (given if isinstance(given, list) else [given]))
        response = self.http.post(str(form["action"]), data=dict(_group(data)),
                                  files=uploads or None, headers=self._headers(htmx), follow_redirects=False)
        self.last_response = response
        self.refresh()
        return int(response.status_code)

    @staticmethod
    def _encode(form: Tag, name: str, given: Any) -> list[str]:
        """What the browser would send for ``given`` in the field ``name``: option labels become indexes."""
        wanted = [str(g) for g in given] if isinstance(given, (list, tuple)) else [str(given)]
        choices: dict[str, str] = {}
        for option in form.select(f'select[name="{name}"] option'):
            choices[option.get_text(strip=True)] = str(option["value"])
        for box in form.select(f'input[name="{name}"][type=checkbox], input[name="{name}"][type=radio]'):
            label = form.select_one(f'label[for="{box["id"]}"]')
            if label is not None:
                choices[label.get_text(strip=True)] = str(box["value"])
        for button in form.select(f'button[name="{name}"]'):
            choices[button.get_text(strip=True)] = str(button["value"])
        if not choices:
            return wanted
        missing = [w for w in wanted if w not in choices]
        if missing:
            raise AssertionError(f"{name!r} has no option labelled {missing[0]!r}; it offers {list(choices)}.")
        return [choices[w] for w in wanted]

    def click(self, label: str, *, htmx: bool = True) -> int:
        """Click the button labelled ``label`` and reload the page once the callback settled."""
        for button in self.soup.select("#htmio-doc form.htmio-buttons button"):
            if button.get_text(strip=True) == label:
                form = button.find_parent("form")
                assert isinstance(form, Tag)
                response = self.http.post(
                    str(form["action"]), data={"_token": self._token(), "_index": str(button["value"])},
                    headers=self._headers(htmx), follow_redirects=False)
                self.last_response = response
                self.refresh()
                return int(response.status_code)
        raise AssertionError(f"no button labelled {label!r}. Page:\n{self.text()}")

    def _token(self) -> str:
        body = self.soup.select_one("body")
        assert body is not None, "the page has no body"
        return str(body["data-htmio-token"])

    def wait_for_text(self, text: str, scope: str = "ROOT", timeout: float | None = None) -> list[str]:
        """Reload until ``text`` is one of the texts of ``scope``; fail with the page's text if it never comes.

            page.click("Start")
            page.wait_for_text("done", timeout=2)
        """
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            self.refresh()
            shown = self.texts(scope)
            if text in shown:
                return shown
            if time.monotonic() > deadline:
                raise AppTimeout(f"{text!r} did not appear in scope {scope!r} within "
                                 f"{self.timeout if timeout is None else timeout:g} s. Page:\n{self.text()}")
            time.sleep(0.02)

    def toasts(self) -> list[str]:
        """The texts of every toast the app has shown in this session, oldest first."""
        seen: dict[str, str] = {}  # by toast id: a toast still up is in the page and in the stream
        for toast in self._sent().select(".htmio-toast"):
            body = toast.select_one(".htmio-toast-body")
            seen.setdefault(str(toast.get("id") or len(seen)), body.get_text(" ", strip=True) if body else "")
        return list(seen.values())

    def downloads(self) -> list[tuple[str, bytes]]:
        """The files the app offered with ``download()``: (name, bytes), oldest first."""
        import json

        offered = []
        for command in self._sent().select("[data-htmio-command=download]"):
            payload = json.loads(str(command["data-payload"]))
            offered.append((str(payload["name"]), self.http.get(payload["url"]).content))
        return offered

    def _sent(self) -> BeautifulSoup:
        """Everything the session has sent over its stream (that the replay buffer still holds)."""
        self.session.flush()
        sent = "".join(m.data for m in self.session.messages)
        return BeautifulSoup(sent + "".join(str(c) for c in self.soup.select("#htmio-commands > *, #htmio-toasts > *")),
                             "html.parser")

    def fields(self) -> dict[str, Tag]:
        """The controls of the current form by name (the first control of each name)."""
        found: dict[str, Tag] = {}
        for control in self.form().select("input[name], select[name], textarea[name], button[name]"):
            found.setdefault(str(control["name"]), control)
        return found

    @staticmethod
    def _headers(htmx: bool) -> dict[str, str]:
        return {"HX-Request": "true"} if htmx else {}
