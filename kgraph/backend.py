"""Where a graph comes from, opened once for the CLI and the Python API alike.

:class:`GraphOptions` names the sources (bundled data, extra data files, an on-disk store
folder) or a SPARQL endpoint; :func:`open_backend` returns the embedded
:class:`~kgraph.store.Store` or a :class:`~kgraph.endpoint.RemoteStore`, both answering
``query(text, bindings=...)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from kgraph.errors import UsageError
from kgraph.sources import Source, bundled_sources, combine, data_sources


@dataclass(frozen=True)
class GraphOptions:
    """Where the graph comes from: bundled data, extra data files, a store dir or an endpoint."""

    data: tuple[str, ...] = ()
    bundled_data: bool = True
    store: str | None = None
    endpoint: str | None = None
    extra: tuple[Source, ...] = field(default=())
    env_data: tuple[str, ...] = ()  # paths from $KGRAPH_DATA (the CLI reads it; loaded before *data*)
    derived: bool = True  # materialise cedgraph:derived at load (kgraph.derived)

    def sources(self) -> list[Source]:
        """The files to load, in order: ontology, vocabularies, bundled data, then *data*.

        :raises SourceNotFound: for a data path that does not exist.
        """
        return combine(bundled_sources(data=self.bundled_data), data_sources(self.env_data + self.data), self.extra)


def open_store(graph: GraphOptions, *, sources: Sequence[Source] | None = None,
               on_load: Callable[[Source], None] | None = None):
    """Load the graph's sources into the embedded store (on disk when *graph.store* is set).

    :raises ParseError: naming file, line and column of the first syntax error.
    """
    from kgraph.store import Store

    srcs = list(sources) if sources is not None else graph.sources()
    if graph.store:
        return Store.on_disk(graph.store, srcs, on_load=on_load, derived=graph.derived)
    return Store.in_memory(srcs, on_load=on_load, derived=graph.derived)


def open_backend(graph: GraphOptions, *, on_load: Callable[[Source], None] | None = None):
    """The embedded store, or the remote endpoint when *graph.endpoint* is given.

    :raises UsageError: for an endpoint together with extra data or a store folder.
    """
    if graph.endpoint:
        from kgraph.endpoint import RemoteStore

        if graph.data or graph.store:
            raise UsageError("--endpoint queries the remote graph; --data and --store do not apply (use `kgraph push`)")
        return RemoteStore.from_environment(graph.endpoint)
    return open_store(graph, on_load=on_load)
