"""The one place where pyoxigraph terms become rdflib terms and back.

The store and queries run on pyoxigraph; rdflib is used at the edges: SHACL (pyshacl),
inference (owlrl), canonical Turtle and users' notebooks.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """Convert one pyoxigraph term (xsd:string literals become plain rdflib literals)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    dt = term.datatype.value
    return Literal(term.value) if dt == XSD_STRING else Literal(term.value, datatype=URIRef(dt))


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert one rdflib term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to a pyoxigraph term")


def graph_from_quads(quads: Iterable[ox.Quad]) -> Graph:
    """An rdflib Graph holding the triples of *quads* (graph names dropped, duplicates merged)."""
    g = Graph(bind_namespaces="none")
    for q in quads:
        g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return g


def dataset_from_quads(quads: Iterable[ox.Quad]) -> Dataset:
    """An rdflib Dataset keeping each quad's named graph (for users' notebooks)."""
    ds = Dataset()
    for q in quads:
        g = q.graph_name
        ctx = ds.graph(URIRef(g.value)) if isinstance(g, ox.NamedNode) else ds.default_graph
        ctx.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return ds


def triples_from_graph(g: Graph) -> list[ox.Triple]:
    """pyoxigraph triples of an rdflib Graph."""
    return [ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in g]
