"""One namespace table: every prefix a source or query declares agrees with it, and every
query file stands alone (declares the prefixes it uses)."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from conftest import ROOT
from kgraph.namespaces import PREFIXES, compact, expand

TURTLE = sorted((ROOT / "data").glob("*.ttl")) + sorted((ROOT / "ontology").rglob("*.ttl"))
QUERIES = sorted((ROOT / "queries").rglob("*.rq"))


@pytest.mark.parametrize("path", TURTLE + QUERIES, ids=lambda p: str(p.relative_to(ROOT)))
def test_declared_prefixes_agree_with_the_table(path):
    text = path.read_text(encoding="utf-8")
    declared = re.findall(r"(?:@prefix|PREFIX)\s+([\w-]*):\s*<([^>]*)>", text, re.I)
    for prefix, iri in declared:
        if prefix in PREFIXES:
            assert PREFIXES[prefix] == iri, f"{prefix}: {iri} != {PREFIXES[prefix]}"


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.name)
def test_query_files_parse_without_predeclared_prefixes(path):
    ox.Store().query(path.read_text(encoding="utf-8"))  # raises SyntaxError on an undeclared prefix


def test_compact_and_expand_round_trip():
    for prefix, ns in PREFIXES.items():
        assert expand(f"{prefix}:x") == ns + "x"
    assert compact("https://w3id.org/cedkg/graph/data/bccic-small-cities") == "ceddata:bccic-small-cities"
    assert compact("http://metadata.un.org/sdg/17.17") == "sdg:17.17"
    assert compact("https://w3id.org/cedkg/id/org/a/b") == "<https://w3id.org/cedkg/id/org/a/b>"


def test_wgs84_namespace_is_http_not_rdflibs_https():
    assert PREFIXES["geo"] == "http://www.w3.org/2003/01/geo/wgs84_pos#"
