"""What kgraph guarantees (docs/security.md): no request the user did not ask for, no file
read outside seeds/, no formula in a CSV cell, no runaway query, nothing half-written."""

from __future__ import annotations

import csv
import io
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgraph.csvsafe import safe_cell
from kgraph.sparqlscan import uses_service

PASSWD_QUOTE = "root:x:0:0"


class Listener:
    """A loopback TCP listener that records whether anything connected to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop = True
        self._thread.join(1)
        self.sock.close()


@pytest.fixture
def listener():
    lst = Listener()
    yield lst
    lst.close()


def test_a_service_query_reaches_no_listener(run, listener):
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}"
    r = run("query", "--sparql", query)
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == ("kgraph: (--sparql): uses SERVICE, which makes kgraph fetch from the URL it names; refused by "
                        "default: add --allow-service if you trust that endpoint\n")
    assert listener.connections == 0

    from kgraph.errors import QueryError
    from kgraph.sources import bundled_sources
    from kgraph.store import Store

    store = Store.in_memory(bundled_sources(data=False))
    with pytest.raises(QueryError, match="uses SERVICE"):
        store.query(query)  # the library refuses it too
    assert listener.connections == 0

    # The listener does see the request when the user opts in: the test can fail.
    r = run("query", "--sparql", query, "--allow-service", "--timeout", "20")
    assert r.exit_code == 2 and "query failed" in r.stderr
    assert listener.connections >= 1


@given(st.sampled_from(["SERVICE", "service", "Service", "SERVICE SILENT"]),
       st.sampled_from(["", "# SERVICE in a comment\n", 'BIND("SERVICE" AS ?x) ']))
def test_service_is_found_however_written(keyword, noise):
    q = f"SELECT * WHERE {{ {noise}{keyword} <http://example.org/sparql> {{ ?s ?p ?o }} }}"
    assert uses_service(q)


@given(st.sampled_from(["?service", "ex:SERVICE", '"SERVICE"', "<http://example.org/SERVICE>", "# SERVICE\n",
                        "'''SERVICE'''", "ex:service-point", "SERVICE:x"]))
def test_service_in_names_strings_and_comments_is_not_a_service_clause(text):
    assert not uses_service(f"PREFIX ex: <http://example.org/>\nSELECT * WHERE {{ ?s ?p {text} . }}")


def test_local_copy_is_read_only_inside_seeds(run, tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "doc.txt").write_text("a verbatim sentence.")
    os.symlink("/etc/passwd", tmp_path / "seeds" / "link.txt")
    rows = []
    for i, (copy, quote) in enumerate([("../../../../../../../etc/passwd", PASSWD_QUOTE), ("/etc/passwd", PASSWD_QUOTE),
                                       ("link.txt", PASSWD_QUOTE), ("doc.txt", "a verbatim sentence.")]):
        rows.append(f"""cedsrc:s{i} a ced:SourceDocument ; dcterms:title "S{i}"@en ; ced:localCopy "{copy}" .
cedorg:o{i} a ced:NGO ; skos:prefLabel "O{i}"@en ;
    ced:evidence [ a ced:Evidence ; prov:hadPrimarySource cedsrc:s{i} ; ced:quote "{quote}" ] .""")
    data = tmp_path / "mine.ttl"
    data.write_text("""@prefix ced: <https://w3id.org/cedkg/ontology#> .
@prefix cedsrc: <https://w3id.org/cedkg/id/source/> .
@prefix cedorg: <https://w3id.org/cedkg/id/org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
""" + "\n".join(rows) + "\n")
    r = run("validate", data, "--skip", "shapes", "--skip", "checks")
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert len(lines) == 3, r.stdout
    assert f"cedorg:o0 / ced:evidence [QuoteVerbatim] ced:localCopy '../../../../../../../etc/passwd' must be a file " \
           f"name inside {tmp_path / 'seeds'}; give the bare name of a file kept in seeds/" in lines[0]
    assert "cedorg:o1 / ced:evidence [QuoteVerbatim] ced:localCopy '/etc/passwd' must be a file name inside" in lines[1]
    assert "cedorg:o2 / ced:evidence [QuoteVerbatim] ced:localCopy 'link.txt' leads outside" in lines[2]


def test_a_local_copy_that_is_not_utf8_is_a_violation(run, tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "doc.txt").write_bytes("caf\xe9".encode("latin-1"))
    data = tmp_path / "mine.ttl"
    data.write_text("""@prefix ced: <https://w3id.org/cedkg/ontology#> .
@prefix cedsrc: <https://w3id.org/cedkg/id/source/> .
@prefix cedorg: <https://w3id.org/cedkg/id/org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
cedsrc:s a ced:SourceDocument ; ced:localCopy "doc.txt" .
cedorg:o a ced:NGO ; skos:prefLabel "O"@en ;
    ced:evidence [ a ced:Evidence ; prov:hadPrimarySource cedsrc:s ; ced:quote "caf" ] .
