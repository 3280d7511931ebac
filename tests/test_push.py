"""`kgraph push` against a real Oxigraph server and against a loopback server that fails on
purpose: each graph streamed as one chunked request, replaced never duplicated, --prune drops
graphs of renamed files, and a failure says which graphs were and were not replaced."""

from __future__ import annotations

import http.server
import threading

import pytest

from kgraph.endpoint import RemoteStore
from kgraph.namespaces import DERIVED_GRAPH
from kgraph.results import collect
from test_endpoint import start_oxigraph

pytestmark = pytest.mark.server
DATA = "https://w3id.org/cedkg/graph/data/"


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    proc, base = start_oxigraph(tmp_path_factory, "--union-default-graph")
    yield base
    proc.terminate()
    proc.wait(10)


def graphs(base):
    r = collect(RemoteStore(base + "/query").query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))
    return sorted(v[0] for v in r.values())  # kgraph's graphs abbreviated: ceddata:NAME


def expected_summary(path):
    """'Replaced N named graphs (T triples)' for the ontology and vocabularies plus *path*."""
    from kgraph.sources import bundled_sources, combine, data_sources
    from kgraph.store import Store

    store = Store.in_memory(combine(bundled_sources(data=False), data_sources([path])))
    return f"Replaced {len(store.graphs())} named graphs ({len(store)} triples)"  # the files' and cedgraph:derived


def test_prune_drops_the_graph_of_a_renamed_file(run, oxigraph, tmp_path):
    a = tmp_path / "first-name.ttl"
    a.write_text('<http://example.org/a> <http://example.org/b> "c" .\n')
    r = run("push", "--endpoint", oxigraph + "/query", "--no-bundled-data", "--data", a)
    assert r.exit_code == 0, r.stderr
    summary = expected_summary(a)
    assert r.stderr.endswith(f"{summary} at {oxigraph}/query.\n")
    b = tmp_path / "second-name.ttl"
    a.rename(b)
    r = run("push", "--endpoint", oxigraph + "/query", "--no-bundled-data", "--data", b)
    assert r.exit_code == 0
    assert "ceddata:first-name" in graphs(oxigraph)  # without --prune the old graph stays
    r = run("push", "--endpoint", oxigraph + "/query", "--no-bundled-data", "--data", b, "--prune")
    assert r.exit_code == 0, r.stderr
    assert r.stderr.endswith(f"{summary} at {oxigraph}/query; dropped 1 graphs of files "
                             f"no longer pushed.\n  dropped <{DATA}first-name>\n")
    assert "ceddata:first-name" not in graphs(oxigraph) and "ceddata:second-name" in graphs(oxigraph)


def test_prune_keeps_graphs_that_are_not_kgraphs(run, oxigraph, tmp_path):
    RemoteStore(oxigraph + "/query").update(oxigraph + "/update",
                                             "INSERT DATA { GRAPH <http://example.org/theirs> { <http://e/a> <http://e/b> 1 } }")
    a = tmp_path / "only.ttl"
    a.write_text('<http://example.org/a> <http://example.org/b> "c" .\n')
    assert run("push", "--endpoint", oxigraph + "/query", "--no-bundled-data", "--data", a, "--prune").exit_code == 0
    assert "<http://example.org/theirs>" in graphs(oxigraph) and "ceddata:second-name" not in graphs(oxigraph)


def test_blank_nodes_stay_whole_across_batches(oxigraph, tmp_path, monkeypatch):
    from kgraph import endpoint
    from kgraph.endpoint import upload as push_module
    from kgraph.sources import data_sources
    from kgraph.store import Store

    monkeypatch.setattr(push_module, "BATCH", 3)
    data = tmp_path / "bnodes.ttl"
    data.write_text("".join(f'<http://e/s{i}> <http://e/ev> [ <http://e/q> "q{i}" ; <http://e/n> {i} ] .\n'
                            for i in range(10)))
    store = Store.in_memory(data_sources([data]))
    remote = RemoteStore(oxigraph + "/query")
    endpoint.push(remote, store.sources, store)
    n = collect(remote.query(f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ GRAPH <{DATA}bnodes> "
                             "{ ?s <http://e/ev> ?e . ?e <http://e/q> ?q ; <http://e/n> ?i } }"))
    assert n.values() == [(10,)]


class Failing(http.server.ThreadingHTTPServer):
    """Accepts uploads (204) except that of the graph whose URL holds *fail_on* (500); records each."""

    daemon_threads = True

    def __init__(self, fail_on):
        self.fail_on, self.seen = fail_on, []
        super().__init__(("127.0.0.1", 0), FailingHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


class FailingHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_PUT(self):  # noqa: N802
        body = b""
        if self.headers.get("Transfer-Encoding") == "chunked":
            while (size := int(self.rfile.readline().strip(), 16)):
                body += self.rfile.read(size)
                self.rfile.readline()
            self.rfile.readline()
        self.server.seen.append((self.path, dict(self.headers), body))
        code = 500 if self.server.fail_on in self.path else 204
        self.send_response(code)
        self.send_header("Content-Length", "0" if code == 204 else "4")
        self.end_headers()
        if code == 500:
            self.wfile.write(b"full")


def test_failure_says_what_was_and_was_not_replaced(run, tmp_path):
    from kgraph.sources import bundled_sources, combine, data_sources

    server = Failing(fail_on="data%2Fc")
    url = f"http://127.0.0.1:{server.server_address[1]}"
    files = []
    for name in ("a", "b", "c", "d"):
        files += ["--data", tmp_path / f"{name}.ttl"]
        (tmp_path / f"{name}.ttl").write_text(f'<http://e/{name}> <http://e/p> "{name}" .\n')
    try:
        r = run("push", "--endpoint", url + "/query", "--no-bundled-data", *files)
    finally:
        server.shutdown()
        server.server_close()
    names = [s.graph for s in combine(bundled_sources(data=False), data_sources(files[1::2]))]
    names.append(DERIVED_GRAPH)  # pushed last
    i = names.index(DATA + "c")
    assert names[i + 1:] == [DATA + "d", DERIVED_GRAPH]
    first = ", ".join(f"<{g}>" for g in names[:3])
    assert r.exit_code == 3
    assert r.stderr == (f"kgraph: {url}/store?graph=https%3A%2F%2Fw3id.org%2Fcedkg%2Fgraph%2Fdata%2Fc answered HTTP 500 "
                        f"Internal Server Error: full; <{DATA}c> and 2 after it not replaced, {i} replaced ({first} …): "
                        "run the push again\n")
    # each graph is one streamed (chunked) request carrying its N-Triples
    assert [h.get("Transfer-Encoding") for _, h, _ in server.seen] == ["chunked"] * (i + 1)
    assert [b for p, _, b in server.seen if p.endswith("data%2Fa")] == [b'<http://e/a> <http://e/p> "a" .\n']
