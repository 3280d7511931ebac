"""The endpoint client against servers that misbehave on purpose (small http.server programs on
loopback, each acting out one thing real servers do): redirects, Basic and Digest challenges,
a bearer token, bodies cut or garbled, row caps, slow trickles. Each ends in one line or in
the right answer; credentials never reach another origin."""

from __future__ import annotations

import hashlib
import http.server
import json
import re
import threading
import time

import pytest

from kgraph.endpoint import RemoteStore
from kgraph.endpoint.auth import Credentials
from kgraph.errors import EndpointError
from kgraph.results import collect

ONE_ROW = json.dumps({"head": {"vars": ["x"]},
                      "results": {"bindings": [{"x": {"type": "literal", "value": "ok"}}]}}).encode()


class Recorder(http.server.ThreadingHTTPServer):
    """A loopback server whose handler is *behave(handler)*; it records each request's headers."""

    daemon_threads = True

    def __init__(self, behave):
        self.behave = behave
        self.seen = []
        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/query"


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.seen.append((self.command, dict(self.headers), body))
        self.server.behave(self)

    do_GET = do_POST  # noqa: N815

    def answer(self, body=ONE_ROW, ctype="application/sparql-results+json", code=200, headers=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def serve():
    servers = []

    def start(behave):
        servers.append(Recorder(behave))
        return servers[-1]
    yield start
    for s in servers:
        s.shutdown()
        s.server_close()


def ask(url, creds=None, timeout=10, query="SELECT ?x WHERE { GRAPH ?g { ?x ?p ?o } }"):
    return collect(RemoteStore(url, credentials=creds, timeout=timeout).query(query))


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_redirect_to_another_origin_carries_no_token_and_is_an_error(serve, code):
    other = serve(lambda h: h.answer())
    first = serve(lambda h: h.answer(b"", code=code, headers=[("Location", other.url)]))
    with pytest.raises(EndpointError) as e:
        ask(first.url, Credentials(token="s3cret"))
    assert str(e.value) == (f"{first.url} redirected (HTTP {code}) to {other.url}; kgraph does not resend a query or "
                            "credentials to a redirect target: use the final URL as --endpoint")
    assert first.seen[0][1]["Authorization"] == "Bearer s3cret"
    assert other.seen == []


def test_redirect_with_basic_credentials_sends_nothing_on(serve):
    other = serve(lambda h: h.answer())
    first = serve(lambda h: h.answer(b"", code=302, headers=[("Location", other.url)]))
    with pytest.raises(EndpointError):
        ask(first.url, Credentials(user="ann", password="pw"))
    assert other.seen == []


def _basic(h):
    if h.headers.get("Authorization") == "Basic YW5uOnB3":
        return h.answer()
    h.answer(b"no", "text/plain", 401, [("WWW-Authenticate", 'Basic realm="kg"')])


def test_basic_auth_answers_the_challenge(serve):
    s = serve(_basic)
    assert ask(s.url, Credentials(user="ann", password="pw")).values() == [("ok",)]
    assert "Authorization" not in s.seen[0][1]  # never sent before the server asks
    with pytest.raises(EndpointError) as e:
        ask(s.url, Credentials(user="ann", password="wrong"))
    assert str(e.value) == f"{s.url} answered HTTP 401 Unauthorized: no"


def _digest(h):
    """RFC 2617 Digest (qop=auth, MD5), as Virtuoso's -auth endpoints ask for it."""
    got = h.headers.get("Authorization", "")
    if got.startswith("Digest "):
        f = dict(re.findall(r'(\w+)="?([^",]*)"?', got[7:]))
        md5 = lambda s: hashlib.md5(s.encode()).hexdigest()  # noqa: E731
        ha1, ha2 = md5("dba:virtuoso:pw"), md5(f"{h.command}:{f['uri']}")
        if f["response"] == md5(f"{ha1}:{f['nonce']}:{f['nc']}:{f['cnonce']}:{f['qop']}:{ha2}"):
            return h.answer()
    h.answer(b"denied", "text/plain", 401, [("WWW-Authenticate", 'Digest realm="virtuoso", nonce="abc123", qop="auth"')])


def test_digest_auth(serve):
    s = serve(_digest)
    assert ask(s.url, Credentials(user="dba", password="pw")).values() == [("ok",)]
    with pytest.raises(EndpointError) as e:
        ask(s.url, Credentials(user="dba", password="bad"))
    assert str(e.value).startswith(f"{s.url} answered HTTP 401")


def test_bearer_token_is_sent(serve):
    s = serve(lambda h: h.answer())
    ask(s.url, Credentials(token="t0k"))
    assert s.seen[0][1]["Authorization"] == "Bearer t0k"


def test_unknown_auth_scheme_is_one_line(serve):
    s = serve(lambda h: h.answer(b"", "text/plain", 401, [("WWW-Authenticate", 'Negotiate')]))
    with pytest.raises(EndpointError) as e:
        ask(s.url, Credentials(user="a", password="b"))
    assert "\n" not in str(e.value) and str(e.value).startswith(s.url)


@pytest.mark.parametrize("body", [
    ONE_ROW[:-7],
    b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"weird","value":"a"}}]}}',
    b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"a"}}, cancelled',
    b"\xff\xfe garbage",
], ids=["truncated", "unknown-term-type", "cancelled-mid-body", "not-json"])
def test_bad_bodies_are_one_line(serve, body):
    s = serve(lambda h: h.answer(body))
    with pytest.raises(EndpointError) as e:
        ask(s.url, query="SELECT ?x WHERE { GRAPH ?g { ?x ?p ?o } }")
    msg = str(e.value)
    assert msg.startswith(f"{s.url} sent an answer to query 'SELECT ?x WHERE {{ GRAPH ?g {{ ?x ?p ?o }} }}' that "
                          "kgraph cannot read (")
    assert msg.endswith("); the server may have cancelled the query or cut the connection") and "\n" not in msg


