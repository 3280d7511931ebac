"""Against a REAL Oxigraph server (the `oxigraph` package's binary, started here on loopback):
push the bundled graph, then every named query and the metrics answer exactly as the
embedded store does. Unreachable servers, HTTP errors and timeouts are one line each."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

from conftest import TESTS
from kgraph import analysis, network, queries
from kgraph.endpoint import RemoteStore
from kgraph.results import collect

pytestmark = pytest.mark.server
QUESTIONS = tomllib.loads((TESTS / "questions.toml").read_text(encoding="utf-8"))["question"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_oxigraph(tmp_path_factory, *flags):
    exe = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    proc = subprocess.Popen([exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", *flags],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail(f"the oxigraph server did not start: {proc.stderr.read().decode()}")
    return proc, base


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    proc, base = start_oxigraph(tmp_path_factory, "--union-default-graph")
    yield base
    proc.terminate()
    proc.wait(10)


def test_a_server_without_the_union_default_graph_is_named(run, tmp_path_factory):
    proc, base = start_oxigraph(tmp_path_factory)
    try:
        assert run("push", "--endpoint", base + "/query").exit_code == 0
        for args in (["query", "organisations"], ["metrics"], ["viz", "--out", str(tmp_path_factory.mktemp("v") / "g.html")]):
            r = run(*args, "--endpoint", base + "/query")
            assert (r.exit_code, r.stderr) == (3, (
                f"kgraph: {base}/query: the default graph is empty while the named graphs hold data, so every query "
                "would answer 0 rows; make the default graph the union of the named graphs (Oxigraph: "
                "`oxigraph serve --union-default-graph`; see docs/servers.md)\n")), args
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def pushed(server):
    from click.testing import CliRunner

    from kgraph.cli import main

    runner = CliRunner()
    for _ in range(2):  # pushing twice replaces, never duplicates
        r = runner.invoke(main, ["push", "--endpoint", server + "/query"])
        assert r.exit_code == 0, r.output
    return RemoteStore(server + "/query")


def rows(result):
    """Comparable rows; GROUP_CONCAT parts ("a; b") are sorted, SPARQL leaves their order open."""
    if isinstance(result, list):
        return sorted(str(t) for t in result)
    norm = lambda v: "; ".join(sorted(v.split("; "))) if isinstance(v, str) else v  # noqa: E731
    return sorted(repr(tuple(map(norm, r))) for r in result.values())


def test_push_replaces_graphs(pushed, store):
    n = collect(pushed.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"))
    assert n.values() == [(len(store),)]
    graphs = collect(pushed.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))
    assert sorted(v[0] for v in graphs.values()) == sorted(
        g.replace("https://w3id.org/cedkg/graph/data/", "ceddata:").replace("https://w3id.org/cedkg/graph/vocab/", "cedvocab:")
         .replace("https://w3id.org/cedkg/graph/ontology", "cedgraph:ontology")
         .replace("https://w3id.org/cedkg/graph/derived", "cedgraph:derived") for g in store.graphs())


@pytest.mark.parametrize("q", QUESTIONS, ids=[q["id"] for q in QUESTIONS])
def test_every_competency_query_answers_the_same_remotely(pushed, store, q):
    named = queries.find(q["query"])
    bindings = queries.bind(named, q.get("params", {}), lang=q.get("lang", "en"))
    local = collect(store.query(named.text, bindings=bindings))
    remote = collect(pushed.query(named.text, bindings=bindings))
    if not isinstance(local, list):
        assert remote.variables == local.variables
    assert rows(remote) == rows(local)


@pytest.mark.parametrize("name", sorted(queries.library()))
def test_every_named_query_with_defaults_answers_the_same_remotely(pushed, store, name):
    named = queries.find(name)
    if any(p.required for p in named.params):
        bindings = queries.bind(named, {p.name: "cedorg:renapess" for p in named.params if p.required})
    else:
        bindings = queries.bind(named, {})
    assert rows(collect(pushed.query(named.text, bindings=bindings))) == rows(collect(store.query(named.text, bindings=bindings)))


@pytest.mark.parametrize("level", analysis.LEVELS)
def test_metrics_are_the_same_remotely(pushed, store, level):
    s = analysis.Settings()
    local = analysis.table(network.fetch(store), level, s)
    remote = analysis.table(network.fetch(pushed), level, s)
    assert sorted(map(repr, remote.rows)) == sorted(map(repr, local.rows))


def test_cli_query_and_metrics_over_the_endpoint(run, pushed, server):
    r = run("query", "two-way-pairs", "--endpoint", server + "/query", "--format", "csv")
    assert r.exit_code == 0
    assert r.stdout.splitlines()[1].startswith("https://w3id.org/cedkg/id/org/eso,https://w3id.org/cedkg/id/org/renapess,")
    r = run("metrics", "--level", "pair", "--endpoint", server + "/query", "--format", "json")
    assert r.exit_code == 0 and '"flowsBA": 3' in r.stdout


def test_push_with_sparql_update(run, server, tmp_path):
    data = tmp_path / "extra-graph.ttl"
    data.write_text('<http://example.org/a> <http://example.org/b> "c" .\n')
    for _ in range(2):
        r = run("push", "--endpoint", server + "/query", "--update-endpoint", server + "/update",
                "--no-bundled-data", "--data", data)
        assert r.exit_code == 0, r.output
    n = collect(RemoteStore(server + "/query").query(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/cedkg/graph/data/extra-graph> { ?s ?p ?o } }"))
    assert n.values() == [(1,)]


def test_unreachable_endpoint(run):
    port = free_port()
    r = run("query", "flows", "--endpoint", f"http://127.0.0.1:{port}/query")
    assert r.exit_code == 3
    assert r.stderr == (f"kgraph: cannot reach http://127.0.0.1:{port}/query (Connection refused); "
                        "is the server running and the URL right?\n")


def test_http_error_names_status_and_message(run, pushed, server):
    r = run("query", "--sparql", "SELECT ?x WHERE { ?x ?y ?z } GROUP BY ?nope ORDER", "--endpoint", server + "/query")
    assert r.exit_code == 3
    assert r.stderr.startswith(f"kgraph: {server}/query answered HTTP 400 Bad Request: ")
    assert len(r.stderr.splitlines()) == 1


def test_timeout(run, monkeypatch):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)
    port = silent.getsockname()[1]
    held = []
    threading.Thread(target=lambda: held.append(silent.accept()), daemon=True).start()
    monkeypatch.setenv("KGRAPH_ENDPOINT_TIMEOUT", "1")
    r = run("query", "flows", "--endpoint", f"http://127.0.0.1:{port}/query")
    assert r.exit_code == 3
    assert r.stderr == (f"kgraph: http://127.0.0.1:{port}/query did not finish the default-graph check within 1 s; "
                        "raise KGRAPH_ENDPOINT_TIMEOUT "
                        "or check the server\n")
    silent.close()


def test_endpoint_and_data_do_not_mix(run):
    r = run("query", "flows", "--endpoint", "http://127.0.0.1:9/query", "--data", "x.ttl")
    assert (r.exit_code, r.stderr) == (2, "kgraph: --endpoint queries the remote graph; --data and --store do not apply "
                                          "(use `kgraph push`)\n")


def test_credentials_come_from_the_environment():
    from kgraph.endpoint import auth_headers

    assert auth_headers({"KGRAPH_ENDPOINT_TOKEN": "t0k"}) == {"Authorization": "Bearer t0k"}
    assert auth_headers({"KGRAPH_ENDPOINT_USER": "ann", "KGRAPH_ENDPOINT_PASSWORD": "pw"}) == {}  # answers challenges only
    assert auth_headers({}) == {}
