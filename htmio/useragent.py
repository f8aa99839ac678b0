"""``info.user_agent``: a browser's User-Agent header read into the fields and family names that
PyWebIO's ``user-agents`` package gives, by a small parser of htmio's own for the common browsers."""
from __future__ import annotations

import re
from typing import NamedTuple

Version = tuple[int | str, ...]


class Browser(NamedTuple):
    """The browser: ``family`` ('Chrome', 'Mobile Safari', ...), ``version`` (up to three parts)."""

    family: str
    version: Version
    version_string: str


class OperatingSystem(NamedTuple):
    """The operating system: ``family`` ('Windows', 'Mac OS X', 'iOS', 'Android', 'Linux', ...)."""

    family: str
    version: Version
    version_string: str


class Device(NamedTuple):
    """The device: ``family`` ('iPhone', 'Pixel 8', 'Mac', 'Other'), ``brand`` and ``model`` or None."""

    family: str
    brand: str | None
    model: str | None


class UserAgent:
    """What ``info.user_agent`` is: the browser, system and device read from the User-Agent header,
    with the fields of the ``user-agents`` package PyWebIO uses. ``str()`` gives device / os / browser.

        ua = info.user_agent
        if ua.is_mobile:
            put_text("on a phone:", ua.device.family)
        put_text(str(ua))   # 'PC / Windows 10 / Chrome 120.0.6099'
    """

    def __init__(self, ua_string: str) -> None:
        self.ua_string = ua_string
        bot = _bot(ua_string)
        self.browser = bot or _browser(ua_string)
        self.os = OperatingSystem("Other", (), "") if bot else _system(ua_string)
        self.device = Device("Spider", "Spider", "Desktop") if bot else _device(ua_string)

    def __str__(self) -> str:
        device = "PC" if self.is_pc else self.device.family
        system = f"{self.os.family} {self.os.version_string}".strip()
        browser = f"{self.browser.family} {self.browser.version_string}".strip()
        return f"{device} / {system} / {browser}"

    def __repr__(self) -> str:
        return f"<UserAgent {str(self)!r}>"

    @property
    def is_tablet(self) -> bool:
        """An iPad, an Android tablet (no 'Mobile Safari' in the header) or a Kindle."""
        if self.device.family in ("iPad", "Kindle", "Kindle Fire", "Galaxy Tab"):
            return True
        return self.os.family == "Android" and "Mobile Safari" not in self.ua_string \
            and self.browser.family not in ("Firefox Mobile", "Opera Mini")

    @property
    def is_mobile(self) -> bool:
        """A phone: iPhone, iPod, an Android phone, Windows Phone, or a mobile browser."""
        if self.device.family in ("iPhone", "iPod", "Generic Smartphone"):
            return True
        if self.browser.family in ("Opera Mobile", "Opera Mini", "Chrome Mobile", "Chrome Mobile WebView",
                                   "Chrome Mobile iOS", "IE Mobile"):
            return True
        if self.os.family == "Android" and not self.is_tablet:
            return True
        return self.os.family == "Windows Phone" or "iPhone;" in self.ua_string

    @property
    def is_touch_capable(self) -> bool:
        """A system made for touch: iOS, Android, Windows Phone."""
        return self.os.family in ("iOS", "Android", "Windows Phone") or self.device.family == "Kindle Fire"

    @property
    def is_pc(self) -> bool:
        """A desktop or laptop: Windows, macOS, Chrome OS, desktop Linux."""
        text = self.ua_string
        return ("Windows NT" in text or (self.os.family == "Mac OS X" and "Silk" not in text)
                or self.os.family == "Chrome OS" or ("Linux" in text and "X11" in text))

    @property
    def is_bot(self) -> bool:
        """A search engine's crawler."""
        return self.device.family == "Spider"


def parse_user_agent(text: str) -> UserAgent:
    """Read a User-Agent header.

        str(parse_user_agent(request.headers["user-agent"]))   # 'PC / Linux / Firefox 121.0'
    """
    return UserAgent(text)


def _version(text: str) -> Version:
    parts = [p for p in re.split(r"[._]", text) if p][:3]
    return tuple(int(p) if p.isdigit() else p for p in parts)


def _named(family: str, version: str) -> tuple[str, Version, str]:
    parts = _version(version)
    return family, parts, ".".join(str(p) for p in parts)


_BOT = re.compile(r"(Googlebot(?:-Mobile)?|bingbot|Baiduspider|YandexBot|DuckDuckBot|Applebot|"
                  r"[A-Za-z]*(?:bot|crawler|spider))/([\d.]+)", re.I)


def _bot(text: str) -> Browser | None:
    match = _BOT.search(text)
    return Browser(*_named(match.group(1), match.group(2))) if match else None


