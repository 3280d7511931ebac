"""The source files a graph is built from, and the named graph each one loads into.

Sources are Turtle (or other RDF) files under version control: the ontology, the SKOS
vocabularies, the bundled data, and any data files a user adds. Each loads into its own
named graph whose IRI is derived from its role and file name, so every triple keeps the file
it came from (``cedgraph:data/bccic-small-cities``).
"""

from __future__ import annotations

import hashlib
import os
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kgraph import bundle
from kgraph.errors import GraphNameClash, SourceNotFound
from kgraph.fsutil import sha256_file
from kgraph.namespaces import GRAPH
from kgraph.rdfio import SOURCE_EXTENSIONS, format_for_path

ROLES = ("ontology", "vocab", "data")


@dataclass(frozen=True)
class Source:
    """One file and the named graph it loads into."""

    path: Path
    role: str  # "ontology", "vocab" or "data"

    @property
    def graph(self) -> str:
        """Named graph IRI: ``<GRAPH>ontology``, ``<GRAPH>vocab/<stem>`` or ``<GRAPH>data/<stem>``."""
        if self.role == "ontology":
            return GRAPH + "ontology"
        return f"{GRAPH}{self.role}/{graph_local_name(self.path.stem)}"

    def sha256(self) -> str:
        return sha256_file(self.path)


def graph_local_name(stem: str) -> str:
    """A file stem as the last segment of a graph IRI: characters IRIs do not allow (spaces,
    quotes, brackets...) percent-encoded, so any file name gives a valid, distinct IRI.

    >>> graph_local_name("my partnerships")
    'my%20partnerships'
    >>> graph_local_name("économie-2007")
    'économie-2007'
    """
    return "".join(c if (c.isalnum() or c in "-._~") and c.isprintable() else urllib.parse.quote(c, safe="")
                   for c in stem)


def bundled_sources(*, data: bool = True) -> list[Source]:
    """The ontology and vocabularies shipped with kgraph, plus the curated data if *data*.

    :raises SourceNotFound: when a bundled folder is missing or unreadable (a broken install
        or checkout), rather than quietly loading less.
    """
    out = [Source(_readable(bundle.ontology_file()), "ontology")]
    out += [Source(p, "vocab") for p in _rdf_files(bundle.vocab_dir(), (".ttl",), bundled=True)]
    if data:
        out += [Source(p, "data") for p in _rdf_files(bundle.data_dir(), (".ttl",), bundled=True)]
    return out


def _readable(path: Path) -> Path:
    if not os.access(path, os.R_OK) or not path.is_file():
        raise SourceNotFound(f"{path}: the bundled file is missing or unreadable; reinstall kgraph or restore the "
                             "checkout (git checkout -- .)")
    return path


def _rdf_files(folder: Path, extensions, *, bundled: bool = False) -> list[Path]:
    """The RDF files directly in *folder*, sorted; dotfiles (kgraph's temporaries) skipped."""
    try:
        names = sorted(os.listdir(folder))
    except OSError as e:
        what = "the bundled folder" if bundled else "the folder"
        fix = "reinstall kgraph or restore the checkout" if bundled else "check its permissions"
        raise SourceNotFound(f"{folder}: {what} cannot be read ({(e.strerror or str(e)).lower()}); {fix}") from None
    files = [folder / n for n in names if not n.startswith(".") and Path(n).suffix.lower() in extensions]
    return [_readable(f) if bundled else f for f in files if f.is_file()]


def data_sources(paths: Iterable[str | os.PathLike[str]]) -> list[Source]:
    """User data: each path is an RDF file, or a folder whose RDF files are all taken.

    :raises SourceNotFound: for a path that does not exist.
    :raises UnknownFormat: for a file whose extension names no RDF format.
    """
    out: list[Source] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = _rdf_files(p, SOURCE_EXTENSIONS)
            if not found:
                raise SourceNotFound(f"{raw}: the folder holds no RDF data files ({', '.join(SOURCE_EXTENSIONS)}); "
                                     "give a folder of Turtle files or the files themselves")
            out += [Source(f, "data") for f in found]
        elif p.is_file():
            format_for_path(p)
            out.append(Source(p, "data"))
        else:
            raise SourceNotFound(f"{raw}: no such file or folder; give a Turtle file or a folder of them")
    return out


def combine(*groups: Sequence[Source]) -> list[Source]:
    """Concatenate source lists, dropping repeats of the same file and refusing graph clashes.

    :raises GraphNameClash: when two different files would load into the same named graph.
    """
    seen: dict[str, Source] = {}
    out = []
    for src in (s for g in groups for s in g):
        prior = seen.get(src.graph)
        if prior is not None:
            if prior.path.resolve() == src.path.resolve():
                continue
            raise GraphNameClash(
                f"{src.path}: would load into the same graph as {prior.path} ({src.graph}); rename one of the files")
        seen[src.graph] = src
        out.append(src)
    return out


def fingerprint(sources: Sequence[Source]) -> str:
    """A content hash of the sources (graph names and file bytes), to tell when a store is stale."""
    h = hashlib.sha256()
    for s in sorted(sources, key=lambda s: s.graph):
        h.update(s.graph.encode())
        h.update(b"\0")
        h.update(s.sha256().encode())
        h.update(b"\n")
    return h.hexdigest()
