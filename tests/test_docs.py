"""Docs stay true: docs/queries.md is generated from the query headers, and every example
in a query header runs."""

from __future__ import annotations

import shlex

import pytest

from conftest import ROOT
from kgraph.queries import library
from kgraph.querydocs import markdown


def test_queries_doc_is_up_to_date():
    assert (ROOT / "docs" / "queries.md").read_text(encoding="utf-8") == markdown(), \
        "docs/queries.md is stale: run `kgraph queries --format markdown > docs/queries.md`"


def test_every_named_query_is_documented():
    doc = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    for name in library():
        assert f"### `{name}`" in doc


EXAMPLES = [(q.name, q.example) for q in library().values()]


@pytest.mark.parametrize("name,example", EXAMPLES, ids=[n for n, _ in EXAMPLES])
def test_query_example_runs(run, tmp_path, name, example):
    args = shlex.split(example)
    assert args[:3] == ["kgraph", "query", name]
    if "--out" in args:
        args[args.index("--out") + 1] = str(tmp_path / args[args.index("--out") + 1])
    r = run(*args[1:])
    assert r.exit_code == 0, r.stderr
