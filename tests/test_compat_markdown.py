"""HTML written in Markdown, as PyWebIO shows it: marked.js keeps it, and with ``sanitize=True`` (the default)
DOMPurify takes out what is dangerous and keeps the formatting. htmio cleans with nh3, and keeps nothing that
could reach htmio itself (ids, data-*, hx-*, forms); ``sanitize=False`` keeps the app's HTML as written."""
from __future__ import annotations

import pytest

from htmio.output import put_html, put_markdown, put_text, use_scope

PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="

NOTES = f"""## Release notes <sup>beta</sup>
    Press <kbd>Ctrl</kbd>+<kbd>S</kbd> to save.<br>Saved files go to <font color="red">~/notes</font>.

    <center>centred</center>

    <details><summary>More</summary>

    Hidden *details*.

    </details>

    <p style="color: rgb(0, 128, 0); text-align: right">green, on the right</p>

    | key | action |
    |-----|--------|
    | <kbd>F1</kbd> | help <img src="https://example.org/help.png" alt="help" width="16"> |

    <img src="{PNG}" alt="dot">
    """

HOSTILE = """# Hello
    <script>document.title = 'owned'</script>
    <img src="https://example.org/x.png" onerror="alert(1)" id="htmio-scope-ROOT">
    <a href="javascript:alert(1)">a javascript: link</a> and <a href="data:text/html,<b>x</b>">a data: link</a>
    <div id="pywebio-scope-ROOT" hx-post="/evil" data-hx-post="/evil" hx-trigger="load" name="n">hijack</div>
    <form action="/evil"><input type="text" name="q"><button>go</button></form>
    <style>body { display: none }</style>
    <a href="https://example.org" style="position: fixed; inset: 0; z-index: 9999; color: red">covers the page</a>
    """


def markdown(page, scope: str = "ROOT"):
    return page.element(scope).select_one(".htmio-markdown")


def test_html_in_markdown_is_kept_when_sanitised(open_app):
    def main():
        put_markdown(NOTES)

    md = markdown(open_app(main))
    assert md.h2.sup.get_text() == "beta"
    assert [k.get_text() for k in md.select("kbd")] == ["Ctrl", "S", "F1"]
    assert md.select_one("br") is not None
    assert md.select_one("font")["color"] == "red" and md.font.get_text() == "~/notes"
    assert md.select_one("center").get_text() == "centred"
    details = md.select_one("details")
    assert details.summary.get_text() == "More" and details.em.get_text() == "details"
    styled = md.find("p", string="green, on the right")
    assert styled["style"].replace(" ", "") == "color:rgb(0,128,0);text-align:right"
    help_image = md.select_one("td img")
    assert (help_image["src"], help_image["alt"], help_image["width"]) == ("https://example.org/help.png", "help", "16")
    assert md.select_one('img[alt="dot"]')["src"] == PNG  # an image as a data: URL, as markdown-it allows


def test_sanitised_markdown_keeps_no_script_handler_link_id_form_or_htmx_attribute(open_app):
    def main():
        put_markdown(HOSTILE)

    page = open_app(main)
    md = markdown(page)
    assert md.h1.get_text() == "Hello"
    assert md.find("script") is None and "owned" not in md.get_text()
    assert md.find("style") is None and md.find("form") is None and md.find("button") is None
    assert md.find("input") is None or md.find("input")["type"] == "checkbox"
    for el in md.find_all(True):
        assert not any(a.startswith(("on", "hx-", "data-")) or a in ("id", "name") for a in el.attrs), el
    links = {a.get_text(): a.get("href") for a in md.select("a")}
    assert links["a javascript: link"] is None and links["a data: link"] is None
    assert md.select_one("img")["src"] == "https://example.org/x.png"  # the image stays, its handler goes
    cover = md.find("a", string="covers the page")
    assert cover["href"] == "https://example.org" and cover["style"] == "color:red"  # no position, inset, z-index
    assert md.find(string=lambda s: "hijack" in s) is not None  # the text of a stripped element stays
    assert len(page.soup.select("#htmio-scope-ROOT, #pywebio-scope-ROOT")) == 1  # only htmio's own scope has it


@pytest.mark.parametrize("code", ["<img src=x onerror=alert(1)>", "<svg><script>alert(1)</script></svg>",
                                  '<a href=" JaVaScRiPt:alert(1)">x</a>', "<iframe src='https://example.org'></iframe>",
                                  '<object data="x.swf"></object>', '<math><mi xlink:href="javascript:alert(1)">x</mi></math>'])
def test_sanitised_markdown_drops_each_vector(open_app, code):
    def main():
        put_markdown(f"text {code} more")

    md = markdown(open_app(main))
    assert md.find(["script", "iframe", "object", "svg", "math"]) is None
    for el in md.find_all(True):
        assert not any(a.startswith("on") for a in el.attrs), el
        assert "javascript" not in str(el.get("href", "")).lower() and "javascript" not in str(el.attrs).lower()


def test_markdown_with_sanitize_false_is_kept_as_written(open_app):
    def main():
        with use_scope("preview"):
            put_markdown("""## Trusted
            <div id="banner" class="note" data-kind="info" style="position: sticky">a <b>banner</b></div>
            <img src="https://example.org/x.png" onerror="this.remove()">
            <script>window.previewed = 1</script>
            """, sanitize=False)

    page = open_app(main)
    md = markdown(page, "preview")
    banner = md.select_one("div#banner")
    assert banner["class"] == ["note"] and banner["data-kind"] == "info" and banner["style"] == "position: sticky"
    assert md.select_one("img")["onerror"] == "this.remove()"
    # the script is there, marked for htmio.js to run in order (as put_html's are), and htmx leaves it all alone
    script = md.select_one("script")
    assert script.get_text() == "window.previewed = 1" and script["type"] == "text/x-htmio-script"
    assert md.has_attr("hx-ignore")


def test_the_same_cleaning_for_put_html_with_sanitize(open_app):
    def main():
        put_html('<p>Hi <font color="blue">there</font><script>alert(1)</script>'
                 '<span id="x" hx-get="/evil" onclick="alert(1)">!</span></p>', sanitize=True)

    html = open_app(main).element().select_one(".htmio-html")
    assert html.font["color"] == "blue" and html.script is None
    assert html.span.attrs == {}


def test_a_clickable_markdown_or_html_output_is_not_inside_hx_ignore(open_app):
    # hx-ignore covers the element it is on: the click must stay live, the trusted HTML inert
    def main():
        put_markdown("<b>md</b>", sanitize=False).onclick(lambda: put_text("md clicked"))
        put_html("<b>html</b>").onclick(lambda: put_text("html clicked"))
        put_markdown("plain **md**").onclick(lambda: put_text("plain clicked"))

    page = open_app(main)
    outputs = page.element().select("[data-htmio-clickable]")
    assert len(outputs) == 3
    for output in outputs:
        assert output.has_attr("hx-post") and output.find_parent(attrs={"hx-ignore": True}) is None
        assert not output.has_attr("hx-ignore")
    assert outputs[0].select_one(".htmio-inert[hx-ignore] b").get_text() == "md"
    assert outputs[1].select_one(".htmio-inert[hx-ignore] b").get_text() == "html"
    page.click("md")
    page.click("html")
    assert page.texts() == ["md clicked", "html clicked"]
