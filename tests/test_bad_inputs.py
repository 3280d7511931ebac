"""Bad input never ends in a traceback: one line naming the file or option, a non-zero exit.

A table of careless-user and attacker probes runs through every command (issue 11), and
hypothesis generates file names, paths and option values on top. Each probe asserts the exit
code, that stderr is one ``kgraph: ...`` line naming the culprit, and that nothing reached
the edge as an internal error (which the edge reports as a bug, exit 70).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT

BROKEN_TTL = '@prefix ex: <http://example.org/> .\nex:a ex:p "x" ;\n  ex:q ex:b ex:c .\n'
GOOD_TTL = '@prefix ex: <http://example.org/> .\nex:a ex:p "x" .\n'


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Bad (and odd but good) input files, made once."""
    d = tmp_path_factory.mktemp("probes")
    (d / "broken.ttl").write_text(BROKEN_TTL)
    (d / "latin1.ttl").write_bytes('@prefix ex: <http://example.org/> .\nex:a ex:p "caf\xe9" .\n'.encode("latin-1"))
    (d / "binary.ttl").write_bytes(bytes(range(256)) * 8)
    (d / "big-literal.ttl").write_text('@prefix ex: <http://example.org/> .\nex:a ex:p "' + "x" * (17 << 20) + '" .\n')
    (d / "data.xlsx").write_text("not rdf")
    (d / "relative.nt").write_text('<a> <http://example.org/p> "x" .\n')
    (d / "bad.jsonld").write_text('{"@id": 5')
    (d / "xxe.rdf").write_text('<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                               '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                               'xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/a">'
                               '<ex:p>&x;</ex:p></rdf:Description></rdf:RDF>\n')
    (d / "empty-folder").mkdir()
    (d / "no-rdf").mkdir()
    (d / "no-rdf" / "notes.txt").write_text("hello")
    (d / "dangling.ttl").symlink_to(d / "nowhere.ttl")
    (d / "clash-a").mkdir()
    (d / "clash-b").mkdir()
    (d / "clash-a" / "same.ttl").write_text(GOOD_TTL)
    (d / "clash-b" / "same.ttl").write_text(GOOD_TTL)
    (d / "latin1.rq").write_bytes("SELECT * WHERE { ?s ?p \"caf\xe9\" }".encode("latin-1"))
    (d / "service.rq").write_text("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }\n")
    (d / "syntax.rq").write_text("SELECT * WHERE { ?s ?p ?o \n")
    (d / "existing.csv").write_text("keep me")
    (d / "user-folder").mkdir()
    (d / "user-folder" / "thesis.txt").write_text("three years of work")
    (d / "not-xml.xml").write_text("this is not xml")
    (d / "truncated.xml").write_text('<?xml version="1.0"?>\n<iati-activities version="2.03"><iati-activity>')
    (d / "corrupt-store").mkdir()
    return d


