"""``kgraph push`` (this module: ``kgraph.endpoint.upload``): upload each source's named graph to a server, replacing what the server
holds under that name, streamed so the client never holds a graph's serialisation.

Each graph goes as one request (a Graph Store Protocol PUT, or a SPARQL Update
``DROP SILENT GRAPH`` + ``INSERT DATA`` when an update URL is given) whose body is produced
in batches of N-Triples while it is sent (chunked transfer encoding): memory stays bounded
by the batch, and one request per graph keeps blank nodes whole and each graph's replacement
atomic on servers that run a request as one transaction. The deadline grows with the
graph's size. ``prune`` drops the server's kgraph graphs (``cedgraph:`` IRIs) that no source
pushed any more (a renamed or deleted file), so their triples never count twice.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgraph.errors import EndpointError
from kgraph.namespaces import DERIVED_GRAPH, PREFIXES

BATCH = 20_000  # triples serialised at a time
SECONDS_PER_MILLION = 300  # added to the request deadline per million triples
N_TRIPLES = "application/n-triples"


@dataclass
class Summary:
    """What a push did: graphs replaced (with triple counts) and graphs pruned."""

    replaced: list[tuple[str, int]] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)

    @property
    def triples(self) -> int:
        return sum(n for _, n in self.replaced)


def default_gsp_url(query_url: str) -> str:
    """The Graph Store Protocol URL next to a query URL, as Oxigraph lays them out
    (``…/query`` or ``…/sparql`` → ``…/store``)."""
    for suffix in ("/query", "/sparql"):
        if query_url.rstrip("/").endswith(suffix):
            return query_url.rstrip("/")[: -len(suffix)] + "/store"
    return query_url.rstrip("/") + "/store"


def ntriples(store, graph: str, on_batch: Callable[[int], None] | None = None) -> Iterator[bytes]:
    """The graph's triples as N-Triples, BATCH at a time (blank node labels stay the same)."""
    batch = []
    for quad in store.quads(graph):
        batch.append(quad.triple)
        if len(batch) == BATCH:
            yield ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES) or b""
            if on_batch:
                on_batch(len(batch))
            batch = []
    if batch:
        yield ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES) or b""
        if on_batch:
            on_batch(len(batch))


def _update_body(graph: str, chunks: Iterator[bytes]) -> Iterator[bytes]:
    """A form-encoded ``update=`` body replacing *graph*, encoded chunk by chunk."""
    q = lambda b: urllib.parse.quote_plus(b).encode()  # noqa: E731
    yield b"update=" + q(f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n".encode())
    for chunk in chunks:
        yield q(chunk)
    yield q(b"\n} }")


def push(remote, sources: Sequence, store, *, gsp_url: str | None = None, update_url: str | None = None,
         prune: bool = False, on_batch: Callable[[int], None] | None = None) -> Summary:
    """Replace each source's graph on the server; with *prune*, drop kgraph graphs no source has.

    :raises EndpointError: naming the graph that failed and which were and were not replaced.
    """
    done = Summary()
    names = [src.graph for src in sources] + [g for g in store.graphs() if g == DERIVED_GRAPH]
    for i, graph in enumerate(names):
        size = sum(1 for _ in store.quads(graph)) if remote.timeout else 0
        extra = size * SECONDS_PER_MILLION / 1_000_000
        try:
            _replace(remote, store, graph, gsp_url, update_url, extra, on_batch)
        except EndpointError as e:
            raise EndpointError(_failure(done, names[i:], str(e))) from None
        done.replaced.append((graph, size or sum(1 for _ in store.quads(graph))))
    if prune:
        for graph in stale_graphs(remote, names):
            try:
                _drop(remote, graph, gsp_url, update_url)
            except EndpointError as e:
                raise EndpointError(f"all {len(names)} named graphs were replaced, but pruning <{graph}> failed: {e}") from None
            done.pruned.append(graph)
    return done


class Body:
    """A request body made afresh each time it is iterated (an auth challenge resends it)."""

    def __init__(self, make: Callable[[], Iterator[bytes]]):
        self.make = make

    def __iter__(self) -> Iterator[bytes]:
        return self.make()


def _replace(remote, store, graph, gsp_url, update_url, extra, on_batch) -> None:
    chunks = Body(lambda: ntriples(store, graph, on_batch))
    if update_url:
        remote.transport.send("POST", update_url, Body(lambda: _update_body(graph, iter(chunks))),
                              {"Content-Type": "application/x-www-form-urlencoded"},
                              what=f"the update of <{graph}>", extra=extra)
    else:
        url = _graph_url(gsp_url or default_gsp_url(remote.url), graph)
        remote.transport.send("PUT", url, chunks, {"Content-Type": N_TRIPLES}, what=f"the upload of <{graph}>",
                              extra=extra)


def _drop(remote, graph, gsp_url, update_url) -> None:
    if update_url:
        remote.update(update_url, f"DROP SILENT GRAPH <{graph}>")
    else:
        remote.transport.send("DELETE", _graph_url(gsp_url or default_gsp_url(remote.url), graph), None, {},
                              what=f"the removal of <{graph}>")


def _graph_url(gsp_url: str, graph: str) -> str:
    return f"{gsp_url}{'&' if '?' in gsp_url else '?'}{urllib.parse.urlencode({'graph': graph})}"


def stale_graphs(remote, pushed: Sequence[str]) -> list[str]:
    """The server's named graphs under kgraph's graph namespace that no pushed source has."""
    result = remote.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", name="the list of graphs")
    keep = set(pushed)
    return sorted(g for g in (row[0].value for row in result)
                  if g.startswith(PREFIXES["cedgraph"]) and g not in keep)


def _failure(done: Summary, rest: Sequence[str], error: str) -> str:
    """One line: which graphs were replaced, which failed and were not."""
    shown = ", ".join(f"<{g}>" for g, _ in done.replaced[:3]) + (" …" if len(done.replaced) > 3 else "")
    replaced = f"{len(done.replaced)} replaced ({shown})" if done.replaced else "none replaced"
    more = f" and {len(rest) - 1} after it" if len(rest) > 1 else ""
    return f"{error}; <{rest[0]}>{more} not replaced, {replaced}: run the push again"
