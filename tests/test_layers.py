"""htmio's layers hold: the import-linter contracts in .importlinter, no import hidden in a function, small modules."""
from __future__ import annotations

import ast
import io
import logging
import tokenize
from pathlib import Path

from importlinter import cli

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "htmio"

# The imports of htmio modules still made inside a function, and why. None dodges a circle: each only
# keeps FastAPI, uvicorn and the server out of `import htmio` (or htmio.testing out of every pytest run).
# A new one fails this test: import at the top of the module, and move the code to the right layer.
LAZY = {
    ("htmio.cli", "htmio.deploy"): "the CLI loads the server only to run it",
    ("htmio.cli", "htmio.server"): "the CLI loads the server only to run it",
    ("htmio.cli", "htmio.platform"): "the CLI loads the server only to run it",
    ("htmio.deploy", "htmio.server"): "`import htmio` loads no FastAPI",
    ("htmio.deploy", "htmio.server.static"): "`import htmio` loads no FastAPI",
    ("htmio.platform", "htmio.server"): "`import htmio` loads no FastAPI",
    ("htmio.platform", "htmio.deploy"): "`import htmio` loads no FastAPI",
    ("htmio.script", "htmio.server"): "`import htmio` loads no FastAPI (script mode starts it on first use)",
    ("htmio.pytest_plugin", "htmio.testing"): "every pytest run loads the plugin; only htmio's tests need the client",
}


def test_the_import_contracts_hold(capsys):
    # lint_imports configures logging with dictConfig, which disables every logger that exists already
    # (htmio's among them): later tests would then see no log records. Put them back as they were.
    loggers = [logging.getLogger(name) for name in logging.root.manager.loggerDict]
    disabled = {logger.name: logger.disabled for logger in loggers}
    try:
        status = cli.lint_imports(config_filename=str(ROOT / ".importlinter"), no_cache=True)
    finally:
        for logger in loggers:
            logger.disabled = disabled[logger.name]
    report = capsys.readouterr().out
    assert status == cli.EXIT_STATUS_SUCCESS, report


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports_inside_functions() -> set[tuple[str, str]]:
    """(importer, imported) for every ``import htmio...`` inside a function body of the package."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        importer = _module_name(path)
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("htmio"):
                    found.add((importer, node.module or ""))
                elif isinstance(node, ast.Import):
                    found.update((importer, a.name) for a in node.names if a.name.startswith("htmio"))
    return found


def test_no_htmio_import_hides_in_a_function_beyond_the_known_lazy_ones():
    assert _imports_inside_functions() - set(LAZY) == set()


def test_the_known_lazy_imports_are_still_there():  # a stale entry would let a new one slip in unseen
    assert set(LAZY) - _imports_inside_functions() == set()


# ---- small modules (issue 13, point 7) -----------------------------------------------------------

MAX_CODE_LINES = 400


def code_lines(source: str) -> int:
    """Lines that hold code: no blank lines, comments or docstrings (a line a token of code touches)."""
    docstrings: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                docstrings.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    lines: set[int] = set()
    skipped = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in skipped:
            lines.update(n for n in range(token.start[0], token.end[0] + 1) if n not in docstrings)
    return len(lines)


def test_code_lines_counts_code_only():
    source = '"""Doc\n\nstring."""\n\n# a comment\nx = 1\n\n\ndef f():\n    """Doc."""\n    return (x +\n            1)\n'
    assert code_lines(source) == 4  # x = 1, def f():, and the two lines of the return


def test_no_module_is_over_400_lines_of_code():
    sizes = {str(p.relative_to(ROOT)): code_lines(p.read_text(encoding="utf-8")) for p in PACKAGE.rglob("*.py")}
    assert {path: n for path, n in sizes.items() if n > MAX_CODE_LINES} == {}
