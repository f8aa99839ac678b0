"""Which app functions a server offers: their names, page settings (``config``), and the index page."""
from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

_CONFIG_ATTR = "_htmio_config"
THEMES = ("auto", "light", "dark")
_THEME_ALIASES = {"default": "light"}  # PyWebIO's name for its light theme


@dataclass(frozen=True)
class PageConfig:
    """What ``config()`` sets for an app's page: head, theme, extra CSS and JavaScript."""

    title: str | None = None
    description: str | None = None
    theme: str | None = None
    js_code: str | None = None
    js_file: tuple[str, ...] = ()
    css_style: str | None = None
    css_file: tuple[str, ...] = ()
    manifest: Any = True

    def over(self, base: PageConfig) -> PageConfig:
        """This config, with what it leaves unset taken from ``base``."""
        changes = {k: getattr(self, k) for k in ("title", "description", "theme", "js_code", "css_style")
                   if getattr(self, k) is not None}
        changes["js_file"] = base.js_file + self.js_file
        changes["css_file"] = base.css_file + self.css_file
        return replace(base, **changes)


_global = {"config": PageConfig()}


def set_global_config(config: PageConfig) -> None:
    _global["config"] = config


def global_config() -> PageConfig:
    return _global["config"]


def check_theme(theme: str | None) -> str | None:
    if theme is None:
        return None
    theme = _THEME_ALIASES.get(theme, theme)
    if theme not in THEMES:
        raise ValueError(f"config(theme={theme!r}): htmio has the themes {', '.join(THEMES)} "
                         "('auto' follows the browser's light or dark preference; 'default' means 'light').")
    return theme


def app_config(fn: Callable[..., Any]) -> PageConfig:
    own = getattr(fn, _CONFIG_ATTR, None)
    return own.over(global_config()) if isinstance(own, PageConfig) else global_config()


def attach_config(fn: Callable[..., Any], config: PageConfig) -> None:
    setattr(fn, _CONFIG_ATTR, config)


@dataclass(frozen=True)
class App:
    """One app function of a server, with the name it is reached by (``?app=name``)."""

    name: str
    fn: Callable[..., Any]
    config: PageConfig = field(default_factory=PageConfig)

    @property
    def title(self) -> str:
        return self.config.title or _doc_parts(self.fn)[0] or self.name

    @property
    def description(self) -> str:
        return self.config.description or _doc_parts(self.fn)[1]


def _doc_parts(fn: Callable[..., Any]) -> tuple[str, str]:
    """PyWebIO's convention: the docstring's first paragraph is the title, the rest the description."""
    doc = inspect.getdoc(fn) or ""
    title, _, rest = doc.partition("\n\n")
    return " ".join(title.split()), " ".join(rest.split())


def collect_apps(applications: Any, caller: str = "start_server") -> dict[str, App]:
    """The apps of ``applications``: one function, a list of functions (named by ``__name__``) or a dict."""
    if callable(applications):
        items: Sequence[tuple[str, Any]] = [(getattr(applications, "__name__", "main"), applications)]
    elif isinstance(applications, Mapping):
        items = list(applications.items())
    elif isinstance(applications, (list, tuple)):
        items = [(getattr(fn, "__name__", ""), fn) for fn in applications]
    else:
        raise TypeError(f"{caller}() takes an app function, a list of them, or a dict of name -> function; "
                        f"got {type(applications).__name__}.")
    apps: dict[str, App] = {}
    for name, fn in items:
        if not callable(fn):
            raise TypeError(f"{caller}(): the app {name!r} is {fn!r}, not a function.")
        if not isinstance(name, str) or not name:
            raise ValueError(f"{caller}(): every app needs a name; {fn!r} has none.")
        if name in apps:
            raise ValueError(f"{caller}(): two apps are named {name!r}; give them different names "
                             "(pass a dict of name -> function).")
        apps[name] = App(name, fn, app_config(fn))
    if not apps:
        raise ValueError(f"{caller}(): give at least one app function.")
    return apps


def choose(apps: dict[str, App], requested: str | None) -> App | None:
    """The app a ``GET /`` runs: the one asked for, the only one, or ``index``; None means show the list."""
    if requested:
        return apps.get(requested)
    if len(apps) == 1:
        return next(iter(apps.values()))
    return apps.get("index")
