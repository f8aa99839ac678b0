"""The programs in tests/programs/, written as PyWebIO users write them (only ``pywebio`` renamed to
``htmio``), driven in-process: answer their inputs, click their buttons, read what the page shows.
What only a browser shows (jQuery in run_js, CSS aimed at PyWebIO's ids, layout, two players at once)
is in tests/test_browser_programs.py."""
from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from htmio.testing import AppClient
from tests.programs import bmi, chat_room, env_demo, input_tour, md_previewer, output_tour, themes, tictactoe, word_game


def open_named(apps: object, name: str) -> AppClient:
    """Open the app ``name`` of a dict of apps, as a browser opening ``/?app=name`` would."""
    page = AppClient(apps)
    page.http.__enter__()
    answer = page.http.get(f"/?app={name}", follow_redirects=False)
    assert answer.status_code == 303, answer.text[:300]
    page.url = answer.headers["location"]
    page.refresh()
    return page


# ---- bmi.py -------------------------------------------------------------------------------------

def test_bmi_shows_its_markdown_as_markdown_and_works_out_the_index(open_app):
    page = open_app(bmi.main)
    intro = page.element().select_one(".htmio-markdown")
    assert intro.select_one("h1").get_text() == "Body Mass Index"
    assert intro.select_one("a")["href"] == "https://en.wikipedia.org/wiki/Body_mass_index"
    rows = [[c.get_text() for c in tr.select("th, td")] for tr in intro.select("table tr")]
    assert rows[0] == ["BMI", "Category"] and rows[3] == ["18.5 - 25", "Normal"] and len(rows) == 7
    assert not intro.select("pre")  # the indented lines are not taken for a code block

    height, weight = page.inputs()
    assert (height.label, height.placeholder, weight.help_text) == ("Height (cm)", "175", "without clothes")
    assert page.submit(height="20", weight="70") == 422
    assert page.error() == "Height must be between 50 and 250 cm"
    assert page.submit(height="180", weight="0") == 422  # the group's validate names the weight field
    assert [f.error for f in page.inputs()] == [None, "Weight must be positive"]

    page.submit(height="180.5", weight="72.25")
    result = page.element("result")
    assert result.select_one("strong").get_text() == "22.2" and result.select_one("code").get_text() == "Normal"
    page.submit(height="160", weight="80")  # the loop asks again; clear=True replaces the result
    assert page.element("result").select_one("code").get_text() == "Moderately obese"
    assert page.soup.title.get_text() == "BMI calculator"
    assert "#pywebio-scope-result" in page.soup.select("style")[-1].get_text()

    page.cancel()
    assert page.texts() == ["Bye!"]


def test_bmi_speaks_chinese_to_a_chinese_browser():
    with AppClient(bmi.main, headers={"Accept-Language": "zh-CN,zh;q=0.9"}) as page:
        page.submit(height="170", weight="60")
        assert page.texts("result") == ["身体质量指数"]


# ---- input_tour.py ------------------------------------------------------------------------------