#: (id, arguments, environment, exit code, a fragment the one line must hold)
PROBES = [
    # data files and folders
    ("missing-file", ["stats", "--data", "{d}/nope.ttl"], {}, 2, "{d}/nope.ttl: no such file or folder"),
    ("unknown-extension", ["stats", "--data", "{d}/data.xlsx"], {}, 2, "cannot tell the RDF format"),
    ("empty-folder", ["stats", "--data", "{d}/empty-folder"], {}, 2, "{d}/empty-folder: the folder holds no RDF"),
    ("folder-without-rdf", ["validate", "--data", "{d}/no-rdf"], {}, 2, "{d}/no-rdf: the folder holds no RDF"),
    ("broken-turtle-stats", ["stats", "--data", "{d}/broken.ttl"], {}, 2, "{d}/broken.ttl:3:13: A dot is expected"),
    ("broken-turtle-validate", ["validate", "{d}/broken.ttl"], {}, 2, "{d}/broken.ttl:3:13:"),
    ("broken-turtle-build", ["build", "--data", "{d}/broken.ttl"], {}, 2, "{d}/broken.ttl:3:13:"),
    ("broken-turtle-metrics", ["metrics", "--data", "{d}/broken.ttl"], {}, 2, "{d}/broken.ttl:3:13:"),
    ("broken-turtle-viz", ["viz", "--data", "{d}/broken.ttl", "--out", "{t}/g.html"], {}, 2, "{d}/broken.ttl:3:13:"),
    ("broken-turtle-export", ["export", "--format", "gexf", "--data", "{d}/broken.ttl", "--out", "{t}/g.gexf"], {}, 2,
     "{d}/broken.ttl:3:13:"),
    ("broken-turtle-report", ["report", "--data", "{d}/broken.ttl", "--out", "{t}/r"], {}, 2, "{d}/broken.ttl:3:13:"),
    ("broken-turtle-query", ["query", "two-way-pairs", "--data", "{d}/broken.ttl"], {}, 2, "{d}/broken.ttl:3:13:"),
    ("latin1-turtle", ["stats", "--data", "{d}/latin1.ttl"], {}, 2, "{d}/latin1.ttl:2:"),
    ("binary-turtle", ["stats", "--data", "{d}/binary.ttl"], {}, 2, "{d}/binary.ttl:1:"),
    ("literal-over-16-MiB", ["stats", "--data", "{d}/big-literal.ttl"], {}, 2,
     "{d}/big-literal.ttl: holds a literal or IRI longer than 16 MiB"),
    ("relative-iri", ["stats", "--data", "{d}/relative.nt"], {}, 2, "{d}/relative.nt:1:1:"),
    ("bad-json-ld", ["stats", "--data", "{d}/bad.jsonld"], {}, 2, "{d}/bad.jsonld:1:"),
    ("xml-external-entity", ["stats", "--data", "{d}/xxe.rdf"], {}, 2, "{d}/xxe.rdf:"),
    ("dangling-link", ["stats", "--data", "{d}/dangling.ttl"], {}, 2, "{d}/dangling.ttl: no such file"),
    ("graph-name-clash", ["stats", "--data", "{d}/clash-a/same.ttl", "--data", "{d}/clash-b/same.ttl"], {}, 2,
     "rename one of the files"),
    ("validate-missing", ["validate", "{d}/nope.ttl"], {}, 2, "{d}/nope.ttl: no such file or folder"),
    # outputs
    ("out-onto-folder-query", ["query", "two-way-pairs", "--out", "{d}/empty-folder"], {}, 2,
     "{d}/empty-folder: is a folder"),
    ("out-onto-folder-build", ["build", "--out", "{d}/empty-folder"], {}, 2, "is a folder"),
    ("out-onto-folder-metrics", ["metrics", "--out", "{d}/empty-folder"], {}, 2, "is a folder"),
    ("out-onto-folder-viz", ["viz", "--out", "{d}/empty-folder"], {}, 2, "is a folder"),
    ("out-onto-folder-export", ["export", "--format", "graphml", "--out", "{d}/empty-folder"], {}, 2, "is a folder"),
    ("out-existing-query", ["query", "two-way-pairs", "--out", "{d}/existing.csv"], {}, 2,
     "{d}/existing.csv: already exists; use --force"),
    ("out-existing-metrics", ["metrics", "--format", "csv", "--out", "{d}/existing.csv"], {}, 2, "already exists"),
    ("out-existing-build", ["build", "--out", "{d}/existing.csv", "--format", "nt"], {}, 2, "already exists"),
    ("out-existing-viz", ["viz", "--out", "{d}/existing.csv"], {}, 2, "already exists"),
    ("out-existing-export", ["export", "--format", "gexf", "--out", "{d}/existing.csv"], {}, 2, "already exists"),
    ("out-csv-export-onto-file", ["export", "--format", "csv", "--out", "{d}/existing.csv"], {}, 2,
     "is a file; --format csv writes"),
    ("out-name-too-long", ["query", "two-way-pairs", "--out", "{t}/" + "a" * 300 + ".csv"], {}, 1,
     "file name too long; choose a shorter name"),
    ("out-read-only-sysfs", ["query", "two-way-pairs", "--out", "/sys/kgraph-probe.csv"], {}, 1,
     "/sys/kgraph-probe.csv: cannot write"),
    ("out-under-a-file", ["query", "two-way-pairs", "--out", "{d}/existing.csv/x.csv"], {}, 1,
     "{d}/existing.csv/x.csv: cannot write"),
    ("report-onto-file", ["report", "--out", "{d}/existing.csv"], {}, 2, "{d}/existing.csv: is a file, not a folder"),
    ("report-onto-user-folder", ["report", "--out", "{d}/user-folder"], {}, 2, "holds files kgraph did not write"),
    ("report-onto-bundled-data", ["report", "--out", str(ROOT / "data")], {}, 2, "holds files kgraph did not write"),
    ("store-onto-file", ["stats", "--store", "{d}/existing.csv"], {}, 2, "is a file, not a folder; give --store"),
    ("store-onto-user-folder", ["stats", "--store", "{d}/user-folder"], {}, 2, "is not a kgraph store"),
    ("template-over-templates", ["template", "--out", "{tpl}"], {}, 2, "already exists; use --force"),
    ("template-from-broken", ["template", "--from", "{d}/broken.ttl", "--out", "{t}/tpl"], {}, 2,
     "{d}/broken.ttl:3:13:"),
    # options
    ("unknown-command", ["nope"], {}, 2, "no such command 'nope'"),
    ("unknown-option", ["query", "--bogus"], {}, 2, "no such option '--bogus'"),
    ("unknown-format", ["query", "two-way-pairs", "--format", "xlsx"], {}, 2, "invalid value for '--format'"),
    ("max-rows-zero", ["query", "two-way-pairs", "--max-rows", "0"], {}, 2, "invalid value for '--max-rows'"),
    ("max-rows-text", ["query", "two-way-pairs", "--max-rows", "many"], {}, 2, "invalid value for '--max-rows'"),
    ("width-negative", ["query", "two-way-pairs", "--width", "-1"], {}, 2, "invalid value for '--width'"),
    ("timeout-text", ["query", "two-way-pairs", "--timeout", "abc"], {}, 2, "invalid value for '--timeout'"),
    ("lang-unknown", ["query", "two-way-pairs", "--lang", "en_US"], {}, 2, "invalid value for '--lang'"),
    ("table-too-long", ["query", "flows", "--max-rows", "3"], {}, 2, "more than --max-rows 3 rows for a table"),
    ("param-without-equals", ["query", "flows", "--param", "rollup"], {}, 2, "write NAME=VALUE"),
    ("param-unknown", ["query", "two-way-pairs", "--param", "x=1"], {}, 2, "has no parameter 'x'"),
    ("param-bad-boolean", ["query", "flows", "--param", "rollup=maybe"], {}, 2, "not a boolean"),
    ("param-unknown-prefix", ["query", "provenance", "--param", "node=foo:bar"], {}, 2, "unknown prefix 'foo'"),
    ("param-not-an-iri", ["query", "provenance", "--param", "node=<not an iri>"], {}, 2, "not an IRI"),
    ("param-missing", ["query", "provenance"], {}, 2, "needs --param node="),
    ("since-month-13", ["metrics", "--since", "2020-13"], {}, 2, "--since '2020-13': not a calendar date"),
    ("since-february-30", ["metrics", "--since", "2007-02-30"], {}, 2, "--since '2007-02-30': not a calendar date"),
    ("until-words", ["viz", "--until", "last year", "--out", "{t}/g.html"], {}, 2, "--until 'last year': not a date"),
    ("kinds-unknown", ["metrics", "--kinds", "gossip"], {}, 2, "--kinds: no flow has kind cedkind:gossip"),
    ("max-nodes-zero", ["viz", "--max-nodes", "0"], {}, 2, "invalid value for '--max-nodes'"),
    ("viz-param-without-query", ["viz", "--param", "x=1", "--out", "{t}/g.html"], {}, 2, "--param applies to --query"),
    ("viz-unknown-query", ["viz", "--query", "nope", "--out", "{t}/g.html"], {}, 2, "unknown query 'nope'"),
    ("serve-port-zero", ["serve", "--port", "0"], {}, 2, "invalid value for '--port'"),
    ("serve-port-too-big", ["serve", "--port", "70000"], {}, 2, "invalid value for '--port'"),
    # queries
    ("query-unknown-name", ["query", "two-way-pair"], {}, 2, "did you mean two-way-pairs?"),
    ("query-missing-file", ["query", "{d}/nope.rq"], {}, 2, "{d}/nope.rq: no such query file"),
    ("query-latin1-file", ["query", "{d}/latin1.rq"], {}, 2, "{d}/latin1.rq:1: not UTF-8 text"),
    ("query-syntax", ["query", "{d}/syntax.rq"], {}, 2, "SPARQL syntax error"),
    ("query-service-file", ["query", "{d}/service.rq"], {}, 2, "uses SERVICE"),
    ("query-service-inline", ["query", "--sparql", "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"], {}, 2,
     "uses SERVICE"),
    ("query-name-and-sparql", ["query", "flows", "--sparql", "ASK {}"], {}, 2, "not both"),
    ("query-construct-as-csv", ["query", "partnership-subgraph", "--format", "csv"], {}, 2, "returns RDF"),
    # environment
    ("env-max-memory", ["stats"], {"KGRAPH_MAX_MEMORY": "lots"}, 2, "KGRAPH_MAX_MEMORY='lots': not a size"),
    ("env-query-timeout", ["query", "flows"], {"KGRAPH_QUERY_TIMEOUT": "abc"}, 2, "invalid value for '--timeout'"),
    ("env-endpoint-timeout", ["query", "flows", "--endpoint", "http://127.0.0.1:9/query"],
     {"KGRAPH_ENDPOINT_TIMEOUT": "abc"}, 2, "KGRAPH_ENDPOINT_TIMEOUT='abc': not a number of seconds"),
    ("endpoint-not-a-url", ["query", "flows", "--endpoint", "notaurl"], {}, 3, "an endpoint is an http://"),
    ("endpoint-refused", ["query", "flows", "--endpoint", "http://127.0.0.1:9/query"], {}, 3, "cannot reach"),
    ("endpoint-with-data", ["query", "flows", "--endpoint", "http://127.0.0.1:9/query", "--data", "{d}/broken.ttl"],
     {}, 2, "--data and --store do not apply"),
    # importers
    ("import-csv-missing", ["import", "csv", "{d}/nope", "--out", "{t}/x.ttl"], {}, 1, "nothing written"),
    ("import-iati-not-xml", ["import", "iati", "{d}/not-xml.xml", "--out", "{t}/x.ttl"], {}, 1, "nothing written"),
    ("import-iati-truncated", ["import", "iati", "{d}/truncated.xml", "--out", "{t}/x.ttl"], {}, 1, "nothing written"),
]


