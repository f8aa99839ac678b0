"""Bokeh the PyWebIO way: output_notebook(notebook_type="pywebio" / "htmio") then bokeh.io.show(fig) puts the
plot in the page, with BokehJS served by htmio from the installed bokeh package (no CDN)."""
from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

bokeh_io = pytest.importorskip("bokeh.io")
from bokeh.layouts import column  # noqa: E402
from bokeh.models import Slider  # noqa: E402
from bokeh.plotting import figure  # noqa: E402

from htmio.output import put_text  # noqa: E402
from htmio.platform.bokeh import show_app  # noqa: E402


@pytest.fixture(autouse=True)
def _reset_bokeh_output() -> Iterator[None]:
    yield
    bokeh_io.reset_output()  # output_notebook() sets bokeh's process-wide state


def squares_app(notebook_type: str):
    def main() -> None:
        bokeh_io.output_notebook(notebook_type=notebook_type)
        put_text("before the plot")
        fig = figure(title="Squares", width=400, height=300)
        fig.line([1, 2, 3, 4], [1, 4, 9, 16], line_width=2)
        bokeh_io.show(fig)
        put_text("after the plot")

    return main


def bokeh_script(page) -> str:
    scripts = [s.get_text() for s in page.element().select("script") if "Bokeh" in s.get_text()]
    assert len(scripts) == 1, scripts
    return scripts[0]


@pytest.mark.parametrize("notebook_type", ["pywebio", "htmio"])
def test_show_puts_the_plot_in_the_page_with_bokehjs_from_htmio(open_app, notebook_type):
    page = open_app(squares_app(notebook_type))
    assert page.texts() == ["before the plot", "after the plot"]
    root = page.element()
    div = root.select_one("div[data-root-id]")
    assert div is not None and div.get("id")
    script = bokeh_script(page)
    assert div["id"] in script  # the script embeds the plot into its own div
    # the script sits between the two texts, in program order
    html = str(root)
    assert html.index("before the plot") < html.index(div["id"]) < html.index("after the plot")

    urls = re.findall(r'"([^"]*bokeh[^"]*\.js)"', script)
    assert urls, script
    for url in urls:
        assert urlsplit(url).netloc == "" and url.startswith("/_htmio/static/bokeh-"), url
        answer = page.http.get(url)
        assert answer.status_code == 200 and len(answer.content) > 100_000, url
        assert "javascript" in answer.headers["content-type"]
    assert any(url.endswith("/bokeh.min.js") for url in urls)


def test_a_widget_layout_loads_the_widgets_bundle_too(open_app):
    def main() -> None:
        bokeh_io.output_notebook(notebook_type="pywebio")
        fig = figure(width=300, height=200)
        fig.scatter([1, 2], [3, 4])
        bokeh_io.show(column(Slider(start=0, end=10, value=1, step=1, title="n"), fig))

    page = open_app(main)
    urls = re.findall(r'"([^"]*\.js)"', bokeh_script(page))
    assert [u.rsplit("/", 1)[-1] for u in urls][:1] == ["bokeh.min.js"]
    assert any(u.endswith("/bokeh-widgets.min.js") for u in urls)
    assert all(page.http.get(u).status_code == 200 for u in urls)


def test_only_bokehjs_of_the_installed_version_is_served(open_app):
    import bokeh

    page = open_app(squares_app("htmio"))
    here = f"/_htmio/static/bokeh-{bokeh.__version__}/static/js/bokeh.min.js"
    assert page.http.get(here).status_code == 200
    assert page.http.get(here).headers["cache-control"].endswith("immutable")
    assert page.http.get("/_htmio/static/bokeh-0.0.1/static/js/bokeh.min.js").status_code == 404
    assert page.http.get(f"/_htmio/static/bokeh-{bokeh.__version__}/static/../__init__.py").status_code == 404
    assert page.http.get(f"/_htmio/static/bokeh-{bokeh.__version__}/../server/server.py").status_code == 404


def test_a_bokeh_server_app_says_what_to_do_instead(raised_in_app):
    def bkapp(doc) -> None:
        doc.add_root(figure())

    def show_it() -> None:
        bokeh_io.output_notebook(notebook_type="pywebio")
        bokeh_io.show(bkapp)

    message = raised_in_app(show_it, NotImplementedError)
    assert "bokeh serve" in message and "server_document" in message and "bkapp" in message
    with pytest.raises(NotImplementedError, match="not Bokeh server applications"):
        show_app(bkapp, None, None)


@pytest.mark.parametrize("order", ["htmio first", "bokeh first"])
def test_the_hook_is_registered_whichever_is_imported_first_and_htmio_alone_does_not_import_bokeh(order):
    first, second = ("htmio", "bokeh.io") if order == "htmio first" else ("bokeh.io", "htmio")
    code = (f"import sys, importlib\n"
            f"importlib.import_module({first!r})\n"
            f"assert ({first!r} != 'htmio') or 'bokeh' not in sys.modules, 'import htmio imported bokeh'\n"
            f"importlib.import_module({second!r})\n"
            "from bokeh.io.notebook import _HOOKS\n"
            "assert {'pywebio', 'htmio'} <= set(_HOOKS), sorted(_HOOKS)\n")
    done = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


# ---- in chromium --------------------------------------------------------------------------------

@pytest.mark.browser
def test_a_figure_renders_offline_with_bokehjs_from_htmio(page, serve):
    from playwright.sync_api import expect

    from tests.browser_support import visit

    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    # the network beyond this machine is cut: a CDN request fails (and is recorded above)
    page.context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]).*"), lambda route: route.abort())
    server = serve(squares_app("pywebio"))
    visit(page, server, stream=False)  # the app ends after show(): its page has no stream
    expect(page.get_by_text("after the plot")).to_be_visible()
    # BokehJS renders into the plot's div: a figure element whose canvas is drawn (in a shadow root)
    canvas = page.locator("#pywebio-scope-ROOT div[data-root-id] canvas").first
    expect(canvas).to_be_attached(timeout=15_000)
    page.wait_for_function("() => window.Bokeh && Bokeh.documents.length === 1", timeout=15_000)
    box = canvas.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 100
    assert requests and all(urlsplit(url).hostname == "127.0.0.1" for url in requests), requests
    assert any("/bokeh.min.js" in url for url in requests)
