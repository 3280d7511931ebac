"""Remote SPARQL endpoints: queries over the SPARQL 1.1 Protocol, uploads over the Graph Store
Protocol (or SPARQL Update), with the Python standard library only.

A :class:`RemoteStore` answers ``query(text, bindings=...)`` like the embedded Store, with
results parsed by pyoxigraph, so named queries, metrics and visualisations run unchanged
against Oxigraph server, Fuseki, GraphDB, Virtuoso or QLever. Its default graph must be the
union of the named graphs (Oxigraph: ``--union-default-graph``; ``kgraph serve`` does this);
kgraph checks and says so when it is not.

Parts: :mod:`.auth` (credentials from the environment), :mod:`.transport` (one HTTP exchange:
deadline, redirects), :mod:`.protocol` (Accept by query form, reading and checking bodies),
:mod:`.upload` (push: streamed graphs, prune, summary).
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Mapping

import pyoxigraph as ox

from kgraph.binding import with_values
from kgraph.endpoint import auth, protocol
from kgraph.endpoint.auth import Credentials
from kgraph.endpoint.transport import Transport
from kgraph.errors import EndpointError
from kgraph.namespaces import sparql_prologue

N_TRIPLES = "application/n-triples"


class RemoteStore:
    """A SPARQL endpoint that kgraph queries like its embedded store."""

    def __init__(self, url: str, *, timeout: float | None = 60.0, credentials: Credentials | None = None):
        if not url.startswith(("http://", "https://")):
            raise EndpointError(f"{url}: an endpoint is an http:// or https:// URL")
        self.url = url
        self.timeout = timeout
        self.transport = Transport(url, credentials or Credentials(), timeout)
        self._default_checked = False

    @classmethod
    def from_environment(cls, url: str) -> RemoteStore:
        """An endpoint with credentials and timeout taken from KGRAPH_ENDPOINT_* variables."""
        from kgraph.limits import parse_seconds

        timeout = parse_seconds(os.environ.get("KGRAPH_ENDPOINT_TIMEOUT", "60"), what="KGRAPH_ENDPOINT_TIMEOUT")
        return cls(url, timeout=timeout or None, credentials=auth.from_environment())

    def query(self, sparql: str, *, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
              name: str | None = None):
        """Run a query; bindings go into VALUES blocks exactly as for the embedded store.

        :raises EndpointError: unreachable, timed out (naming the query), an HTTP error (with
            the server's message), a body kgraph cannot read, results cut at the server's cap,
            or a server whose default graph is empty while its named graphs hold the data.
        """
        what = f"query {name or protocol.query_name(sparql)}"
        if not self._default_checked and not protocol.scopes_graphs(sparql):
            self._check_default_graph()
        data, headers = self._ask(sparql_prologue() + with_values(sparql, bindings), what)
        return protocol.parse(data, headers, url=self.url, what=what)

    def _ask(self, text: str, what: str):
        body = urllib.parse.urlencode({"query": text}).encode()
        return self.transport.send("POST", self.url, body, {"Content-Type": "application/x-www-form-urlencoded",
                                                            "Accept": protocol.accept_for(text)}, what=what)

    def _check_default_graph(self) -> None:
        """Refuse a server whose default graph is empty while its named graphs are full
        (Oxigraph without --union-default-graph): every query would answer 0 rows."""
        self._default_checked = True
        ask = lambda q: protocol.parse(*self._ask(q, "the default-graph check"), url=self.url, what="ASK")  # noqa: E731
        if not bool(ask("ASK { ?s ?p ?o }")) and bool(ask("ASK { GRAPH ?g { ?s ?p ?o } }")):
            raise EndpointError(f"{self.url}: the default graph is empty while the named graphs hold data, so every "
                                "query would answer 0 rows; make the default graph the union of the named graphs "
                                "(Oxigraph: `oxigraph serve --union-default-graph`; see docs/servers.md)")

    def put_graph(self, gsp_url: str, graph: str, triples: bytes) -> None:
        """Replace named graph *graph* with N-Triples *triples* (Graph Store Protocol PUT)."""
        url = f"{gsp_url}{'&' if '?' in gsp_url else '?'}{urllib.parse.urlencode({'graph': graph})}"
        self.transport.send("PUT", url, triples, {"Content-Type": N_TRIPLES}, what=f"the upload of <{graph}>")

    def update(self, update_url: str, text: str) -> None:
        """Run a SPARQL Update (protocol POST, form-encoded)."""
        body = urllib.parse.urlencode({"update": text}).encode()
        self.transport.send("POST", update_url, body, {"Content-Type": "application/x-www-form-urlencoded"},
                            what="the update")


def auth_headers(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The bearer Authorization header KGRAPH_ENDPOINT_TOKEN gives (Basic and Digest answer
    the server's challenge instead, see :mod:`kgraph.endpoint.auth`)."""
    return auth.bearer(auth.from_environment(env))


from kgraph.endpoint.upload import Summary, default_gsp_url, push  # noqa: E402 - re-exported
