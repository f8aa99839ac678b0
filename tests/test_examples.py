"""Every file in examples/ runs, driven in-process the way a user would use it."""
from __future__ import annotations

from pathlib import Path

from htmio.cli import load_app

EXAMPLES = Path(__file__).parent.parent / "examples"
TESTED = {"hello.py", "scopes.py", "text_inputs.py", "choices.py", "upload.py", "groups.py", "clock.py",
          "calculator.py", "chat.py", "async_app.py", "script.py", "several_apps.py", "mounted.py", "gallery.py"}


def test_every_example_has_a_test():
    assert {p.name for p in EXAMPLES.glob("*.py")} == TESTED


def test_hello(open_app):
    page = open_app(load_app(EXAMPLES / "hello.py"))
    assert page.form().select_one("label").get_text() == "what's your name"
    page.submit("Ada")
    assert page.texts() == ["hello Ada"]


def test_scopes(open_app):
    page = open_app(load_app(EXAMPLES / "scopes.py"))
    assert page.texts("total") == ["total: 0"]
    page.submit("5")
    assert page.texts("total") == ["total: 5"]
    page.click("+10")
    assert page.texts("total") == ["total: 15"]
    assert page.texts("log") == ["added 10", "added 5"]
    page.click("Reset")
    assert page.texts("total") == ["total: 0"] and page.texts("log") == []
    page.click("Hide log")
    assert page.soup.select_one("#pywebio-scope-log") is None


def test_text_inputs(open_app):
    page = open_app(load_app(EXAMPLES / "text_inputs.py"))
    page.submit("Ada")
    assert page.submit("200") == 422 and "0 to 150" in page.error()
    page.submit("36")
    page.submit("1.7")
    page.submit("2026-11-23")
    assert page.fields()["value"]["value"] == "#3366cc"
    page.submit("#ff0000")
    page.submit(action="action:value", value="")
    token = page.fields()["value"]["value"]
    assert len(token) == 16
    page.submit(token)
    assert page.form().select_one("textarea")["data-htmio-code"] == '{"mode":"python"}'
    page.submit("x = 1")
    assert page.texts() == ["Ada, 36 years, 1.7 m, likes 2026-11-23 and #ff0000; token of 16 characters."]
    assert "x = 1" in page.soup.select_one(".htmio-markdown code").get_text()


def test_choices(open_app):
    page = open_app(load_app(EXAMPLES / "choices.py"))
    assert page.form().select_one("option[selected]").get_text() == "M"
    page.submit("L")
    page.submit(["olives", "basil"])
    page.submit("thin")
    page.submit("4")
    assert page.texts() == ["widths (44, 46), toppings olives, basil, thin crust, spice 4/5"]
    page.submit("Cancel")
    assert page.texts()[-1] == "cancelled"


def test_upload(open_app):
    page = open_app(load_app(EXAMPLES / "upload.py"))
    page.submit(files={"value": [("a.txt", b"hello", "text/plain"), ("b.bin", b"\0" * 10, "application/octet-stream")]})
    cells = [td.get_text() for td in page.soup.select(".htmio-markdown td")]
    assert cells[:3] == ["a.txt", "5", "text/plain"] and cells[4:7] == ["b.bin", "10", "application/octet-stream"]


