"""docs/screenshots.py regenerates the README's pictures in one command, and the README shows them."""

from __future__ import annotations

import struct
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]
NAMES = ("report.png", "explorer.png", "map.png")


def _size(path):
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


def test_screenshots_script_writes_the_three_pictures(tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "docs" / "screenshots.py"), "--out", str(tmp_path)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [f"Wrote {tmp_path / n}" for n in NAMES]
    for name in NAMES:
        width, height = _size(tmp_path / name)
        assert width == 1400 and height >= 900
        assert (tmp_path / name).stat().st_size > 30000  # a picture, not a blank page
        assert _size(ROOT / "docs" / "screenshots" / name)[0] == width  # the committed ones are the same kind


def test_readme_shows_the_screenshots():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in NAMES:
        assert f"(docs/screenshots/{name})" in readme
