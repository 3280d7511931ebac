"""The embedded store: named graph per file, on-disk reuse by content hash, safe rebuilds."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import ROOT
from kgraph.errors import GraphNameClash, ParseError
from kgraph.sources import Source, bundled_sources, combine, data_sources, fingerprint
from kgraph import derived
from kgraph.store import Store

EX = '@prefix ex: <http://example.org/> .\nex:a ex:p "{}" .\n'


def test_each_file_is_its_own_named_graph(store):
    assert "https://w3id.org/cedkg/graph/data/fcm-international" in store.graphs()
    assert "https://w3id.org/cedkg/graph/ontology" in store.graphs()
    assert len(store.graphs()) == 30  # 29 files (with the IATI aid, flow and finance type schemes and the DAC regions) + cedgraph:derived


def test_on_disk_store_is_reused_until_a_source_changes(tmp_path):
    data = tmp_path / "mine.ttl"
    data.write_text(EX.format("one"))
    sources = [Source(data, "data")]
    first = Store.on_disk(tmp_path / "store", sources)
    manifest = json.loads((tmp_path / "store" / "manifest.json").read_text())
    assert manifest["fingerprint"] == fingerprint(sources) + "+derived:" + derived.fingerprint()
    assert manifest["triples"] == 1
    marker = (tmp_path / "store" / "oxigraph").stat().st_ino
    del first

    again = Store.on_disk(tmp_path / "store", sources)
    assert (tmp_path / "store" / "oxigraph").stat().st_ino == marker  # reused, not rebuilt
    del again

    data.write_text(EX.format("two"))
    rebuilt = Store.on_disk(tmp_path / "store", sources)
    values = [r["o"].value for r in rebuilt.query("SELECT ?o WHERE { ?s ?p ?o }")]
    assert values == ["two"]


def test_a_failed_rebuild_leaves_the_previous_store(tmp_path):
    data = tmp_path / "mine.ttl"
    data.write_text(EX.format("good"))
    sources = [Source(data, "data")]
    Store.on_disk(tmp_path / "store", sources)
    before = (tmp_path / "store" / "manifest.json").read_text()
    data.write_text(EX.format("bad") + "ex:b ex:p .\n")
    with pytest.raises(ParseError) as e:
        Store.on_disk(tmp_path / "store", sources)
    assert (e.value.line, e.value.column) == (3, 11)
    assert (tmp_path / "store" / "manifest.json").read_text() == before
    assert sorted(p.name for p in (tmp_path / "store").iterdir() if not p.name.startswith(".")) == ["manifest.json", "oxigraph"]
    data.write_text(EX.format("good"))
    kept = Store.on_disk(tmp_path / "store", sources)
    assert [r["o"].value for r in kept.query("SELECT ?o WHERE { ?s ?p ?o }")] == ["good"]


def test_two_files_with_one_graph_name_are_refused(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for d in ("a", "b"):
        (tmp_path / d / "same.ttl").write_text(EX.format(d))
    with pytest.raises(GraphNameClash, match="rename one of the files"):
        combine(data_sources([tmp_path / "a" / "same.ttl", tmp_path / "b" / "same.ttl"]))


def test_a_data_folder_brings_its_files(tmp_path):
    shutil.copy(ROOT / "data" / "fcm-international.ttl", tmp_path / "copy-of-fcm.ttl")
    (tmp_path / "notes.txt").write_text("not rdf")
    srcs = data_sources([tmp_path])
    assert [s.path.name for s in srcs] == ["copy-of-fcm.ttl"]
    s = Store.in_memory(bundled_sources(data=False) + srcs)
    assert s.graphs()[0] == "https://w3id.org/cedkg/graph/data/copy-of-fcm"
