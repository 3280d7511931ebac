"""`pip install .` gives a working kgraph: the wheel carries the ontology, vocabularies, data,
seed copies and queries, and the CLI finds them from any working directory."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
import zipfile

import pytest

from conftest import ROOT
from test_notebook import KERNEL, TOUR, problems, run_notebook

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)], check=True)
    (whl,) = out.glob("kgraph-*.whl")
    return whl


def test_wheel_contains_the_bundled_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("kgraph/_bundled/ontology/ced.ttl", "kgraph/_bundled/ontology/shapes.ttl",
                     "kgraph/_bundled/ontology/vocab/sdg.ttl", "kgraph/_bundled/data/ccednet-eso-renapess.ttl",
                     "kgraph/_bundled/data/seeds/001_6ea289355bf78444.txt", "kgraph/_bundled/queries/two-way-pairs.rq",
                     "kgraph/_bundled/queries/checks/dangling-reference-violation.rq"):
        assert expected in names


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """A fresh venv with the wheel and its notebook extra: `pip install 'kgraph[notebook]'`."""
    env_dir = tmp_path_factory.mktemp("installed") / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", f"{wheel}[notebook]"],
                   check=True)
    return env_dir


def test_installed_wheel_runs_from_another_directory(installed, tmp_path):
    env_dir = installed
    py = env_dir / "bin" / "python"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    stats = subprocess.run([str(env_dir / "bin" / "kgraph"), "stats", "--format", "json"], cwd=elsewhere,
                           capture_output=True, text=True, check=True)
    assert '"ceddata:ccednet-eso-renapess": 1029' in stats.stdout
    check = subprocess.run([str(py), "-m", "kgraph", "validate"], cwd=elsewhere, capture_output=True, text=True)
    assert (check.returncode, check.stderr) == (0, "No violations in 29 source files.\n")


def test_tour_notebook_runs_in_the_installed_venv(installed, tmp_path, monkeypatch):
    """The acceptance: after `pip install 'kgraph[notebook]'` in a fresh venv the tour runs top to bottom in a
    kernel of that venv, and every output passes the checks of test_notebook (tables, inline graph)."""
    import nbformat

    py = installed / "bin" / "python"
    subprocess.run([str(py), "-c", "import nbclient, nbformat, pandas, ipykernel"], check=True)
    subprocess.run([str(py), "-m", "ipykernel", "install", "--prefix", str(tmp_path / "kernel"), "--name", KERNEL],
                   check=True, capture_output=True)
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "kernel" / "share" / "jupyter"))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    spec = json.loads((tmp_path / "kernel" / "share" / "jupyter" / "kernels" / KERNEL / "kernel.json").read_text())
    assert spec["argv"][0] == str(py)  # the kernel is the fresh venv's Python, not this one
    cells = run_notebook(nbformat.read(TOUR, as_version=4), tmp_path)
    assert problems(cells) == {}