def _fill(text: str, d, t, tpl) -> str:
    return text.replace("{d}", str(d)).replace("{tpl}", str(tpl)).replace("{t}", str(t))


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    from click.testing import CliRunner

    from kgraph.cli import main

    folder = tmp_path_factory.mktemp("templates")
    assert CliRunner().invoke(main, ["template", "--out", str(folder)]).exit_code == 0
    return folder


def assert_one_line_error(r, code: int, fragment: str | None = None) -> None:
    assert r.exit_code == code, (r.exit_code, r.stderr)
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr
    lines = r.stderr.strip("\n").splitlines()
    last = lines[-1]
    assert last.startswith("kgraph: "), r.stderr
    if code != 1 or "nothing written" not in last:  # an import also lists its problems, one line each
        assert len(lines) == 1, r.stderr
    if fragment:
        assert fragment in r.stderr, (fragment, r.stderr)


@pytest.mark.parametrize("case", PROBES, ids=[p[0] for p in PROBES])
def test_probe_ends_in_one_line(run, files, templates, tmp_path, monkeypatch, case):
    _, args, env, code, fragment = case
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    r = run(*[_fill(a, files, tmp_path, templates) for a in args])
    assert_one_line_error(r, code, _fill(fragment, files, tmp_path, templates))
    assert r.stdout == ""
    assert (files / "existing.csv").read_text() == "keep me"
    assert sorted(p.name for p in (files / "user-folder").iterdir()) == ["thesis.txt"]


