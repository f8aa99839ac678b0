"""The programs in tests/programs/ (PyWebIO programs with only ``pywebio`` renamed to ``htmio``) in chromium,
for what only a browser shows: keys recoloured by jQuery in run_js, CSS the programs aim at
``#pywebio-scope-NAME`` and ``.markdown-body``, table and grid spans, a row's sizes, popups, a code editor
feeding a live preview, go_app between themed apps, and two players in two browsers at once."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser_support import visit
from tests.programs import chat_room, env_demo, md_previewer, output_tour, themes, tictactoe, word_game


def box(locator: Locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not on screen"
    return found


def scope(page: Page, name: str) -> Locator:
    return page.locator(f"#pywebio-scope-{name}")


# ---- word_game.py: jQuery recolours the keys, the grid is the program's own CSS ------------------------

@pytest.mark.browser
def test_the_word_game_grid_keys_and_popup(page, serve, monkeypatch):
    monkeypatch.setattr(word_game, "todays_word", lambda: "CRANE")
    visit(page, serve(word_game.main))
    expect(page).to_have_title("Five letters")
    first = scope(page, "board").locator("th, td").first
    expect(first).to_have_css("border-top-width", "2px")  # the program's css_style, aimed at PyWebIO's ids
    expect(first).to_have_css("border-top-color", "rgb(211, 214, 218)")
    expect(page.locator(".markdown-body h1")).to_have_css("text-align", "center")

    keys = scope(page, "keyboard")

    def key(label: str) -> Locator:
        return keys.get_by_role("button", name=label, exact=True)

    def guess(word: str, row: int) -> None:
        for col, letter in enumerate(word):
            key(letter).click()
            expect(scope(page, f"cell-{row}-{col}")).to_have_text(letter)
        key("Enter").click()

    guess("CANOE", 0)  # C and E right, A and N misplaced, O not in the word
    expect(key("C")).to_have_css("background-color", word_game.GREEN)
    expect(key("A")).to_have_css("background-color", word_game.YELLOW)
    expect(key("O")).to_have_css("background-color", word_game.GREY)
    expect(scope(page, "cell-0-1").locator("p")).to_have_css("background-color", word_game.YELLOW)
    q = key("Q").evaluate("k => getComputedStyle(k).backgroundColor")
    assert q not in (word_game.GREEN, word_game.YELLOW, word_game.GREY)

    guess("ARCED", 1)  # C misplaced now: its key stays green
    expect(key("R")).to_have_css("background-color", word_game.GREEN)
    expect(key("D")).to_have_css("background-color", word_game.GREY)
    expect(key("C")).to_have_css("background-color", word_game.GREEN)

    guess("CRANE", 2)
    dialog = page.locator("dialog.htmio-popup:modal")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("You got it!")
    expect(dialog).to_contain_text("The word was CRANE, found in 3 tries.")
    assert box(dialog)["width"] < 0.6 * page.viewport_size["width"]  # size='small'
    expect(key("A")).to_have_css("background-color", word_game.GREEN)
    dialog.get_by_text("Close", exact=True).click()
    expect(page.locator("dialog.htmio-popup")).to_have_count(0)


@pytest.mark.browser
def test_css_written_for_pywebio_centres_the_keys(page, serve):
    visit(page, serve(word_game.main))
    keys = scope(page, "keyboard")
    expect(keys).to_have_css("text-align", "center")
    q, p = box(keys.get_by_role("button", name="Q", exact=True)), box(keys.get_by_role("button", name="P", exact=True))
    whole = box(keys)
    assert abs((q["x"] + p["x"] + p["width"]) / 2 - (whole["x"] + whole["width"] / 2)) < 3


@pytest.mark.browser
def test_css_written_for_pywebio_sizes_the_word_grid(page, serve):
    visit(page, serve(word_game.main))
    first = scope(page, "board").locator("th, td").first
    expect(first).to_have_css("border-top-width", "2px")  # the program's CSS applies
    assert 44 <= box(first)["width"] <= 50 and 44 <= box(first)["height"] <= 50  # width: 44px, as written


# ---- tictactoe.py: two players in two browsers -----------------------------------------------------------

@pytest.mark.browser
def test_two_players_in_two_browsers(new_context, serve):
    with tictactoe.lock:
        tictactoe.seats[:] = [None, None]
        tictactoe.reset()
    server = serve(tictactoe.main, left_grace=0.3, first_paint_wait=0.2)  # the game polls: it never settles
    x, o = new_context().new_page(), new_context().new_page()
    visit(x, server)
    expect(scope(x, "status").locator(".htmio-text")).to_have_text("Waiting for the other player")
    expect(scope(x, "status").locator(".htmio-loading")).to_be_visible()
    board, status = box(scope(x, "board")), box(scope(x, "status"))
    assert abs(board["width"] - 200) < 2 and status["x"] >= board["x"] + 199  # put_row(size='200px 1fr')

    visit(o, server)
    expect(scope(x, "status")).to_have_text("Your turn")  # O's arrival reaches X's open page
    expect(scope(o, "status")).to_have_text("Other player's turn")

    def cell(page: Page, row: int, col: int) -> Locator:
        return scope(page, "board").locator("tr").nth(row).locator("th, td").nth(col)

    def move(page: Page, other: Page, row: int, col: int, mark: str) -> None:
        cell(page, row, col).get_by_role("button").click()
        expect(cell(other, row, col)).to_have_text(mark)

    move(x, o, 1, 1, "X")
    expect(scope(o, "status")).to_have_text("Your turn")
    cell(x, 0, 0).get_by_role("button").click()  # not X's turn
    expect(x.locator(".htmio-toast").filter(has_text="It's not your turn")).to_be_visible()
    move(o, x, 0, 0, "O")
    move(x, o, 2, 0, "X")
    move(o, x, 0, 2, "O")
    move(x, o, 0, 1, "X")
    move(o, x, 2, 2, "O")
    move(x, o, 2, 1, "X")
    expect(scope(x, "status")).to_have_text("You won!")
    expect(scope(o, "status")).to_have_text("You lost.")
    expect(o.locator(".htmio-toast").filter(has_text="Game over")).to_be_visible()
    expect(scope(o, "board").get_by_role("button")).to_have_count(0)

    x.close()  # X leaves: its session ends, defer_call frees the seat, O waits for a new player
    expect(scope(o, "status").locator(".htmio-text")).to_have_text("Waiting for the other player", timeout=5_000)
    expect(scope(o, "board").get_by_role("button")).to_have_count(9)


# ---- output_tour.py: its CSS, spans and layout, a popup from a with block ---------------------------------

@pytest.mark.browser
def test_the_output_tour_looks_as_laid_out(page, serve):
    output_tour.clicks.clear()
    visit(page, serve(output_tour.main))
    expect(scope(page, "shapes")).to_have_css("border-top-style", "dashed")
    expect(scope(page, "shapes")).to_have_css("border-top-color", "rgb(200, 0, 0)")
    expect(page.locator(".markdown-body h2").first).to_have_css("color", "rgb(0, 90, 160)")

    table = page.locator("table.htmio-table").first
    fruit, sold, mon, apples = (box(table.locator("th, td").filter(has_text=t).first) for t in ("Fruit", "Sold", "Mon", "Apples"))
    assert abs(mon["x"] - sold["x"]) < 1 and abs(mon["y"] - (sold["y"] + sold["height"])) < 1.5  # Mon under Sold
    assert abs(fruit["height"] - (mon["y"] + mon["height"] - sold["y"])) < 1.5  # Fruit spans both header rows
    assert abs(apples["x"] - fruit["x"]) < 1  # the data starts under Fruit again

    grid_a = box(page.locator(".htmio-text").filter(has_text="A (2 rows)"))
    grid_b, grid_d = (box(page.locator(".htmio-text").filter(has_text=t).last) for t in ("B", "D"))
    assert grid_a["height"] >= 79 and abs(grid_d["x"] - grid_b["x"]) < 1  # D goes under B, beside the span

    page.get_by_role("button", name="circle").click()
    expect(scope(page, "shapes")).to_have_text("You clicked circle")

    page.get_by_role("button", name="Popup").click()
    dialog = page.locator("dialog.htmio-popup:modal")
    expect(dialog).to_contain_text("made with a with block")
    dialog.get_by_text("Close", exact=True).click()
    expect(page.locator("dialog.htmio-popup")).to_have_count(0)
    page.get_by_role("button", name="Toast").click()
    toast = page.locator(".htmio-toast").filter(has_text="A toast")
    expect(toast).to_be_visible()
    assert box(toast)["x"] > page.viewport_size["width"] / 2  # position='right'
    page.get_by_role("button", name="Finish").click()
    expect(page.get_by_text("Tour finished, 1 clicks")).to_be_visible()


# ---- md_previewer.py: a CodeMirror pin feeding pin_wait_change, download ---------------------------------

@pytest.mark.browser
def test_the_markdown_preview_follows_typing_in_the_code_editor(page, serve):
    visit(page, serve(md_previewer.main))
    expect(scope(page, "preview")).to_have_css("border-top-color", "rgb(0, 0, 255)")
    editor = page.locator(".CodeMirror")
    expect(editor).to_be_visible()
    expect(editor).to_contain_text("# Notes")
    expect(scope(page, "preview").locator("h1")).to_have_text("Notes")

    editor.locator(".CodeMirror-line").first.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("## Plan\n\n*soon*")
    expect(scope(page, "preview").locator("h2")).to_have_text("Plan")
    expect(scope(page, "preview").locator("em")).to_have_text("soon")
    expect(scope(page, "stats")).to_have_text("words: 3")

    with page.expect_download() as info:
        page.get_by_role("button", name="Save").click()
    download = info.value
    assert download.suggested_filename == "notes.md"
    assert Path(download.path()).read_text(encoding="utf-8") == "## Plan\n\n*soon*"


# ---- themes.py: go_app between themed apps ---------------------------------------------------------------

@pytest.mark.browser
def test_go_app_moves_between_themed_apps(page, serve):
    server = serve(themes.apps)
    page.goto(server.url + "/?app=index")
    page.get_by_role("button", name="dark").click()
    expect(page.locator(".markdown-body h1")).to_have_text("Dark theme")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    background = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    expect(page.get_by_text("You are on a PC.")).to_be_visible()
    expect(page.get_by_text("Browser: HeadlessChrome")).to_be_visible()  # the user-agent's browser family

    page.locator("#pywebio-scope-ROOT").get_by_role("button", name="sketchy", exact=True).click()
    expect(page.locator(".markdown-body h1")).to_have_text("Sketchy theme")
    assert page.evaluate("getComputedStyle(document.documentElement).backgroundColor") != background
    page.get_by_label("Name").fill("Ada")
    page.get_by_text("L", exact=True).click()
    page.locator("#input-container").get_by_role("button", name="Submit").click()
    expect(page.get_by_text("Hello Ada, size L")).to_be_visible()


@pytest.mark.browser
def test_the_page_keeps_the_address_the_user_opened(page, serve):
    server = serve(themes.apps)
    page.goto(server.url + "/?app=minty")
    expect(page.get_by_text(re.compile("^address has app="))).to_have_text("address has app=True", timeout=2_000)


# ---- env_demo.py: set_env seen in the page, a run_async clock ticking live --------------------------------

@pytest.mark.browser
def test_set_env_changes_what_the_browser_shows(page, serve):
    visit(page, serve(env_demo.main))
    clock = scope(page, "clock")
    expect(clock).to_contain_text("tick")
    first = clock.inner_text()
    expect(clock).not_to_have_text(first)  # the clock ticks on the open page

    page.get_by_role("button", name="Title").click()
    expect(page.get_by_label("New title")).to_have_value("set_env playground")
    page.get_by_label("New title").fill("Shop")
    page.locator("#input-container").get_by_role("button", name="Submit").click()
    expect(page).to_have_title("Shop")

    page.get_by_role("button", name="Output width").click()
    page.get_by_label("Output width").select_option("600px")
    page.locator("#input-container").get_by_role("button", name="Submit").click()
    expect(scope(page, "log")).to_contain_text("Output width")
    assert box(scope(page, "ROOT"))["width"] <= 600

    page.get_by_role("button", name="Auto scroll").click()
    expect(page.get_by_text("line 29", exact=True)).to_be_in_viewport()  # auto_scroll_bottom follows


# ---- chat_room.py: the message box keeps to its bottom as messages come in ----------------------------

@pytest.mark.browser
def test_the_chat_box_follows_new_messages(page, serve):
    chat_room.messages.clear()
    chat_room.online.clear()
    visit(page, serve(chat_room.main))
    page.get_by_label("Your nickname").fill("bob")
    page.locator("#input-container").get_by_role("button", name="Submit").click()
    box_ = page.locator(".htmio-scrollable")
    expect(box_).to_contain_text("Welcome, bob. 1 online")
    for n in range(40):  # someone else talks (the room is module globals, as in the program)
        chat_room.post("ann", f"message {n}")
    last = box_.get_by_text("message 39")
    expect(last).to_be_visible()
    expect(last).to_be_in_viewport()
    assert box(box_)["height"] <= 302  # put_scrollable(height=300)
    at_bottom = "b => Math.abs(b.scrollHeight - b.clientHeight - b.scrollTop) < 2"
    page.wait_for_function(f"({at_bottom})(document.querySelector('.htmio-scrollable'))")

    page.get_by_placeholder("Message").fill("hi **all**")
    page.get_by_role("button", name="Send").click()
    expect(box_.locator("strong").filter(has_text="all")).to_be_visible()
    assert chat_room.messages[-1] == ("bob", "hi **all**")
    chat_room.messages.clear()
    chat_room.online.clear()
