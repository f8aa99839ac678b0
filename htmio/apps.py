"""Which app functions a server offers: their names, page settings (``config``), and the index page."""
from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from htmio.utils import get_function_name, iscoroutinefunction

_CONFIG_ATTR = "_htmio_config"
# 'auto' follows the browser's light or dark preference; the last three are PyWebIO's bootswatch themes,
# each a stylesheet of its own under static/themes/, loaded only by the pages that use it
THEMES = ("auto", "light", "dark", "sketchy", "minty", "yeti")
_THEME_FILES = {"sketchy", "minty", "yeti"}
_THEME_ALIASES = {"default": "light"}  # PyWebIO's name for its light theme
THEME_VARIABLES = ("HTMIO_THEME", "PYWEBIO_THEME")  # over config(theme=...), the first one set wins
# the server's theme setting (Settings.theme, `htmio serve --theme`), which comes before both variables
_THEME_SETTING = "the theme setting (HTMIO_THEME, htmio serve --theme, Settings(theme=...))"


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

    @property
    def theme_css(self) -> str | None:
        """The theme's own stylesheet, relative to the static folder ('themes/minty.css'), if it has one."""
        return f"themes/{self.theme}.css" if self.theme in _THEME_FILES else None

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


def stored_global_config() -> PageConfig:
    """What plain ``config(...)`` calls set, as they set it."""
    return _global["config"]


def global_config(theme: str = "") -> PageConfig:
    """The config of pages that belong to no app (the index), with the server's ``theme`` setting or
    ``$HTMIO_THEME`` applied."""
    return _env_theme(_global["config"], theme)


def check_theme(theme: str | None, what: str = "config(theme=...)") -> str | None:
    if theme is None:
        return None
    theme = _THEME_ALIASES.get(theme, theme)
    if theme not in THEMES:
        raise ValueError(f"{what}: {theme!r} is not a theme. htmio has the themes {', '.join(THEMES)} "
                         "('auto' follows the browser's light or dark preference; 'default' means 'light').")
    return theme


def _env_theme(config: PageConfig, theme: str = "", environ: Mapping[str, str] | None = None) -> PageConfig:
    """``config`` with the server's ``theme`` setting, else the theme of ``$HTMIO_THEME`` (or PyWebIO's
    ``$PYWEBIO_THEME``) when one is set: as in PyWebIO, the variable wins over ``config(theme=...)``.
    The variables are read here too, for apps built without settings read from the environment."""
    if theme.strip():
        return replace(config, theme=check_theme(theme.strip(), _THEME_SETTING))
    environ = os.environ if environ is None else environ
    for variable in THEME_VARIABLES:
        value = environ.get(variable, "").strip()
        if value:
            return replace(config, theme=check_theme(value, f"{variable}={value!r}"))
    return config


def app_config(fn: Callable[..., Any], theme: str = "") -> PageConfig:
    """The config of an app's page: its own (from ``@config``, also through ``functools.partial``
    wrappers) over the global one, and the server's ``theme`` setting (else the theme variable) over both."""
    own = None
    while own is None:
        own = getattr(fn, _CONFIG_ATTR, None)
        if not isinstance(fn, functools.partial):
            break
        fn = fn.func
    return _env_theme(own.over(_global["config"]) if isinstance(own, PageConfig) else _global["config"], theme)


def attach_config(fn: Callable[..., Any], config: PageConfig) -> Callable[..., Any]:
    """A new function that runs ``fn`` and carries ``config`` (over the one ``fn`` may carry already).
    ``fn`` itself is left alone: one function configured twice, as two apps, keeps both configs."""
    earlier = getattr(fn, _CONFIG_ATTR, None)

    async def async_app(*args: Any, **kwargs: Any) -> Any:
        return await fn(*args, **kwargs)

    def sync_app(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    app: Callable[..., Any] = async_app if iscoroutinefunction(fn) else sync_app  # async apps run as tasks
    functools.update_wrapper(app, fn)  # __name__, __doc__, __wrapped__ and the attributes fn carries
    if isinstance(fn, functools.partial):  # a partial has neither name nor docstring of its own
        app.__name__ = get_function_name(fn) or "main"
        app.__doc__ = inspect.getdoc(_unwrapped(fn))
    setattr(app, _CONFIG_ATTR, config.over(earlier) if isinstance(earlier, PageConfig) else config)
    return app


def _unwrapped(fn: Any) -> Any:
    while isinstance(fn, functools.partial):
        fn = fn.func
    return fn


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
    if isinstance(fn, functools.partial) and fn.__doc__ == functools.partial.__doc__:
        fn = _unwrapped(fn)  # the wrapped function's docstring, not the one of the partial class
    doc = inspect.getdoc(fn) or ""
    title, _, rest = doc.partition("\n\n")
    return " ".join(title.split()), " ".join(rest.split())


def collect_apps(applications: Any, caller: str = "start_server", theme: str = "") -> dict[str, App]:
    """The apps of ``applications``: one function, a list of functions (named by ``__name__``, a
    ``functools.partial`` by its function's) or a dict; ``theme`` is the server's theme setting."""
    if callable(applications):
        items: Sequence[tuple[str, Any]] = [(get_function_name(applications) or "main", applications)]
    elif isinstance(applications, Mapping):
        items = list(applications.items())
    elif isinstance(applications, (list, tuple)):
        # PyWebIO names a functools.partial after the function it wraps
        items = [(get_function_name(fn) or "", fn) for fn in applications]
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
        apps[name] = App(name, fn, app_config(fn, theme))
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
