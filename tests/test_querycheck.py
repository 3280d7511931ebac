"""The check a query gets before it runs (kgraph.querycheck), parameter names, and ?lang as a
user's own variable: each check with the known-bad query that makes it fire."""

from __future__ import annotations

import string
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kgraph
from kgraph import queries, querycheck
from kgraph.binding import with_values
from kgraph.errors import ParameterError, QueryError
from kgraph.namespaces import CED, PREFIXES


@pytest.fixture(scope="module")
def lookup(store):
    return querycheck.store_lookup(store)


def check(text, lookup=(None, None), **kw):
    known, candidates = lookup
    return querycheck.check(text, known=known, candidates=candidates, **kw)


@pytest.mark.parametrize("text, message", [
    ("SELECT ?f WHERE { ?f ced:sourse ?s }", "ced:sourse is not defined; did you mean ced:source?"),
    ("SELECT ?f WHERE { ?f ced:kind cedkind:facilitaton }",
     "cedkind:facilitaton is not defined; did you mean cedkind:facilitation?"),
    ("SELECT ?f WHERE { ?f a ced:Knowledgeflow }", "ced:Knowledgeflow is not defined; did you mean ced:KnowledgeFlow?"),
    ("SELECT ?f WHERE { ?f <https://w3id.org/cedkg/ontology#sourse> ?s }",
     "ced:sourse is not defined; did you mean ced:source?"),
    ("SELECT ?o WHERE { cedorg:renapes ?p ?o }", "cedorg:renapes is not in the graph; did you mean cedorg:renapess?"),
    ("SELECT ?s WHERE { ?s schema:location cedplc:bamakko }",
     "cedplc:bamakko is not defined; did you mean cedplc:bamako?"),
    ("SELECT ?s WHERE { ?s ced:zzzqqq ?o }", "ced:zzzqqq is not defined"),
])
def test_undefined_terms_are_named_with_the_closest(store, lookup, text, message):
    assert check(text, lookup) == [message]
    with pytest.raises(querycheck.UndefinedTerm, match="^" + message.replace("?", r"\?") + "$"):
        check(text, lookup, strict=True)


@pytest.mark.parametrize("text", [
    'SELECT ?f WHERE { ?f ced:source ?s ; skos:prefLabel "ced:sourse" } # ced:sourse',
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:anything ?o }",
    "PREFIX ced: <http://example.org/mine#> SELECT * WHERE { ?s ced:sourse ?o }",  # ced: is theirs here
    "SELECT ?s WHERE { ?s a ced:KnowledgeFlow ; ced:kind/skos:broader* cedkind:knowledge ; ced:status cedstatus:occurred }",
    "SELECT ?s WHERE { ?s ?p _:b0 ; ?q 1.5e3 ; ?r \"x\"@en ; ?t \"2005\"^^xsd:gYear }",
    "SELECT ?g WHERE { GRAPH ceddata:ccednet-eso-renapess { ?s ?p ?o } }",
])
def test_what_is_defined_or_not_ours_passes(lookup, text):
    assert check(text, lookup) == []


def test_unknown_prefix_is_one_line_naming_the_known_ones():
    with pytest.raises(QueryError) as e:
        check("SELECT ?f WHERE { ?f foo:sourse ?s }")
    assert str(e.value) == f"unknown prefix foo:; known: {', '.join(PREFIXES)}"
    with pytest.raises(QueryError, match=r"^unknown prefix skso:; known: ced, .*, vann \(did you mean skos:\?\)$"):
        check("SELECT ?f WHERE { ?f skso:prefLabel ?s }")
    with pytest.raises(QueryError, match="^unknown prefix :; known: ced,"):
        check("SELECT ?f WHERE { ?f :p ?s }")


def test_every_bundled_query_and_check_passes(lookup):
    for q in [*queries.library().values(), *queries.load_checks()]:
        assert (q.name, check(q.text, lookup)) == (q.name, [])


