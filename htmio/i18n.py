"""Built-in texts in the user's language: button labels, validation and upload messages, session notices.

The language is picked on the server from the request's ``Accept-Language`` when a session starts (so it
works without JavaScript), kept on the session, and used by every template (``t("submit")``) and by the
messages of the form items. An app changes it, or any text, with ``set_env(language=..., messages=...)``.

    pick_language("de-CH, de;q=0.9, en;q=0.5")   # 'de'
    Messages("zh")("submit")                      # '提交'
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["LANGUAGES", "Messages", "pick_language", "preferred_tag", "message_ids"]

DEFAULT = "en"

# Placeholders are str.format fields: {value}, {name}, {size}, {max}, {min}, {length}.
_EN: dict[str, str] = {
    "submit": "Submit",
    "reset": "Reset",
    "cancel": "Cancel",
    "set": "Set",
    "choose_file": "Choose file",
    "browse": "Browse",
    "input_area": "Input",
    "start_again": "Start again",
    "start_new_session": "Start a new session",
    "internal_error": "An internal error occurred in the application.",
    "details_in_log": "The details are in the server's log.",
    "session_unknown_heading": "This session has ended",
    "session_unknown": "The page you are on belongs to a session that has ended or never existed "
                       "(the server may have restarted). Start a new session to run the app again.",
    "closed_finished": "The app has finished. What it showed stays here; start again to run it anew.",
    "closed_page_closed": "This session has ended because its page was closed.",
    "closed_page_gone": "This session has ended because its page lost the connection for too long.",
    "closed_idle": "This session has ended after a long time without use.",
    "closed_server_stopped": "The server has stopped, so this session has ended.",
    "closed_other": "This session has ended.",
    "field_missing": "This field was missing from what the browser sent. Reload the page and try again.",
    "required": "Please fill in this field.",
    "not_integer": "{value} is not a number. Enter a whole number, like 42.",
    "not_whole": "{value} is not a whole number. Enter a whole number, like 42.",
    "not_number": "{value} is not a number. Enter a number, like 3.14.",
    "not_finite": "{value} is not a finite number. Enter a number, like 3.14.",
    "not_date": "{value} is not a date. Use the form YYYY-MM-DD, like 2026-11-23.",
    "not_time": "{value} is not a time. Use the form HH:MM or HH:MM:SS.",
    "not_color": "{value} is not a colour. Use the form #rrggbb.",
    "too_long": "This is {length} characters long; at most {max} are allowed.",
    "too_short": "This is {length} characters long; at least {min} are needed.",
    "stale_option": "{value} was not one of the options offered. Reload the page and choose again.",
    "choose_option": "Please choose an option.",
    "choose_options": "Please choose at least one option.",
    "only_one_option": "Only one option can be chosen here.",
    "slider_not_number": "{value} is not a number this slider can take.",
    "slider_range": "{value} is outside the range {min} to {max}.",
    "file_too_large": "{name} is {size}; files may be at most {max}. Choose a smaller file.",
    "files_too_large": "These files come to {size}; together they may be at most {max}. "
                       "Choose fewer or smaller files.",
    "file_required": "Please choose a file.",
    "one_file_only": "Choose one file only.",
    # checked in the browser before anything is sent: {name} is filled in there
    "file_over_limit": "{name} is larger than {max}, the limit for each file.",
    "files_over_limit": "These files come to more than {max}, the limit for all of them together.",
    "field_over_limit": "This is larger than {max}, the limit of this field. Shorten it.",
    "validate_failed": "This value could not be checked (the app's validate function failed). Try another value.",
    "bytes": "bytes",
}

_ZH: dict[str, str] = {
    "submit": "提交",
    "reset": "重置",
    "cancel": "取消",
    "set": "设置",
    "choose_file": "选择文件",
    "browse": "浏览",
    "input_area": "输入",
    "start_again": "重新开始",
    "start_new_session": "开始新的会话",
    "internal_error": "应用程序发生内部错误。",
    "details_in_log": "详细信息记录在服务器日志中。",
    "session_unknown_heading": "此会话已结束",
    "session_unknown": "当前页面所属的会话已经结束或从未存在（服务器可能已重启）。请开始新的会话以重新运行应用。",
    "closed_finished": "应用已运行结束。已显示的内容会保留在这里；重新开始即可再次运行。",
    "closed_page_closed": "页面已关闭，此会话已结束。",
    "closed_page_gone": "页面与服务器断开连接的时间过长，此会话已结束。",
    "closed_idle": "长时间未使用，此会话已结束。",
    "closed_server_stopped": "服务器已停止，此会话已结束。",
    "closed_other": "此会话已结束。",
    "field_missing": "浏览器提交的数据中缺少此项。请刷新页面后重试。",
    "required": "请填写此项。",
    "not_integer": "{value} 不是数字。请输入一个整数，例如 42。",
    "not_whole": "{value} 不是整数。请输入一个整数，例如 42。",
    "not_number": "{value} 不是数字。请输入一个数字，例如 3.14。",
    "not_finite": "{value} 不是有限的数字。请输入一个数字，例如 3.14。",
    "not_date": "{value} 不是日期。请使用 YYYY-MM-DD 格式，例如 2026-11-23。",
    "not_time": "{value} 不是时间。请使用 HH:MM 或 HH:MM:SS 格式。",
    "not_color": "{value} 不是颜色。请使用 #rrggbb 格式。",
    "too_long": "当前长度为 {length} 个字符；最多允许 {max} 个。",
    "too_short": "当前长度为 {length} 个字符；至少需要 {min} 个。",
    "stale_option": "{value} 不在提供的选项中。请刷新页面后重新选择。",
    "choose_option": "请选择一个选项。",
    "choose_options": "请至少选择一个选项。",
    "only_one_option": "此处只能选择一个选项。",
    "slider_not_number": "{value} 不是此滑块可接受的数字。",
    "slider_range": "{value} 超出了 {min} 到 {max} 的范围。",
    "file_too_large": "{name} 的大小为 {size}；单个文件不能超过 {max}。请选择更小的文件。",
    "files_too_large": "这些文件共 {size}；总大小不能超过 {max}。请减少文件数量或选择更小的文件。",
    "file_required": "请选择一个文件。",
    "one_file_only": "只能选择一个文件。",
    "file_over_limit": "{name} 超过了单个文件的大小限制 {max}。",
    "files_over_limit": "这些文件的总大小超过了限制 {max}。",
    "field_over_limit": "这里的内容超过了 {max}，即此字段的上限。请缩短内容。",
    "validate_failed": "无法检查此值（应用的校验函数出错）。请换一个值再试。",
    "bytes": "字节",
}

_RU: dict[str, str] = {
    "submit": "Отправить",
    "reset": "Сбросить",
    "cancel": "Отмена",
    "set": "Применить",
    "choose_file": "Выберите файл",
    "browse": "Обзор",
    "input_area": "Ввод",
    "start_again": "Начать заново",
    "start_new_session": "Начать новый сеанс",
    "internal_error": "В приложении произошла внутренняя ошибка.",
    "details_in_log": "Подробности записаны в журнал сервера.",
    "session_unknown_heading": "Этот сеанс завершён",
    "session_unknown": "Эта страница относится к сеансу, который завершился или никогда не существовал "
                       "(возможно, сервер был перезапущен). Начните новый сеанс, чтобы снова запустить приложение.",
    "closed_finished": "Приложение завершило работу. Показанное остаётся на странице; начните заново, "
                       "чтобы запустить его ещё раз.",
    "closed_page_closed": "Сеанс завершён, потому что его страница была закрыта.",
    "closed_page_gone": "Сеанс завершён, потому что его страница слишком долго была без связи с сервером.",
    "closed_idle": "Сеанс завершён после долгого бездействия.",
    "closed_server_stopped": "Сервер остановлен, поэтому сеанс завершён.",
    "closed_other": "Сеанс завершён.",
    "field_missing": "Браузер не прислал это поле. Перезагрузите страницу и попробуйте ещё раз.",
    "required": "Пожалуйста, заполните это поле.",
    "not_integer": "{value} — не число. Введите целое число, например 42.",
    "not_whole": "{value} — не целое число. Введите целое число, например 42.",
    "not_number": "{value} — не число. Введите число, например 3.14.",
    "not_finite": "{value} — не конечное число. Введите число, например 3.14.",
    "not_date": "{value} — не дата. Используйте формат ГГГГ-ММ-ДД, например 2026-11-23.",
    "not_time": "{value} — не время. Используйте формат ЧЧ:ММ или ЧЧ:ММ:СС.",
    "not_color": "{value} — не цвет. Используйте формат #rrggbb.",
    "too_long": "Длина текста — {length} символов; допускается не более {max}.",
    "too_short": "Длина текста — {length} символов; нужно не менее {min}.",
    "stale_option": "{value} нет среди предложенных вариантов. Перезагрузите страницу и выберите снова.",
    "choose_option": "Пожалуйста, выберите вариант.",
    "choose_options": "Пожалуйста, выберите хотя бы один вариант.",
    "only_one_option": "Здесь можно выбрать только один вариант.",
    "slider_not_number": "{value} — не число, которое может принять этот ползунок.",
    "slider_range": "{value} вне диапазона от {min} до {max}.",
    "file_too_large": "Размер файла {name} — {size}; файл может занимать не более {max}. Выберите файл поменьше.",
    "files_too_large": "Эти файлы вместе занимают {size}; допускается не более {max}. "
                       "Выберите меньше файлов или файлы поменьше.",
    "file_required": "Пожалуйста, выберите файл.",
    "one_file_only": "Выберите только один файл.",
    "file_over_limit": "Файл {name} больше {max} — предельного размера одного файла.",
    "files_over_limit": "Эти файлы вместе больше {max} — предельного общего размера.",
    "field_over_limit": "Текст больше {max} — предела этого поля. Сократите его.",
    "validate_failed": "Не удалось проверить это значение (функция проверки приложения завершилась ошибкой). "
                       "Попробуйте другое значение.",
    "bytes": "байт",
}

_DE: dict[str, str] = {
    "submit": "Absenden",
    "reset": "Zurücksetzen",
    "cancel": "Abbrechen",
    "set": "Übernehmen",
    "choose_file": "Datei auswählen",
    "browse": "Durchsuchen",
    "input_area": "Eingabe",
    "start_again": "Neu starten",
    "start_new_session": "Neue Sitzung starten",
    "internal_error": "In der Anwendung ist ein interner Fehler aufgetreten.",
    "details_in_log": "Die Einzelheiten stehen im Protokoll des Servers.",
    "session_unknown_heading": "Diese Sitzung ist beendet",
    "session_unknown": "Diese Seite gehört zu einer Sitzung, die beendet ist oder nie bestand (vielleicht wurde "
                       "der Server neu gestartet). Starten Sie eine neue Sitzung, um die Anwendung erneut auszuführen.",
    "closed_finished": "Die Anwendung ist fertig. Was sie angezeigt hat, bleibt hier stehen; starten Sie neu, "
                       "um sie noch einmal auszuführen.",
    "closed_page_closed": "Diese Sitzung ist beendet, weil ihre Seite geschlossen wurde.",
    "closed_page_gone": "Diese Sitzung ist beendet, weil ihre Seite zu lange keine Verbindung hatte.",
    "closed_idle": "Diese Sitzung ist nach langer Zeit ohne Nutzung beendet.",
    "closed_server_stopped": "Der Server wurde angehalten, daher ist diese Sitzung beendet.",
    "closed_other": "Diese Sitzung ist beendet.",
    "field_missing": "Dieses Feld fehlte in dem, was der Browser gesendet hat. Laden Sie die Seite neu und "
                     "versuchen Sie es noch einmal.",
    "required": "Bitte füllen Sie dieses Feld aus.",
    "not_integer": "{value} ist keine Zahl. Geben Sie eine ganze Zahl ein, etwa 42.",
    "not_whole": "{value} ist keine ganze Zahl. Geben Sie eine ganze Zahl ein, etwa 42.",
    "not_number": "{value} ist keine Zahl. Geben Sie eine Zahl ein, etwa 3.14.",
    "not_finite": "{value} ist keine endliche Zahl. Geben Sie eine Zahl ein, etwa 3.14.",
    "not_date": "{value} ist kein Datum. Verwenden Sie die Form JJJJ-MM-TT, etwa 2026-11-23.",
    "not_time": "{value} ist keine Uhrzeit. Verwenden Sie die Form HH:MM oder HH:MM:SS.",
    "not_color": "{value} ist keine Farbe. Verwenden Sie die Form #rrggbb.",
    "too_long": "Der Text ist {length} Zeichen lang; erlaubt sind höchstens {max}.",
    "too_short": "Der Text ist {length} Zeichen lang; nötig sind mindestens {min}.",
    "stale_option": "{value} war keine der angebotenen Optionen. Laden Sie die Seite neu und wählen Sie erneut.",
    "choose_option": "Bitte wählen Sie eine Option.",
    "choose_options": "Bitte wählen Sie mindestens eine Option.",
    "only_one_option": "Hier kann nur eine Option gewählt werden.",
    "slider_not_number": "{value} ist keine Zahl, die dieser Schieberegler annehmen kann.",
    "slider_range": "{value} liegt außerhalb des Bereichs von {min} bis {max}.",
    "file_too_large": "{name} ist {size} groß; eine Datei darf höchstens {max} groß sein. "
                      "Wählen Sie eine kleinere Datei.",
    "files_too_large": "Diese Dateien sind zusammen {size} groß; erlaubt sind höchstens {max}. "
                       "Wählen Sie weniger oder kleinere Dateien.",
    "file_required": "Bitte wählen Sie eine Datei.",
    "one_file_only": "Wählen Sie nur eine Datei.",
    "file_over_limit": "{name} ist größer als {max}, die Grenze für jede einzelne Datei.",
    "files_over_limit": "Diese Dateien sind zusammen größer als {max}, die Grenze für alle zusammen.",
    "field_over_limit": "Der Inhalt ist größer als {max}, die Grenze dieses Feldes. Kürzen Sie ihn.",
    "validate_failed": "Dieser Wert konnte nicht geprüft werden (die Prüffunktion der Anwendung ist fehlgeschlagen). "
                       "Versuchen Sie einen anderen Wert.",
    "bytes": "Bytes",
}

_TABLES: dict[str, dict[str, str]] = {"en": _EN, "zh": _ZH, "ru": _RU, "de": _DE}
LANGUAGES: tuple[str, ...] = tuple(_TABLES)

_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")


def message_ids() -> list[str]:
    """The ids of every built-in text, the keys ``set_env(messages=...)`` takes.

        assert "submit" in message_ids()
    """
    return list(_EN)


def _ranked(accept_language: str) -> list[str]:
    """The language tags of an Accept-Language header, most wanted first (q=0 and malformed ones left out)."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip()
        if tag != "*" and not _TAG.fullmatch(tag):
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if 0 < quality <= 1:
            ranked.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(ranked)]


