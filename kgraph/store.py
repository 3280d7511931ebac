"""kgraph's embedded store: Oxigraph, holding each source file in its own named graph.

In memory by default. With a directory it is kept on disk and reused while the source files
are unchanged (same content hash); when they change it is rebuilt beside the old one and
swapped in only once the load succeeded, so a failed load never damages the previous store.
Queries see the union of all named graphs as their default graph.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import json
import os
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from kgraph import __version__
from kgraph.binding import with_values
from kgraph.errors import KgraphError, QueryError, StoreLocked
from kgraph.fsutil import write_text_atomic
from kgraph.namespaces import PREFIXES
from kgraph.rdfio import format_for_path, parse_error
from kgraph.sources import Source, fingerprint

Term = ox.NamedNode | ox.BlankNode | ox.Literal
OnLoad = Callable[[Source], None]

MANIFEST = "manifest.json"
CURRENT = "oxigraph"


class Store:
    """The loaded graph: an Oxigraph store plus the sources it was built from.

    Build one with :meth:`in_memory` or :meth:`on_disk`; query it with :meth:`query`.
    """

    def __init__(self, store: ox.Store, sources: Sequence[Source], *, path: Path | None = None):
        self._ox = store
        self.sources = list(sources)
        self.path = path

    # -- building -------------------------------------------------------------------

    @classmethod
    def in_memory(cls, sources: Sequence[Source], *, on_load: OnLoad | None = None) -> Store:
        """Load *sources* into a new in-memory store.

        :raises ParseError: naming file, line and column of the first syntax error.
        """
        store = ox.Store()
        _load_all(store, sources, on_load)
        return cls(store, sources)

    @classmethod
    def on_disk(cls, directory: str | os.PathLike[str], sources: Sequence[Source], *,
                on_load: OnLoad | None = None, rebuild: bool = False) -> Store:
        """Open the store kept in *directory*, rebuilding it first if the sources changed.

        :raises ParseError: if a source is invalid; the previous store is left as it was.
        :raises StoreLocked: if another process is rebuilding the same directory.
        """
        root = Path(directory)
        root.mkdir(parents=True, exist_ok=True)
        wanted = fingerprint(sources)
        if rebuild or _manifest_fingerprint(root) != wanted or not (root / CURRENT).is_dir():
            with _build_lock(root):
                if rebuild or _manifest_fingerprint(root) != wanted or not (root / CURRENT).is_dir():
                    _rebuild(root, sources, wanted, on_load)
        try:
            store = ox.Store.read_only(str(root / CURRENT))
        except OSError as e:
            raise StoreLocked(f"{root}: cannot open the store ({e}); is another kgraph rebuilding it?") from None
        return cls(store, sources, path=root)

    # -- reading --------------------------------------------------------------------

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None):
        """Run SPARQL over the union of the named graphs, with *bindings* substituted.

        Bindings are RDF terms, bound by an inline VALUES block (see kgraph.binding), never
        text pasted into the query. Every prefix of the namespace table is predeclared.

        :raises QueryError: for a syntax error (with line and column) or a failed evaluation.
        """
        text = with_values(sparql, bindings)
        try:
            return self._ox.query(text, use_default_graph_as_union=True, prefixes=PREFIXES)
        except SyntaxError as e:
            raise QueryError(f"SPARQL syntax error: {_unbound_syntax_error(sparql) or e}") from None
        except (OSError, RuntimeError, ValueError) as e:
            raise QueryError(f"query failed: {e}") from None

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """All quads, or those of one named graph."""
        g = ox.NamedNode(graph) if graph else None
        return self._ox.quads_for_pattern(None, None, None, g)

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._ox.named_graphs())

    def __len__(self) -> int:
        return len(self._ox)

    @property
    def oxigraph(self) -> ox.Store:
        """The wrapped pyoxigraph store, for callers that need its full API."""
        return self._ox


def _unbound_syntax_error(sparql: str) -> SyntaxError | None:
    """The syntax error of the query as written (positions not shifted by the VALUES block)."""
    try:
        ox.Store().query(sparql, prefixes=PREFIXES)
    except SyntaxError as e:
        return e
    return None


def _load_all(store: ox.Store, sources: Sequence[Source], on_load: OnLoad | None) -> None:
    for src in sources:
        fmt = format_for_path(src.path)
        try:
            store.bulk_load(path=str(src.path), format=fmt.ox, to_graph=ox.NamedNode(src.graph))
        except SyntaxError as e:
            raise parse_error(src.path, e) from None
        except OSError as e:
            raise KgraphError(f"{src.path}: cannot read ({e.strerror or e})") from None
        if on_load:
            on_load(src)


def _manifest_fingerprint(root: Path) -> str | None:
    try:
        return json.loads((root / MANIFEST).read_text(encoding="utf-8")).get("fingerprint")
    except (OSError, ValueError):
        return None


def _rebuild(root: Path, sources: Sequence[Source], wanted: str, on_load: OnLoad | None) -> None:
    fresh = root / f"{CURRENT}.new-{os.getpid()}"
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        store = ox.Store(str(fresh))
        _load_all(store, sources, on_load)
        store.optimize()
        triples = len(store)
        store.flush()
        del store
        gc.collect()
    except BaseException:
        gc.collect()
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    old = root / f"{CURRENT}.old-{os.getpid()}"
    if (root / CURRENT).exists():
        os.replace(root / CURRENT, old)
    os.replace(fresh, root / CURRENT)
    manifest = {
        "kgraph": __version__,
        "fingerprint": wanted,
        "triples": triples,
        "sources": [{"graph": s.graph, "path": str(s.path)} for s in sources],
    }
    write_text_atomic(root / MANIFEST, json.dumps(manifest, indent=2) + "\n")
    shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def _build_lock(root: Path) -> Iterator[None]:
    with open(root / ".build.lock", "w") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreLocked(f"{root}: another kgraph process is rebuilding this store; try again when it is done") from None
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
