"""Every claim in data/ carries provenance: a source document and a quote that appears
verbatim in that document. Checked here independently of kgraph's own validator, with rdflib
reading the Turtle files and plain substring tests against the seed copies."""

from __future__ import annotations


import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from conftest import ROOT

CED = Namespace("https://w3id.org/cedkg/ontology#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SEEDS = ROOT / "data" / "seeds"
CURATED = sorted((ROOT / "data").glob("*.ttl")) + sorted((ROOT / "ontology" / "vocab").glob("*.ttl"))


@pytest.fixture(scope="module")
def curated() -> Graph:
    g = Graph()
    for path in CURATED:
        g.parse(path, format="turtle")
    return g


def seed_text(g: Graph, source: URIRef) -> str:
    copy = g.value(source, CED.localCopy)
    assert copy is not None, f"{source} has no ced:localCopy"
    return (SEEDS / str(copy)).read_text(encoding="utf-8")


def test_the_three_seeds_are_kept_verbatim():
    names = sorted(p.name for p in SEEDS.glob("*.txt"))
    assert names == ["000_fa43f7bee04aa841.txt", "001_6ea289355bf78444.txt", "002_0460fb3db6b857ef.txt"]


def test_every_quote_is_a_verbatim_substring_of_its_seed(curated):
    checked, bad = 0, []
    for evidence in curated.subjects(RDF.type, CED.Evidence):
        source = curated.value(evidence, PROV.hadPrimarySource)
        quote = str(curated.value(evidence, CED.quote))
        checked += 1
        if quote not in seed_text(curated, source):
            bad.append((str(source), quote[:80]))
    assert bad == []
    assert checked == 202


@pytest.mark.parametrize("path", [p for p in CURATED if p.parent.name == "data"], ids=lambda p: p.name)
def test_every_described_resource_in_data_has_evidence(curated, path):
    g = Graph().parse(path, format="turtle")
    described = {s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef)}
    missing = sorted(str(s) for s in described if (s, CED.evidence, None) not in curated)
    assert missing == []


def test_each_data_file_quotes_only_its_own_seed():
    own = {"bccic-small-cities.ttl": "bccic-small-cities", "ccednet-eso-renapess.ttl": "ccednet-eso-renapess",
           "fcm-international.ttl": "fcm-international"}
    for name, source in own.items():
        g = Graph().parse(ROOT / "data" / name, format="turtle")
        used = {str(o).rsplit("/", 1)[1] for o in g.objects(None, PROV.hadPrimarySource)}
        assert used == {source}, name
