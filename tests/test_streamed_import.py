"""Imports written as they are read: kgraph.importers.turtle.TurtleWriter and the staged output."""

from __future__ import annotations

import copy
import io
import shutil

import pyoxigraph
import pytest
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD

from conftest import TESTS
from kgraph.errors import ImportRejected
from kgraph.importers import csv_import, iati
from kgraph.importers.matching import NameIndex
from kgraph.importers.turtle import TurtleWriter

CSV_FIXTURE = TESTS / "fixtures" / "csv" / "partnership"
NL_MFA = TESTS / "fixtures" / "iati" / "nl-mfa-XM-DAC-7-203.xml"
ORG = "https://w3id.org/cedkg/id/org/"
CED = "https://w3id.org/cedkg/ontology#"


def written(triples) -> str:
    out = io.StringIO()
    w = TurtleWriter(out)
    for t in triples:
        w.add(t)
    w.close()
    return w.prefixes() + out.getvalue()


def parsed(text: str) -> rdflib.Graph:
    """The graph Oxigraph reads from *text* (it refuses what is not Turtle), as rdflib terms."""
    from kgraph.convert import to_rdflib

    g = rdflib.Graph()
    for t in pyoxigraph.parse(text.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE):
        g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return g


AWKWARD = [
    (URIRef(ORG + "a"), RDF.type, URIRef(CED + "Network")),
    (URIRef(ORG + "a"), URIRef(CED + "quote"), Literal('He said "yes" \\ then\nleft\t(Québec) ; . #')),
    (URIRef(ORG + "a"), URIRef(CED + "quote"), Literal("")),
    (URIRef(ORG + "a"), URIRef(CED + "name"), Literal("Réseau", lang="fr")),
    (URIRef(ORG + "a"), URIRef(CED + "when"), Literal("2021-06", datatype=XSD.gYearMonth)),
    (URIRef(ORG + "a"), URIRef(CED + "amount"), Literal("12.50", datatype=XSD.decimal)),
    (URIRef(ORG + "a"), URIRef(CED + "odd"), Literal("x", datatype=URIRef("http://example.org/dt#x"))),
    (URIRef(ORG + "ends-with."), URIRef(CED + "p"), URIRef(ORG + "has/slash")),
    (URIRef(ORG + "1-starts-with-digit"), URIRef(CED + "p"), URIRef("http://example.org/not a{prefix}")),
    (URIRef(ORG + "a"), URIRef(CED + "evidence"), BNode("x1")),
    (BNode("x1"), URIRef(CED + "quote"), Literal("q")),
    (URIRef(ORG + "b"), URIRef(CED + "evidence"), BNode("x2")),
    (URIRef(ORG + "a"), URIRef(CED + "again"), Literal("same subject, later")),
]


def test_the_writer_gives_turtle_oxigraph_reads_as_the_same_graph():
    text = written(AWKWARD)
    expected = rdflib.Graph()
    for t in AWKWARD:
        expected.add(t)
    expected.remove((URIRef(ORG + "1-starts-with-digit"), None, None))
    expected.add((URIRef(ORG + "1-starts-with-digit"), URIRef(CED + "p"), URIRef("http://example.org/not%20a%7Bprefix%7D")))
    assert isomorphic(parsed(text), expected)
    assert len(parsed(text)) == 13
    assert "cedorg:a a ced:Network ;\n    ced:quote " in text
    assert '"He said \\"yes\\" \\\\ then\\nleft\\t(Québec) ; . #"' in text
    assert "<https://w3id.org/cedkg/id/org/ends-with.>" in text and "<https://w3id.org/cedkg/id/org/has/slash>" in text
    assert "<http://example.org/not%20a%7Bprefix%7D>" in text  # no parser takes these characters, even escaped
    assert '"12.50"^^xsd:decimal' in text  # the lexical form as given
    assert text.count("_:b1") == 2 and text.count("_:b2") == 1  # labelled in order of appearance


def test_the_writer_refuses_what_is_not_a_term():
    w = TurtleWriter(io.StringIO())
    with pytest.raises(TypeError):
        w.add((URIRef(ORG + "a"), URIRef(CED + "p"), "a plain str"))


def test_a_csv_import_through_the_writer_is_the_graph_read_into_memory(store, tmp_path):
    index = NameIndex.from_backend(store)
    in_memory = csv_import.read([CSV_FIXTURE], copy.deepcopy(index)).graph
    out = io.StringIO()
    writer = TurtleWriter(out)
    imported = csv_import.read([CSV_FIXTURE], copy.deepcopy(index), sink=writer)
    writer.close()
    assert imported.graph is writer
    assert imported.counts == {"sources": 1, "organisations": 3, "persons": 1, "partnerships": 1, "events": 1,
                               "flows": 4}
    assert writer.triples == len(in_memory) == 123
    assert isomorphic(parsed(writer.prefixes() + out.getvalue()), in_memory)


def test_flow_rows_streamed_still_report_every_problem_by_row_and_column(store, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(CSV_FIXTURE, folder)
    flows = folder / "flows.csv"
    header, good = flows.read_text(encoding="utf-8").splitlines()[:2]
    rows = [good] * 3000
    rows[10] = rows[10].replace(",training,", ",trainnig,")
    rows[2999] = rows[2999].replace("2021-06", "2021-13")
    flows.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as e:
        csv_import.read([folder], NameIndex.from_backend(store), sink=TurtleWriter(io.StringIO()))
    assert [(p.row, p.column) for p in e.value.problems] == [(12, "kind"), (3001, "date")]
    assert all(p.path == str(flows) for p in e.value.problems)


def test_iati_through_the_writer_is_the_graph_read_into_memory():
    in_memory = iati.read([NL_MFA], NameIndex())
    out = io.StringIO()
    writer = TurtleWriter(out)
    imported = iati.read([NL_MFA], NameIndex(), sink=writer)
    writer.close()
    assert imported.counts == in_memory.counts
    assert isomorphic(parsed(writer.prefixes() + out.getvalue()), in_memory.graph)


def test_a_rejected_iati_import_leaves_no_file_copy_or_folder(run, tmp_path):
    bad = tmp_path / "in" / "broken.xml"
    bad.parent.mkdir()
    bad.write_text(NL_MFA.read_text(encoding="utf-8")[:50_000], encoding="utf-8")  # cut mid-element
    out = tmp_path / "new" / "data" / "iati.ttl"
    r = run("import", "iati", bad, "--out", out)
    assert r.exit_code == 1, r.stderr
    assert "not well-formed XML" in r.stderr
    assert not (tmp_path / "new").exists()


def test_the_cli_iati_output_is_the_graph_read_into_memory(run, store, tmp_path):
    out = tmp_path / "data" / "iati.ttl"
    r = run("import", "iati", NL_MFA, "--out", out)
    assert r.exit_code == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# IATI activities, organisations and funding flows imported by `kgraph import iati`")
    assert isomorphic(parsed(text), iati.read([NL_MFA], NameIndex.from_backend(store)).graph)
    assert sorted(p.name for p in out.parent.iterdir()) == ["iati.ttl", "seeds"]
