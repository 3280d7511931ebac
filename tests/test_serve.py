"""`kgraph serve` run for real (a subprocess with its Oxigraph child) on loopback: it answers
queries, refuses foreign Host headers and SERVICE, and SIGTERM/SIGHUP stop the child and
remove the temporary store. A taken port is one line."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kgraph.servegate import free_loopback_port

pytestmark = pytest.mark.server
KGRAPH = str(Path(sys.executable).with_name("kgraph"))


def start(tmp_path, *args):
    """`kgraph serve` with its temp store under tmp_path; returns (process, base URL)."""
    port = free_loopback_port()
    env = dict(os.environ, TMPDIR=str(tmp_path))
    proc = subprocess.Popen([KGRAPH, "serve", "--port", str(port), *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    assert line.startswith("Serving ") and line.endswith(f" read-only at http://127.0.0.1:{port}/query (Ctrl-C to stop)\n"), line
    return proc, f"http://127.0.0.1:{port}"


def get(url, query, headers=None):
    req = urllib.request.Request(url + "/query?" + urllib.parse.urlencode({"query": query}),
                                 headers={"Accept": "text/csv", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve")
    proc, base = start(tmp)
    yield proc, base, tmp
    if proc.poll() is None:  # SIGTERM, as a user's stop would: kgraph stops its oxigraph child (SIGKILL would orphan it)
        proc.terminate()
        proc.wait(30)
    assert _port_closed(int(base.rsplit(":", 1)[1]))


def test_answers_queries_on_the_union_of_named_graphs(served):
    _, base, _ = served
    status, text = get(base, "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/cedkg/ontology#Partnership> }")
    assert status == 200 and text.splitlines()[0] == "n" and int(text.splitlines()[1]) > 0


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.1.nip.io", "localhost:1"])
def test_foreign_host_header_is_refused(served, host):
    _, base, _ = served
    status, text = get(base, "ASK {}", {"Host": host})
    port = base.rsplit(":", 1)[1]
    assert (status, text) == (403, f"kgraph serve answers only requests addressed to 127.0.0.1:{port} or "
                                   f"localhost:{port} (Host header refused)\n")


def test_loopback_names_are_served(served):
    _, base, _ = served
    port = base.rsplit(":", 1)[1]
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", "localhost"):
        assert get(base, "ASK {}", {"Host": host})[0] == 200


def test_service_is_refused_and_reaches_no_listener(served):
    _, base, _ = served
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(1.5)
    target = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    status, text = get(base, f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}")
    assert (status, text) == (400, "kgraph serve refuses SERVICE (a federated query would make this machine fetch "
                                   "another URL); restart it with --allow-service to allow it\n")
    with pytest.raises(TimeoutError):
        listener.accept()
    listener.close()


def test_service_in_a_posted_query_is_refused(served):
    _, base, _ = served
    req = urllib.request.Request(base + "/query", method="POST", data=b"ASK { SERVICE <http://127.0.0.1:9/> {} }",
                                 headers={"Content-Type": "application/sparql-query"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=10)
    assert e.value.code == 400


def test_only_the_query_path_is_served(served):
    _, base, _ = served
    req = urllib.request.Request(base + "/update", method="POST", data=b"update=CLEAR+ALL",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=10)
    assert e.value.code == 404


def test_allow_service_passes_service_on(tmp_path):
    proc, base = start(tmp_path, "--allow-service")
    try:
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(20)
        seen = []

        def answer():
            conn, _ = listener.accept()
            seen.append(conn.recv(4096))
            conn.close()

        t = threading.Thread(target=answer, daemon=True)
        t.start()
        get(base, f"ASK {{ SERVICE <http://127.0.0.1:{listener.getsockname()[1]}/sparql> {{ ?s ?p ?o }} }}")
        t.join(20)
        assert len(seen) == 1 and seen[0].startswith(b"POST /sparql")  # the opt-in really federates
    finally:
        proc.terminate()
        proc.wait(20)
        listener.close()


def _port_closed(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return False
    except OSError:
        return True


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_signal_stops_the_child_and_removes_the_temp_store(tmp_path, sig):
    proc, base = start(tmp_path)
    assert get(base, "ASK {}")[0] == 200
    child = subprocess.run(["ps", "-o", "pid=,args=", "--ppid", str(proc.pid)], capture_output=True, text=True).stdout
    assert "serve-read-only" in child
    child_pid = int(child.split()[0])
    assert [p.name for p in tmp_path.iterdir()][0].startswith("kgraph-serve-")
    proc.send_signal(sig)
    assert proc.wait(20) == 128 + sig
    assert proc.stderr.read() == f"kgraph: stopped by signal {int(sig)}; nothing half-written was left behind\n"
    assert not Path(f"/proc/{child_pid}").exists() or "zombie" in Path(f"/proc/{child_pid}/status").read_text()
    assert list(tmp_path.iterdir()) == []
    assert _port_closed(int(base.rsplit(":", 1)[1]))


def test_taken_port_is_one_line(tmp_path):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    env = dict(os.environ, TMPDIR=str(tmp_path))
    r = subprocess.run([KGRAPH, "serve", "--port", str(port)], env=env, capture_output=True, text=True, timeout=60)
    taken.close()
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == (f"kgraph: --port {port}: cannot listen on 127.0.0.1:{port} (Address already in use); "
                        "choose another --port or stop what uses it\n")
    assert list(tmp_path.iterdir()) == []
