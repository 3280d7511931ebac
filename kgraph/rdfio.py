"""RDF formats by name and file extension, parse errors with positions, and serialisation.

pyoxigraph does the parsing and writing (fast and streaming); rdflib's canonical Turtle is
used only where a person will read diffs of the output (files meant for version control).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from kgraph.errors import ParseError, UnknownFormat
from kgraph.fsutil import atomic_write
from kgraph.namespaces import PREFIXES


@dataclass(frozen=True)
class RdfFormat:
    name: str
    ox: ox.RdfFormat
    extensions: tuple[str, ...]
    datasets: bool  # can hold named graphs


FORMATS: dict[str, RdfFormat] = {
    f.name: f
    for f in (
        RdfFormat("turtle", ox.RdfFormat.TURTLE, (".ttl",), False),
        RdfFormat("trig", ox.RdfFormat.TRIG, (".trig",), True),
        RdfFormat("nt", ox.RdfFormat.N_TRIPLES, (".nt",), False),
        RdfFormat("nq", ox.RdfFormat.N_QUADS, (".nq",), True),
        RdfFormat("jsonld", ox.RdfFormat.JSON_LD, (".jsonld", ".json"), True),
        RdfFormat("rdfxml", ox.RdfFormat.RDF_XML, (".rdf", ".owl", ".xml"), False),
    )
}
ALIASES = {"ttl": "turtle", "ntriples": "nt", "n-triples": "nt", "nquads": "nq", "n-quads": "nq",
           "json-ld": "jsonld", "xml": "rdfxml", "rdf/xml": "rdfxml"}

#: Formats a source file (one named graph per file) may be written in.
SOURCE_EXTENSIONS = (".ttl", ".nt", ".rdf", ".owl", ".jsonld")


def format_named(name: str) -> RdfFormat:
    """The RDF format called *name* (``turtle``, ``trig``, ``nt``, ``nq``, ``jsonld``, ``rdfxml``).

    :raises UnknownFormat: with the list of known names.
    """
    key = ALIASES.get(name.lower(), name.lower())
    if key not in FORMATS:
        raise UnknownFormat(f"unknown RDF format {name!r}: use one of {', '.join(FORMATS)}")
    return FORMATS[key]


def format_for_path(path: str | os.PathLike[str]) -> RdfFormat:
    """Guess the RDF format from a file's extension.

    >>> format_for_path("data/x.ttl").name
    'turtle'
    """
    ext = Path(path).suffix.lower()
    for f in FORMATS.values():
        if ext in f.extensions:
            return f
    known = ", ".join(e for f in FORMATS.values() for e in f.extensions)
    raise UnknownFormat(f"{path}: cannot tell the RDF format from the extension {ext or '(none)'!r}; use one of {known}")


_POSITION = re.compile(r"^Parser error at line (\d+) (?:between columns (\d+) and \d+|column (\d+))(?: \(line \d+\))?: ")


def parse_error(path: str | os.PathLike[str], err: SyntaxError) -> ParseError:
    """Turn pyoxigraph's SyntaxError into a ParseError naming file, line and column."""
    message = str(err.msg if hasattr(err, "msg") else err)
    m = _POSITION.match(message)
    if m:
        message = message[m.end():]
    message = re.sub(r" \(line \d+\)$", "", message)
    return ParseError(str(path), err.lineno, err.offset, message)


def read_error(path: str | os.PathLike[str], err: BaseException) -> Exception:
    """The one-line kgraph error for a failure while parsing *path* (syntax, a token past
    Oxigraph's 16 MiB buffer, an unreadable file); other exceptions are returned unchanged."""
    from kgraph.errors import SourceNotFound

    if isinstance(err, SyntaxError):
        return parse_error(path, err)
    if isinstance(err, MemoryError) and "buffer maximal size" in str(err):
        return ParseError(str(path), None, None, "holds a literal or IRI longer than 16 MiB, the most kgraph (Oxigraph) "
                                                 "reads in one piece; split it, or keep such text outside the graph")
    if isinstance(err, OSError):
        what = (err.strerror or str(err)).lower()
        return SourceNotFound(f"{path}: cannot read ({what}); check that the file exists and is readable")
    return err


def check_syntax(path: str | os.PathLike[str]) -> None:
    """Parse a file fully, raising ParseError (file:line:column) if it is not valid RDF."""
    fmt = format_for_path(path)
    try:
        for _ in ox.parse(path=str(path), format=fmt.ox):
            pass
    except (SyntaxError, MemoryError, OSError) as e:
        raise read_error(path, e) from None


def parse_graph(path: str | os.PathLike[str]):
    """One RDF file as an rdflib Graph (parsed by Oxigraph: fast, and precise error positions).

    :raises ParseError: naming file, line and column.
    """
    from kgraph.convert import graph_from_quads

    fmt = format_for_path(path)
    try:
        return graph_from_quads(ox.parse(path=str(path), format=fmt.ox))
    except (SyntaxError, MemoryError, OSError) as e:
        raise read_error(path, e) from None


def used_prefixes(items: Iterable[ox.Quad] | Iterable[ox.Triple]) -> dict[str, str]:
    """The prefixes of the namespace table that *items* use, in table order."""
    from kgraph.namespaces import compact

    used = set()
    for q in items:
        for term in (q.subject, q.predicate, q.object, getattr(q, "graph_name", None)):
            if isinstance(term, ox.NamedNode):
                name = compact(term.value)
                if not name.startswith("<"):
                    used.add(name.split(":", 1)[0])
            elif isinstance(term, ox.Literal) and term.datatype is not None and not term.language:
                name = compact(term.datatype.value)
                if not name.startswith("<"):
                    used.add(name.split(":", 1)[0])
    return {p: ns for p, ns in PREFIXES.items() if p in used}


def serialize(quads: Iterable[ox.Quad] | Iterable[ox.Triple], fmt: RdfFormat, *,
              out: str | os.PathLike[str] | None = None, prefixes: dict[str, str] | None = None) -> bytes | None:
    """Write quads (or triples) in *fmt*; to *out* atomically, or return the bytes.

    Quads written to a triple format lose their graph names.
    """
    items = quads
    if not fmt.datasets:
        items = (q.triple if isinstance(q, ox.Quad) else q for q in quads)
    pre = None
    if fmt.name in ("turtle", "trig", "rdfxml", "jsonld"):
        items = list(items)
        pre = used_prefixes(items) if prefixes is None else prefixes
    if out is None:
        return ox.serialize(items, format=fmt.ox, prefixes=pre)
    with atomic_write(out, "wb") as f:
        ox.serialize(items, f, format=fmt.ox, prefixes=pre)
    return None
