"""htmio/ passes strict type checking (STYLE.md)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_mypy_strict_on_the_package():
    root = Path(__file__).parent.parent
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "htmio"], cwd=root,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
