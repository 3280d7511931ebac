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
        "graph.html", "graph.trig", "index.html", "kgraph-manifest.json", "map.html",
        "metrics/metrics.ttl", "metrics/network.csv", "metrics/node.csv", "metrics/pair.csv",
        "queries/face-to-face-events.csv", "queries/facilitators-and-funders.csv", "queries/figures.csv",
        "queries/flows-by-direction.csv", "queries/flows.csv", "queries/leadership.csv",
        "queries/north-south-flows.csv", "queries/organisations.csv", "queries/study-design.csv",
        "queries/two-way-pairs.csv",
        "stats.json", "validation.txt",
    ]
    lines = result.stdout.splitlines()
    assert lines[0] == "11161 triples in 30 named graphs; 0 violations."
    assert "  Économie solidaire de l'Ontario ⇄ RENAPESS Mali: 2 → / ← 3" in lines
    assert "Reciprocity of knowledge flows between organisations: 0.44 of ties, 0.38 of flows." in lines
    assert "Knowledge flows by direction: North → North 10, North → South 10, South → North 6." in lines
    assert f"Graph: 41 nodes, 77 edges in {out / 'graph.html'}." in lines
    assert f"Map: 11 places, 30 arcs in {out / 'map.html'}." in lines

    assert (out / "validation.txt").read_text() == "No violations.\n"
    assert json.loads((out / "stats.json").read_text())["triples"] == 11161
    network = dict(csv.reader(io.StringIO((out / "metrics" / "network.csv").read_text())))
    assert (network["mutualDyads"], network["flows South → North"]) == ("4", "6")
    pairs = list(csv.DictReader(io.StringIO((out / "metrics" / "pair.csv").read_text())))
    eso = [p for p in pairs if {p["a"], p["b"]} == {"cedorg:eso", "cedorg:renapess"}]
    assert [(p["flowsAB"], p["flowsBA"], p["coAttendance"]) for p in eso] == [("2", "3", "7")]
    metrics_graph = rdflib.Graph().parse(out / "metrics" / "metrics.ttl")
    assert len(list(metrics_graph.subjects(rdflib.RDF.type, rdflib.URIRef(
        "https://w3id.org/cedkg/metrics#PairMeasurement")))) == len(pairs)

    ds = rdflib.Dataset()
    ds.parse(out / "graph.trig", format="trig")
    quads = list(ds.quads((None, None, None, None)))
    assert (len(quads), len({graph for *_, graph in quads})) == (11161, 30)

    index = (out / "index.html").read_text()
    for href in re.findall(r'href="([^"]+)"', index):
        assert (out / href).is_file(), href
    assert 'href="graph.html"' in index and 'href="map.html"' in index and 'href="metrics/pair.csv"' in index
    page = (out / "graph.html").read_text()
    assert "<script src=" not in page and "https://" not in page.split("<body", 1)[1].split("vis-network", 1)[0]


def _files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_report_never_deletes_a_users_file(run, tmp_path):
    out = tmp_path / "d"
    out.mkdir()
    (out / "thesis.txt").write_text("three years of work")
    r = run("report", "--out", out)
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (f"kgraph: {out}: holds files kgraph did not write (thesis.txt); choose a new or empty folder, "
                        "or add --force to write the report beside them (nothing else is touched)\n")
    assert _files(out) == ["thesis.txt"]

    r = run("report", "--out", out, "--force")
    assert r.exit_code == 0, r.output
    assert (out / "thesis.txt").read_text() == "three years of work"
    assert "index.html" in _files(out) and "kgraph-manifest.json" in _files(out)
    again = run("report", "--out", out)  # now a report folder: no --force needed, the thesis still kept
    assert again.exit_code == 0, again.output
    assert (out / "thesis.txt").read_text() == "three years of work"
    assert [p.name for p in tmp_path.iterdir()] == ["d"]  # nothing left beside it


def test_report_replaces_only_what_it_wrote(run, tmp_path):
    out = tmp_path / "report"
    assert run("report", "--out", out).exit_code == 0
    manifest = json.loads((out / "kgraph-manifest.json").read_text())
    assert manifest["kind"] == "report" and "index.html" in manifest["files"]
    (out / "notes.md").write_text("my notes on the report")
    (out / "queries" / "stale.csv").write_text("a,b\n")
    manifest["files"]["queries/stale.csv"] = [__import__("hashlib").sha256(b"a,b\n").hexdigest()]
    manifest["files"]["../outside.txt"] = ["0" * 64]  # a hand-edited manifest never reaches outside the folder
    (tmp_path / "outside.txt").write_text("keep me")
    (out / "kgraph-manifest.json").write_text(json.dumps(manifest))
    assert run("report", "--out", out).exit_code == 0
    assert not (out / "queries" / "stale.csv").exists()  # written by kgraph, no longer part of the report
    assert (out / "notes.md").read_text() == "my notes on the report"
    assert (tmp_path / "outside.txt").read_text() == "keep me"

    (out / "index.html").write_text("<p>my edited summary</p>")
    r = run("report", "--out", out)
    assert r.exit_code == 2
    assert r.stderr == (f"kgraph: {out / 'index.html'}: was changed since kgraph wrote it; move it away, or add "
                        "--force to replace it\n")
    assert (out / "index.html").read_text() == "<p>my edited summary</p>"
    assert run("report", "--out", out, "--force").exit_code == 0
    assert "kgraph report" in (out / "index.html").read_text()


def test_report_refuses_a_file_and_the_bundled_data_folder(run, tmp_path):
    import shutil

    from conftest import ROOT

    target = tmp_path / "report"
    target.write_text("not a folder")
    r = run("report", "--out", target)
    assert (r.exit_code, r.stderr) == (2, f"kgraph: {target}: is a file, not a folder; give --out a new or empty "
                                          "folder\n")
    assert target.read_text() == "not a folder"

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    before = _files(data)
    r = run("report", "--out", data)
    assert r.exit_code == 2 and "holds files kgraph did not write (" in r.stderr
    assert _files(data) == before


def test_report_into_the_working_folder(run, tmp_path, monkeypatch):
    import os
    import stat

    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    old = os.umask(0o022)
    try:
        assert run("report", "--out", ".").exit_code == 0
        assert "index.html" in _files(here)
        fresh = tmp_path / "a" / "b"
        assert run("report", "--out", fresh).exit_code == 0
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o755  # as mkdir makes it, not a temp folder's 0700
        assert stat.S_IMODE((fresh / "index.html").stat().st_mode) == 0o644
    finally:
        os.umask(old)


def test_a_failed_or_interrupted_report_leaves_the_old_one(run, tmp_path, monkeypatch):
    import subprocess
    import sys

    out = tmp_path / "report"
    assert run("report", "--out", out).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ced: <https://w3id.org/cedkg/ontology#> .\nced:x ced:y\n")
    result = run("report", "--out", out, "--data", bad)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"kgraph: {bad}:3:1: ")
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before

    from kgraph import report as rep

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(rep, "index_html", interrupted)
    r = run("report", "--out", out)
    assert (r.exit_code, r.stderr) == (130, "\nkgraph: interrupted; nothing half-written was left behind\n")
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["report", "bad.ttl"] or \
        sorted(p.name for p in tmp_path.iterdir()) == ["bad.ttl", "report"]

    # A killed run's staging folder (its process gone) is removed by the next run.
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    leftover = out / f".kgraph-tmp-{gone.pid}-0123abcd"
    leftover.mkdir()
    (leftover / "graph.trig").write_text("half")
    monkeypatch.undo()
    assert run("report", "--out", out).exit_code == 0
    assert not leftover.exists()


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
