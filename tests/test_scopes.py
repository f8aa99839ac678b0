"""The document tree: positions, scope names, and how queued changes become swaps."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from htmio import urls
from htmio.exceptions import ScopeError
from htmio.scopes import Document, PageContext, resolve_position, scope_dom_id

PAGE = PageContext(base="/s/x", static="/_htmio/static", token="t")


def text(doc: Document, label: str):
    node = doc.new_output("output/put_text.html", {"text": label, "inline": False})
    return node


def texts(doc: Document, scope: str = "ROOT") -> list[str]:
    soup = BeautifulSoup(doc.render_all(PAGE), "html.parser")
    return [p.get_text() for p in soup.select(f"#{scope_dom_id(scope)} .htmio-text")]


def test_scope_dom_ids_are_built_in_one_place():
    assert scope_dom_id("log") == "pywebio-scope-log"


@pytest.mark.parametrize(
    ("position", "length", "index"),
    [(0, 3, 0), (1, 3, 1), (5, 3, 3), (-1, 3, 3), (-2, 3, 2), (-4, 3, 0), (-9, 3, 0), (0, 0, 0), (-1, 0, 0)],
)
def test_resolve_position_follows_pywebio(position, length, index):
    assert resolve_position(position, length) == index


def test_the_user_guide_position_example():
    # A; put B at 0 -> B A; put C at -2 -> B C A; put D at 1 -> B D C A
    doc = Document()
    for label, position in [("A", -1), ("B", 0), ("C", -2), ("D", 1)]:
        doc.insert(text(doc, label), doc.root, position, "put_text")
    assert texts(doc) == ["B", "D", "C", "A"]


def test_duplicate_scope_names_are_an_error_that_says_so():
    doc = Document()
    doc.insert(doc.new_scope("log"), doc.root, -1, "put_scope('log')")
    with pytest.raises(ScopeError, match="already exists.*use_scope"):
        doc.insert(doc.new_scope("log"), doc.root, -1, "put_scope('log')")


def test_unknown_scope_names_say_how_to_create_them():
    with pytest.raises(ScopeError, match=r"no scope named 'nope'.*put_scope\('nope'\)"):
        Document().scope("nope", "put_text(scope='nope')")


def test_consecutive_appends_leave_as_one_envelope():
    doc = Document()
    for i in range(50):
        doc.insert(text(doc, str(i)), doc.root, -1, "put_text")
    swaps = doc.take_swaps(PAGE)
    assert {(t, s) for t, s, _ in swaps} == {("pywebio-scope-ROOT", "beforeend")}
    from htmio.render import join_envelopes

    soup = BeautifulSoup(join_envelopes(swaps), "html.parser")
    assert len(soup.find_all("hx-partial")) == 1
    assert [p.get_text() for p in soup.select("p")] == [str(i) for i in range(50)]


def test_insert_before_a_shown_child_targets_it():
    doc = Document()
    first = text(doc, "A")
    doc.insert(first, doc.root, -1, "put_text")
    doc.take_swaps(PAGE)
    doc.insert(text(doc, "B"), doc.root, 0, "put_text")
    [(target, swap, html)] = doc.take_swaps(PAGE)
    assert (target, swap) == (first.dom_id, "beforebegin")
    assert "B" in html


def test_clear_then_put_in_one_batch_shows_only_the_new_content():
    doc = Document()
    scope = doc.new_scope("total")
    doc.insert(scope, doc.root, -1, "put_scope")
    doc.insert(text(doc, "old"), scope, -1, "put_text")
    doc.clear(scope)
    doc.insert(text(doc, "new"), scope, -1, "put_text")
    swaps = doc.take_swaps(PAGE)
    html = "".join(h for _, _, h in swaps)
    assert "old" not in html and html.count("new") == 1
    assert texts(doc, "total") == ["new"]


def test_clear_of_a_shown_scope_replaces_it_with_its_new_content():
    doc = Document()
    scope = doc.new_scope("total")
    doc.insert(scope, doc.root, -1, "put_scope")
    doc.insert(text(doc, "old"), scope, -1, "put_text")
    doc.take_swaps(PAGE)
    doc.clear(scope)
    doc.insert(text(doc, "new"), scope, -1, "put_text")
    swaps = doc.take_swaps(PAGE)
    assert [(t, s) for t, s, _ in swaps] == [("pywebio-scope-total", "outerHTML")]
    assert "new" in swaps[0][2] and "old" not in swaps[0][2]


def test_an_adopted_output_leaves_its_old_place():
    doc = Document()
    item = text(doc, "inside")
    doc.insert(item, doc.root, -1, "put_text")
    doc.take_swaps(PAGE)
    box = doc.new_scope("box")
    doc.adopt(item, box)
    box.children.append(item)
    doc.insert(box, doc.root, -1, "put_scope")
    swaps = doc.take_swaps(PAGE)
    assert swaps[0] == (item.dom_id, "delete", "")
    assert swaps[1][0:2] == ("pywebio-scope-ROOT", "beforeend") and "inside" in swaps[1][2]
    soup = BeautifulSoup(doc.render_all(PAGE), "html.parser")
    assert len(soup.select(f"#{item.dom_id}")) == 1


def test_an_output_taken_into_a_container_before_it_was_sent_is_never_sent_alone():
    doc = Document()
    item = text(doc, "inside")
    doc.insert(item, doc.root, -1, "put_text")
    box = doc.new_scope("box")
    doc.adopt(item, box)
    box.children.append(item)
    doc.insert(box, doc.root, -1, "put_scope")
    swaps = doc.take_swaps(PAGE)
    assert [(t, s) for t, s, _ in swaps] == [("pywebio-scope-ROOT", "beforeend")]


def test_removed_scope_names_can_be_used_again():
    doc = Document()
    scope = doc.new_scope("log")
    doc.insert(scope, doc.root, -1, "put_scope")
    doc.detach(scope)
    doc.insert(doc.new_scope("log"), doc.root, -1, "put_scope")
    assert list(doc.scopes) == ["ROOT", "log"]


def test_a_style_change_before_the_flush_needs_no_second_swap():
    doc = Document()
    item = text(doc, "styled")
    doc.insert(item, doc.root, -1, "put_text")
    item.style = "color: red"
    doc.changed(item)
    swaps = doc.take_swaps(PAGE)
    assert len(swaps) == 1
    assert 'style="color: red"' in swaps[0][2]


def test_a_swap_aimed_at_an_element_new_in_the_batch_goes_in_the_next_message():
    # htmx 4 looks up every target of a message before swapping any, so B (before A) must wait for A
    doc = Document()
    a = text(doc, "A")
    doc.insert(a, doc.root, -1, "put_text")
    doc.insert(text(doc, "B"), doc.root, 0, "put_text")
    doc.insert(text(doc, "C"), doc.root, -1, "put_text")
    messages = doc.take_messages(PAGE)
    assert [[(t, s) for t, s, _ in m] for m in messages] == [
        [("pywebio-scope-ROOT", "beforeend")],
        [(a.dom_id, "beforebegin"), ("pywebio-scope-ROOT", "beforeend")],
    ]
    assert texts(doc) == ["B", "A", "C"]


def test_appends_and_scopes_made_together_stay_in_one_message():
    doc = Document()
    box = doc.new_scope("box")
    doc.insert(box, doc.root, -1, "put_scope")
    doc.insert(text(doc, "in box"), box, -1, "put_text")
    for i in range(3):
        doc.insert(text(doc, str(i)), doc.root, -1, "put_text")
    assert len(doc.take_messages(PAGE)) == 1


def test_a_chain_of_inserts_before_new_elements_splits_at_each_link():
    doc = Document()
    doc.insert(text(doc, "A"), doc.root, -1, "put_text")
    doc.insert(text(doc, "B"), doc.root, 0, "put_text")
    doc.insert(text(doc, "C"), doc.root, 0, "put_text")
    messages = doc.take_messages(PAGE)
    assert len(messages) == 3
    targets = [m[0][0] for m in messages]
    assert targets[1] == "htmio-o-1" and targets[2] == "htmio-o-2"


def apply_messages(soup: BeautifulSoup, messages) -> None:
    """What htmx 4 does with our messages: every target of a message is looked up first, then swapped."""
    for message in messages:
        resolved = [(soup.find(id=target), swap, html) for target, swap, html in message]
        for element, swap, html in resolved:
            if element is None:
                continue  # htmx drops a partial whose target is missing
            fragment = BeautifulSoup(html, "html.parser")
            nodes = list(fragment.contents)
            if swap == "beforeend":
                for n in nodes:
                    element.append(n)
            elif swap == "beforebegin":
                for n in nodes:
                    element.insert_before(n)
            elif swap == "outerHTML":
                for n in reversed(nodes):
                    element.insert_after(n)
                element.decompose()
            elif swap == "delete":
                element.decompose()
            else:
                raise AssertionError(f"unexpected swap {swap}")


def outline(soup: BeautifulSoup) -> list[str]:
    root = soup.find(id="pywebio-scope-ROOT")
    return [(el.get("id") or "") + ":" + el.get_text("|") for el in root.find_all(True)]


@pytest.mark.parametrize("seed", range(60))
def test_random_changes_leave_the_browser_with_exactly_the_document(seed):
    import random

    rng = random.Random(seed)
    doc = Document()
    browser = BeautifulSoup(doc.render_all(PAGE), "html.parser")
    scopes = [doc.root]
    for step in range(rng.randint(5, 60)):
        action = rng.random()
        parent = rng.choice(scopes)
        if action < 0.55:
            doc.insert(text(doc, f"t{step}"), parent, rng.choice([-1, -1, -1, 0, 1, -2, 3]), "put_text")
        elif action < 0.7:
            scope = doc.new_scope(f"s{step}")
            doc.insert(scope, parent, rng.choice([-1, 0, -2]), "put_scope")
            scopes.append(scope)
        elif action < 0.8 and parent.children:
            doc.clear(parent)
            scopes = [s for s in scopes if doc.is_attached(s)]
        elif action < 0.88 and len(scopes) > 1:
            victim = rng.choice(scopes[1:])
            doc.detach(victim)
            scopes = [s for s in scopes if doc.is_attached(s)]
        elif action < 0.95 and parent.children:
            child = rng.choice(parent.children)
            child.style = f"order: {step}"
            doc.changed(child)
        if rng.random() < 0.3:  # a flush now and then, as the timer or a blocking input would
            apply_messages(browser, doc.take_messages(PAGE))
    apply_messages(browser, doc.take_messages(PAGE))
    truth = BeautifulSoup(doc.render_all(PAGE), "html.parser")
    assert outline(browser) == outline(truth)


# ---- the HTML a leaf keeps ------------------------------------------------------------------

def _fresh_copy(node):
    """The same output built anew (no kept HTML), rendered now: what the cache must always agree with."""
    from htmio.scopes import Node

    copy = Node(node.template, dict(node.context), node.dom_id)
    copy.style, copy.click = node.style, node.click
    return str(copy.render(PAGE))


def test_a_leaf_renders_anew_whatever_changed_reported_or_not():
    from htmio.i18n import Messages

    page = PageContext(base="/s/x", static="/_htmio/static", token="t", messages=Messages("en"))
    doc = Document()
    node = doc.new_output("_error.html", {"message": "boom", "trace": ""})  # its texts come from t()
    doc.insert(node, doc.root, -1, "put_text")
    first = str(node.render(page))
    assert str(node.render(page)) == first
    node.context["message"] = "bang"  # changed in place, never reported (as a pin's value is)
    assert "bang" in node.render(page)
    node.style = "color: red"
    assert 'style="color: red"' in node.render(page)
    node.click = 7
    assert urls.click("/s/x", 7) in node.render(page)
    before = str(node.render(page))
    page.messages.language = "de"  # set_env(language=...) changes the session's texts in place
    german = str(node.render(page))
    assert german != before
    page.messages.overrides["internal_error"] = "Kaputt"
    assert "Kaputt" in node.render(page)


def test_a_leaf_holding_a_list_or_dict_is_never_kept():
    doc = Document()
    node = doc.new_output("output/put_text.html", {"text": "a", "inline": False, "extra": []})
    doc.insert(node, doc.root, -1, "put_text")
    node.render(PAGE)
    assert node._html is None  # a list can change in place, unseen: always rendered anew


def test_a_page_load_renders_no_output_the_stream_already_rendered(monkeypatch):
    import htmio.scopes as scopes

    doc = Document()
    for i in range(300):
        doc.insert(text(doc, f"line {i}"), doc.root, -1, "put_text")
    doc.take_messages(PAGE)  # the flush renders each output once
    rendered: list[str] = []
    original = scopes.render_template

    def counting(name, /, **context):
        rendered.append(name)
        return original(name, **context)

    monkeypatch.setattr(scopes, "render_template", counting)
    html = doc.render_all(PAGE)
    assert rendered.count("output/put_text.html") == 0
    assert [p.get_text() for p in BeautifulSoup(html, "html.parser").select(".htmio-text")] == \
        [f"line {i}" for i in range(300)]
    for node in doc.root.children:
        assert str(node._html) == _fresh_copy(node)