def test_dropped_connection_is_one_line(serve):
    def drop(h):
        h.send_response(200)
        h.send_header("Content-Type", "application/sparql-results+json")
        h.send_header("Content-Length", "5000")
        h.end_headers()
        h.wfile.write(ONE_ROW[:20])
        h.close_connection = True
    s = serve(drop)
    with pytest.raises(EndpointError) as e:
        ask(s.url)
    assert str(e.value) == (f"{s.url} dropped the connection while answering query 'SELECT ?x WHERE {{ GRAPH ?g {{ ?x ?p ?o }} }}' "
                            "(IncompleteRead); check the server's log and try again")


def test_results_cut_at_the_server_cap_are_an_error(serve):
    s = serve(lambda h: h.answer(headers=[("X-SPARQL-MaxRows", "1")]))
    with pytest.raises(EndpointError) as e:
        ask(s.url)
    assert str(e.value) == (f"{s.url} cut the results of query 'SELECT ?x WHERE {{ GRAPH ?g {{ ?x ?p ?o }} }}' at its "
                            "limit of 1 rows (X-SPARQL-MaxRows); raise the server's cap (Virtuoso: ResultSetMaxRows "
                            "in virtuoso.ini) or narrow the query")
    under = serve(lambda h: h.answer(headers=[("X-SPARQL-MaxRows", "10000")]))
    assert ask(under.url).values() == [("ok",)]


def test_construct_asks_for_rdf_and_select_for_results(serve):
    s = serve(lambda h: h.answer(b"<http://e/a> <http://e/b> <http://e/c> .\n", "application/n-triples")
              if "construct" in h.seen_query() else h.answer())
    Handler.seen_query = lambda h: h.server.seen[-1][2].decode().lower()
    store = RemoteStore(s.url)
    assert len(store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")) == 1
    store.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert [h["Accept"] for _, h, _ in s.seen] == ["application/n-triples", "application/sparql-results+json"]


def test_total_deadline_names_the_query(serve):
    def trickle(h):
        h.send_response(200)
        h.send_header("Content-Type", "application/sparql-results+json")
        h.send_header("Content-Length", str(len(ONE_ROW)))
        h.end_headers()
        try:
            for byte in ONE_ROW:
                h.wfile.write(bytes([byte]))
                h.wfile.flush()
                time.sleep(0.2)
        except OSError:  # the client gave up at its deadline, as it should
            pass
    s = serve(trickle)
    t0 = time.monotonic()
    with pytest.raises(EndpointError) as e:
        collect(RemoteStore(s.url, timeout=1).query("SELECT ?x WHERE { GRAPH ?g { ?x ?p ?o } }", name="two-way-pairs"))
    assert time.monotonic() - t0 < 2.5  # a total deadline, not one per read
    assert str(e.value) == (f"{s.url} did not finish query two-way-pairs within 1 s; raise KGRAPH_ENDPOINT_TIMEOUT "
                            "or check the server")
