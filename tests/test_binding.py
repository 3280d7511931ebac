"""Parameters are bound as typed RDF terms in VALUES blocks, never pasted into query text."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kgraph import queries
from kgraph.binding import with_values
from kgraph.errors import ParameterError, QueryError
from kgraph.results import collect

IRI = ox.NamedNode("http://e/x")


def test_values_open_the_where_group_and_subqueries_but_not_data_blocks():
    q = "SELECT ?a WHERE { { SELECT ?a WHERE { ?a ?k ?o } } UNION { ?a ?p ?l FILTER(lang(?l) = ?lang) } VALUES ?z { 1 } }"
    out = with_values(q, {"k": IRI, "lang": ox.Literal("en")})
    assert out == ('SELECT ?a WHERE { VALUES (?k ?lang) { (<http://e/x> "en") }  '
                   '{ SELECT ?a WHERE { VALUES (?k) { (<http://e/x>) }  ?a ?k ?o } } UNION '
                   '{ VALUES (?lang) { ("en") }  ?a ?p ?l FILTER(lang(?l) = ?lang) } VALUES ?z { 1 } }')


def test_construct_template_is_left_alone():
    out = with_values("CONSTRUCT { ?a ?k ?o } WHERE { ?a ?k ?o }", {"k": IRI})
    assert out == "CONSTRUCT { ?a ?k ?o } WHERE { VALUES (?k) { (<http://e/x>) }  ?a ?k ?o }"


def test_braces_in_strings_iris_and_comments_are_ignored():
    q = 'ASK { ?s ?k "}{ WHERE {" . ?s <http://e/{x}> ?o } # WHERE {'
    out = with_values(q, {"k": IRI})
    assert out.startswith('ASK { VALUES (?k) { (<http://e/x>) }  ?s ?k "}{ WHERE {"')


def test_a_query_without_a_group_is_refused():
    with pytest.raises(QueryError, match="no WHERE"):
        with_values("DESCRIBE <http://e/x>", {"k": IRI})


def test_injection_through_a_string_parameter_is_bound_as_a_literal(store):
    q = queries.adhoc('SELECT ?label WHERE { ?org skos:prefLabel ?label FILTER(STR(?label) = ?name) }')
    attack = '"> } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #'
    before = len(store)
    result = collect(store.query(q.text, bindings=queries.bind(q, {"name": attack})))
    assert result.rows == []
    assert len(store) == before
    ok = collect(store.query(q.text, bindings=queries.bind(q, {"name": "RENAPESS Mali"})))
    assert ok.values() == [("RENAPESS Mali",)]


def test_injection_through_an_iri_parameter_is_refused():
    q = queries.find("flows")
    with pytest.raises(ParameterError, match="not an IRI"):
        queries.bind(q, {"from": "<x> } ; DROP ALL ; #"})


@pytest.mark.parametrize("raw,expected", [
    ("renapess", "https://w3id.org/cedkg/id/org/renapess"),
    ("cedorg:eso", "https://w3id.org/cedkg/id/org/eso"),
    ("<http://example.org/a>", "http://example.org/a"),
    ("http://example.org/b", "http://example.org/b"),
])
def test_iri_parameters_accept_slugs_prefixed_names_and_iris(raw, expected):
    assert queries.bind(queries.find("flows"), {"from": raw})["from"] == ox.NamedNode(expected)


@pytest.mark.parametrize("params,message", [
    ({"nope": "x"}, "query 'flows' has no parameter 'nope'; it takes: from (iri(cedorg), all)"),
    ({"rollup": "maybe"}, "--param rollup='maybe': not a boolean; use true or false"),
    ({"from": "zzz:x"}, "--param from='zzz:x': unknown prefix 'zzz'; run `kgraph prefixes` for the known ones"),
])
def test_bad_parameters_are_named(params, message):
    with pytest.raises(ParameterError) as e:
        queries.bind(queries.find("flows"), params)
    assert str(e.value).startswith(message)


def test_missing_required_parameter():
    with pytest.raises(ParameterError, match=r"query 'provenance' needs --param node=\.\.\. \(iri: The resource"):
        queries.bind(queries.find("provenance"), {})


def test_dates_are_typed():
    p = queries.Param("since", "date", None)
    assert queries.to_term(p, "2005-11").datatype.value.endswith("#gYearMonth")
    assert queries.to_term(p, "2005").datatype.value.endswith("#gYear")
    assert queries.to_term(p, "2005-11-30").datatype.value.endswith("#date")
    with pytest.raises(ParameterError, match="not a date"):
        queries.to_term(p, "November 2005")


def test_a_plain_optional_sees_the_enclosing_values_and_is_not_bound_again():
    q = ("SELECT ?s WHERE { ?s ?p ?o OPTIONAL { ?s ?q ?l FILTER(lang(?l) = ?lang) } "
         "OPTIONAL { ?s ?q ?m BIND(?lang AS ?x) } OPTIONAL { ?s ?q ?n OPTIONAL { ?n ?r ?k FILTER(?k = ?lang) } } }")
    assert with_values(q, {"lang": ox.Literal("en")}) == (
        'SELECT ?s WHERE { VALUES (?lang) { ("en") }  ?s ?p ?o OPTIONAL { ?s ?q ?l FILTER(lang(?l) = ?lang) } '
        'OPTIONAL { VALUES (?lang) { ("en") }  ?s ?q ?m BIND(?lang AS ?x) } '
        'OPTIONAL { VALUES (?lang) { ("en") }  ?s ?q ?n OPTIONAL { ?n ?r ?k FILTER(?k = ?lang) } } }')


def test_the_optional_filter_gives_the_same_rows_as_binding_inside_it(store):
    """Leaving the plain OPTIONAL unbound changes no row: same as a VALUES inside it, same as the constant."""
    q = ("SELECT ?o ?l WHERE { VALUES ?o { cedorg:renapess cedorg:eso } "
         "OPTIONAL { ?o skos:prefLabel ?l FILTER(lang(?l) = ?lang) } } ORDER BY ?o")
    bound = collect(store.query(q, bindings={"lang": ox.Literal("fr")})).values()
    by_hand = collect(store.query(q.replace("OPTIONAL {", 'OPTIONAL { VALUES ?lang { "fr" }'),
                                  bindings={"lang": ox.Literal("fr")})).values()
    unbound = collect(store.query(q.replace("?lang", '"fr"'))).values()
    assert bound == by_hand == unbound
    assert [str(label) for _, label in bound] == ["Économie solidaire de l'Ontario",
                                                  "Réseau National d'Appui à la Promotion de l'Économie Sociale et Solidaire"]
