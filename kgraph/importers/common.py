"""What every importer shares: the graph it extends, and writing its output all-or-nothing.

An import produces an rdflib Graph. Before anything is written, the graph is serialised to a
temporary file beside its destination, loaded with the graph it extends (ontology,
vocabularies, bundled and user data) and validated with every shape, check and quote test;
only a clean result is renamed into place. A failed import leaves no file behind and the old
output, if any, untouched.
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kgraph.errors import ImportRejected, RowProblem
from kgraph.fsutil import atomic_write, make_parents, remove, remove_empty, temp_path, temporary
from kgraph.importers.turtle import TurtleWriter
from kgraph.namespaces import PREFIXES, compact
from kgraph.sources import Source
from kgraph.store import Store


@dataclass(frozen=True)
class Origin:
    """Where a resource of an import came from: a file and a row (CSV) or line/element (XML)."""

    path: str
    row: int
    column: str | None = None


@dataclass
class Imported:
    """What an importer read: the graph to write, where each resource came from, counts for
    the summary, notes (things skipped), and the source files to keep a copy of in ``seeds/``
    next to the output (so `kgraph validate` can check quotes against them)."""

    graph: Graph
    origins: dict[str, Origin] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seeds: list[Path] = field(default_factory=list)
    header: str = ""


def add_evidence(g: Graph, subject, source, quote: str) -> None:
    """State that *source* supports *subject* in the words *quote* (a ced:Evidence node)."""
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import RDF

    ced, prov = PREFIXES["ced"], PREFIXES["prov"]
    ev = BNode()
    g.add((subject, URIRef(ced + "evidence"), ev))
    g.add((ev, RDF.type, URIRef(ced + "Evidence")))
    g.add((ev, URIRef(prov + "hadPrimarySource"), source))
    g.add((ev, URIRef(ced + "quote"), Literal(quote)))


def context_sources(sources: Sequence[Source], out: Path) -> list[Source]:
    """The sources an import into *out* extends: all of them but *out* itself (it is replaced)."""
    target = out.resolve()
    return [s for s in sources if s.path.resolve() != target]


def new_graph() -> Graph:
    """An empty rdflib Graph with kgraph's namespace table bound (for readable Turtle)."""
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return g


def write_validated(imported: Imported, out: Path, context: Sequence[Source]) -> None:
    """Validate an import held in memory (its rdflib graph) with the *context* it extends and
    write it to *out* (Turtle), with copies of its source files in ``seeds/`` beside it.

    :raises ImportRejected: as :meth:`Staged.commit`; nothing is written then.
    """
    with Staged(Path(out), context) as staged:
        for triple in sorted(imported.graph):
            staged.writer.add(triple)
        staged.commit(imported)


class Staged:
    """The temporary Turtle file an import writes into while it reads (``with Staged(out,
    context) as staged: ... staged.writer.add(triple) ...; staged.commit(imported)``), so no
    graph of it is held in memory.

    :meth:`commit` puts the header and prefixes in front, copies the source files to
    ``seeds/``, validates the file with the *context* it extends and only then renames it to
    *out*. Leaving the block without a commit (a problem, an exception, Ctrl-C) removes the
    temporaries, the copies and the folders made, and leaves the old *out*, if any, untouched.
    """

    def __init__(self, out: Path, context: Sequence[Source]):
        self.out, self.context = Path(out), context
        self._stack = contextlib.ExitStack()
        self._made: list[Path] = []
        self._copied: list[Path] = []
        self._had_seeds = False
        self._done = False

    def __enter__(self) -> Staged:
        self._made = make_parents(self.out)
        self._had_seeds = (self.out.parent / "seeds").exists()
        self._body = self._stack.enter_context(temporary(temp_path(self.out.parent, ".part")))
        self._file = self._stack.enter_context(open(self._body, "x", encoding="utf-8", buffering=1 << 20))
        self.writer = TurtleWriter(self._file)
        return self

    def commit(self, imported: Imported) -> None:
        """Validate what was written and rename it into place.

        :raises ImportRejected: listing every violation (mapped back to the row or element a
            node came from where the import knows it).
        """
        self.writer.close()
        self._file.close()
        seeds_folder = self.out.parent / "seeds"
        self._copied = _copy_seeds(imported.seeds, seeds_folder)
        tmp = self._stack.enter_context(temporary(temp_path(self.out.parent, ".ttl")))
        with open(tmp, "x", encoding="utf-8") as f, open(self._body, encoding="utf-8") as body:
            f.write(imported.header + self.writer.prefixes())
            shutil.copyfileobj(body, f, 1 << 20)
            f.flush()
            os.fsync(f.fileno())
        remove(self._body)  # one temporary beside the output while it is validated
        problems = _violations(tmp, self.out, self.context, imported.origins)
        if problems:
            raise ImportRejected(problems)
        os.replace(tmp, self.out)
        self._done = True

    def __exit__(self, *exc) -> None:
        try:
            if not self._done:
                self._file.close()
        finally:
            self._stack.close()
            if not self._done:
                for path in self._copied:
                    path.unlink(missing_ok=True)
                seeds_folder = self.out.parent / "seeds"
                if not self._had_seeds and seeds_folder.is_dir() and not any(seeds_folder.iterdir()):
                    seeds_folder.rmdir()
                remove_empty(self._made)


def _copy_seeds(files: Sequence[Path], folder: Path) -> list[Path]:
    """Copy *files* into *folder* (atomically each); return the copies that are new.

    :raises ImportRejected: when *folder* already holds a different file of the same name.
    """
    clashes = [RowProblem(str(folder / f.name), None, None, f"a different file of this name is already there; "
                                                            f"rename {f} or move the old copy")
               for f in files if (folder / f.name).exists() and not filecmp.cmp(f, folder / f.name, shallow=False)]
    if clashes:
        raise ImportRejected(clashes)
    new = []
    for f in files:
        dest = folder / f.name
        if dest.exists():
            continue
        folder.mkdir(parents=True, exist_ok=True)
        with atomic_write(dest, "wb") as out:
            with open(f, "rb") as src:
                shutil.copyfileobj(src, out)
        new.append(dest)
    return new


def _violations(tmp: Path, out: Path, context: Sequence[Source], origins: Mapping[str, Origin]) -> list[RowProblem]:
    from kgraph.validate import validate

    src = Source(tmp, "data")
    store = Store.in_memory([*context, src], derived=False)  # no check reads the derived graph
    found = validate(store, only=[src])
    compact_origins = {compact(iri): o for iri, o in origins.items()}
    problems = []
    for v in found:
        origin = compact_origins.get(v.focus.split(" / ", 1)[0])
        message = f"{v.focus} [{v.check}] {v.message}" + (f" (value: {v.value})" if v.value else "")
        if origin:
            problems.append(RowProblem(origin.path, origin.row, origin.column, message))
        else:
            problems.append(RowProblem(str(out), None, None, message))
    return problems
