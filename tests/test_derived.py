"""The derived graph (cedgraph:derived, kgraph.derived): what it holds on the bundled data, exact
values on a small fixture, one statement per fact, purity, and that it can be left out."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from kgraph import derived
from kgraph.namespaces import DERIVED_GRAPH, compact
from kgraph.sources import Source, bundled_sources
from kgraph.store import Store

DERIVED = ox.NamedNode(DERIVED_GRAPH)


def show(t):
    if isinstance(t, ox.NamedNode):
        return compact(t.value)
    if isinstance(t, ox.Literal):
        kind = f"@{t.language}" if t.language else ("" if t.datatype.value.endswith("#string") else
                                                    "^^" + compact(t.datatype.value))
        return t.value + kind
    return str(t)


def select(store, sparql):
    return sorted(tuple(show(x) for x in row) for row in store.query(sparql))


def test_what_the_derived_graph_holds_on_the_bundled_data(store):
    assert select(store, "SELECT ?p (COUNT(*) AS ?n) WHERE { GRAPH cedgraph:derived { ?s ?p ?o } } GROUP BY ?p") == [
        ("ced:country", "30^^xsd:integer"), ("ced:effectiveDate", "13^^xsd:integer"),
        ("ced:effectiveYear", "13^^xsd:integer"), ("ced:northSouthGroup", "31^^xsd:integer"),
        ("ced:sourceOrganisation", "49^^xsd:integer"), ("ced:targetOrganisation", "49^^xsd:integer"),
        ("rdf:type", "668^^xsd:integer"), ("rdfs:label", "1368^^xsd:integer")]


def test_agents_countries_groups_and_plain_labels(store):
    got = select(store, """SELECT ?a ?country ?group ?label WHERE {
        VALUES ?a { cedper:ethel-cote cedorg:renapess cedorg:overseas-municipal-counterparts cedevt:bamako-2005 }
        OPTIONAL { ?a ced:country ?country } OPTIONAL { ?a ced:northSouthGroup ?group } ?a rdfs:label ?label }""")
    assert got == [
        ("cedevt:bamako-2005", "None", "None", "Rencontre africaine de Bamako"),  # only a French name
        ("cedorg:overseas-municipal-counterparts", "None", "South",  # world regions only, no country
         "Municipal counterparts in Asia, Africa, the Middle East, Latin America, the Caribbean and Eastern Europe"),
        ("cedorg:renapess", "cedplc:mali", "South", "RENAPESS Mali"),
        ("cedper:ethel-cote", "cedplc:canada", "North", "Ethel Côté"),  # through ESO, which she heads
    ]


def test_flow_ends_and_effective_dates(store):
    got = select(store, """SELECT ?f ?so ?to ?d ?y WHERE {
        VALUES ?f { cedflow:cote-renapess-seminars cedflow:uniterra-cote-delegation-funding cedflow:koumare-ccednet-testimony }
        ?f ced:sourceOrganisation ?so ; ced:targetOrganisation ?to
        OPTIONAL { ?f ced:effectiveDate ?d ; ced:effectiveYear ?y } }""")
    assert got == [
        ("cedflow:cote-renapess-seminars", "cedorg:eso", "cedorg:renapess", "None", "None"),
        ("cedflow:koumare-ccednet-testimony", "cedorg:renapess", "cedorg:ccednet", "2007-01-01^^xsd:date",
         "2007^^xsd:integer"),
        ("cedflow:uniterra-cote-delegation-funding", "cedorg:uniterra", "cedorg:eso", "2005-11-01^^xsd:date",
         "2005^^xsd:integer"),
    ]


def test_types_up_the_class_tree(store):
    assert select(store, "SELECT ?t WHERE { GRAPH cedgraph:derived { cedorg:renapess a ?t } }") == [
        ("essglobal:Network",), ("foaf:Agent",), ("org:Organization",)]
    assert select(store, "SELECT ?t WHERE { GRAPH cedgraph:derived { cedpart:eso-renapess a ?t } }") == [
        ("foaf:Agent",), ("org:Organization",), ("org:OrganizationalCollaboration",)]


def test_nothing_derived_is_also_asserted(store):
    assert select(store, """SELECT ?s ?p ?o WHERE { GRAPH cedgraph:derived { ?s ?p ?o }
                            GRAPH ?g { ?s ?p ?o } FILTER(?g != cedgraph:derived) }""") == []


UNLABELLED = """SELECT ?s WHERE { { SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) } }
                                 FILTER NOT EXISTS { ?s rdfs:label ?l FILTER(LANG(?l) = "") } }"""


def test_every_resource_has_one_plain_label(store, small):
    """Every IRI the graph describes has exactly one plain rdfs:label (statements are named by their
    text, memberships and the reused ORG/FOAF classes by labels of their own)."""
    assert select(store, UNLABELLED) == []
    assert select(store, """SELECT ?s WHERE { ?s rdfs:label ?a , ?b FILTER(LANG(?a) = "" && LANG(?b) = "" && ?a < ?b) }""") == []
    # known-bad: the fixture's places, persons, events and flows have no name at all
    assert [s for (s,) in select(small, UNLABELLED) if s.startswith("<http://example.org/")] == [
        f"<http://example.org/{n}>" for n in ("e", "f1", "f2", "f3", "north", "p", "q", "south", "town")]


UNLABELLED_TERMS = """SELECT ?t WHERE { { SELECT DISTINCT ?t WHERE { { ?s ?t ?o } UNION { ?s a ?t } } }
                                      FILTER NOT EXISTS { ?t rdfs:label ?l FILTER(LANG(?l) = "") }
                                      FILTER NOT EXISTS { ?t rdfs:label ?en , ?fr FILTER(LANG(?en) = "en"
                                                                                       && LANG(?fr) = "fr") } }"""


def test_every_class_and_property_has_a_name_in_english_and_french(store, small):
    """The reused vocabularies' terms (schema:startDate, org:headOf, skos:Concept, ...) are named too,
    so a table of predicates or types reads as words in either language."""
    assert select(store, UNLABELLED_TERMS) == []
    assert select(store, """SELECT ?l WHERE { VALUES ?t { schema:startDate skos:Concept }
                            ?t rdfs:label ?l }""") == [
        ("Concept",), ("Concept@en",), ("Concept@fr",),
        ("date de début@fr",), ("start date",), ("start date@en",)]
    assert select(small, UNLABELLED_TERMS) == [("<http://example.org/rating>",)]  # known-bad: ex:rating


def test_english_label_wins_over_a_french_one_that_sorts_first(store):
    """The rule once took MIN over labels with unbound non-English slots, which SPARQL orders first:
    the partnership got its French name. English names on the bundled data now always win."""
    assert select(store, """SELECT ?s WHERE { GRAPH cedgraph:derived { ?s rdfs:label ?l }
                            ?s skos:prefLabel ?en FILTER(LANG(?en) = "en") FILTER(?l != STR(?en)) }""") == []
    assert select(store, """SELECT ?s ?l WHERE { VALUES ?s { cedpart:eso-renapess cedplc:caribbean
                            cedstmt:cote-two-way-street cedmem:ethel-cote-eso org:Organization } ?s rdfs:label ?l
                            FILTER(LANG(?l) = "") }""") == [
        ("cedmem:ethel-cote-eso", "Ethel Côté, President of Économie solidaire de l'Ontario"),
        ("cedpart:eso-renapess", "Économie solidaire de l'Ontario – RENAPESS partnership"),
        ("cedplc:caribbean", "Caribbean"),
        ("cedstmt:cote-two-way-street", "From day one, it was a two-way street."),
        ("org:Organization", "Organization"),
    ]


FIXTURE = """@prefix ced: <https://w3id.org/cedkg/ontology#> .
@prefix ex: <http://example.org/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:north a ced:Country ; ced:odaRecipient false .
ex:south a ced:Country ; ced:odaRecipient true .
ex:town a ced:City ; schema:containedInPlace ex:south .
ex:a a ced:NGO ; skos:prefLabel "A fr"@fr , "B en"@en ; schema:location ex:north ; ex:rating 3 .
ex:s a ced:Statement ; schema:text "Said so."@en .
ex:b a ced:Network ; skos:prefLabel "B"@de ; schema:location ex:north , ex:town .
ex:unit a org:OrganizationalUnit ; org:unitOf ex:b ; rdfs:label "already plain" .
ex:p a foaf:Person ; org:memberOf ex:a ; org:headOf ex:b .
ex:q a foaf:Person ; org:memberOf ex:a .
ex:e a ced:Conference ; schema:startDate "2006-03"^^xsd:gYearMonth .
ex:f1 a ced:KnowledgeFlow ; ced:source ex:p ; ced:target ex:q ; schema:startDate "2004"^^xsd:gYear .
ex:f2 a ced:KnowledgeFlow ; ced:source ex:a ; ced:target ex:unit ; ced:atEvent ex:e .
ex:f3 a ced:KnowledgeFlow ; ced:source ex:q ; ced:target ex:b ; schema:startDate "2007-05-09"^^xsd:date ; ced:atEvent ex:e .
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path = tmp_path_factory.mktemp("derived") / "small.ttl"
    path.write_text(FIXTURE, encoding="utf-8")
    return Store.in_memory(bundled_sources(data=False) + [Source(path, "data")])


