"""`kgraph report`: the main job writes one complete folder, atomically, and sums it up."""

from __future__ import annotations

import csv
import io
import json
import re

import rdflib


def test_report_on_the_bundled_data(run, tmp_path):
    out = tmp_path / "report"
    result = run("report", "--out", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "graph.html", "graph.trig", "index.html",
        "metrics/metrics.ttl", "metrics/network.csv", "metrics/node.csv", "metrics/pair.csv",
        "queries/face-to-face-events.csv", "queries/facilitators-and-funders.csv", "queries/figures.csv",
        "queries/flows-by-direction.csv", "queries/flows.csv", "queries/leadership.csv",
        "queries/north-south-flows.csv", "queries/organisations.csv", "queries/study-design.csv",
        "queries/two-way-pairs.csv",
        "stats.json", "validation.txt",
    ]
    lines = result.stdout.splitlines()
    assert lines[0] == "7697 triples in 23 named graphs; 0 violations."
    assert "  Économie solidaire de l'Ontario ⇄ RENAPESS Mali: 2 → / ← 4" in lines
    assert "Reciprocity of knowledge flows between organisations: 0.47 of ties, 0.38 of flows." in lines
    assert "Knowledge flows by direction: North → South 10, North → North 8, South → North 8." in lines
    assert f"Graph: 39 nodes, 77 edges in {out / 'graph.html'}." in lines

    assert (out / "validation.txt").read_text() == "No violations.\n"
    assert json.loads((out / "stats.json").read_text())["triples"] == 7697
    network = dict(csv.reader(io.StringIO((out / "metrics" / "network.csv").read_text())))
    assert (network["mutualDyads"], network["flows South → North"]) == ("4", "8")
    pairs = list(csv.DictReader(io.StringIO((out / "metrics" / "pair.csv").read_text())))
    eso = [p for p in pairs if {p["a"], p["b"]} == {"cedorg:eso", "cedorg:renapess"}]
    assert [(p["flowsAB"], p["flowsBA"], p["coAttendance"]) for p in eso] == [("2", "4", "7")]
    metrics_graph = rdflib.Graph().parse(out / "metrics" / "metrics.ttl")
    assert len(list(metrics_graph.subjects(rdflib.RDF.type, rdflib.URIRef(
        "https://w3id.org/cedkg/metrics#PairMeasurement")))) == len(pairs)

    ds = rdflib.Dataset()
    ds.parse(out / "graph.trig", format="trig")
    quads = list(ds.quads((None, None, None, None)))
    assert (len(quads), len({graph for *_, graph in quads})) == (7697, 23)

    index = (out / "index.html").read_text()
    for href in re.findall(r'href="([^"]+)"', index):
        assert (out / href).is_file(), href
    assert 'href="graph.html"' in index and 'href="metrics/pair.csv"' in index
    page = (out / "graph.html").read_text()
    assert "<script src=" not in page and "https://" not in page.split("<body", 1)[1].split("vis-network", 1)[0]


def test_report_replaces_the_old_folder_only_when_complete(run, tmp_path):
    out = tmp_path / "report"
    out.mkdir()
    (out / "stale.txt").write_text("from an older run")
    assert run("report", "--out", out).exit_code == 0
    assert not (out / "stale.txt").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["report"]  # no temporary folders left behind

    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ced: <https://w3id.org/cedkg/ontology#> .\nced:x ced:y\n")
    before = sorted(p.name for p in out.rglob("*"))
    result = run("report", "--out", out, "--data", bad)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"kgraph: {bad}:3:1: ")
    assert sorted(p.name for p in out.rglob("*")) == before


def test_report_exits_1_on_violations_but_still_writes(run, tmp_path):
    bad = tmp_path / "mine.ttl"
    bad.write_text("@prefix ced: <https://w3id.org/cedkg/ontology#> .\n"
                   "@prefix cedorg: <https://w3id.org/cedkg/id/org/> .\n"
                   "cedorg:nameless a ced:NGO .\n")
    out = tmp_path / "report"
    result = run("report", "--out", out, "--data", bad)
    assert result.exit_code == 1
    assert "; 2 violations." in result.stdout.splitlines()[0]
    assert [line.split(" ")[0] for line in (out / "validation.txt").read_text().splitlines()] == \
        [f"{bad}:", f"{bad}:"]
