"""put_datatable in a real browser: sorting, paging and filtering through htmx, selection and actions calling
the app, changes made by the app arriving over the event stream, and paging without JavaScript."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from htmio.output import datatable_update, put_buttons, put_datatable, put_text
from tests.browser_support import keep_this_document, same_document, texts, visit, wait_until

PEOPLE = [{"name": f"Person {i:03}", "age": 20 + i % 50, "city": ["Oslo", "Lima", "Pune"][i % 3]} for i in range(120)]


def first_cells(page: Page):
    """The first data cell of each shown row."""
    return page.locator(".htmio-dt-table tbody tr td:not(.htmio-dt-check):first-of-type")


def first_cells_after_check(page: Page):
    return page.locator(".htmio-dt-table tbody tr td.htmio-dt-check + td")


@pytest.mark.browser
def test_clicking_a_heading_sorts_and_clicking_again_reverses(page, serve):
    server = serve(lambda: put_datatable(PEOPLE))
    visit(page, server)
    keep_this_document(page)
    expect(page.locator(".htmio-dt-table tbody tr")).to_have_count(50)

    page.get_by_role("link", name="Age", exact=True).click()
    expect(page.locator("th", has_text="Age")).to_have_attribute("aria-sort", "ascending")
    expect(page.locator(".htmio-dt-table tbody tr").first.locator("td").nth(1)).to_have_text("20")
    page.get_by_role("link", name="Age", exact=True).click()
    expect(page.locator("th", has_text="Age")).to_have_attribute("aria-sort", "descending")
    expect(page.locator(".htmio-dt-table tbody tr").first.locator("td").nth(1)).to_have_text("69")
    assert same_document(page), "sorting should swap the grid in place, not reload the page"


@pytest.mark.browser
def test_next_page_and_a_page_number_show_those_rows(page, serve):
    server = serve(lambda: put_datatable(PEOPLE))
    visit(page, server)
    keep_this_document(page)

    page.get_by_role("link", name="Next ›").click()
    expect(first_cells(page).first).to_have_text("Person 050")
    expect(page.locator(".htmio-dt-count")).to_have_text("51–100 of 120")
    page.get_by_role("link", name="Page 3").click()
    expect(first_cells(page)).to_have_count(20)
    expect(first_cells(page).first).to_have_text("Person 100")
    expect(page.locator(".htmio-dt-current")).to_have_text("3")
    assert same_document(page)
    page.reload()  # the server kept the page
    expect(first_cells(page).first).to_have_text("Person 100")


@pytest.mark.browser
def test_typing_in_the_filter_narrows_the_rows_and_keeps_what_was_typed(page, serve):
    server = serve(lambda: put_datatable(PEOPLE))
    visit(page, server)
    keep_this_document(page)

    box = page.get_by_label("Filter rows")
    box.click()
    page.keyboard.type("person 1", delay=40)
    page.wait_for_timeout(450)  # a request for what was typed so far is on its way; keep typing
    page.keyboard.type("1", delay=20)
    expect(first_cells(page)).to_have_text([f"Person {i}" for i in range(110, 120)])
    expect(box).to_have_value("person 11")
    expect(box).to_be_focused()
    expect(page.locator(".htmio-dt-count")).to_have_text("1–10 of 10 (filtered from 120)")
    box.fill("")
    expect(first_cells(page)).to_have_count(50)
    assert same_document(page)


@pytest.mark.browser
def test_selecting_a_row_and_clicking_an_action_runs_the_callback(page, serve):
    def main():
        put_datatable(PEOPLE, actions=[("Greet", lambda row_id: put_text(f"hello {PEOPLE[row_id]['name']}"))],
                      onselect=lambda row_id: put_text(f"selected {row_id}"))

    server = serve(main)
    visit(page, server)
    keep_this_document(page)

    page.get_by_label("Select row 4", exact=True).check()
    expect(texts(page)).to_have_text(["selected 4"])
    expect(page.locator(".htmio-dt-selected")).to_have_text("1 selected")
    page.get_by_role("button", name="Greet").click()
    expect(texts(page)).to_have_text(["selected 4", "hello Person 004"])
    expect(page.get_by_label("Select row 4", exact=True)).to_be_checked()
    assert same_document(page)


@pytest.mark.browser
def test_multiple_selection_spans_pages(page, serve):
    def main():
        put_datatable(PEOPLE, multiple_select=True, actions=[("Count", lambda ids: put_text(f"ids {ids}"))])

    server = serve(main)
    visit(page, server)
    page.get_by_label("Select row 1", exact=True).check()
    expect(page.locator(".htmio-dt-selected")).to_have_text("1 selected")
    page.get_by_role("link", name="Next ›").click()
    expect(first_cells_after_check(page).first).to_have_text("Person 050")
    page.get_by_label("Select row 60", exact=True).check()
    expect(page.locator(".htmio-dt-selected")).to_have_text("2 selected")
    page.get_by_role("button", name="Count").click()
    expect(texts(page)).to_have_text(["ids [1, 60]"])


@pytest.mark.browser
def test_datatable_update_from_a_button_shows_the_new_value(page, serve):
    def main():
        put_datatable(PEOPLE[:3], instance_id="people")
        put_buttons(["Rename"], onclick=lambda _: datatable_update("people", "Grace", row_id=1, field="name"))

    server = serve(main)
    visit(page, server)
    keep_this_document(page)
    expect(first_cells(page)).to_have_text(["Person 000", "Person 001", "Person 002"])
    page.get_by_role("button", name="Rename").click()
    expect(first_cells(page)).to_have_text(["Person 000", "Grace", "Person 002"])
    assert same_document(page), "the change should arrive over the event stream"


@pytest.mark.browser
def test_without_javascript_links_page_and_sort_and_the_filter_form_filters(new_context, serve):
    server = serve(lambda: put_datatable(PEOPLE, actions=[("Greet", lambda row_id: put_text(f"hello {row_id}"))]))
    page = new_context(java_script_enabled=False).new_page()
    visit(page, server, stream=False)

    with page.expect_navigation():
        page.get_by_role("link", name="Next ›").click()
    expect(first_cells_after_check(page).first).to_have_text("Person 050")
    assert page.url.endswith("#" + page.locator(".htmio-datatable").get_attribute("id"))
    with page.expect_navigation():
        page.get_by_role("link", name="Age", exact=True).click()
    expect(page.locator("th", has_text="Age")).to_have_attribute("aria-sort", "ascending")
    expect(page.locator(".htmio-dt-current")).to_have_text("1")

    page.get_by_label("Filter rows").fill("lima")
    with page.expect_navigation():
        page.get_by_label("Filter rows").press("Enter")
    expect(page.locator(".htmio-dt-count")).to_have_text("1–40 of 40 (filtered from 120)")

    page.get_by_label("Select row 7", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Greet").click()
    # the action runs in a session thread while the browser follows the redirect: reload until it shows
    wait_until(lambda: page.reload() is not None and texts(page).count() == 1, what="the action's output")
    expect(texts(page)).to_have_text(["hello 7"])
    expect(page.get_by_label("Select row 7", exact=True)).to_be_checked()


@pytest.mark.browser
def test_an_update_from_the_app_while_typing_keeps_the_filter_box_and_its_focus(page, serve):
    import threading
    import time

    from htmio.session import register_thread

    def main():
        put_datatable([dict(p) for p in PEOPLE], instance_id="people")

        def tick():  # the app changes the table every 50 ms while the user types
            for n in range(60):
                datatable_update("people", {"name": f"Person 000 v{n}", "age": 1, "city": "Oslo"}, row_id=0)
                time.sleep(0.05)

        worker = threading.Thread(target=tick)
        register_thread(worker)
        worker.start()

    server = serve(main)
    visit(page, server)
    box = page.get_by_role("searchbox", name="Filter rows")
    box.click()
    for ch in "Person 11":  # slower than the updates: several re-renders land between keys
        page.keyboard.type(ch)
        page.wait_for_timeout(60)
    expect(box).to_have_value("Person 11")
    expect(box).to_be_focused()
    expect(page.locator(".htmio-dt-count")).to_contain_text("of 10 (filtered from 120)")
