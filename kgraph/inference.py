"""Optional RDFS or OWL-RL inference: the entailed triples, in their own named graph.

Kept apart from the asserted data (graph ``cedgraph:inferred``) so provenance stays clear:
nothing inferred is ever mistaken for something a source said.
"""

from __future__ import annotations

import pyoxigraph as ox

from kgraph.errors import UsageError
from kgraph.namespaces import INFERRED_GRAPH
from kgraph.store import Store

REGIMES = ("none", "rdfs", "owlrl")


def entailments(store: Store, regime: str) -> list[ox.Quad]:
    """Triples that *regime* (``rdfs`` or ``owlrl``) entails and the store does not assert."""
    if regime == "none":
        return []
    if regime not in REGIMES:
        raise UsageError(f"unknown inference regime {regime!r}; use one of {', '.join(REGIMES)}")
    import owlrl

    from kgraph.convert import graph_from_quads, to_oxigraph

    asserted = graph_from_quads(store.quads())
    closure = graph_from_quads(store.quads())
    semantics = owlrl.RDFS_Semantics if regime == "rdfs" else owlrl.OWLRL_Semantics
    owlrl.DeductiveClosure(semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)
    g = ox.NamedNode(INFERRED_GRAPH)
    out = []
    for s, p, o in closure:
        if (s, p, o) in asserted or isinstance(s, __import__("rdflib").Literal):
            continue
        out.append(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), g))
    return out