def preferred_tag(accept_language: str) -> str:
    """The language tag the browser wants most, as it sent it (``'zh-CN'``), or '' when it named none.

        preferred_tag("de;q=0.5, ru")   # 'ru'
    """
    return next((tag for tag in _ranked(accept_language) if tag != "*"), "")


def pick_language(accept_language: str) -> str:
    """The language of htmio's texts for a request's ``Accept-Language`` header: the most wanted one htmio
    has, matched by its primary subtag (``zh-CN`` -> ``zh``); English when none matches.

        pick_language("zh-CN,zh;q=0.9,en;q=0.8")   # 'zh'
        pick_language("fr-FR, de;q=0.7")            # 'de'
        pick_language("")                           # 'en'
    """
    for tag in _ranked(accept_language):
        if tag == "*":
            return DEFAULT
        primary = tag.split("-")[0].lower()
        if primary in _TABLES:
            return primary
    return DEFAULT


def check_language(language: object, caller: str) -> str:
    """A language htmio has texts for, or a ValueError listing them."""
    if not isinstance(language, str) or language.split("-")[0].lower() not in _TABLES:
        raise ValueError(f"{caller}: htmio has no texts in {language!r}; it has {', '.join(LANGUAGES)}. "
                         "Give your own texts with set_env(messages={...}).")
    return language.split("-")[0].lower()


