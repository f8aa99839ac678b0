"""htmio's own texts in the browser's language: picked from Accept-Language when the session starts,
used by the form buttons, validation and upload messages and session notices; an app can override them."""
from __future__ import annotations

import string

import pytest
from bs4 import BeautifulSoup

from htmio.i18n import _EN, _TABLES, LANGUAGES, Messages, message_ids, pick_language, preferred_tag
from htmio.input import input, input_group, file_upload, textarea
from htmio.output import put_text
from htmio.session import info, set_env
from htmio.testing import AppClient


@pytest.mark.parametrize(("header", "language"), [
    ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
    ("ru-RU", "ru"),
    ("de", "de"),
    ("en-US,en;q=0.9", "en"),
    ("fr-FR, de;q=0.7, ru;q=0.8", "ru"),   # the most wanted language htmio has
    ("de;q=0.5, zh-TW", "zh"),             # q-values, not order
    ("ru;q=0, de", "de"),                  # q=0 means "not this one"
    ("*", "en"),
    ("", "en"),
    ("garbage!!", "en"),
    ("fr, it", "en"),
    ("ZH-hans-CN", "zh"),
    ("de;q=abc, ru;q=0.1", "ru"),          # a malformed q counts as 0
])
def test_the_language_comes_from_accept_language(header, language):
    assert pick_language(header) == language


def test_the_preferred_tag_is_the_most_wanted_one_as_sent():
    assert preferred_tag("de;q=0.5, zh-CN") == "zh-CN"
    assert preferred_tag("en-US,en;q=0.9") == "en-US"
    assert preferred_tag("") == preferred_tag("*") == ""


def _fields(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_every_text_with_the_same_placeholders(language):
    english = Messages("en")
    table = {key: Messages(language, {})(key, **{f: f"<{f}>" for f in _fields(_EN[key])}) for key in message_ids()}
    assert set(_TABLES[language]) == set(message_ids())
    for key in message_ids():
        assert _fields(_TABLES[language][key]) == _fields(_EN[key]), (language, key)
        assert all(f"<{f}>" in table[key] for f in _fields(_EN[key])), (language, key)
    if language != "en":  # translated, not copied
        same = [k for k in message_ids() if _TABLES[language][k] == english(k, **{f: "{" + f + "}" for f in _fields(_EN[k])})]
        assert same == [], (language, same)


EXPECTED = {
    "zh-CN": ("zh", "提交", "重置", "请填写此项。", "选择文件", "取消"),
    "ru": ("ru", "Отправить", "Сбросить", "Пожалуйста, заполните это поле.", "Выберите файл", "Отмена"),
    "de": ("de", "Absenden", "Zurücksetzen", "Bitte füllen Sie dieses Feld aus.", "Datei auswählen", "Abbrechen"),
    "en-US": ("en", "Submit", "Reset", "Please fill in this field.", "Choose file", "Cancel"),
    "garbage": ("en", "Submit", "Reset", "Please fill in this field.", "Choose file", "Cancel"),
}


@pytest.fixture
def clients():
    opened: list[AppClient] = []
    yield opened
    for client in opened:
        client.__exit__(None, None, None)


@pytest.mark.parametrize("header", list(EXPECTED))
def test_forms_and_messages_come_in_the_browser_s_language(clients, header):
    lang, submit, reset, required, choose_file, cancel = EXPECTED[header]

    def main():
        put_text(info.user_language)
        input("Name", required=True)
        input_group("More", [input("Age", name="age")], cancelable=True)
        file_upload("Photo", max_size=10)

    page = AppClient(main, headers={"Accept-Language": header}).__enter__()
    clients.append(page)
    assert page.texts() == [header]  # info.user_language agrees with the header
    assert page.soup.select_one("html")["lang"] == lang
    buttons = [b.get_text() for b in page.form().select(".htmio-form-actions button")]
    assert buttons == [submit, reset]
    assert page.submit("", htmx=False) == 303 and page.error() == required  # no JavaScript needed
    page.submit("Ada")
    assert [b.get_text() for b in page.form().select(".htmio-form-actions button")] == [submit, reset, cancel]
    page.submit(age="3")
    chooser = page.form().select_one("input[type=file]")
    assert chooser["title"] == choose_file  # file_upload's default placeholder, translated
    assert chooser["data-msg-size"] == Messages(lang)("file_over_limit", name="{name}", max="10 " + Messages(lang)("bytes"))
    # refused as it streams (413), said in the user's language
    assert page.submit(files={"value": ("big.bin", b"x" * 20, "application/octet-stream")}) == 413
    assert page.error() == Messages(lang)("file_over_limit", name="big.bin", max=Messages(lang).size(10))
    if lang != "en":
        assert "is larger than" not in page.error()


def test_a_finished_session_and_an_app_error_say_so_in_the_language(clients):
    def main():
        put_text("hi")

    def failing():
        raise RuntimeError("boom")

    done = AppClient(main, headers={"Accept-Language": "de-DE"}).__enter__()
    broken = AppClient(failing, headers={"Accept-Language": "zh-CN"}).__enter__()
    clients.extend([done, broken])
    status = done.soup.select_one("#htmio-status")
    assert "Die Anwendung ist fertig" in status.get_text() and "Neu starten" in status.get_text()
    assert "应用程序发生内部错误" in broken.text()


def test_an_unknown_session_page_comes_in_the_language(clients):
    page = AppClient(lambda: None, headers={"Accept-Language": "ru"}).__enter__()
    clients.append(page)
    gone = page.http.get("/s/nosuchsession")
    assert gone.status_code == 404
    soup = BeautifulSoup(gone.text, "html.parser")
    assert soup.select_one("html")["lang"] == "ru"
    assert "Этот сеанс завершён" in soup.get_text() and "Начать новый сеанс" in soup.get_text()


def test_set_env_picks_a_language_and_overrides_texts(open_app):
    def main():
        set_env(language="zh")
        input("a")
        set_env(messages={"submit": "Envoyer", "required": "Champ obligatoire."})
        textarea("b", required=True)

    page = open_app(main)
    assert [b.get_text() for b in page.form().select(".htmio-form-actions button")] == ["提交", "重置"]
    page.submit("x")
    assert [b.get_text() for b in page.form().select(".htmio-form-actions button")] == ["Envoyer", "重置"]
    page.submit("", htmx=False)
    assert page.error() == "Champ obligatoire."


def test_set_env_refuses_unknown_languages_and_message_ids(raised_in_app):
    assert "it has en, zh, ru, de" in raised_in_app(lambda: set_env(language="xx"), ValueError)
    assert "'sumbit' is not one of htmio's message ids" in raised_in_app(
        lambda: set_env(messages={"sumbit": "Go"}), ValueError)
    assert "must be a str" in raised_in_app(lambda: set_env(messages={"submit": 1}), TypeError)


def test_an_override_with_a_wrong_placeholder_falls_back_to_the_built_in_text():
    t = Messages("de", {"too_long": "zu lang: {laenge}"})
    assert t("too_long", length=12, max=10) == "Der Text ist 12 Zeichen lang; erlaubt sind höchstens 10."
