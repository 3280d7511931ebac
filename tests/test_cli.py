"""The kgraph CLI: exit codes, exact one-line errors, outputs that real parsers read back."""

from __future__ import annotations

import csv
import io
import json

import click
import pytest
from rdflib import Dataset, Graph, URIRef

from conftest import ROOT
from kgraph import __version__
from kgraph.cli import main


def test_version(run):
    r = run("--version")
    assert r.exit_code == 0
    assert r.stdout == f"kgraph, version {__version__}\n"


def all_commands():
    out = []
    for name, cmd in main.commands.items():
        if isinstance(cmd, click.Group):
            out += [(f"{name} {sub}", c) for sub, c in cmd.commands.items()]
        else:
            out.append((name, cmd))
    return out


@pytest.mark.parametrize("name,cmd", all_commands(), ids=[n for n, _ in all_commands()])
def test_every_command_has_help_with_an_example(run, name, cmd):
    r = run(*name.split(), "--help")
    assert r.exit_code == 0
    assert "Example:" in r.stdout
    assert f"kgraph {name}" in r.stdout.split("Example:")[1]


@pytest.mark.parametrize("name", [n for n, _ in all_commands()])
def test_every_command_is_in_the_readme(name):
    assert f"kgraph {name}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_validate_bundled_data(run):
    r = run("validate")
    assert r.exit_code == 0
    assert r.stdout == ""
    assert r.stderr == "No violations in 29 source files.\n"


def test_validate_reports_file_node_and_shape(run, tmp_path):
    bad = tmp_path / "mine.ttl"
    bad.write_text("""@prefix ced: <https://w3id.org/cedkg/ontology#> .
@prefix cedkind: <https://w3id.org/cedkg/id/flow-kind/> .
@prefix cedstatus: <https://w3id.org/cedkg/id/flow-status/> .
@prefix cedorg: <https://w3id.org/cedkg/id/org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix cedsrc: <https://w3id.org/cedkg/id/source/> .
<http://example.org/f1> a ced:KnowledgeFlow ; ced:source cedorg:eso ; ced:kind cedkind:debate ;
    ced:status cedstatus:occurred ; ced:target cedorg:renapess , cedorg:uniterra ;
    ced:evidence [ a ced:Evidence ; prov:hadPrimarySource cedsrc:ccednet-eso-renapess ; ced:quote "catalyzing local debate" ] .
""")
    r = run("validate", bad)
    assert r.exit_code == 1
    assert r.stdout == (f"{bad}: <http://example.org/f1> [FlowTarget] a knowledge flow needs exactly one "
                        "ced:target, an organisation, person or collective agent\n")
    assert r.stderr == f"1 violation in {bad}.\n"


def test_validate_names_a_quote_that_is_not_verbatim(run, tmp_path):
    bad = tmp_path / "misquote.ttl"
    bad.write_text("""@prefix ced: <https://w3id.org/cedkg/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix cedsrc: <https://w3id.org/cedkg/id/source/> .
<http://example.org/o> a ced:Network ; skos:prefLabel "O"@en ;
    ced:evidence [ a ced:Evidence ; prov:hadPrimarySource cedsrc:ccednet-eso-renapess ; ced:quote "From day one it was a two way street" ] .
""")
    r = run("validate", bad)
    assert r.exit_code == 1
    assert r.stdout.startswith(f"{bad}: <http://example.org/o> / ced:evidence [QuoteVerbatim] quote is not a verbatim "
                               "substring of ")
    assert r.stdout.endswith("001_6ea289355bf78444.txt: copy it exactly (value: From day one it was a two way street)\n")


