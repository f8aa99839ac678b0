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

import json
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bs4 import BeautifulSoup, Tag

from htmio import urls
from htmio.pin import _pins
from htmio.runtime import Session
from htmio.scopes import scope_dom_id
from htmio.server import create_app
from htmio.settings import Settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette warns about its own httpx transport; it works as it is
    from starlette.testclient import TestClient

__all__ = ["AppClient", "AppTimeout", "Field", "Popup"]

T = TypeVar("T")


def _group(pairs: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return list(grouped.items())


class AppTimeout(AssertionError):
    """What a test waited for did not happen in time; the message shows the page's text."""


@dataclass(frozen=True)
class Field:
    """One field of the form shown, as the user sees it.

        [age] = page.inputs()
        assert (age.label, age.type, age.help_text) == ("Your age", "number", "in years")

    ``type`` is the ``<input type>`` of a text field (text, number, password, url, date, time, color,
    datetime-local), else textarea, select, checkbox, radio, slider, file or actions. ``options`` are the
    labels of a choice field (the buttons of ``actions``). ``value`` is what the field holds now: its text,
    the chosen option's label (None when none is), a tuple of labels for checkbox and multiple select, None
    for file and actions.
    """

    name: str
    label: str
    type: str
    options: tuple[str, ...] = ()
    help_text: str = ""
    value: str | tuple[str, ...] | None = ""
    placeholder: str = ""
    required: bool = False
    error: str | None = None  # the validation message shown under the field


@dataclass(frozen=True)
class Popup:
    """The popup shown over the page.

        shown = page.popup()
        assert shown.title == "Saved" and shown.texts == ["Your changes are stored."]
    """

    title: str
    texts: list[str]  # the put_text outputs in it, in order
    text: str  # all its visible text, one line per element
    scope: str  # the name of its scope: page.texts(shown.scope), page.tables(shown.scope)
    closable: bool  # it has a close button (popup(closable=True))
    element: Tag = field(repr=False, compare=False)  # the <dialog>


def _text(node: Tag) -> str:
    return node.get_text(" ", strip=True)


def _describe(form: Tag, box: Tag) -> Field:
    """A Field from one ``.htmio-field`` element of an input form."""
    prefix, suffix = f"{form.get('id')}-", "-field"
    name = str(box.get("id", "")).removeprefix(prefix).removesuffix(suffix)
    kind = next((c[len("htmio-field-"):] for c in box.get_attribute_list("class")
                 if c.startswith("htmio-field-") and c != "htmio-field-invalid"), "input")
    control = box.select_one(f'[name="{name}"]')
    label = box.select_one("legend.htmio-label, p.htmio-label") or (
        box.select_one(f'label[for="{control["id"]}"]') if control is not None and control.get("id") else None)
    help_node, error_node = box.select_one(".htmio-help"), box.select_one(".htmio-field-error")
    options: tuple[str, ...] = ()
    value: str | tuple[str, ...] | None = None
    if kind in ("checkbox", "radio"):
        boxes = [(b, box.select_one(f'label[for="{b["id"]}"]')) for b in box.select(f'input[name="{name}"]')]
        options = tuple(_text(lab) if lab else "" for _, lab in boxes)
        chosen = tuple(_text(lab) if lab else "" for b, lab in boxes if b.has_attr("checked"))
        value = chosen if kind == "checkbox" else (chosen[0] if chosen else None)
    elif kind == "select" and control is not None:
        entries = control.select("option")
        options = tuple(_text(o) for o in entries)
        chosen = tuple(_text(o) for o in entries if o.has_attr("selected"))
        if control.has_attr("multiple"):
            value = chosen
        else:  # a browser shows (and sends) the first enabled option of a drop-down when none is selected
            first = [_text(o) for o in entries if not o.has_attr("disabled")][:1]
            value = (chosen or tuple(first) or (None,))[0]
    elif kind == "actions":
        options = tuple(_text(b) for b in box.select("button"))
    elif kind == "textarea" and control is not None:
        value = control.get_text().removeprefix("\n")  # the newline after <textarea> is not part of the text
    elif kind != "file_upload" and control is not None:
        value = str(control.get("value", ""))
    controls = box.select(f'[name="{name}"]')
    return Field(
        name=name,
        label=_text(label) if label else "",
        type={"input": str(control.get("type", "text")) if control is not None else "text",
              "file_upload": "file"}.get(kind, kind),
        options=options,
        help_text=_text(help_node) if help_node else "",
        value=value,
        placeholder=str(control.get("placeholder", "")) if control is not None else "",
        required=any(c.has_attr("required") for c in controls),
        error=_text(error_node) if error_node else None,
    )


class AppClient:
    """One browser page of an app: opens a session, submits forms, clicks buttons, reads the page.

        with AppClient(main) as page:
            page.submit("42")
            page.click("Refresh")
            print(page.texts())

    Each action waits until the app has settled (it waits on input, or is done) before it reloads the
    page, at most ``timeout`` seconds; the ``wait_*`` methods and ``next_input`` poll for what a
    background thread shows later, and fail with :class:`AppTimeout` and the page's text. ``headers`` go
    with every request, as a browser's would: ``AppClient(main, headers={"Accept-Language": "de"})``.
    """

    def __init__(self, main: Callable[[], Any], settings: Settings | None = None, timeout: float = 5.0,
                 headers: dict[str, str] | None = None) -> None:
        self.settings = settings or Settings(first_paint_wait=timeout, settle_timeout=timeout)
        self.timeout = timeout
        self.api = create_app(main, self.settings)
        # headers the "browser" sends with every request, like {"Accept-Language": "de"}
        self.http = TestClient(self.api, headers=headers)
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
        """Start a new session (``GET /``) and load its page; ``with AppClient(main)`` does it for you.

            page = AppClient(main).__enter__()       # what the htmio_app fixture does
        """
        response = self.http.get("/", follow_redirects=False)
        assert response.status_code == 303, f"GET / answered {response.status_code}: {response.text[:300]}"
        self.url = response.headers["location"]
        return self.refresh()

    @property
    def session(self) -> Session:
        """The server-side session of this page (htmio's internal ``Session``), for what a page can't show.

            assert page.session.is_async
        """
        sid = self.url.partition("?")[0].rsplit("/", 1)[-1]  # the page's address may keep a query (/s/<id>?app=a)
        return self.api.state.htmio.sessions[sid]  # type: ignore[no-any-return]

    def wait_settled(self) -> bool:
        """Wait until the app waits on input or is done, at most ``timeout`` seconds (a background
        thread may never settle; then the page is read as it stands, as a browser would). True if it settled.

            assert page.wait_settled()
        """
        deadline = time.monotonic() + self.timeout
        while not (self.session.is_settled or self.session.closed):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.002)
        self.session.flush()
        return True

    def refresh(self) -> BeautifulSoup:
        """Reload the page once the app has settled, as a browser without JavaScript would. Every action
        does this; call it after waiting for something a background thread does.

            time.sleep(1.1)
            page.refresh()
        """
        if self.url:
            self.wait_settled()
            response = self.http.get(self.url)
            self.soup = BeautifulSoup(response.text, "html.parser")
        return self.soup

    def close(self) -> None:
        """End the session as if the page was closed, and wait for its ``defer_call`` functions.

            page.close()
            assert saved == ["bye"]          # what the app's defer_call function did
        """
        self.session.close("page closed")
        if not self.session.deferred_done.wait(self.timeout):
            raise AppTimeout(f"defer_call functions did not finish within {self.timeout:g} s. Page:\n{self.text()}")

    # ---- reading ---------------------------------------------------------------------------

    def text(self) -> str:
        """All visible text of the page (status line, outputs, form, popup), one line per element.

            assert "total: 0" in page.text()
        """
        doc = self.soup.select_one("#htmio-doc")
        return doc.get_text("\n", strip=True) if doc else self.soup.get_text("\n", strip=True)

    def element(self, scope: str = "ROOT") -> Tag:
        """The BeautifulSoup element of a scope, to query with CSS selectors.

            assert page.element("log").select_one("img")["alt"] == "chart"
        """
        node = self.soup.select_one("#" + scope_dom_id(scope))
        if node is None:
            raise AssertionError(f"no scope {scope!r} on the page. Page:\n{self.text()}")
        return node

    def texts(self, scope: str = "ROOT") -> list[str]:
        """The texts of ``put_text`` outputs in a scope (and the scopes inside it), in page order.

            assert page.texts("log") == ["added 10", "added 5"]
        """
        return [p.get_text() for p in self.element(scope).select(".htmio-text")]

    def tables(self, scope: str = "ROOT") -> list[list[list[str]]]:
        """The tables (``put_table``) in a scope: each a list of rows of cell texts, the header row first.
        A cell holding outputs gives their text; a spanning cell appears once, where it starts.

            put_table([["Ada", 36]], header=["name", "age"])
            assert page.tables() == [[["name", "age"], ["Ada", "36"]]]
        """
        found = []
        for table in self.element(scope).select("table.htmio-table"):
            rows = [row for part in table.find_all(["thead", "tbody"], recursive=False)
                    for row in part.find_all("tr", recursive=False)]
            found.append([[_text(cell) for cell in row.find_all(["th", "td"], recursive=False)] for row in rows])
        return found

    def popup(self) -> Popup | None:
        """The popup shown now, or None.

            page.click("Details")
            assert page.popup().title == "Details"
        """
        dialog = self.soup.select_one("#htmio-popups dialog.htmio-popup")
        if dialog is None:
            return None
        title, body = dialog.select_one("h2"), dialog.select_one(".htmio-popup-body")
        return Popup(
            title=_text(title) if title else "",
            texts=[p.get_text() for p in body.select(".htmio-text")] if body else [],
            text=body.get_text("\n", strip=True) if body else "",
            scope=str(body.get("id", "")).removeprefix(scope_dom_id("")) if body else "",
            closable=dialog.select_one("form button.htmio-popup-close") is not None,
            element=dialog,
        )

    def form(self) -> Tag:
        """The ``<form>`` element of the input shown now (the newest one); fails if none is shown.

            assert page.form().select_one("h2").get_text() == "Order"
        """
        forms = self.soup.select("#htmio-inputs form")
        if not forms:
            raise AppTimeout(f"no input form is shown. Page:\n{self.text()}")
        return forms[-1]

    def inputs(self) -> list[Field]:
        """The fields of the form shown now, in order (see :class:`Field`).

            [name, age] = page.inputs()
            assert name.label == "Name" and age.type == "number" and age.required
        """
        form = self.form()
        return [_describe(form, box) for box in form.select("div.htmio-field")]

    def next_input(self, timeout: float | None = None) -> list[Field]:
        """Wait until a form is shown (it may already be), then return its fields like ``inputs()``.

            page.click("Ask")
            [color] = page.next_input()
            assert color.options == ("red", "green")
        """
        return self.wait_until(lambda: self.inputs() if self.soup.select("#htmio-inputs form") else None,
                               "an input form", timeout)

    def error(self) -> str | None:
        """The (first) validation message shown in the current form, or None.

            assert page.submit("200") == 422 and page.error() == "from 0 to 150"
        """
        node = self.form().select_one(".htmio-field-error")
        return node.get_text() if node else None

    def fields(self) -> dict[str, Tag]:
        """The controls of the current form by name (the first control of each name), as elements.

            assert page.fields()["value"]["value"] == "#3366cc"
        """
        found: dict[str, Tag] = {}
        for control in self.form().select("input[name], select[name], textarea[name], button[name]"):
            found.setdefault(str(control["name"]), control)
        return found

    def toasts(self) -> list[str]:
        """The texts of every toast the app has shown in this session, oldest first.

            assert page.toasts() == ["saved"]
        """
        seen: dict[str, str] = {}  # by toast id: a toast still up is in the page and in the stream
        for toast in self._sent().select(".htmio-toast"):
            body = toast.select_one(".htmio-toast-body")
            seen.setdefault(str(toast.get("id") or len(seen)), body.get_text(" ", strip=True) if body else "")
        return list(seen.values())

    def downloads(self) -> list[tuple[str, bytes]]:
        """The files the app offered with ``download()``: (name, bytes), oldest first.

            assert page.downloads() == [("a.csv", b"x,y\\n")]
        """
        offered = []
        for command in self._sent().select("[data-htmio-command=download]"):
            payload = json.loads(str(command["data-payload"]))
            offered.append((str(payload["name"]), self.http.get(payload["url"]).content))
        return offered

    def pins(self) -> dict[str, Any]:
        """The values of the pin widgets on the page, by name: what ``pin.<name>`` returns in the app
        (read from the server, which keeps them as the user changes them; not parsed from the page).

            page.set_pin("a", "6")
            assert page.pins() == {"a": 6, "op": "+"}
        """
        shown = [str(f["action"]).rsplit("/", 1)[-1] for f in self.soup.select("#htmio-doc form.htmio-pin")]
        state = _pins(self.session)
        with self.session.lock:
            return {name: state.values.get(name) for name in shown}

    def pin(self, name: str) -> Any:
        """The value of one pin widget on the page, as ``pin.<name>`` returns it in the app.

            assert page.pin("volume") == 30
        """
        values = self.pins()
        if name not in values:
            raise AssertionError(f"no pin widget named {name!r} on the page; there are {list(values)}. "
                                 f"Page:\n{self.text()}")
        return values[name]

    # ---- acting ----------------------------------------------------------------------------

    def submit(self, value: Any = None, *, htmx: bool = True, action: str = "submit",
               files: dict[str, Any] | None = None, **values: Any) -> int:
        """Submit the current form: ``submit("Ada")`` for a lone input, ``submit(name=..., age=...)`` for a
        group. Choices (select, checkbox, radio, actions) are given by their labels, a list for several;
        ``files={"photo": ("me.png", b"...", "image/png")}`` (or a list of such tuples) uploads files.

        Returns the HTTP status of the post (422 when a validation message is shown); the page is
        reloaded afterwards. ``action=`` sends another ``_action``, like an input's side button does.

            page.submit("Ada")
            page.submit(name="Ada", size="L", extras=["milk", "sugar"])
            page.submit(files={"value": ("a.txt", b"hello", "text/plain")})
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
        return self._answered(response)

    def cancel(self, *, htmx: bool = True) -> int:
        """Press the Cancel button of the form shown (``input_group(..., cancelable=True)``): the call
        returns None in the app.

            page.cancel()
            assert page.texts() == ["cancelled"]
        """
        form = self.form()
        if form.select_one('button[name="_action"][value="cancel"]') is None:
            raise AssertionError("the form shown has no Cancel button: input_group(..., cancelable=True) adds one "
                                 "(an actions() button of type 'cancel' is pressed with submit(label)). "
                                 f"Page:\n{self.text()}")
        response = self.http.post(str(form["action"]), data={"_token": self._token(), "_action": "cancel"},
                                  headers=self._headers(htmx), follow_redirects=False)
        return self._answered(response)

    def click(self, label: str, *, scope: str | None = None, nth: int = 0, htmx: bool = True) -> int:
        """Click what is labelled ``label`` and reload the page once the callback settled: a button of
        ``put_buttons``/``put_button`` (in tables and popups too), or an output made clickable with
        ``.onclick()``, matched by its text. ``scope`` looks only inside one scope; ``nth`` picks among
        several with the same label, in page order.

            page.click("+10")
            page.click("Edit", scope="rows", nth=2)
        """
        where = self.element(scope) if scope is not None else self.soup.select_one("#htmio-doc") or self.soup
        found = [node for node in where.select("form.htmio-buttons button, [data-htmio-clickable][hx-post]")
                 if _text(node) == label]
        if len(found) <= nth:
            place = f" in scope {scope!r}" if scope is not None else ""
            which = f"no button labelled {label!r}" if nth == 0 else f"only {len(found)} buttons labelled {label!r}"
            hint = (" It is in the input form: press it with submit(" + repr(label) + ")."
                    if any(_text(b) == label for b in self.soup.select("#htmio-inputs form button")) else "")
            raise AssertionError(f"{which}{place}.{hint} Page:\n{self.text()}")
        node = found[nth]
        if node.has_attr("disabled"):
            raise AssertionError(f"the button labelled {label!r} is disabled. Page:\n{self.text()}")
        if node.name == "button":
            form = node.find_parent("form")
            assert isinstance(form, Tag)
            response = self.http.post(str(form["action"]), data={"_token": self._token(), "_index": str(node["value"])},
                                      headers=self._headers(htmx), follow_redirects=False)
        else:  # htmx posts an empty body; the token rides in the header the <body> sets for every request
            response = self.http.post(str(node["hx-post"]), headers={**self._headers(True),
                                                                     "X-Htmio-Token": self._token()})
        return self._answered(response)

    def click_toast(self, text: str) -> int:
        """Click the toast showing ``text`` (one made with ``toast(..., onclick=...)``) and reload the page
        once its callback settled.

            page.click_toast("Undo")
        """
        for toast in reversed(self._sent().select(".htmio-toast")):
            body = toast.select_one("button.htmio-toast-body[hx-post]")
            if body is not None and _text(body) == text:
                response = self.http.post(str(body["hx-post"]), headers={**self._headers(True),
                                                                         "X-Htmio-Token": self._token()})
                return self._answered(response)
        raise AssertionError(f"no clickable toast says {text!r}; toasts shown: {self.toasts()}.")

    def close_popup(self, *, htmx: bool = True) -> int:
        """Close the popup shown with its close button (×), as the user would.

            page.close_popup()
            assert page.popup() is None
        """
        shown = self.popup()
        if shown is None:
            raise AssertionError(f"no popup is shown. Page:\n{self.text()}")
        button = shown.element.select_one("form button.htmio-popup-close")
        if button is None:
            raise AssertionError(f"the popup {shown.title!r} has no close button (popup(..., closable=False)); "
                                 "only the app can close it, with close_popup().")
        form = button.find_parent("form")
        assert isinstance(form, Tag)
        response = self.http.post(str(form["action"]), data={"_token": self._token()},
                                  headers=self._headers(htmx), follow_redirects=False)
        return self._answered(response)

    def set_pin(self, name: str, value: Any, *, htmx: bool = True) -> int:
        """Change a pin widget as the user would: type ``value`` into it, or pick options by their
        labels (a list for checkbox and multiple select), or press an ``put_actions`` button by its label.
        Returns the HTTP status of the post (409 when the widget is gone).

            page.set_pin("b", 0)
            page.set_pin("op", "÷")
            assert page.texts("result") == ["cannot divide by zero"]
        """
        form = self.soup.select_one(f'#htmio-doc form.htmio-pin[action$="{urls.pin("", name)}"]')
        if form is None:
            names = [str(f["action"]).rsplit("/", 1)[-1] for f in self.soup.select("#htmio-doc form.htmio-pin")]
            raise AssertionError(f"no pin widget named {name!r} on the page; there are {names}. Page:\n{self.text()}")
        sent = self._encode(form, name, "" if value is None else value)
        data: dict[str, Any] = {"_token": self._token()}
        if sent:  # a checkbox with nothing ticked sends no field at all
            data[name] = sent
        response = self.http.post(str(form["action"]), data=data, headers=self._headers(htmx), follow_redirects=False)
        return self._answered(response)

    # ---- waiting ---------------------------------------------------------------------------

    def wait_until(self, condition: Callable[[], T | None], what: str = "the condition", timeout: float | None = None) -> T:
        """Reload the page until ``condition()`` returns something true, and return it; after ``timeout``
        seconds (the client's own by default) fail with :class:`AppTimeout` and the page's text.

            page.wait_until(lambda: page.tables("report"), "the report table", timeout=2)
        """
        limit = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        while True:
            self.refresh()
            result = condition()
            if result:
                return result
            if time.monotonic() > deadline:
                raise AppTimeout(f"{what} did not come within {limit:g} s. Page:\n{self.text()}")
            time.sleep(0.02)

    def wait_for_text(self, text: str, scope: str = "ROOT", timeout: float | None = None) -> list[str]:
        """Reload until ``text`` is one of the texts of ``scope``; fail with the page's text if it never comes.

            page.click("Start")
            page.wait_for_text("done", timeout=2)
        """
        limit = self.timeout if timeout is None else timeout
        try:
            return self.wait_until(lambda: shown if text in (shown := self.texts(scope)) else None, timeout=limit)
        except AppTimeout:
            raise AppTimeout(f"{text!r} did not appear in scope {scope!r} within {limit:g} s. "
                             f"Page:\n{self.text()}") from None

    def wait_for_popup(self, title: str | None = None, timeout: float | None = None) -> Popup:
        """Reload until a popup (titled ``title``, if given) is shown, and return it.

            page.click("Details")
            assert page.wait_for_popup("Details").texts == ["42 rows"]
        """
        return self.wait_until(lambda: self._popup_titled(title),
                               "a popup" if title is None else f"a popup titled {title!r}", timeout)

    # ---- internals -------------------------------------------------------------------------

    def _popup_titled(self, title: str | None) -> Popup | None:
        shown = self.popup()
        return shown if shown is not None and title in (None, shown.title) else None

    def _answered(self, response: Any) -> int:
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

    def _token(self) -> str:
        body = self.soup.select_one("body")
        assert body is not None, "the page has no body"
        return str(body["data-htmio-token"])

    def _sent(self) -> BeautifulSoup:
        """Everything the session has sent over its stream (that the replay buffer still holds)."""
        self.session.flush()
        sent = "".join(m.data for m in self.session.messages)
        return BeautifulSoup(sent + "".join(str(c) for c in self.soup.select("#htmio-commands > *, #htmio-toasts > *")),
                             "html.parser")

    @staticmethod
    def _headers(htmx: bool) -> dict[str, str]:
        return {"HX-Request": "true"} if htmx else {}