def test_the_input_tour_gets_back_every_kind_of_value(open_app):
    page = open_app(input_tour.main)
    assert page.element().select_one(".htmio-markdown h2").get_text() == "Input tour"
    [name] = page.inputs()
    assert (name.label, name.placeholder, name.required) == ("Your name", "Ada", True)
    assert [o["value"] for o in page.form().select("datalist option")] == ["Ada", "Alan", "Grace"]
    page.submit("Ada")

    [age] = page.inputs()
    assert (age.type, age.help_text) == ("number", "in years")
    assert page.submit("-3") == 422 and page.error() == "An age is never negative"
    page.submit("36")
    [password] = page.inputs()
    assert password.type == "password"
    page.submit("secret")

    [lang] = page.inputs()  # the option marked selected is the one shown; the disabled one can't be picked
    assert (lang.options, lang.value) == (("C", "Python", "Rust", "Cobol"), "Python")
    assert page.form().select_one("option[disabled]").get_text() == "Cobol"
    page.submit("Rust")
    [editors] = page.inputs()
    assert editors.value == ("vim", "nano")
    page.submit(["vim", "emacs"])
    [toppings] = page.inputs()
    assert (toppings.type, toppings.value) == ("checkbox", ("cheese",))
    page.submit(["cheese", "olives"])
    [size] = page.inputs()
    assert (size.type, size.value) == ("radio", "M")
    page.submit("L")

    [code] = page.inputs()
    assert code.value == "def f(x):\n    return x * 2\n"
    assert page.form().select_one("textarea")["data-htmio-code"] == '{"mode":"python","theme":"darcula"}'
    page.submit("print(42)\n")
    assert page.element().select(".htmio-code, pre")[-1].get_text().strip() == "print(42)"

    [button] = page.inputs()
    page.submit(action="action:value")  # "Fill in" sets the field's value
    [button] = page.inputs()
    assert button.value == "from the button"
    page.submit(button.value)

    [upload] = page.inputs()
    assert upload.type == "file" and page.form().select_one("input[type=file]")["accept"] == ".txt"
    assert page.submit(files={"value": ("big.txt", b"x" * 2000, "text/plain")}) == 413  # refused as it streams
    assert page.error() == "big.txt is larger than 1.0 KB, the limit for each file."
    page.submit(files={"value": ("notes.txt", b"hello", "text/plain")})

    assert [f.name for f in page.inputs()] == ["low", "high", "step"]
    assert page.submit(low="5", high="3", step="2") == 422
    assert [f.error for f in page.inputs()] == [None, "high must be above low", None]
    page.submit(low="1", high="3", step="2")

    assert page.texts() == ["name: 'Ada'", "age: 36", "password length: 6", "language: 'rs'",
                            "editors: ['vim', 'emacs']", "toppings: ['cheese', 'olives']", "size: 'L'",
                            "button: 'from the button'", "file: ('notes.txt', 5)", "That was every input. Thanks Ada!"]
    assert page.tables() == [[["field", "value"], ["low", "1"], ["high", "3"], ["step", "2"]]]
    assert page.element().select_one(".htmio-alert-success") is not None
    assert page.soup.title.get_text() == "Input tour"


def test_the_input_tour_range_can_be_skipped(open_app):
    page = open_app(input_tour.main)
    for answer in ("Ada", "36", "pw", "C", ["nano"], ["ham"], "S", "x = 1\n"):
        page.submit(answer)
    page.submit("typed")
    page.submit()  # no file chosen
    page.cancel()
    assert page.texts()[-3:] == ["file: None", "You skipped the range", "That was every input. Thanks Ada!"]
    assert page.tables() == []


# ---- output_tour.py (a coroutine app) -----------------------------------------------------------------

def test_the_output_tour_shows_tables_scopes_and_callbacks(open_app):
    output_tour.clicks.clear()
    page = open_app(output_tour.main)
    assert page.session.is_async
    assert page.texts()[0] == "a   b\nc"  # await put_text(...) works, spaces and newlines kept
    sales, week = page.tables()
    assert sales == [["Fruit", "Sold"], ["Mon", "Tue"], ["Apples", "3", "4"], ["Pears", "5", "1"], ["Total: 13"]]
    fruit = page.element().select_one("table.htmio-table th")
    assert (fruit.get_text(), fruit.get("rowspan"), fruit.find_next_sibling("th").get("colspan")) == ("Fruit", "2", "2")
    assert week == [["Week 1"], ["Mon", "Tue"], ["9", "detail"]]
    assert page.element().select_one("a.htmio-file")["download"] == "hello.txt"
    assert page.texts("positions") == ["B", "D", "C", "A"]
    styled = [p for p in page.element().select(".htmio-text") if p.get_text() == "styled"][0]
    assert "color: rgb(128, 0, 128)" in styled["style"]
    assert "#pywebio-scope-shapes" in page.soup.select("style")[-1].get_text()

    page.click("circle")
    page.click("triangle")
    assert page.texts("shapes") == ["You clicked circle", "You clicked tri"]
    page.click("detail")
    assert page.toasts() == ["Tuesday: 11 items"]

    page.submit("Popup")
    shown = page.popup()
    assert shown is not None and (shown.title, shown.texts) == ("A popup", ["made with a with block"])
    page.click("Close")
    assert page.popup() is None
    page.submit("Toast")
    assert page.toasts()[-1] == "A toast"
    page.submit("Finish")
    assert "Tour finished, 2 clicks" in page.text()