def test_bad_turtle_is_one_line_with_position(run, tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:p "x" ;\n  ex:q ex:b ex:c .\n')
    for args in (("validate", bad), ("stats", "--data", bad), ("build", "--data", bad)):
        r = run(*args)
        assert r.exit_code == 2
        assert r.stderr == f"kgraph: {bad}:3:13: A dot is expected at the end of statements\n"
        assert r.stdout == ""


def test_missing_and_unknown_files(run, tmp_path):
    r = run("stats", "--data", tmp_path / "nope.ttl")
    assert (r.exit_code, r.stderr) == (2, f"kgraph: {tmp_path / 'nope.ttl'}: no such file or folder; give a Turtle file or a folder of them\n")
    odd = tmp_path / "data.xlsx"
    odd.write_text("x")
    r = run("stats", "--data", odd)
    assert r.exit_code == 2
    assert r.stderr.startswith(f"kgraph: {odd}: cannot tell the RDF format from the extension '.xlsx'; use one of .ttl")


def test_stats_json(run):
    r = run("stats", "--format", "json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data["graphs"]["ceddata:ccednet-eso-renapess"] == 1029
    counts = {c["class"]: c["count"] for c in data["classes"]}
    assert counts["ced:KnowledgeFlow"] == 49
    assert counts["ced:Partnership"] == 1


def test_build_writes_every_named_graph(run, tmp_path):
    out = tmp_path / "all.trig"
    r = run("build", "--out", out)
    assert r.exit_code == 0
    ds = Dataset().parse(out, format="trig")
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert "https://w3id.org/cedkg/graph/data/ccednet-eso-renapess" in names
    assert len(names) == 30 and "https://w3id.org/cedkg/graph/derived" in names
    assert r.stderr.endswith("Loaded 8940 triples from 29 files into 29 named graphs, 2221 derived.\n")


@pytest.mark.parametrize("fmt,parser", [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("rdfxml", "xml")])
def test_build_formats_parse_back(run, tmp_path, fmt, parser):
    out = tmp_path / "g.out"
    assert run("build", "--out", out, "--format", fmt).exit_code == 0
    g = Dataset().parse(out, format=parser) if fmt == "jsonld" else Graph().parse(out, format=parser)
    assert (URIRef("https://w3id.org/cedkg/id/org/renapess"), None, None) in (g if fmt != "jsonld" else g.graph(URIRef("https://w3id.org/cedkg/graph/data/ccednet-eso-renapess")))


def test_build_rdfs_inference_adds_a_separate_graph(run, tmp_path):
    out = tmp_path / "inf.nq"
    r = run("build", "--inference", "rdfs", "--out", out)
    assert r.exit_code == 0
    ds = Dataset().parse(out, format="nquads")
    inferred = ds.graph(URIRef("https://w3id.org/cedkg/graph/inferred"))
    org = URIRef("http://www.w3.org/ns/org#Organization")
    rdf_type = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    derived = ds.graph(URIRef("https://w3id.org/cedkg/graph/derived"))
    # the class tree is already in the derived graph, so RDFS does not repeat it
    assert (URIRef("https://w3id.org/cedkg/id/org/renapess"), rdf_type, org) in derived
    assert (URIRef("https://w3id.org/cedkg/id/org/renapess"), rdf_type, org) not in inferred
    assert len(inferred) > 0


def test_query_table_csv_tsv_json(run):
    r = run("query", "two-way-pairs")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["a", "b", "aLabel", "bLabel", "flowsAB", "flowsBA", "balance", "twoWayIndex"]
    assert lines[2].startswith("cedorg:eso ")
    assert lines[2].split()[-4:] == ["2", "3", "-0.2", "0.8"]
    assert r.stderr == "4 rows\n"

    rows = list(csv.DictReader(io.StringIO(run("query", "two-way-pairs", "--format", "csv").stdout)))
    assert rows[0]["a"] == "https://w3id.org/cedkg/id/org/eso"
    assert (rows[0]["flowsAB"], rows[0]["flowsBA"]) == ("2", "3")

    tsv = run("query", "two-way-pairs", "--format", "tsv").stdout.splitlines()
    assert tsv[0].split("\t")[:2] == ["?a", "?b"]
    assert tsv[1].split("\t")[4] == '"2"^^<http://www.w3.org/2001/XMLSchema#integer>'

    data = json.loads(run("query", "two-way-pairs", "--format", "json").stdout)
    first = data["results"]["bindings"][0]
    assert data["head"]["vars"][:2] == ["a", "b"]
    assert first["a"] == {"type": "uri", "value": "https://w3id.org/cedkg/id/org/eso"}
    assert first["aLabel"] == {"type": "literal", "value": "Économie solidaire de l'Ontario", "xml:lang": "en"}


def test_query_results_json_is_read_by_pyoxigraph(run):
    import pyoxigraph as ox

    text = run("query", "flows", "--format", "json").stdout.encode()
    sols = ox.parse_query_results(text, format=ox.QueryResultsFormat.JSON)
    assert len(list(sols)) == 49


def test_construct_to_turtle_and_jsonld(run, tmp_path):
    out = tmp_path / "sub.ttl"
    r = run("query", "partnership-subgraph", "--out", out)
    assert r.exit_code == 0
    g = Graph().parse(out, format="turtle")
    assert len(g) == 287
    j = run("query", "partnership-subgraph", "--format", "jsonld")
    assert len(Graph().parse(data=j.stdout, format="json-ld")) == 287


def test_ask_exits_0_or_1(run):
    yes = run("query", "--sparql", "ASK { cedorg:uniterra org:hasMember cedorg:ceci }")
    assert (yes.exit_code, yes.stdout) == (0, "true\n")
    no = run("query", "--sparql", "ASK { cedorg:ceci org:hasMember cedorg:uniterra }")
    assert (no.exit_code, no.stdout) == (1, "false\n")


def test_lang_switches_labels_with_fallback(run):
    r = run("query", "organisations", "--param", "class=ced:Network", "--lang", "fr", "--format", "csv")
    rows = {row["agent"].rsplit("/", 1)[1]: row for row in csv.DictReader(io.StringIO(r.stdout))}
    assert rows["renapess"]["agentLabel"] == "Réseau National d'Appui à la Promotion de l'Économie Sociale et Solidaire"
    assert rows["renapess"]["kind"] == "Réseau"
    assert rows["ccednet"]["agentLabel"] == "Canadian CED Network"  # no French name: falls back to English


@pytest.mark.parametrize("args,code,message", [
    (("query", "two-way-pair"), 2, "kgraph: unknown query 'two-way-pair'; did you mean two-way-pairs?\n"),
    (("query", "--sparql", "SELECT ?x WHERE { ?x ?y }"), 2,
     "kgraph: SPARQL syntax error: error at 1:26: expected one of LATERAL, SERVICE, [_]\n"),
    (("query", "provenance"), 2,
     "kgraph: query 'provenance' needs --param node=... (iri: The resource (e.g. cedorg:renapess or cedflow:renapess-eso-regional-vision))\n"),
    (("query", "flows", "--param", "rollup=maybe"), 2, "kgraph: --param rollup='maybe': not a boolean; use true or false\n"),
    (("query", "flows", "--param", "rollup"), 2,
     "kgraph: --param 'rollup': write NAME=VALUE, e.g. --param partnership=cedpart:eso-renapess\n"),
    (("query", "flows", "--max-rows", "10"), 2,
     "kgraph: more than --max-rows 10 rows for a table; use --format csv (or json/tsv) with --out FILE, or raise --max-rows\n"),
    (("query", "partnership-subgraph", "--format", "csv"), 2, "kgraph: a CONSTRUCT query returns RDF: use --format ttl/jsonld/nt/rdfxml\n"),
    (("query",), 2, "kgraph: give a query NAME (or FILE.rq) or --sparql TEXT, not both; `kgraph queries` lists the names\n"),
])
def test_query_errors_are_one_line(run, args, code, message):
    r = run(*args)
    assert (r.exit_code, r.stderr, r.stdout) == (code, message, "")


def test_query_from_a_file(run, tmp_path):
    q = tmp_path / "mine.rq"
    q.write_text("PREFIX org: <http://www.w3.org/ns/org#>\nSELECT ?m WHERE { ?p org:hasMember ?m } ORDER BY ?m")
    r = run("query", q, "--format", "csv")
    assert r.stdout.splitlines()[1:] == ["https://w3id.org/cedkg/id/org/ceci", "https://w3id.org/cedkg/id/org/wusc"]


def test_queries_lists_titles_and_parameters(run):
    r = run("queries")
    assert r.exit_code == 0
    assert "two-way-pairs" in r.stdout
    assert "--param partnership (iri(cedpart), default cedpart:eso-renapess)" in r.stdout


def test_output_files_are_written_atomically(run, tmp_path, monkeypatch):
    out = tmp_path / "pairs.csv"
    out.write_text("old")
    r = run("query", "two-way-pairs", "--out", out)
    assert (r.exit_code, r.stderr) == (2, f"kgraph: {out}: already exists; use --force to replace it, or choose "
                                          "another name\n")
    import kgraph.fsutil as fsutil

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(fsutil.os, "replace", boom)
    r = run("query", "two-way-pairs", "--out", out, "--force")
    assert (r.exit_code, r.stderr) == (1, f"kgraph: {out}: cannot write (disk full); check the path and try again\n")
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["pairs.csv"]
    monkeypatch.undo()
    assert run("query", "two-way-pairs", "--out", out, "--force").exit_code == 0
    assert out.read_text().startswith("a,b,")
