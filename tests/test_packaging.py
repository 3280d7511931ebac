"""`pip install .` gives a working kgraph: the wheel carries the ontology, vocabularies, data,
seed copies and queries, and the CLI finds them from any working directory."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile

import pytest

from conftest import ROOT

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


def test_installed_wheel_runs_from_another_directory(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    stats = subprocess.run([str(env_dir / "bin" / "kgraph"), "stats", "--format", "json"], cwd=elsewhere,
                           capture_output=True, text=True, check=True)
    assert '"ceddata:ccednet-eso-renapess": 1027' in stats.stdout
    check = subprocess.run([str(py), "-m", "kgraph", "validate"], cwd=elsewhere, capture_output=True, text=True)
    assert (check.returncode, check.stderr) == (0, "No violations in 25 source files.\n")
