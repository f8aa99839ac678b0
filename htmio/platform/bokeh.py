"""Bokeh plots in htmio pages, the way PyWebIO shows them: ``bokeh.io.output_notebook(notebook_type="htmio")``
(or PyWebIO's name, ``"pywebio"``) once, then ``bokeh.io.show(figure)`` inside a session puts the plot in
the page. BokehJS comes from the installed bokeh package, served by htmio itself: plots work offline.

    from bokeh.io import output_notebook, show
    from bokeh.plotting import figure

    def main():
        output_notebook(notebook_type="htmio")
        fig = figure(title="Squares")
        fig.line([1, 2, 3], [1, 4, 9])
        show(fig)

The display hook is registered when ``bokeh.io`` loads (at once if it already has): importing htmio
never imports bokeh.
"""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import json
import sys
import warnings
from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import Any

from htmio.bokehjs import bokehjs_url_dir
from htmio.output import put_html
from htmio.runtime import current_session

__all__ = ["load_notebook", "show_doc", "show_app", "try_install_bokeh_hook"]

NOTEBOOK_TYPES = ("htmio", "pywebio")  # PyWebIO programs say "pywebio"; both mean this hook
_NOTEBOOK_MODULE = "bokeh.io.notebook"  # where bokeh keeps its hooks

# Each plot's script waits for BokehJS (loaded once per page, its bundles in order), then embeds the plot.
# Scripts in put_html run one after another, but this one returns at once: other outputs do not wait.
_EMBED = """<script>(function (files, css, plot) {
  var loading = window.htmioBokehJS = window.htmioBokehJS || {};
  css.forEach(function (href) {
    if (loading[href]) return;
    loading[href] = document.createElement("link");
    loading[href].rel = "stylesheet"; loading[href].href = href;
    document.head.appendChild(loading[href]);
  });
  files.reduce(function (ready, src) {
    return ready.then(function () {
      return loading[src] = loading[src] || new Promise(function (done, fail) {
        var s = document.createElement("script");
        s.src = src; s.onload = done;
        s.onerror = function () { fail(new Error("htmio could not load BokehJS from " + src)); };
        document.head.appendChild(s);
      });
    });
  }, Promise.resolve()).then(plot, function (e) { console.error(e); });
})(%(files)s, %(css)s, function () {
%(code)s
});</script>"""


def load_notebook(resources: Any = None, verbose: bool = False, hide_banner: bool = False,
                  load_timeout: int = 5000) -> None:
    """Bokeh's ``load`` hook, run by ``output_notebook(notebook_type="htmio")``. It shows nothing: the
    first plot of a page loads BokehJS from htmio's server. It may run outside a session (at import time).

        bokeh.io.output_notebook(notebook_type="htmio")

    ``resources`` (a CDN or inline choice) is ignored: BokehJS always comes from the installed package.
    """


def show_doc(obj: Any, state: Any, notebook_handle: Any = None) -> None:
    """Bokeh's ``doc`` hook, run by ``bokeh.io.show(obj)``: puts a figure, layout or widget (or a list or
    dict of them) in the current scope, like ``put_html``.

        bokeh.io.output_notebook(notebook_type="htmio")
        bokeh.io.show(figure)

    ``notebook_handle`` (for ``push_notebook``) is not supported: show the changed figure again.
    """
    from bokeh.embed import components
    from bokeh.embed.bundle import bundle_for_objs_and_resources
    from bokeh.resources import Resources

    session = current_session("bokeh.io.show")
    folder = bokehjs_url_dir()
    if folder is None:  # bokeh is imported, so this means a build without its static files
        raise RuntimeError("bokeh.io.show(): the installed bokeh package has no BokehJS files "
                           "(bokeh/server/static). Reinstall it: pip install --force-reinstall bokeh")
    models = list(obj.values()) if isinstance(obj, Mapping) else list(obj) if isinstance(obj, Sequence) else [obj]
    script, divs = components(obj, wrap_script=False)
    if isinstance(divs, Mapping):
        divs = "\n".join(divs[key] for key in obj)
    elif not isinstance(divs, str):
        divs = "\n".join(divs)
    bundle = bundle_for_objs_and_resources(
        models, Resources(mode="server", root_url=f"{session.page.static}/{folder}"))
    code = "\n".join([*bundle.js_raw, script]).replace("</", "<\\/")
    css = [str(url) for url in bundle.css_files]
    embed = _EMBED % {"files": json.dumps([str(url) for url in bundle.js_files]), "css": json.dumps(css),
                      "code": code}
    raw_css = "".join(f"<style>{text}</style>" for text in bundle.css_raw)
    put_html(raw_css + divs + embed)


