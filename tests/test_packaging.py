"""A plain (non-editable) install finds its templates and htmx files."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent

CHECK = r"""
import htmio, sys
assert "/site/" in htmio.__file__.replace("\\", "/"), htmio.__file__
from htmio.testing import AppClient
from htmio.input import input
from htmio.output import put_text
def main():
    put_text("installed", input("name"))
with AppClient(main) as page:
    page.submit("ok")
    assert page.texts() == ["installed ok"], page.texts()
    js = page.http.get("/_htmio/static/htmx/htmx-4.0.1.js")
    assert js.status_code == 200 and len(js.content) == 104376
print("wheel-ok")
"""


def test_the_wheel_carries_templates_and_static_files(tmp_path):
    wheel_dir = tmp_path / "wheel"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheel_dir), str(ROOT)],
                   check=True, capture_output=True)
    [wheel] = wheel_dir.glob("htmio-*.whl")
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run([sys.executable, "-c", CHECK], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert "wheel-ok" in result.stdout