def test_terms_of_user_data_count_as_defined(tmp_path):
    mine = tmp_path / "mine.ttl"
    mine.write_text("@prefix cedkind: <https://w3id.org/cedkg/id/flow-kind/> .\n"
                    "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
                    "cedkind:mentoring skos:broader cedkind:knowledge .\n", encoding="utf-8")
    kg = kgraph.open(data=mine)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(kg.query("SELECT ?k WHERE { cedkind:mentoring skos:broader ?k }")) == 1
    with pytest.warns(querycheck.UndefinedTermWarning, match="^cedkind:mentorin is not defined; did you mean"):
        kg.query("SELECT ?k WHERE { cedkind:mentorin skos:broader ?k }")


def test_api_warns_and_still_runs_or_raises_when_strict():
    kg = kgraph.open()
    with pytest.warns(kgraph.UndefinedTermWarning, match=r"^ced:sourse is not defined; did you mean ced:source\?$") as w:
        r = kg.query("SELECT ?f WHERE { ?f ced:sourse ?s }")
    assert len(r) == 0 and w[0].filename == __file__  # the warning points at the caller's line
    kg.strict = True
    with pytest.raises(kgraph.UndefinedTerm, match=r"^ced:sourse is not defined; did you mean ced:source\?$"):
        kg.query("SELECT ?f WHERE { ?f ced:sourse ?s }")
    with pytest.raises(kgraph.QueryError, match="^unknown prefix foo:; known: ced, cedsh,"):
        kg.query("SELECT ?f WHERE { ?f foo:sourse ?s }")


def test_cli_prints_the_did_you_mean_line_and_strict_fails(run):
    r = run("query", "--sparql", "SELECT ?f WHERE { ?f ced:sourse ?s }")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "f\n-\n", "Warning: ced:sourse is not defined; did you mean "
                                                               "ced:source?\n0 rows\n")
    r = run("query", "--strict", "--sparql", "SELECT ?f WHERE { ?f ced:sourse ?s }")
    assert (r.exit_code, r.stderr) == (2, "kgraph: ced:sourse is not defined; did you mean ced:source?\n")
    r = run("query", "--sparql", "SELECT ?f WHERE { ?f foo:sourse ?s }")
    assert r.exit_code == 2 and r.stderr.startswith("kgraph: unknown prefix foo:; known: ced, cedsh, cedgraph,")
    assert r.stderr.count("\n") == 1