def test_an_async_function_given_to_put_button_runs_when_clicked(open_app):
    # PyWebIO awaits what a callback returns when it is a coroutine, so put_button(onclick=async_fn) and
    # put_buttons(onclick=[async_fn, ...]) work in a coroutine app (pywebio/session/coroutinebased.py)
    output_tour.clicks[:] = ["x"]
    page = open_app(output_tour.main)
    page.click("Count")
    page.wait_for_text("counted to 1", scope="counter", timeout=2)


# ---- chat_room.py (coroutine app, run_async, module globals) ------------------------------------------

@pytest.fixture
def empty_room() -> Iterator[None]:
    chat_room.messages.clear()
    chat_room.online.clear()
    yield
    chat_room.messages.clear()
    chat_room.online.clear()


def room(page: AppClient) -> list[str]:
    return [p.get_text(" ", strip=True) for p in page.element("msg-box").select("p")]


def test_two_people_chat(empty_room, open_app):
    ann, bob = open_app(chat_room.main), open_app(chat_room.main)
    [nick] = ann.inputs()
    assert (nick.label, nick.required, nick.placeholder) == ("Your nickname", True, "nickname")
    ann.submit("ann")
    assert bob.submit("ann") == 422 and bob.error() == "This nickname is taken"
    bob.submit("bob")
    assert room(bob) == ["📢 : Welcome, bob. 2 online"]

    msg, cmd = ann.inputs()
    assert (msg.placeholder, cmd.type, cmd.options) == ("Message", "actions", ("Send", "Multiline", "Leave"))
    assert ann.submit(msg="", cmd="Send") == 422 and ann.error() == "Say something"
    ann.submit(msg="hello **bob** <script>alert(1)</script>", cmd="Send")
    bob.wait_until(lambda: any(m.startswith("ann : hello bob") for m in room(bob)), "ann's message on bob's page",
                   timeout=2)
    assert bob.element("msg-box").select_one("strong").get_text() == "bob" and not bob.element("msg-box").select("script")

    bob.submit(msg="", cmd="Multiline")
    [long] = bob.inputs()
    assert (long.type, long.placeholder) == ("textarea", "Markdown works here")
    bob.submit("line one\n\nline *two*")
    ann.wait_until(lambda: any("line two" in m for m in room(ann)), "bob's long message", timeout=2)
    assert "bob joined the room. 2 online" in " ".join(room(ann))

    bob.submit(cmd="Leave")
    assert bob.toasts() == ["You left the room"]
    assert "Join again" in bob.text()
    bob.close()  # defer_call tells the room
    ann.wait_until(lambda: any("bob left the room. 1 online" in m for m in room(ann)), "the leave notice", timeout=2)
    assert chat_room.online == {"ann"}


# ---- tictactoe.py (two sessions, module globals, a polling loop) -----------------------------------

@pytest.fixture
def fresh_game() -> Iterator[Callable[[], AppClient]]:
    with tictactoe.lock:
        tictactoe.seats[:] = [None, None]
        tictactoe.reset()
    opened: list[AppClient] = []

    def join() -> AppClient:
        # the app never waits on input (it polls), so an action waits this long before reading the page
        page = AppClient(tictactoe.main, timeout=0.05).__enter__()
        opened.append(page)
        return page

    yield join
    for page in opened:
        if not page.session.closed:
            page.close()
        page.__exit__(None, None, None)