def check_messages(messages: object, caller: str) -> dict[str, str]:
    """A valid override table (known ids, text values), or an error saying what is wrong."""
    if not isinstance(messages, Mapping):
        raise TypeError(f"{caller}: messages must be a dict of message id -> text, like {{'submit': 'Send'}}; "
                        f"got {messages!r}.")
    unknown = sorted(str(k) for k in messages if k not in _EN)
    if unknown:
        raise ValueError(f"{caller}: {unknown[0]!r} is not one of htmio's message ids; they are "
                         f"{', '.join(_EN)}.")
    for key, text in messages.items():
        if not isinstance(text, str):
            raise TypeError(f"{caller}: the text for {key!r} must be a str, not {text!r}.")
    return dict(messages)


@dataclass
class Messages:
    """The texts of one session: its language and the app's own overrides. Calling it gives one text,
    its ``{placeholders}`` filled in.

        t = Messages("de")
        t("submit")                                        # 'Absenden'
        t("too_long", length=12, max=10)
    """

    language: str = DEFAULT
    overrides: dict[str, str] = field(default_factory=dict)

    def __call__(self, key: str, /, **args: Any) -> str:
        table = _TABLES.get(self.language, _EN)
        built_in = table.get(key) or _EN[key]
        text = self.overrides.get(key, built_in)
        try:
            return text.format(**args)
        except (KeyError, IndexError, ValueError):  # an override with a stray or unknown {field}
            return built_in.format(**args)

    def size(self, n: int) -> str:
        """A byte count for people: '512 bytes', '1.5 KB', '3.0 MB'."""
        for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
            if n >= scale:
                return f"{n / scale:.1f} {unit}"
        return f"{n} {self('bytes')}"


ENGLISH = Messages()
