"""htmio's texts in the browser's language, in chromium: the locale sets Accept-Language, the server picks
the language from it, and the browser's own file-size check speaks it too."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from htmio.input import file_upload
from htmio.output import put_text
from htmio.session import info
from tests.browser_support import texts, visit


@pytest.mark.browser
@pytest.mark.parametrize(("locale", "button", "too_big"), [
    ("de-DE", "Absenden", "huge.png ist größer als 1024 Bytes, die Grenze für jede einzelne Datei."),
    ("zh-CN", "提交", "huge.png 超过了单个文件的大小限制 1024 字节。"),
    ("ru-RU", "Отправить", "Файл huge.png больше 1024 байт — предельного размера одного файла."),
])
def test_a_browser_in_another_language_gets_htmio_s_texts_in_it(new_context, serve, locale, button, too_big):
    def main():
        put_text(info.user_language)
        f = file_upload("Avatar", max_size="1K")
        put_text(f["filename"])

    server = serve(main)
    page = new_context(locale=locale).new_page()
    visit(page, server)
    expect(texts(page)).to_have_text([locale])
    expect(page.locator("html")).to_have_attribute("lang", locale.split("-")[0])
    submit = page.locator("#htmio-inputs .htmio-form-actions button[type=submit]")
    expect(submit).to_have_text(button)
    chooser = page.get_by_label("Avatar")
    chooser.set_input_files({"name": "huge.png", "mimeType": "image/png", "buffer": bytes(2048)})
    expect(chooser).to_have_js_property("validationMessage", too_big)
    chooser.set_input_files({"name": "small.png", "mimeType": "image/png", "buffer": bytes(10)})
    submit.click()
    expect(texts(page)).to_have_text([locale, "small.png"])
