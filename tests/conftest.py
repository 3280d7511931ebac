"""Shared fixtures: the bundled graph as kgraph loads it, a CLI runner, file helpers."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.sources import bundled_sources
from kgraph.store import Store

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


@pytest.fixture(scope="session")
def store() -> Store:
    """The bundled ontology, vocabularies and data, loaded the way the CLI loads them."""
    return Store.in_memory(bundled_sources())


@pytest.fixture
def run():
    """Invoke the kgraph CLI in-process; returns click's Result (stdout, stderr, exit_code)."""
    from kgraph.cli import main

    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke


def fixture_expectation(path: Path) -> tuple[str, set[str]]:
    """The '# valid:' / '# invalid:' verdict on a fixture's first line and its '# also:' IDs."""
    lines = path.read_text(encoding="utf-8").splitlines()
    verdict = lines[0].split(":", 1)[0].lstrip("# ").strip()
    also = set()
    for line in lines[1:4]:
        if line.startswith("# also:"):
            also = set(line.split(":", 1)[1].split())
    return verdict, also
