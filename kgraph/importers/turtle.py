"""Turtle written as an import makes it: each triple goes to the file when it is added.

rdflib's Graph and Turtle serialiser hold the whole graph (about 3 KB a triple here) and
sort it before writing; an import of 100k flow rows spent most of its time and memory there.
:class:`TurtleWriter` takes rdflib terms and writes them at once, one statement group per
run of triples with the same subject, prefixed names from kgraph's namespace table where the
local part allows, blank nodes relabelled ``_:b1``, ``_:b2``... in order of appearance (so the
same input gives the same file); the few characters an IRI cannot hold (space, ``<>"{}|^`\\``)
are percent-encoded, since no Turtle parser accepts them even escaped. :meth:`TurtleWriter.prefixes` gives the ``@prefix`` block of
the namespaces the triples used, to put in front once the body is written.

>>> import io
>>> from rdflib import Literal, URIRef
>>> out = io.StringIO()
>>> w = TurtleWriter(out)
>>> s = URIRef("https://w3id.org/cedkg/id/org/eso")
>>> w.add((s, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef("https://w3id.org/cedkg/ontology#Network")))
>>> w.add((s, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), Literal('Say "hi"', lang="en")))
>>> w.close()
>>> print(w.prefixes() + out.getvalue(), end="")
@prefix ced: <https://w3id.org/cedkg/ontology#> .
@prefix cedorg: <https://w3id.org/cedkg/id/org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<BLANKLINE>
cedorg:eso a ced:Network ;
    skos:prefLabel "Say \\"hi\\""@en .
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TextIO

from rdflib import BNode, Literal, URIRef

from kgraph.namespaces import PREFIXES

RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# A local part every Turtle parser reads (Turtle 1.1 PN_LOCAL allows more; these suffice).
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
_STRING_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_NAMESPACES = sorted(((ns, prefix) for prefix, ns in PREFIXES.items()), key=lambda p: -len(p[0]))


class TurtleWriter:
    """Write triples (rdflib terms) to *out* as Turtle as they are added.

    Consecutive triples with the same subject share one statement (``;``). Nothing is kept
    but the blank-node labels and the prefixes used.
    """

    def __init__(self, out: TextIO):
        self._out = out
        self._subject = None
        self._blank: dict[BNode, str] = {}
        self._used: set[str] = set()
        self.triples = 0

    def add(self, triple) -> None:
        """Write one (subject, predicate, object) triple."""
        s, p, o = triple
        write = self._out.write
        if s == self._subject:
            write(f" ;\n    {self._term(p, predicate=True)} {self._term(o)}")
        else:
            if self._subject is not None:
                write(" .\n")
            write(f"\n{self._term(s)} {self._term(p, predicate=True)} {self._term(o)}")
            self._subject = s
        self.triples += 1

    def close(self) -> None:
        """End the last statement (the file itself stays open: it is the caller's)."""
        if self._subject is not None:
            self._out.write(" .\n")
            self._subject = None

    def prefixes(self) -> str:
        """The ``@prefix`` lines of the namespaces used so far, then a blank line."""
        lines = [f"@prefix {prefix}: <{PREFIXES[prefix]}> ." for prefix in sorted(self._used)]
        return "\n".join(lines) + "\n" if lines else ""

    def _term(self, term, *, predicate: bool = False) -> str:
        if isinstance(term, URIRef):
            if predicate and term == RDF_TYPE:
                return "a"
            text, prefix = _iri(str(term))
            if prefix:
                self._used.add(prefix)
            return text
        if isinstance(term, BNode):
            label = self._blank.get(term)
            if label is None:
                label = self._blank[term] = f"_:b{len(self._blank) + 1}"
            return label
        if isinstance(term, Literal):
            return self._literal(term)
        raise TypeError(f"not an RDF term: {term!r}")

    def _literal(self, lit: Literal) -> str:
        text = '"' + str(lit).translate(_STRING_ESCAPES) + '"'
        if lit.language:
            return f"{text}@{lit.language}"
        if lit.datatype is not None and str(lit.datatype) != XSD_STRING:
            datatype, prefix = _iri(str(lit.datatype))
            if prefix:
                self._used.add(prefix)
            return f"{text}^^{datatype}"
        return text


@lru_cache(maxsize=1 << 16)
def _iri(iri: str) -> tuple[str, str | None]:
    """A prefixed name for *iri* and its prefix, or ``<iri>`` and None."""
    for ns, prefix in _NAMESPACES:
        if iri.startswith(ns) and _LOCAL.fullmatch(iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}", prefix
    return "<" + _IRI_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", iri) + ">", None
