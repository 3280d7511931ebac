"""Remote SPARQL endpoints: queries over the SPARQL 1.1 Protocol, uploads over the Graph Store
Protocol (or SPARQL Update), with the Python standard library only.

A :class:`RemoteStore` answers ``query(text, bindings=...)`` like the embedded Store, with
results parsed by pyoxigraph, so named queries, metrics and visualisations run unchanged
against Oxigraph server, Fuseki, GraphDB, Virtuoso or QLever. Its default graph must be the
union of the named graphs (Oxigraph: ``--union-default-graph``; ``kgraph serve`` does this).

Credentials come from the environment, never the command line: ``KGRAPH_ENDPOINT_TOKEN``
(a bearer token) or ``KGRAPH_ENDPOINT_USER`` and ``KGRAPH_ENDPOINT_PASSWORD`` (basic auth).
"""

from __future__ import annotations

import base64
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from kgraph.binding import with_values
from kgraph.errors import EndpointError
from kgraph.namespaces import sparql_prologue
from kgraph.sources import Source

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"


class RemoteStore:
    """A SPARQL endpoint that kgraph queries like its embedded store."""

    def __init__(self, url: str, *, timeout: float = 60.0, headers: Mapping[str, str] | None = None):
        if not url.startswith(("http://", "https://")):
            raise EndpointError(f"{url}: an endpoint is an http:// or https:// URL")
        self.url = url
        self.timeout = timeout
        self.headers = dict(headers or {})

    @classmethod
    def from_environment(cls, url: str) -> RemoteStore:
        """An endpoint with credentials and timeout taken from KGRAPH_ENDPOINT_* variables."""
        from kgraph.limits import parse_seconds

        timeout = parse_seconds(os.environ.get("KGRAPH_ENDPOINT_TIMEOUT", "60"), what="KGRAPH_ENDPOINT_TIMEOUT")
        return cls(url, timeout=timeout or None, headers=auth_headers())

    def query(self, sparql: str, *, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None):
        """Run a query; bindings go into VALUES blocks exactly as for the embedded store.

        :raises EndpointError: unreachable, timed out, or an HTTP error (with the server's message).
        """
        text = sparql_prologue() + with_values(sparql, bindings)
        body = urllib.parse.urlencode({"query": text}).encode()
        accept = f"{RESULTS_JSON}, {N_TRIPLES};q=0.9"
        data, ctype = self._send("POST", self.url, body,
                                 {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
        if ctype.startswith(RESULTS_JSON) or ctype.startswith("application/json"):
            try:
                return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
            except (SyntaxError, ValueError) as e:
                raise EndpointError(f"{self.url} sent results kgraph cannot read: {e}") from None
        fmt = ox.RdfFormat.from_media_type(ctype.split(";")[0].strip())
        if fmt is None:
            raise EndpointError(f"{self.url} answered with {ctype or 'no content type'}; expected SPARQL results or RDF")
        try:
            return [q.triple for q in ox.parse(data, format=fmt)]
        except SyntaxError as e:
            raise EndpointError(f"{self.url} sent RDF kgraph cannot read: {e}") from None

    def put_graph(self, gsp_url: str, graph: str, triples: bytes) -> None:
        """Replace named graph *graph* with N-Triples *triples* (Graph Store Protocol PUT)."""
        url = f"{gsp_url}{'&' if '?' in gsp_url else '?'}{urllib.parse.urlencode({'graph': graph})}"
        self._send("PUT", url, triples, {"Content-Type": N_TRIPLES})

    def update(self, update_url: str, text: str) -> None:
        """Run a SPARQL Update (protocol POST, form-encoded)."""
        body = urllib.parse.urlencode({"update": text}).encode()
        self._send("POST", update_url, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def _send(self, method: str, url: str, body: bytes | None, headers: Mapping[str, str]) -> tuple[bytes, str]:
        req = urllib.request.Request(url, data=body, method=method, headers={**self.headers, **headers})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.read(), resp.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            detail = " ".join(e.read(2000).decode("utf-8", "replace").split())[:300]
            raise EndpointError(f"{url} answered HTTP {e.code} {e.reason}" + (f": {detail}" if detail else "")) from None
        except urllib.error.URLError as e:
            reason = e.reason
            if isinstance(reason, (socket.timeout, TimeoutError)):
                raise EndpointError(f"{url} did not answer within {self.timeout:g} s; raise KGRAPH_ENDPOINT_TIMEOUT "
                                    "or check the server") from None
            raise EndpointError(f"cannot reach {url} ({getattr(reason, 'strerror', None) or reason}); "
                                "is the server running and the URL right?") from None
        except (socket.timeout, TimeoutError):
            raise EndpointError(f"{url} did not answer within {self.timeout:g} s; raise KGRAPH_ENDPOINT_TIMEOUT "
                                "or check the server") from None


def auth_headers(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """Authorization header from KGRAPH_ENDPOINT_TOKEN or KGRAPH_ENDPOINT_USER/PASSWORD."""
    env = os.environ if env is None else env
    if env.get("KGRAPH_ENDPOINT_TOKEN"):
        return {"Authorization": f"Bearer {env['KGRAPH_ENDPOINT_TOKEN']}"}
    if env.get("KGRAPH_ENDPOINT_USER"):
        pair = f"{env['KGRAPH_ENDPOINT_USER']}:{env.get('KGRAPH_ENDPOINT_PASSWORD', '')}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode()}
    return {}


def default_gsp_url(query_url: str) -> str:
    """The Graph Store Protocol URL next to a query URL, as Oxigraph lays them out
    (``…/query`` or ``…/sparql`` → ``…/store``)."""
    for suffix in ("/query", "/sparql"):
        if query_url.rstrip("/").endswith(suffix):
            return query_url.rstrip("/")[: -len(suffix)] + "/store"
    return query_url.rstrip("/") + "/store"


def push(remote: RemoteStore, sources: Sequence[Source], store, *, gsp_url: str | None = None,
         update_url: str | None = None, on_push=None) -> list[tuple[str, int]]:
    """Upload each source's named graph, replacing what the endpoint holds under that name.

    Through the Graph Store Protocol (PUT) by default, or SPARQL Update (DROP SILENT GRAPH then
    INSERT DATA) when *update_url* is given. Returns (graph, triples) per graph pushed.
    """
    out = []
    for src in sources:
        quads = list(store.quads(src.graph))
        triples = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES) or b""
        if update_url:
            g = f"<{src.graph}>"
            remote.update(update_url, f"DROP SILENT GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} {{\n{triples.decode()}\n}} }}")
        else:
            remote.put_graph(gsp_url or default_gsp_url(remote.url), src.graph, triples)
        out.append((src.graph, len(quads)))
        if on_push:
            on_push(src)
    return out

