"""kgraph's embedded store: Oxigraph, holding each source file in its own named graph.

In memory by default. With a directory it is kept on disk and reused while the source files
are unchanged (same content hash); when they change it is rebuilt beside the old one and
swapped in only once the load succeeded, so a failed load never damages the previous store.
A store directory holds only what kgraph put there: a folder with other files is refused,
never taken over. Queries see the union of all named graphs as their default graph; a
``SERVICE`` clause (which would make kgraph fetch from the URL it names) is refused unless
the caller allows it.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from kgraph import __version__
from kgraph.binding import with_values
from kgraph.errors import KgraphError, QueryError, StoreLocked
from kgraph.fsutil import clean_leftovers, is_temp, remove, temp_path, temporary, write_text_atomic
from kgraph.namespaces import PREFIXES
from kgraph.rdfio import format_for_path, read_error
from kgraph.sources import Source, fingerprint
from kgraph.sparqlscan import uses_service

Term = ox.NamedNode | ox.BlankNode | ox.Literal
OnLoad = Callable[[Source], None]

MANIFEST = "manifest.json"
CURRENT = "oxigraph"
LOCK = ".build.lock"
_LEGACY_TEMP = re.compile(r"^oxigraph\.(?:new|old)-(\d+)$")  # kgraph 0.1's rebuild folders


class StoreNotOurs(KgraphError):
    """A --store folder that holds files kgraph did not make."""

    exit_code = 2


class StoreCorrupt(KgraphError):
    """An on-disk store that cannot be opened even after a rebuild."""

    exit_code = 1


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
    def in_memory(cls, sources: Sequence[Source], *, on_load: OnLoad | None = None, derived: bool = True) -> Store:
        """Load *sources* into a new in-memory store, with the derived graph unless *derived* is false.

        :raises ParseError: naming file, line and column of the first syntax error.
        """
        store = ox.Store()
        _load_all(store, sources, on_load)
        if derived:
            from kgraph.derived import materialise

            materialise(store)
        return cls(store, sources)

    @classmethod
    def on_disk(cls, directory: str | os.PathLike[str], sources: Sequence[Source], *,
                on_load: OnLoad | None = None, rebuild: bool = False, derived: bool = True) -> Store:
        """Open the store kept in *directory*, rebuilding it first if the sources (or, with
        *derived*, the derivation rules) changed. The derived graph is materialised at rebuild.

        :raises StoreNotOurs: if *directory* holds files that are not a kgraph store.
        :raises ParseError: if a source is invalid; the previous store is left as it was.
        :raises StoreLocked: if another process is rebuilding the same directory.
        """
        root = Path(directory)
        claim_store_folder(root)
        wanted = _wanted(sources, derived)
        for attempt in (1, 2):
            if rebuild or _manifest_fingerprint(root) != wanted or not (root / CURRENT).is_dir():
                with _build_lock(root):
                    _clean_store_leftovers(root)
                    if rebuild or _manifest_fingerprint(root) != wanted or not (root / CURRENT).is_dir():
                        _rebuild(root, sources, wanted, on_load, derived)
            try:
                store = ox.Store.read_only(str(root / CURRENT))
                len(store)  # touch it: a damaged store fails here, not in the middle of a query
                return cls(store, sources, path=root)
            except (OSError, RuntimeError) as e:
                if attempt == 2:
                    raise StoreCorrupt(f"{root}: the store cannot be opened ({e}); delete the folder "
                                       f"{root / CURRENT} and run again, or use another --store") from None
                rebuild = True  # damaged (a killed write, a disk error): it is a build artefact, rebuild it
        raise AssertionError("unreachable")  # pragma: no cover

    # -- reading --------------------------------------------------------------------

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None, allow_service: bool = False):
        """Run SPARQL over the union of the named graphs, with *bindings* substituted.

        Bindings are RDF terms, bound by an inline VALUES block (see kgraph.binding), never
        text pasted into the query. Every prefix of the namespace table is predeclared.
        Results are lazy: rows are computed as they are read.

        :raises QueryError: for a syntax error (with line and column), a failed evaluation, or
            a SERVICE clause when *allow_service* is false.
        """
        if not allow_service and uses_service(sparql):
            raise QueryError("the query uses SERVICE, which makes kgraph fetch from the URL it names; kgraph refuses "
                             "it by default: pass --allow-service (allow_service=True) if you trust that endpoint")
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
        except (SyntaxError, MemoryError, OSError) as e:
            raise read_error(src.path, e) from None
        if on_load:
            on_load(src)


def _manifest(root: Path) -> dict | None:
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "kgraph" in data and "fingerprint" in data else None


def _manifest_fingerprint(root: Path) -> str | None:
    m = _manifest(root)
    return m.get("fingerprint") if m else None


def claim_store_folder(root: Path) -> None:
    """Make sure *root* is a new or empty folder, or a kgraph store; create it if needed.

    :raises StoreNotOurs: for a file, or a folder holding anything but a kgraph store.
    """
    if root.exists() and not root.is_dir():
        raise StoreNotOurs(f"{root}: is a file, not a folder; give --store a new or empty folder")
    if root.is_dir():
        names = [n for n in os.listdir(root) if n != LOCK and not is_temp(n) and not _LEGACY_TEMP.match(n)]
        if names and _manifest(root) is None:
            shown = ", ".join(sorted(names)[:3]) + (", ..." if len(names) > 3 else "")
            raise StoreNotOurs(f"{root}: is not a kgraph store (it holds {shown}); give --store a new or empty "
                               "folder, kgraph will not take over a folder that has other files")
        return
    try:
        root.mkdir(parents=True)
    except OSError as e:
        raise StoreNotOurs(f"{root}: cannot create the store folder ({(e.strerror or str(e)).lower()}); "
                           "choose another --store") from None


def _clean_store_leftovers(root: Path) -> None:
    """Remove rebuild folders of kgraph processes that were killed (this one's and 0.1's)."""
    clean_leftovers(root)
    for name in os.listdir(root):
        m = _LEGACY_TEMP.match(name)
        if m:
            try:
                os.kill(int(m.group(1)), 0)
            except ProcessLookupError:
                remove(root / name)
            except OSError:
                pass


def _wanted(sources: Sequence[Source], derived: bool) -> str:
    """The fingerprint a reusable store must carry: the sources', plus the rules' with *derived*."""
    if not derived:
        return fingerprint(sources)
    from kgraph import derived as rules

    return f"{fingerprint(sources)}+derived:{rules.fingerprint()}"


def _rebuild(root: Path, sources: Sequence[Source], wanted: str, on_load: OnLoad | None,
             derived: bool = True) -> None:
    """Load *sources* into a fresh folder beside the current store, then swap it in.

    The fresh folder is a registered temporary: a failed load, Ctrl-C or SIGTERM removes it,
    and a killed process's is removed by the next rebuild.
    """
    with temporary(temp_path(root)) as fresh, temporary(temp_path(root)) as old:
        try:
            store = ox.Store(str(fresh))
            _load_all(store, sources, on_load)
            if derived:
                from kgraph.derived import materialise

                materialise(store)
            store.optimize()
            triples = len(store)
            store.flush()
            del store
        finally:
            gc.collect()  # release the RocksDB handle before the folder is moved or removed
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


@contextlib.contextmanager
def _build_lock(root: Path) -> Iterator[None]:
    with open(root / LOCK, "w") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreLocked(f"{root}: another kgraph process is rebuilding this store; try again when it is done") from None
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