def board(page: AppClient) -> list[list[str]]:
    # the app redraws the board as clear-then-put: a reload may fall between the two
    return page.wait_until(lambda: page.tables("board"), "the board")[0]


def test_two_players_take_turns_until_one_wins(fresh_game):
    x = fresh_game()
    assert x.texts("status") == ["Waiting for the other player"] and x.element("status").select(".htmio-loading")
    assert "You play X . You start." in x.text().replace("\n", " ")
    assert "on PC" in x.texts()
    o = fresh_game()
    x.wait_for_text("Your turn", scope="status", timeout=2)
    assert o.texts("status") == ["Other player's turn"]

    def move(player: AppClient, row: int, col: int) -> None:
        board(player)
        cells = player.element("board").select("tr")[row].select("th, td")
        button = cells[col].select_one("button")
        assert button is not None, f"cell {row},{col} is taken: {board(player)}"
        nth = next(i for i, b in enumerate(player.element("board").select("button")) if b is button)
        player.click("·", scope="board", nth=nth)

    move(x, 1, 1)
    o.wait_until(lambda: board(o)[1][1] == "X", "X's move on O's board", timeout=2)
    o.wait_for_text("Your turn", scope="status", timeout=2)
    move(x, 0, 0)  # not X's turn: the move is refused with a toast
    assert x.wait_until(x.toasts, "a toast", timeout=2) == ["It's not your turn"] and board(x)[0][0] == "·"
    move(o, 0, 0)
    move(x, 2, 0)
    move(o, 0, 2)
    move(x, 0, 1)
    move(o, 2, 2)
    move(x, 2, 1)  # X: (1,1) (2,0) ... column 1 is (0,1) (1,1) (2,1)
    x.wait_for_text("You won!", scope="status", timeout=2)
    o.wait_for_text("You lost.", scope="status", timeout=2)
    assert board(o) == [["O", "X", "O"], ["", "X", ""], ["X", "X", "O"]]
    o.wait_until(lambda: "Game over" in o.toasts(), "the game-over toast", timeout=2)

    third = fresh_game()
    assert "Two players are already playing. Try again later." in third.text()

    x.close()  # X leaves: defer_call frees the seat and O waits again
    o.wait_for_text("Waiting for the other player", scope="status", timeout=2)
    assert all(cell == "·" for row in board(o) for cell in row)


# ---- word_game.py (serial_mode keys, local, popup) ----------------------------------------------------

def test_the_word_game_colours_a_guess_and_congratulates_in_a_popup(open_app, monkeypatch):
    monkeypatch.setattr(word_game, "todays_word", lambda: "CRANE")
    page = open_app(word_game.main)
    assert page.soup.title.get_text() == "Five letters"
    assert page.element().select_one(".htmio-markdown h1").get_text() == "FIVE LETTERS"
    assert len(page.tables("board")[0]) == 6
    for key in "CANOXQ":  # the sixth letter does not fit
        page.click(key)
    page.click("⌫")
    page.click("Enter")
    assert page.toasts() == ["Not enough letters"]
    page.click("E")
    assert page.tables("board")[0][0] == ["C", "A", "N", "O", "E"]
    page.click("Enter")
    styles = [page.element(f"cell-0-{c}").select_one("p").get("style", "") for c in range(5)]
    g, y, n = word_game.GREEN, word_game.YELLOW, word_game.GREY
    assert [next(c for c in (g, y, n) if c in s) for s in styles] == [g, y, y, n, g]
    assert page.tables("board")[0][1] == [""] * 5

    for key in "CRANE":
        page.click(key)
    page.click("Enter")
    shown = page.popup()
    assert shown is not None and shown.title == "You got it!"
    assert shown.texts == ["The word was CRANE, found in 2 tries."]
    assert "htmio-popup-small" in " ".join(shown.element.get("class", []))
    page.click("Close")
    assert page.popup() is None
    page.click("Q")  # the game is over: keys do nothing
    assert page.tables("board")[0][2] == [""] * 5