def show_app(app: Any, state: Any, notebook_url: Any = None, port: int = 0, **kw: Any) -> None:
    """Bokeh's ``app`` hook, run by ``bokeh.io.show(app)`` for a Bokeh server application: htmio does not
    run Bokeh servers, so this says what to do instead.

        bokeh.io.show(figure)     # a figure, layout or widget works; for an app, see below

    Run the app with ``bokeh serve app.py`` and put it in the page with
    ``put_html(bokeh.embed.server_document("http://localhost:5006/app"))``.
    """
    raise NotImplementedError(
        f"bokeh.io.show({app!r}): htmio shows Bokeh figures, layouts and widgets, not Bokeh server "
        "applications (a function or an Application). Run the app with `bokeh serve app.py` and put it in "
        "the page with put_html(bokeh.embed.server_document('http://localhost:5006/app')), or show a "
        "figure and update it with htmio callbacks.")


def _install(notebook: ModuleType) -> None:
    for name in NOTEBOOK_TYPES:
        notebook.install_notebook_hook(name, load_notebook, show_doc, show_app, overwrite=True)


def try_install_bokeh_hook() -> bool:
    """Register htmio's display hook with bokeh now, importing it; False when bokeh is not installed.
    ``import htmio`` already arranges this for when bokeh loads, so apps need not call it.

        if try_install_bokeh_hook():
            bokeh.io.output_notebook(notebook_type="htmio")
    """
    try:
        import bokeh.io.notebook
    except ImportError:
        return False
    _install(bokeh.io.notebook)
    return True


class _ThenInstall(importlib.abc.Loader):
    """bokeh.io.notebook's own loader, which registers the hook once the module has run."""

    def __init__(self, loader: importlib.abc.Loader) -> None:
        self._loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        try:
            _install(module)
        except Exception as exc:  # a bokeh that changed its hook API must still import
            warnings.warn(f"htmio could not register its bokeh display hook ({exc!r}): "
                          "output_notebook(notebook_type='htmio') will not work. Please report it.",
                          RuntimeWarning, stacklevel=2)

    def __getattr__(self, name: str) -> Any:  # get_source, get_resource_reader, ...
        return getattr(self._loader, name)


class _WhenBokehLoads(importlib.abc.MetaPathFinder):
    """Finds nothing itself: it hands bokeh.io.notebook's spec, found by the other finders, a loader that
    registers the hook after the module has run, and then leaves ``sys.meta_path``."""

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname != _NOTEBOOK_MODULE:
            return None
        for finder in list(sys.meta_path):
            find = getattr(finder, "find_spec", None)
            if isinstance(finder, _WhenBokehLoads) or find is None:
                continue
            spec = find(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _ThenInstall(spec.loader)
            sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _WhenBokehLoads)]
        return spec  # type: ignore[no-any-return]


def install_when_bokeh_loads() -> None:
    """Run by ``import htmio``: register the hook now if bokeh.io is loaded, or as soon as it loads."""
    if _NOTEBOOK_MODULE in sys.modules:
        _install(sys.modules[_NOTEBOOK_MODULE])
    elif not any(isinstance(f, _WhenBokehLoads) for f in sys.meta_path):
        sys.meta_path.insert(0, _WhenBokehLoads())
