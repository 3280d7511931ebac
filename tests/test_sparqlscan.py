"""The one SPARQL scanner (kgraph.sparqlscan) and the three readers built on it: the SERVICE gate,
the query check's prefixed names and the parameter binder's group patterns agree on what is a
comment, a string or an IRI, for generated queries."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph.binding import with_values
from kgraph.querycheck import tokens
from kgraph.sparqlscan import spans, strip_comments_and_literals, uses_service

# Pieces a query is made of; the opaque ones hide words (ex:hidden, SERVICE, braces) that must never count
OPEN = ["?s ex:seen ?o .", "?s ?p ?o .", "FILTER(?o < 3)", "FILTER(?o<?p)", "?s a ex:Seen ."]
HIDING = ['"ex:hidden { SERVICE }"', "'it''s ex:hidden'", '"""ex:hidden\n} SERVICE\n"""',
          "'''ex:hidden { '''", '"a \\" ex:hidden }"', "# ex:hidden } SERVICE <x>\n",
          "<http://e/ex:hidden#SERVICE>"]
piece = st.sampled_from(OPEN + [f"?s ex:p {h}" if not h.startswith("#") else h for h in HIDING])


@settings(max_examples=300, deadline=None)
@given(st.lists(piece, min_size=1, max_size=8))
def test_readers_agree_on_what_is_hidden(pieces):
    body = "\n".join(pieces)
    query = "PREFIX ex: <http://e/>\nSELECT * WHERE {\n" + body + "\n}"
    names = {local for kind, prefix, local in tokens(query) if kind == "pname"}
    assert "hidden" not in names and names <= {"", "seen", "Seen", "p"}
    assert "hidden" not in strip_comments_and_literals(query) and not uses_service(query)
    # every span lies inside the text, in order, without overlap
    ends = [(a, b) for _, a, b in spans(query)]
    assert all(a < b <= c for (a, b), (c, _) in zip(ends, ends[1:] + [(len(query), 0)]))
    # the binder opens the WHERE group, never a brace inside a string, comment or IRI
    bound = with_values(query, {"x": ox.Literal("1")})
    assert bound == query.replace("WHERE {", 'WHERE { VALUES (?x) { ("1") } ', 1)


def test_a_short_string_ends_at_the_line_end():
    """The grammar has no newline in '...' or "...": an unclosed quote hides one line, not the
    rest of the query (the binder once read on to the next quote)."""
    query = 'SELECT * WHERE { ?s ?p "unclosed\n  SERVICE <http://evil.example/> { ?a ?b ?c } }'
    assert uses_service(query)
    assert [k for k, *_ in spans(query)] == ["string", "iri"]


def test_known_bad_an_exposed_word_is_seen():
    query = "PREFIX ex: <http://e/>\nSELECT * WHERE { ?s ex:hidden ?o . SERVICE <x> { } }"
    assert "hidden" in {local for _, _, local in tokens(query)} and uses_service(query)
