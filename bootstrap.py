#!/usr/bin/env python3
"""Set up kgraph's virtual environment if needed, then run a command inside it.

The README's two commands go through this script, so a fresh machine with only Python 3.11+
needs nothing else:

    python3 bootstrap.py kgraph report --out report   # the main job on the bundled data
    python3 bootstrap.py pytest                        # the whole test suite

It creates ``.venv`` (once), installs kgraph with its test extras in editable mode (again
whenever pyproject.toml changes), and for ``pytest`` makes sure the real components the tests
drive are present: Debian's chromium for the browser tests (installed with apt-get when run
as root) and the Oxigraph server (the ``oxigraph`` package, a dependency).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".kgraph-installed"
CHROMIUM = "/usr/bin/chromium"


def fail(message: str) -> None:
    print(f"bootstrap: {message}", file=sys.stderr)
    sys.exit(2)


def venv_bin(name: str) -> Path:
    return VENV / ("Scripts" if os.name == "nt" else "bin") / name


def ensure_venv() -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.is_file() and STAMP.read_text().strip() == wanted and venv_bin("kgraph").exists():
        return
    if not venv_bin("python").exists():
        print("bootstrap: creating .venv", file=sys.stderr)
        venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
    print("bootstrap: installing kgraph and its test dependencies into .venv", file=sys.stderr)
    pip = [str(venv_bin("python")), "-m", "pip", "--disable-pip-version-check", "-q"]
    for cmd in (pip + ["install", "-U", "pip"], pip + ["install", "-e", f"{ROOT}[test]"]):
        if subprocess.call(cmd) != 0:
            fail("installing into .venv failed (see the pip output above); fix it and run again")
    STAMP.write_text(wanted + "\n")


def ensure_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.name == "posix" and os.geteuid() == 0 and shutil.which("apt-get"):
        print("bootstrap: installing Debian's chromium for the browser tests", file=sys.stderr)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        ok = subprocess.call(["apt-get", "update", "-qq"], env=env) == 0 and \
            subprocess.call(["apt-get", "install", "-y", "-qq", "chromium"], env=env) == 0
        if ok and Path(CHROMIUM).exists():
            return
    fail(f"the browser tests need Debian's chromium at {CHROMIUM}: run `sudo apt-get install chromium`, then again")


def main(argv: list[str]) -> None:
    if sys.version_info < (3, 11):
        fail(f"kgraph needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not argv:
        fail("give a command to run in the environment, e.g. `kgraph report --out report` or `pytest`")
    ensure_venv()
    command = argv[0]
    if command == "pytest":
        ensure_chromium()
    exe = venv_bin(command)
    if not exe.exists():
        fail(f"{command!r} is not installed in .venv; try `kgraph` or `pytest`")
    os.chdir(ROOT)
    os.execv(str(exe), [str(exe), *argv[1:]])


if __name__ == "__main__":
    main(sys.argv[1:])
