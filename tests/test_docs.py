"""Every public name has a docstring with an example, a template where it renders one, and a docs entry."""
from __future__ import annotations

import importlib
import inspect
import re
from importlib import resources
from pathlib import Path

import pytest

PUBLIC = ["htmio.input", "htmio.output", "htmio.session", "htmio.pin", "htmio.exceptions", "htmio.platform",
          "htmio.shared"]
DOCS = (Path(__file__).parent.parent / "docs" / "api.md").read_text()
# functions that render another function's template
SHARED_TEMPLATE = {"put_button": "put_buttons", "input_group": "_form", "put_info": "put_alert",
                   "put_success": "put_alert", "put_warning": "put_alert", "put_error": "put_alert",
                   "put_progressbar": "put_processbar"}
NO_TEMPLATE = {"use_scope", "get_scope", "clear", "remove", "scroll_to", "put_scope", "input_update", "output",
               "set_processbar", "set_progressbar", "set_scope", "style", "close_popup"}


def public_names():
    for module_name in PUBLIC:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            yield module_name, name, getattr(module, name)


@pytest.mark.parametrize(("module", "name", "obj"), list(public_names()), ids=lambda v: v if isinstance(v, str) else "")
def test_public_name_is_documented(module, name, obj):
    assert f"`{name}`" in DOCS, f"{module}.{name} has no entry in docs/api.md"
    if inspect.isfunction(obj) or inspect.isclass(obj):
        doc = obj.__doc__ or ""
        assert doc.strip(), f"{module}.{name} has no docstring"
        # module-level docstrings are indented 4; an example is indented 4 more
        assert any(line.startswith(" " * 8) and line.strip() for line in doc.splitlines()), \
            f"{module}.{name}: add an example to the docstring"


def rendering_functions():
    for module, name, obj in public_names():
        if not inspect.isfunction(obj) or name in NO_TEMPLATE:
            continue
        if module == "htmio.input" or (module in ("htmio.output", "htmio.pin")
                                       and name.startswith(("put_", "toast", "popup"))):
            yield module, name


@pytest.mark.parametrize(("module", "name"), list(rendering_functions()))
def test_rendering_functions_have_their_template(module, name):
    folder = {"htmio.pin": "pin", "htmio.input": "input"}.get(module, "output")
    template = SHARED_TEMPLATE.get(name, name)
    assert (resources.files("htmio") / "templates" / folder / f"{template}.html").is_file()


def test_every_template_root_carries_the_output_attributes():
    # .style() and .onclick() work on any output because each output template puts {{ attrs }} on its root
    folder = resources.files("htmio") / "templates" / "output"
    for template in folder.iterdir():
        if template.name.endswith(".html") and template.name != "toast.html":
            assert "{{ attrs }}" in template.read_text(), template.name


def test_top_level_reexports():
    import htmio

    assert htmio.start_server.__module__ == "htmio.platform"
    assert htmio.config is importlib.import_module("htmio.platform").config
    assert htmio.path_deploy is importlib.import_module("htmio.platform").path_deploy
    assert htmio.pin.pin is importlib.import_module("htmio.pin").pin
    assert htmio.SessionClosedException is importlib.import_module("htmio.exceptions").SessionClosedException


def test_every_test_security_md_names_exists():
    """docs/security.md says which tests hold each promise; a renamed or removed test must not leave it lying."""
    root = Path(__file__).resolve().parent.parent
    text = (root / "docs" / "security.md").read_text(encoding="utf-8")
    sources = {p.name: p.read_text(encoding="utf-8") for p in (root / "tests").glob("test_*.py")}
    files = set(re.findall(r"tests/(test_\w+\.py)", text))
    names = set(re.findall(r"\b(test_\w+)\b(?!\.py)", text)) - {f[:-3] for f in files}
    assert files and names
    assert sorted(f for f in files if f not in sources) == []
    every = "\n".join(sources.values())
    assert sorted(n for n in names if f"def {n}(" not in every) == []