""")
    r = run("validate", data, "--skip", "shapes", "--skip", "checks")
    assert r.exit_code == 1
    assert r.stdout.endswith(f"[QuoteVerbatim] the local copy {tmp_path / 'seeds' / 'doc.txt'} is not UTF-8 text "
                             "(byte 3); save it as UTF-8\n")


@given(st.text(max_size=20))
def test_no_csv_cell_starts_a_formula(text):
    cell = safe_cell(text)
    assert not (cell[:1] in ("=", "+", "-", "@", "\t", "\r")) or cell.lstrip("+-").replace(".", "", 1).isdigit() \
        or __import__("re").fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", cell)
    assert cell in (text, "'" + text)


def test_csv_outputs_neutralise_formulas(run, tmp_path):
    data = tmp_path / "evil.ttl"
    data.write_text('@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
                    '<http://example.org/x> skos:prefLabel "=HYPERLINK(\\"http://evil.example\\",\\"click\\")" ; '
                    'skos:note "-1.5" .\n')
    r = run("query", "--data", data, "--format", "csv", "--sparql",
            "SELECT ?label ?note WHERE { <http://example.org/x> skos:prefLabel ?label ; skos:note ?note }")
    assert r.exit_code == 0, r.stderr
    assert list(csv.reader(io.StringIO(r.stdout))) == [["label", "note"],
                                                       ["'=HYPERLINK(\"http://evil.example\",\"click\")", "-1.5"]]


def test_a_runaway_query_is_stopped_at_its_timeout(tmp_path):
    r = subprocess.run([sys.executable, "-m", "kgraph", "query", "--timeout", "1", "--format", "csv", "--sparql",
                        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"],
                       capture_output=True, text=True, timeout=120)
    assert (r.returncode, r.stdout) == (3, "")
    assert r.stderr == ("kgraph: query (--sparql) ran past --timeout 1 s and was stopped; narrow it (add LIMIT, more "
                        "specific patterns) or raise --timeout\n")


def test_memory_past_the_ceiling_stops_the_command(tmp_path):
    out = tmp_path / "groups.csv"
    r = subprocess.run([sys.executable, "-m", "kgraph", "query", "--timeout", "0", "--out", str(out), "--sparql",
                        "SELECT ?c ?f (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f } GROUP BY ?c ?f"],
                       capture_output=True, text=True, timeout=300, env={**os.environ, "KGRAPH_MAX_MEMORY": "600M"})
    assert r.returncode == 3, r.stderr
    assert r.stderr.startswith("kgraph: stopped at ") and r.stderr.endswith(
        " of memory, past the ceiling of 0.6 GB; narrow the query (add LIMIT), or raise KGRAPH_MAX_MEMORY\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no output, no temporary left


def test_sigterm_while_writing_leaves_no_temporary(tmp_path):
    script = textwrap.dedent(f"""
        import os, signal
        from kgraph.cli.errors import install_signal_handlers, run_guarded
        from kgraph.fsutil import atomic_write
        install_signal_handlers()
        def work():
            with atomic_write({str(tmp_path / 'out.txt')!r}) as f:
                f.write("half")
                os.kill(os.getpid(), signal.SIGTERM)
                f.write("never")
        raise SystemExit(run_guarded(work))
    """)
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert (r.returncode, r.stderr) == (128 + signal.SIGTERM, "kgraph: stopped by signal 15; nothing half-written was "
                                                              "left behind\n")
    assert list(tmp_path.iterdir()) == []


def test_store_rebuild_killed_leaves_a_folder_the_next_run_removes(tmp_path):
    from kgraph.sources import Source
    from kgraph.store import Store

    data = tmp_path / "mine.ttl"
    data.write_text('@prefix ex: <http://example.org/> .\nex:a ex:p "x" .\n')
    store_dir = tmp_path / "store"
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    store_dir.mkdir()
    (store_dir / f".kgraph-tmp-{gone.pid}-00ff00ff").mkdir()  # as a SIGKILLed rebuild leaves it
    (store_dir / f"oxigraph.new-{gone.pid}").mkdir()  # as kgraph 0.1 left it
    Store.on_disk(store_dir, [Source(data, "data")])
    assert sorted(p.name for p in store_dir.iterdir()) == [".build.lock", "manifest.json", "oxigraph"]


def test_a_user_manifest_or_oxigraph_folder_is_never_taken_over(run, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "manifest.json").write_text('{"my": "project"}')
    (mine / "oxigraph").mkdir()
    (mine / "oxigraph" / "notes.txt").write_text("mine")
    r = run("stats", "--store", mine)
    assert (r.exit_code, r.stderr) == (2, f"kgraph: {mine}: is not a kgraph store (it holds manifest.json, oxigraph); "
                                          "give --store a new or empty folder, kgraph will not take over a folder "
                                          "that has other files\n")
    assert (mine / "manifest.json").read_text() == '{"my": "project"}'
    assert (mine / "oxigraph" / "notes.txt").read_text() == "mine"


def test_a_corrupt_store_is_rebuilt(run, tmp_path):
    store_dir = tmp_path / "store"
    assert run("stats", "--store", store_dir).exit_code == 0
    (store_dir / "oxigraph" / "CURRENT").write_text("garbage\n")
    r = run("stats", "--store", store_dir, "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert '"triples": 11161' in r.stdout


def test_import_leftovers_are_never_loaded(run, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "mine.ttl").write_text('@prefix ex: <http://example.org/> .\nex:a ex:p "x" .\n')
    (folder / ".kgraph-tmp-99999999-0123abcd.ttl").write_text('@prefix ex: <http://example.org/> .\nex:b ex:p "y" .\n')
    (folder / ".mine.import-abc.ttl").write_text('@prefix ex: <http://example.org/> .\nex:c ex:p "z" .\n')
    r = run("stats", "--data", folder, "--format", "json", "--no-bundled-data")
    assert r.exit_code == 0, r.stderr
    assert '"ceddata:mine": 1' in r.stdout and "import" not in r.stdout and "kgraph-tmp" not in r.stdout
