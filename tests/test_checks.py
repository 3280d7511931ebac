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


def test_duplicate_label_groups_every_member_with_every_other(tmp_path):
    """Three organisations named alike (case aside) give six violations, each naming the other;
    a person with the same name is another kind and stays out; a unique name gives none."""
    from kgraph.validate import _NodeIndex

    data = tmp_path / "dups.ttl"
    data.write_text("""
@prefix ex: <http://example.org/t/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ex:a a org:Organization ; skos:prefLabel "Coop Nord"@en .
ex:b a org:Organization ; skos:prefLabel "coop nord"@en .
ex:c a org:Organization ; skos:prefLabel "COOP NORD"@en, "Coop du Nord"@fr .
ex:p a foaf:Person ; skos:prefLabel "Coop Nord"@en .
ex:u a org:Organization ; skos:prefLabel "Unique"@en .
""", encoding="utf-8")
    store = Store.in_memory(bundled_sources() + [Source(data, "data")])
    found = [v for v in check_query_violations(store, _NodeIndex(store)) if v.check == "duplicate-label"]
    msg = "has the same English name as http://example.org/t/{}: merge them or tell them apart"
    assert sorted((v.focus, v.message, v.value) for v in found) == [
        ("<http://example.org/t/a>", msg.format("b"), "Coop Nord"),
        ("<http://example.org/t/a>", msg.format("c"), "Coop Nord"),
        ("<http://example.org/t/b>", msg.format("a"), "coop nord"),
        ("<http://example.org/t/b>", msg.format("c"), "coop nord"),
        ("<http://example.org/t/c>", msg.format("a"), "COOP NORD"),
        ("<http://example.org/t/c>", msg.format("b"), "COOP NORD"),
    ]