# (family, pattern with the version as its group, a family to use when 'Mobile' is in the header)
_BROWSERS = [
    ("Edge Mobile", r"Edg(?:A|iOS)/([\d.]+)", None),
    ("Edge", r"Edge?/([\d.]+)", "Edge Mobile"),
    ("Opera", r"OPR/([\d.]+)", "Opera Mobile"),
    ("Samsung Internet", r"SamsungBrowser/([\d.]+)", None),
    ("Amazon Silk", r"Silk/([\d.]+)", None),
    ("Yandex Browser", r"YaBrowser/([\d.]+)", None),
    ("Vivaldi", r"Vivaldi/([\d.]+)", None),
    ("Brave", r"Brave/([\d.]+)", None),
    ("Firefox iOS", r"FxiOS/([\d.]+)", None),
    ("Chrome Mobile iOS", r"CriOS/([\d.]+)", None),
    ("Firefox", r"Firefox/([\d.]+)", None),
    ("HeadlessChrome", r"HeadlessChrome/([\d.]+)", None),
    ("Chromium", r"Chromium/([\d.]+)", None),
    ("Chrome", r"Chrome/([\d.]+)", None),
    ("IE", r"Trident/.*rv:([\d.]+)", None),
    ("IE", r"MSIE ([\d.]+)", None),
    ("Safari", r"Version/([\d.]+).*Safari/", None),
    ("Python Requests", r"python-requests/(\d+\.\d+)", None),
    ("curl", r"^curl/([\d.]+)", None),
]


def _browser(text: str) -> Browser:
    android, ios = "Android" in text, bool(re.search(r"iPhone|iPad|iPod", text))
    for family, pattern, mobile in _BROWSERS:
        match = re.search(pattern, text)
        if match is None:
            continue
        if mobile is not None and "Mobile" in text:
            family = mobile
        elif family == "Firefox" and android:
            family = "Firefox Mobile"
        elif family == "Chrome" and android:
            family = "Chrome Mobile WebView" if "; wv)" in text else "Chrome Mobile" if "Mobile" in text else "Chrome"
        elif family == "Safari" and ios:
            family = "Mobile Safari"
        elif family == "Safari" and android:  # the old Android browser is named after its system
            system = _system(text)
            return Browser(system.family, system.version, system.version_string)
        return Browser(*_named(family, match.group(1)))
    if ios and "Mobile/" in text:
        return Browser("Mobile Safari UI/WKWebView", (), "")
    return Browser("Other", (), "")


_WINDOWS = {"10.0": "10", "6.3": "8.1", "6.2": "8", "6.1": "7", "6.0": "Vista", "5.1": "XP", "5.2": "XP"}
_SYSTEMS = [
    ("Windows Phone", r"Windows Phone(?: OS)? ([\d.]+)"),
    ("Windows", r"Windows NT ([\d.]+)"),
    ("iOS", r"(?:iPhone|iPad|iPod).*? OS ([\d_]+)"),
    ("Mac OS X", r"Mac OS X ([\d_.]+)"),
    ("Chrome OS", r"CrOS \S+ ([\d.]+)"),
    ("Android", r"Android ?([\d.]*)"),
    ("Ubuntu", r"Ubuntu()"),
    ("Fedora", r"Fedora()"),
    ("Debian", r"Debian()"),
    ("Linux", r"Linux()"),
]


def _system(text: str) -> OperatingSystem:
    for family, pattern in _SYSTEMS:
        match = re.search(pattern, text)
        if match is None:
            continue
        version = match.group(1)
        if family == "Windows":
            version = _WINDOWS.get(version, version)
        return OperatingSystem(*_named(family, version))
    return OperatingSystem("Other", (), "")


def _device(text: str) -> Device:
    for apple in ("iPod", "iPad", "iPhone"):  # an iPod says "iPhone OS" too
        if apple in text:
            return Device(apple, "Apple", apple)
    if "Macintosh" in text:
        return Device("Mac", "Apple", "Mac")
    lumia = re.search(r"Windows Phone.*?(?:Microsoft|NOKIA); ([^;)]+)", text)
    if lumia:
        return Device(lumia.group(1), "Nokia", lumia.group(1))
    match = re.search(r"Android[^;)]*;(?: U;)?(?: [a-z]{2}(?:-[a-zA-Z]{2})?;)? ((?:[^;()]|\([^)]*\))+?)"
                      r"(?: Build/[^;)]*)?[;)]", text)
    if match is None:
        return Device("Other", None, None)
    model = match.group(1).strip()
    phone = "Mobile" in text
    if model in ("Mobile", "Tablet"):  # Firefox names only the kind of device
        kind = "Smartphone" if model == "Mobile" else "Tablet"
        return Device(f"Generic {kind}", "Generic", kind)
    if model.startswith("Pixel"):
        return Device(model, "Google", model)
    if model.startswith("KF"):
        return Device("Kindle", "Amazon", "Kindle")
    if model.startswith("moto "):
        return Device("Motorola " + model[5:], "Motorola", model[5:])
    if model.startswith("GT-") or (phone and model.startswith("SM-")):
        return Device("Samsung " + model, "Samsung", model)
    return Device(model, "Generic_Android" if phone else "Generic_Android_Tablet", model)