def test_groups(open_app):
    page = open_app(load_app(EXAMPLES / "groups.py"))
    response = page.http.post(page.form()["action"], data={
        "_token": page._token(), "_action": "change:country", "name": "", "country": "2", "city": "0",
        "guests": "2"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    page.refresh()
    assert [o.get_text() for o in page.form().select("select[name=city] option")] == ["Tokyo", "Kyoto"]
    assert page.submit(name="Ada", country="Japan", city="Kyoto", guests="0") == 422
    page.submit(name="Ada", country="Japan", city="Kyoto", guests="3")
    assert page.texts() == ["Ada: 3 guests to Kyoto, Japan."]


def test_clock(open_app):
    import time

    app = load_app(EXAMPLES / "clock.py")
    page = open_app(lambda: app(interval=0.05), timeout=0.2)
    first = page.texts("time")
    assert len(first) == 1 and first[0].count(":") == 2
    time.sleep(1.1)
    page.refresh()
    assert page.texts("time") != first  # the thread keeps the scope up to date
    page.close()


def test_calculator(open_app):
    page = open_app(load_app(EXAMPLES / "calculator.py"), timeout=0.3)
    assert page.texts("result") == ["6 + 7 = 13"]

    page.set_pin("op", "×")
    assert page.texts("result") == ["6 × 7 = 42"]
    page.set_pin("b", 0)
    page.set_pin("op", "÷")
    assert page.texts("result") == ["cannot divide by zero"]
    assert page.pins()["op"] == "÷"


def test_chat_between_two_sessions():
    import time

    from htmio.testing import AppClient

    main = load_app(EXAMPLES / "chat.py")
    with AppClient(main, timeout=0.3) as ada, AppClient(main, timeout=0.3) as bob:
        ada.submit("Ada")
        bob.submit("Bob")
        ada.submit(text="hello Bob", cmd="Send")
        time.sleep(0.2)
        bob.refresh()
        assert "Ada: hello Bob" in bob.texts("messages")
        bob.submit(text="hi", cmd="Leave")
        time.sleep(0.2)
        ada.refresh()
        assert ada.texts("messages")[-1] == "room: Bob left"


def test_async_app(open_app):
    import time

    page = open_app(load_app(EXAMPLES / "async_app.py"))
    assert page.session.is_async
    assert page.texts("clock")[0].count(":") == 2
    page.click("in 1 s")
    page.submit("Ada")
    assert page.texts()[-1] == "hello Ada"
    time.sleep(1.1)
    page.refresh()
    assert "1 s later" in page.texts()


def test_script(open_app):
    page = open_app(load_app(EXAMPLES / "script.py"))
    assert page.submit("25") == 422 and page.error() == "from 1 to 20"
    page.submit("3")
    assert page.texts()[0] == "1 × 3 = 3" and page.texts()[-1] == "10 × 3 = 30"


def import_example(name: str):
    """An example file as a module (for those that are not a single main())."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_several_apps():
    import warnings

    from bs4 import BeautifulSoup

    from htmio.platform.fastapi import asgi_app

    module = import_example("several_apps")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    with TestClient(asgi_app({"index": module.main, "report": module.report}, first_paint_wait=2)) as client:
        home = BeautifulSoup(client.get("/").text, "html.parser")
        assert home.title.get_text() == "Home" and home.select_one("form.htmio-buttons button").get_text() == "Open the report"
        report = BeautifulSoup(client.get("/?app=report").text, "html.parser")
        assert report.title.get_text() == "Report" and report.html["data-theme"] == "dark"
        assert [td.get_text() for td in report.select("td")] == ["November", "42"]


def test_mounted():
    import warnings

    module = import_example("mounted")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    with TestClient(module.host) as client:
        assert client.get("/health").json() == {"status": "ok"}
        index = client.get("/tools/")
        assert '/tools/?app=greet' in index.text
        page = client.get("/tools/?app=greet", follow_redirects=True)
        assert "Your name" in page.text and '/tools/s/' in page.text


def test_gallery(open_app):
    page = open_app(load_app(EXAMPLES / "gallery.py"))
    doc = page.soup.select_one("#pywebio-scope-ROOT")
    shown = {cls for el in doc.select("[class]") for cls in el["class"]}
    # every component once: each one's root class is on the page
    for cls in ("htmio-markdown", "htmio-text", "htmio-html", "htmio-code", "htmio-link", "htmio-file", "htmio-image",
                "htmio-alert-info", "htmio-alert-success", "htmio-alert-warning", "htmio-alert-danger",
                "htmio-progress", "htmio-loading", "htmio-table", "htmio-datatable", "htmio-buttons", "htmio-collapse",
                "htmio-tabs", "htmio-scrollable", "htmio-widget", "htmio-row", "htmio-column", "htmio-grid"):
        assert cls in shown, cls
    assert page.texts()[-1] == "End of the gallery."
    assert doc.select_one(".htmio-progress")["aria-valuenow"] == "70.0"
    assert doc.select_one("img.htmio-image")["src"].startswith("data:image/png;base64,")
    assert page.http.get(doc.select_one("a.htmio-file")["href"]).content == b"Hello from htmio\n"
    page.click("buy")  # the first button in the table
    assert page.toasts() == ["Apple bought"]
    page.click("Open a popup")
    assert page.soup.select_one("dialog.htmio-popup h2").get_text() == "A popup"
    page.click("Close")
    assert page.soup.select_one("dialog") is None