def test_fixture_exact_values(small):
    ex = "FILTER(STRSTARTS(STR(?s), 'http://example.org/'))"
    assert select(small, f"""SELECT ?s ?p ?o WHERE {{ GRAPH cedgraph:derived {{ ?s ?p ?o }} {ex}
                             FILTER(?p != rdf:type) }}""") == [
        ("<http://example.org/a>", "ced:country", "<http://example.org/north>"),
        ("<http://example.org/a>", "ced:northSouthGroup", "North"),
        ("<http://example.org/a>", "rdfs:label", "B en"),  # English, though "A fr" sorts first
        ("<http://example.org/b>", "ced:country", "<http://example.org/north>"),
        ("<http://example.org/b>", "ced:country", "<http://example.org/south>"),
        ("<http://example.org/b>", "ced:northSouthGroup", "South"),  # one place in the South makes it South
        ("<http://example.org/b>", "rdfs:label", "B"),
        ("<http://example.org/f1>", "ced:effectiveDate", "2004-01-01^^xsd:date"),
        ("<http://example.org/f1>", "ced:effectiveYear", "2004^^xsd:integer"),
        ("<http://example.org/f1>", "ced:sourceOrganisation", "<http://example.org/b>"),  # heads b, over member of a
        ("<http://example.org/f1>", "ced:targetOrganisation", "<http://example.org/a>"),
        ("<http://example.org/f2>", "ced:effectiveDate", "2006-03-01^^xsd:date"),  # the event's date
        ("<http://example.org/f2>", "ced:effectiveYear", "2006^^xsd:integer"),
        ("<http://example.org/f2>", "ced:sourceOrganisation", "<http://example.org/a>"),
        ("<http://example.org/f2>", "ced:targetOrganisation", "<http://example.org/unit>"),
        ("<http://example.org/f3>", "ced:effectiveDate", "2007-05-09^^xsd:date"),  # its own date wins
        ("<http://example.org/f3>", "ced:effectiveYear", "2007^^xsd:integer"),
        ("<http://example.org/f3>", "ced:sourceOrganisation", "<http://example.org/a>"),
        ("<http://example.org/f3>", "ced:targetOrganisation", "<http://example.org/b>"),
        ("<http://example.org/p>", "ced:country", "<http://example.org/north>"),  # b's places
        ("<http://example.org/p>", "ced:country", "<http://example.org/south>"),
        ("<http://example.org/p>", "ced:northSouthGroup", "South"),
        ("<http://example.org/q>", "ced:country", "<http://example.org/north>"),
        ("<http://example.org/q>", "ced:northSouthGroup", "North"),
        ("<http://example.org/s>", "rdfs:label", "Said so."),  # a statement is named by its text
        ("<http://example.org/unit>", "ced:country", "<http://example.org/north>"),  # through org:unitOf b
        ("<http://example.org/unit>", "ced:country", "<http://example.org/south>"),
        ("<http://example.org/unit>", "ced:northSouthGroup", "South"),
    ]
    assert select(small, f"SELECT ?t WHERE {{ GRAPH cedgraph:derived {{ <http://example.org/unit> a ?t }} }}") == [
        ("foaf:Agent",), ("org:Organization",)]


