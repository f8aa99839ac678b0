"""docs/porting.md lists every public name of PyWebIO 1.8.4, and says truthfully whether htmio has it.

The lists below are PyWebIO's public names (its modules' ``__all__``, and the names its documentation and
programs import from modules without one). A name marked "yes" or "partly" in the page must import from the
htmio module of the same heading; a name marked "no" must say why.
"""
from __future__ import annotations

import importlib
import re
import subprocess
from pathlib import Path

import pytest

PAGE = Path(__file__).parent.parent / "docs" / "porting.md"

PYWEBIO_NAMES: dict[str, list[str]] = {
    "htmio": ["start_server", "config", "enable_debug", "STATIC_PATH", "SessionException",
              "SessionClosedException", "SessionNotFoundException", "input", "output", "pin", "session",
              "platform", "__version__"],
    "htmio.input": ["TEXT", "NUMBER", "FLOAT", "PASSWORD", "URL", "DATE", "TIME", "COLOR", "DATETIME_LOCAL",
                    "DATETIME", "TEXTAREA", "SELECT", "CHECKBOX", "RADIO", "input", "textarea", "select",
                    "checkbox", "radio", "actions", "file_upload", "slider", "input_group", "input_update"],
    "htmio.output": ["Position", "OutputPosition", "PopupSize", "remove", "scroll_to", "put_tabs", "put_scope",
                     "put_text", "put_html", "put_code", "put_markdown", "use_scope", "set_scope", "clear",
                     "clear_scope", "put_table", "put_buttons", "put_image", "put_file", "popup", "put_button",
                     "close_popup", "put_widget", "put_collapse", "put_link", "put_scrollable", "style",
                     "put_column", "put_row", "put_grid", "span", "put_progressbar", "set_progressbar",
                     "put_processbar", "set_processbar", "put_loading", "output", "toast", "get_scope",
                     "put_info", "put_error", "put_warning", "put_success", "put_datatable", "datatable_update",
                     "datatable_insert", "datatable_remove", "JSFunction", "OutputList"],
    "htmio.pin": ["put_input", "put_textarea", "put_select", "put_checkbox", "put_radio", "put_slider",
                  "put_actions", "put_file_upload", "pin", "pin_update", "pin_wait_change", "pin_on_change",
                  "get_pin_values"],
    "htmio.session": ["run_async", "run_asyncio_coroutine", "register_thread", "hold", "defer_call", "data",
                      "get_info", "run_js", "eval_js", "download", "set_env", "go_app", "local", "info",
                      "get_current_session", "get_current_task_id"],
    "htmio.exceptions": ["SessionException", "SessionClosedException", "SessionNotFoundException",
                         "PyWebIOWarning"],
    "htmio.platform": ["start_server", "path_deploy", "path_deploy_http", "config", "seo", "run_event_loop"],
    "htmio.platform.tornado": ["start_server", "webio_handler"],
    "htmio.platform.tornado_http": ["start_server", "webio_handler"],
    "htmio.platform.aiohttp": ["start_server", "webio_handler", "static_routes"],
    "htmio.platform.fastapi": ["start_server", "webio_routes", "asgi_app"],
    "htmio.platform.flask": ["start_server", "webio_view", "wsgi_app"],
    "htmio.platform.django": ["start_server", "webio_view", "wsgi_app"],
    "htmio.platform.bokeh": ["load_notebook", "show_doc", "show_app", "try_install_bokeh_hook"],
    "htmio.utils": ["run_as_function", "to_coroutine", "iscoroutinefunction", "isgeneratorfunction",
                    "get_function_name", "get_free_port", "wait_host_port", "random_str", "parse_file_size",
                    "check_dom_name_value", "LRUDict", "ObjectDictProxy", "ReadOnlyObjectDict",
                    "LimitedSizeQueue", "STATIC_PATH", "pyinstaller_datas"],
}

ROW = re.compile(r"^\|\s*(`[^|]+`)\s*\|\s*(yes|partly|no)\s*\|(.*)\|\s*$")


def _rows() -> dict[str, dict[str, tuple[str, str]]]:
    """{module heading: {name: (status, note)}} from the page's tables."""
    tables: dict[str, dict[str, tuple[str, str]]] = {}
    module = None
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^###? `(htmio[\w.]*)`", line)
        if heading:
            module = heading.group(1)
            tables.setdefault(module, {})
            continue
        row = ROW.match(line)
        if row and module is not None:
            for name in re.findall(r"`([^`]+)`", row.group(1)):
                tables[module][name] = (row.group(2), row.group(3).strip())
    return tables


def test_every_pywebio_name_has_a_row() -> None:
    tables = _rows()
    missing = [f"{module}.{name}" for module, names in PYWEBIO_NAMES.items()
               for name in names if name not in tables.get(module, {})]
    assert not missing, f"docs/porting.md has no row for {missing}"


@pytest.mark.parametrize("module", sorted(PYWEBIO_NAMES))
def test_names_marked_present_import_from_htmio(module: str) -> None:
    imported = importlib.import_module(module)
    for name, (status, note) in _rows().get(module, {}).items():
        if status == "no":
            assert len(note) > 20, f"{module}.{name} is marked 'no' without a reason"
            continue
        assert hasattr(imported, name), f"docs/porting.md says {module}.{name} exists ({status}), but it does not"
        if status == "partly":
            assert len(note) > 20, f"{module}.{name} is marked 'partly' without saying what differs"


def test_the_rename_command_works_on_a_pywebio_program(tmp_path: Path) -> None:
    """The page's rename recipe turns PyWebIO's module names into htmio's, and keeps the documented DOM ids
    (``#pywebio-scope-NAME``, which htmio keeps) and other packages (``pywebio_battery``) as they are."""
    text = PAGE.read_text(encoding="utf-8")
    recipe = re.search(r"sed -i -E '([^']+)'", text)
    assert recipe, "docs/porting.md should give the sed command for the rename"
    program = tmp_path / "app.py"
    program.write_text("import pywebio\nfrom pywebio.input import input\nimport pywebio.output as out\n"
                       "from pywebio import start_server, config\nimport pywebio_battery\n"
                       "config(css_style='#pywebio-scope-box {color: red}')\npywebio.output.put_text('x')\n")
    subprocess.run(["sed", "-i", "-E", recipe.group(1), str(program)], check=True)
    assert program.read_text() == ("import htmio\nfrom htmio.input import input\nimport htmio.output as out\n"
                                   "from htmio import start_server, config\nimport pywebio_battery\n"
                                   "config(css_style='#pywebio-scope-box {color: red}')\nhtmio.output.put_text('x')\n")
