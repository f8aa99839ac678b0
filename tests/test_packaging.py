"""What `pip install htmio` gives a user: the wheel, built from a clean clone of what is committed,
installed with its dependencies into a fresh virtual environment, serves pages whose every static file
answers, code editors included, and brings the test client along.

An editable install (the suite's own) finds files the wheel may not carry; only this test sees what the
wheel ships. It builds from ``git clone`` of HEAD, since uncommitted files are not shipped either. To try
uncommitted work, run it with ``HTMIO_TEST_WHEEL_FROM_WORKTREE=1``: it then copies the working tree's
tracked and untracked (not ignored) files instead.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).parent.parent

APP = '''
from htmio.input import textarea
from htmio.output import put_text
from htmio.pin import put_textarea


def main():
    """Packaged

    An app with two code editors.
    """
    put_textarea("notes", label="Notes", code={"mode": "markdown"}, value="# title")
    source = textarea("Source", code={"mode": "python"}, value="print('hi')")
    put_text(source)
'''

IN_VENV = r'''
import json, sys
from importlib import resources
import htmio, htmio.testing
from htmio.input import input
from htmio.output import put_text
def main():
    put_text("installed", input("name"))
with htmio.testing.AppClient(main) as page:
    page.submit("ok")
    assert page.texts() == ["installed ok"], page.texts()
root = resources.files("htmio")
files = {}
for folder in ("static", "templates"):
    base = root / folder
    stack = [base]
    while stack:
        item = stack.pop()
        for child in item.iterdir():
            if child.is_dir():
                stack.append(child)
            else:
                files[folder + "/" + str(child)[len(str(base)) + 1:].replace("\\", "/")] = len(child.read_bytes())
print(json.dumps({"file": htmio.__file__, "prefix": sys.prefix, "files": files}))
'''


def _source(tmp_path: Path) -> Path:
    """A clean clone of HEAD (or, when asked, a copy of the working tree's files)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout of htmio: the wheel is built from a clean clone")
    source = tmp_path / "src"
    if os.environ.get("HTMIO_TEST_WHEEL_FROM_WORKTREE"):
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                cwd=ROOT, check=True, capture_output=True, text=True).stdout
        for name in filter(None, listed.split("\0")):
            if (ROOT / name).is_file():
                (source / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / name, source / name)
    else:
        subprocess.run(["git", "clone", "-q", str(ROOT), str(source)], check=True, capture_output=True)
    return source


def _run(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _editor_urls(textarea: dict[str, str], loader: str, page_url: str) -> list[str]:
    """The files htmio.js's editor loader fetches for one ``textarea[data-htmio-code]``, read from the
    installed htmio.js itself (its folder constant, its mode dependencies and its path rule)."""
    folder = re.search(r'\bCM\s*=\s*"([^"]+)"', loader)
    deps = re.search(r"\bDEPS\s*=\s*(\{.*?\});", loader)
    assert folder and deps and '"mode/"' in loader and '"meta.js"' in loader, (
        "htmio.js's code editor loader changed shape (CM, DEPS, mode/<m>/<m>.js): update _editor_urls")
    deps_map = json.loads(re.sub(r"(\w+)\s*:", r'"\1":', deps.group(1)))
    base = textarea["data-htmio-static"] + folder.group(1)
    mode = json.loads(textarea["data-htmio-code"]).get("mode")
    modes = deps_map.get(mode, [mode] if mode else [])
    paths = ["codemirror.css", "codemirror.js"]
    paths += ["mode/meta.js" if m == "meta" else f"mode/{m}/{m}.js" for m in modes]
    return [urljoin(page_url, base + p) for p in paths]


def test_the_wheel_from_a_clean_clone_serves_every_static_file(tmp_path):
    started = time.monotonic()
    source = _source(tmp_path)
    wheels = tmp_path / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(source)])
    [wheel] = wheels.glob("htmio-*.whl")

    # a fresh environment with only what the wheel declares: the test client must come with it
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", str(wheel)])
    installed_at = time.monotonic()

    checked = _run([str(python), "-c", IN_VENV], cwd=tmp_path)
    found = json.loads(checked.stdout.strip().splitlines()[-1])
    assert Path(found["file"]).is_relative_to(Path(found["prefix"])), found["file"]  # not the checkout's
    shipped = {str(p.relative_to(source / "htmio")).replace(os.sep, "/")
               for folder in ("static", "templates") for p in (source / "htmio" / folder).rglob("*") if p.is_file()}
    assert shipped - set(found["files"]) == set(), "files of the checkout missing from the installed package"

    app = tmp_path / "app.py"
    app.write_text(APP, encoding="utf-8")
    port = _free_port()
    htmio_cmd = venv / ("Scripts/htmio.exe" if os.name == "nt" else "bin/htmio")
    server = subprocess.Popen([str(htmio_cmd), "serve", str(app), "--port", str(port)], cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", follow_redirects=True, timeout=10) as http:
            deadline = time.monotonic() + 30
            while True:
                assert server.poll() is None, f"htmio serve exited:\n{server.stdout.read() if server.stdout else ''}"
                try:
                    page = http.get("/")
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, "htmio serve did not answer within 30 s"
                    time.sleep(0.1)
            assert page.status_code == 200 and "/s/" in str(page.url), (page.status_code, page.url)
            soup = BeautifulSoup(page.text, "html.parser")
            editors = soup.select("textarea[data-htmio-code]")
            for _ in range(50):  # the input form comes once main() reaches textarea(): normally at once
                if len(editors) == 2:
                    break
                time.sleep(0.1)
                soup = BeautifulSoup(http.get(page.url).text, "html.parser")
                editors = soup.select("textarea[data-htmio-code]")
            assert len(editors) == 2, soup.prettify()

            page_url = str(page.url)
            urls = [urljoin(page_url, str(tag["href"])) for tag in soup.select("link[href]")]
            urls += [urljoin(page_url, str(tag["src"])) for tag in soup.select("script[src]")]
            urls = [u for u in urls if urlsplit(u).scheme in ("http", "https")]  # not data: icons
            static = str(editors[0]["data-htmio-static"])
            # files the page names in data attributes for its script to load later (jQuery, say)
            urls += [urljoin(page_url, value) for tag in soup.find_all(True) for value in tag.attrs.values()
                     if isinstance(value, str) and value.startswith(static + "/")]
            loader = http.get(urljoin(page_url, static + "/htmio.js"))
            assert loader.status_code == 200
            for editor in editors:
                urls += _editor_urls({k: str(v) for k, v in editor.attrs.items()}, loader.text, page_url)
            assert any("/mode/python/python.js" in u for u in urls) and any("/mode/markdown/" in u for u in urls)

            # every file of the checkout's static folder answers with the bytes it has there
            checkout_static = source / "htmio" / "static"
            files = {str(p.relative_to(checkout_static)).replace(os.sep, "/"): p
                     for p in checkout_static.rglob("*") if p.is_file()}
            urls += [urljoin(page_url, f"{static}/{name}") for name in files]
            failed = []
            for url in dict.fromkeys(urls):
                answer = http.get(url)
                name = urlsplit(url).path.partition(urlsplit(urljoin(page_url, static)).path + "/")[2]
                if answer.status_code != 200 or not answer.content:
                    failed.append(f"{answer.status_code} {url}")
                elif name in files and answer.content != files[name].read_bytes():
                    failed.append(f"different bytes: {url}")
            assert failed == [], "\n".join(failed)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.stdout:
            server.stdout.close()
    # building and installing must stay quick: it runs in CI on every stop (about 10 s here)
    assert installed_at - started < 120, f"building and installing the wheel took {installed_at - started:.0f} s"