# ---- md_previewer.py (pins) ---------------------------------------------------------------------------

def test_the_markdown_preview_follows_the_editor_and_saves(open_app):
    page = open_app(md_previewer.main)
    assert page.pin("md_text") == md_previewer.START
    editor = page.element().select_one("textarea[name=md_text]")
    assert '"mode":"markdown"' in editor["data-htmio-code"]
    preview = page.element("preview")
    assert preview.select_one("h1").get_text() == "Notes" and [li.get_text() for li in preview.select("li")] == ["one", "two"]
    assert page.texts("stats") == ["words: 17"]

    page.set_pin("md_text", "# Plan\n\nsome *new* text")
    assert page.element("preview").select_one("em").get_text() == "new"
    assert page.texts("stats") == ["words: 5"]
    page.click("Save")
    assert page.downloads() == [("notes.md", b"# Plan\n\nsome *new* text")]
    page.click("Clear")
    assert page.pin("md_text") == ""


# ---- env_demo.py (coroutine app, set_env, a run_async clock) -----------------------------------------

def test_set_env_changes_the_page(open_app):
    page = open_app(env_demo.main)
    assert page.texts("clock")[0].startswith("tick ")
    [menu] = page.inputs()
    assert menu.options == ("Title", "Output width", "Input panel fixed", "Auto scroll", "Quit")
    assert menu.help_text == "Each choice calls set_env"
    page.submit("Title")
    [title] = page.inputs()
    assert title.value == "set_env playground"
    page.submit("My page")
    assert page.soup.title.get_text() == "My page" and page.toasts() == ["set_env(title) done"]
    page.submit("Output width")
    [width] = page.inputs()
    assert width.value == "880px"
    page.submit("1200px")
    assert "1200px" in page.soup.body.get("style", "")
    assert "htmio-panel-fixed" in page.soup.body.get("class", [])  # PyWebIO's default: the panel is fixed
    page.submit("Input panel fixed")
    assert "htmio-panel-fixed" not in page.soup.body.get("class", [])
    page.submit("Auto scroll")
    assert page.texts()[-1] == "line 29"
    assert [t.split(": ")[1] for t in page.texts("log")] == ["Auto scroll", "Input panel fixed", "Output width", "Title"]
    first = int(page.texts("clock")[0].split()[1])
    page.wait_until(lambda: int(page.texts("clock")[0].split()[1]) > first, "the clock to tick", timeout=2)
    page.submit("Quit")
    assert page.texts()[-1] == "Bye"


# ---- themes.py (a dict of apps, config(theme=...) on partials) ----------------------------------------

def test_every_theme_app_gets_its_theme_and_the_index_lists_them():
    index = open_named(themes.apps, "index")
    try:
        assert [b.get_text() for b in index.element().select("button")] == themes.THEMES
    finally:
        index.http.__exit__(None, None, None)
    for name in themes.THEMES:
        page = AppClient(themes.apps)
        page.http.__enter__()
        try:
            html = page.http.get(f"/?app={name}").text
            assert f'data-theme="{"light" if name == "default" else name}"' in html, name
            assert f"<title>{name} theme</title>" in html, name
        finally:
            page.http.__exit__(None, None, None)


def test_html_typed_into_the_markdown_preview_is_rendered(open_app):
    page = open_app(md_previewer.main)
    page.set_pin("md_text", "Press <kbd>Ctrl</kbd>+<kbd>S</kbd> to save")
    assert [k.get_text() for k in page.element("preview").select("kbd")] == ["Ctrl", "S"]