def test_derive_is_pure_and_materialise_idempotent(small):
    ox_store = small.oxigraph
    before = len(ox_store)
    once = set(derived.derive(ox_store))
    assert len(ox_store) == before and set(derived.derive(ox_store)) == once
    assert derived.count(ox_store) == len(once)
    assert derived.materialise(ox_store) == len(once) and len(ox_store) == before


def test_left_out_on_request(tmp_path):
    bare = Store.in_memory(bundled_sources(), derived=False)
    assert DERIVED_GRAPH not in bare.graphs() and derived.count(bare.oxigraph) == 0


def test_on_disk_store_holds_it_and_tracks_the_rules(tmp_path):
    s = Store.on_disk(tmp_path / "st", bundled_sources())
    assert derived.count(s.oxigraph) == 2221
    manifest = json.loads((tmp_path / "st" / "manifest.json").read_text())
    assert manifest["fingerprint"].endswith("+derived:" + derived.fingerprint())
    del s


def test_build_includes_it_unless_told_not_to(run, tmp_path):
    r = run("build", "--out", tmp_path / "all.nq")
    assert r.stderr.endswith("Loaded 8940 triples from 29 files into 29 named graphs, 2221 derived.\n")
    assert f"<{DERIVED_GRAPH}>" in (tmp_path / "all.nq").read_text(encoding="utf-8")
    r = run("build", "--no-derived", "--out", tmp_path / "asserted.nq")
    assert r.stderr.endswith("Loaded 8940 triples from 29 files into 29 named graphs.\n")
    assert f"<{DERIVED_GRAPH}>" not in (tmp_path / "asserted.nq").read_text(encoding="utf-8")
