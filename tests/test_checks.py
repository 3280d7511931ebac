"""SPARQL data-quality checks (queries/checks/*-violation.rq): none fires on the bundled data,
and each has a known-bad fixture that must make it fire (tests/checks/<name>-invalid.ttl)."""

from __future__ import annotations

import pytest

from conftest import ROOT, TESTS, fixture_expectation
from kgraph.sources import Source, bundled_sources
from kgraph.store import Store
from kgraph.validate import check_query_violations, validate

CHECKS = sorted(p.name.removesuffix("-violation.rq") for p in (ROOT / "queries" / "checks").glob("*-violation.rq"))


def test_no_check_fires_on_bundled_data(store):
    from kgraph.validate import _NodeIndex

    assert check_query_violations(store, _NodeIndex(store)) == []


@pytest.mark.parametrize("check", CHECKS)
def test_check_has_fixtures(check):
    assert (TESTS / "checks" / f"{check}-invalid.ttl").is_file()
    assert (TESTS / "checks" / f"{check}-valid.ttl").is_file()


@pytest.mark.parametrize("path", sorted((TESTS / "checks").glob("*.ttl")), ids=lambda p: p.stem)
def test_check_fixture(path):
    verdict, also = fixture_expectation(path)
    check = path.stem.rsplit("-", 1)[0]
    src = Source(path, "data")
    found = validate(Store.in_memory(bundled_sources() + [src]), only=[src])
    if verdict == "valid":
        assert [str(v) for v in found] == []
    else:
        ids = {v.check for v in found}
        assert check in ids
        assert ids <= {check} | also