def test_there_are_at_least_sixty_probes():
    assert len(PROBES) >= 60
    assert len({p[0] for p in PROBES}) == len(PROBES)


def test_odd_but_valid_inputs_work(run, tmp_path):
    """Probes that must succeed: a file name with a space, agents in a foreign namespace."""
    spaced = tmp_path / "my partnerships.ttl"
    spaced.write_text("""@prefix ced: <https://w3id.org/cedkg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix cedkind: <https://w3id.org/cedkg/id/flow-kind/> .
@prefix cedstatus: <https://w3id.org/cedkg/id/flow-status/> .
<http://example.org/org/a> a ced:NGO ; skos:prefLabel "A"@en .
<http://example.org/org/b> a ced:NGO ; skos:prefLabel "B"@en .
<http://example.org/flow/1> a ced:KnowledgeFlow ; ced:source <http://example.org/org/a> ;
    ced:target <http://example.org/org/b> ; ced:kind cedkind:debate ; ced:status cedstatus:occurred .
<http://example.org/flow/2> a ced:KnowledgeFlow ; ced:source <http://example.org/org/b> ;
    ced:target <http://example.org/org/a> ; ced:kind cedkind:debate ; ced:status cedstatus:occurred .
""")
    r = run("stats", "--format", "json", "--data", spaced)
    assert r.exit_code == 0, r.stderr
    assert __import__("json").loads(r.stdout)["graphs"]["<https://w3id.org/cedkg/graph/data/my%20partnerships>"] == 14
    r = run("metrics", "--data", spaced, "--format", "ttl")
    assert r.exit_code == 0, r.stderr
    assert "<http://example.org/org/a>" in r.stdout
    out = tmp_path / "out dir" / "report"
    r = run("report", "--data", spaced, "--out", out)
    assert r.exit_code == 1, r.stderr  # runs through; exit 1 only because the flows have no evidence
    assert "  A ⇄ B: 1 → / ← 1" in r.stdout.splitlines()
    assert (out / "index.html").is_file()