def test_the_installed_command_prints_the_did_you_mean_line(tmp_path):
    """The acceptance, as a user types it: the `kgraph` script of this venv, in a process of its own."""
    script = Path(sys.executable).with_name("kgraph")
    r = subprocess.run([str(script), "query", "--sparql", "SELECT ?f WHERE { ?f ced:sourse ?s }"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    assert (r.returncode, r.stdout, r.stderr) == (0, "f\n-\n", "Warning: ced:sourse is not defined; did you mean "
                                                                 "ced:source?\n0 rows\n")

# -- ?lang is the user's variable; parameter names are variables of the query ---------------

LANG_OWN = "SELECT ?o ?lang WHERE { cedorg:renapess skos:prefLabel ?o BIND(lang(?o) AS ?lang) } ORDER BY ?lang"
LANG_READ = "SELECT ?o WHERE { cedorg:renapess skos:prefLabel ?o FILTER(lang(?o) = ?lang) }"


def test_lang_is_a_name_users_may_use(run):
    r = run("query", "--sparql", LANG_OWN, "--format", "csv")
    assert (r.exit_code, r.stdout.splitlines()) == (0, ["o,lang", "RENAPESS Mali,en", "Réseau National d'Appui à la "
                                                        "Promotion de l'Économie Sociale et Solidaire,fr"])
    r = run("query", "--sparql", LANG_READ, "--lang", "fr", "--format", "csv")
    assert r.stdout.splitlines()[1:] == ["Réseau National d'Appui à la Promotion de l'Économie Sociale et Solidaire"]
    r = run("query", "--sparql", LANG_OWN, "--param", "lang=fr")
    assert (r.exit_code, r.stderr) == (2, "kgraph: parameter 'lang': the SPARQL text assigns ?lang itself (BIND ... AS, "
                                          "SELECT (... AS), or VALUES), so it cannot be bound; rename the variable or "
                                          "drop the parameter\n")


def test_inline_parameter_names_must_be_variables_of_the_query(run):
    r = run("query", "--sparql", "SELECT ?f WHERE { ?f ced:source ?s }", "--param", "source=cedorg:eso")
    assert (r.exit_code, r.stderr) == (2, "kgraph: parameter 'source': the SPARQL text has no variable ?source to "
                                          "bind; its variables: ?f, ?s\n")
    r = run("query", "--sparql", "SELECT ?f WHERE { ?f ced:source ?s }", "--param", "s) } DELETE { ?x ?y ?z=1")
    assert (r.exit_code, r.stderr) == (2, "kgraph: parameter 's) } DELETE { ?x ?y ?z': not a SPARQL variable name "
                                          "(letters, digits and _ only)\n")
    r = run("query", "--sparql", "SELECT ?f WHERE { ?f ced:source ?s }", "--param", "s=cedorg:eso", "--format", "csv")
    count = run("query", "--sparql", "SELECT (COUNT(?f) AS ?n) WHERE { ?f ced:source cedorg:eso }", "--format", "csv")
    assert r.exit_code == 0 and len(r.stdout.splitlines()) == 1 + int(count.stdout.splitlines()[1]) > 1


def test_with_values_never_pastes_a_name_that_is_not_a_variable():
    import pyoxigraph as ox

    with pytest.raises(QueryError, match="not a SPARQL variable name"):
        with_values("SELECT * WHERE { ?s ?p ?o }", {"p) } #": ox.Literal("x")})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(min_size=1, max_size=12))
def test_any_parameter_name_binds_a_variable_or_is_refused(name):
    q = queries.adhoc("SELECT ?s WHERE { ?s ?p ?o }")
    try:
        bound = queries.bind(q, {name: "x"})
    except ParameterError as e:
        assert str(e).startswith(f"parameter {name!r}: ")
    else:
        assert name in ("s", "p", "o") and list(bound) == [name]


def _defined_ced_locals() -> list[str]:
    return sorted(t[len(CED):] for t in querycheck.vocabulary()[CED])


@st.composite
def misspelling(draw):
    word = draw(st.sampled_from(_defined_ced_locals()))
    i = draw(st.integers(0, len(word) - 1))
    letter = draw(st.sampled_from(string.ascii_lowercase))
    edit = draw(st.sampled_from(("delete", "replace", "insert", "swap")))
    if edit == "delete" and len(word) > 1:
        wrong = word[:i] + word[i + 1:]
    elif edit == "replace":
        wrong = word[:i] + letter + word[i + 1:]
    elif edit == "swap" and i < len(word) - 1:
        wrong = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    else:
        wrong = word[:i] + letter + word[i:]
    return word, wrong


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pair=misspelling())
def test_generated_misspellings_are_caught_with_a_defined_suggestion(lookup, pair):
    word, wrong = pair
    found = check(f"SELECT ?x WHERE {{ ?x ced:{wrong} ?y }}", lookup)
    if CED + wrong in querycheck.vocabulary()[CED] or lookup[0](CED + wrong):
        assert found == []
        return
    assert len(found) == 1 and found[0].startswith(f"ced:{wrong} is not defined")
    if "did you mean" in found[0]:
        suggested = found[0].split("did you mean ced:", 1)[1].rstrip("?")
        assert CED + suggested in querycheck.vocabulary()[CED]
    else:
        assert found[0] == f"ced:{wrong} is not defined"