# -- generated inputs --------------------------------------------------------------------

names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=names)
def test_generated_data_paths_never_trace(run, tmp_path, name):
    r = run("stats", "--data", str(tmp_path / "nope") + "/" + name)
    assert_one_line_error(r, 2)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=names)
def test_generated_out_names_write_or_refuse(run, tmp_path, name):
    target = tmp_path / "outs" / name
    r = run("query", "two-way-pairs", "--format", "csv", "--out", target, "--force")
    if r.exit_code == 0:
        assert target.is_file() and target.read_text(encoding="utf-8").startswith("a,b,")
    else:
        assert_one_line_error(r, r.exit_code)
        assert r.exit_code in (1, 2)
    leftovers = [p for p in (tmp_path / "outs").rglob(".kgraph-tmp-*")] if (tmp_path / "outs").exists() else []
    assert leftovers == []


values = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(option=st.sampled_from(["--since", "--until", "--kinds", "--level", "--group-by", "--status"]), value=values)
def test_generated_metrics_options_never_trace(run, option, value):
    r = run("metrics", option, value)
    if r.exit_code != 0:
        assert_one_line_error(r, r.exit_code)
        assert r.exit_code == 2


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(["partnership", "node", "kindRoot", "rollup", "lang", "since"]), value=values)
def test_generated_query_params_never_trace(run, name, value):
    query = {"partnership": "flows-by-direction", "node": "provenance", "kindRoot": "two-way-pairs",
             "rollup": "flows", "lang": "flows", "since": "flows"}[name]
    r = run("query", query, "--param", f"{name}={value}", "--format", "csv")
    if r.exit_code != 0:
        assert_one_line_error(r, r.exit_code)
        assert r.exit_code == 2


@settings(max_examples=40, deadline=None)
@given(sparql=st.text(st.sampled_from(list("SELECT*WHERE{?s?p?o}SERVICE<>\"'#.;,()ASKLIMIT 0123456789\n")),
                      max_size=60))
def test_generated_sparql_never_traces(sparql):
    from click.testing import CliRunner

    from kgraph.cli import main

    r = CliRunner().invoke(main, ["query", "--sparql", sparql or " ", "--format", "csv", "--bundled-data",
                                  "--timeout", "20"])
    if r.exit_code not in (0, 1):  # 1: an ASK that answered false
        assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr
        assert r.stderr.strip().splitlines()[-1].startswith("kgraph: ")


# -- the same edge in a real process --------------------------------------------------------

def test_a_real_process_prints_one_line(tmp_path):
    """No traceback from the installed entry point either (python -m kgraph)."""
    bad = tmp_path / "broken.ttl"
    bad.write_text(BROKEN_TTL)
    r = subprocess.run([sys.executable, "-m", "kgraph", "stats", "--data", str(bad)], capture_output=True, text=True,
                       env={**os.environ, "KGRAPH_DEBUG": ""})
    assert (r.returncode, r.stdout, r.stderr) == (2, "", f"kgraph: {bad}:3:13: A dot is expected at the end of "
                                                        "statements\n")
