"""The derived named graph: what makes the graph easy to query, materialised at load.

Every rule is a SPARQL CONSTRUCT in ``queries/derive/`` (its header says what it derives),
run over the asserted union; the triples go to their own named graph ``cedgraph:derived``
(:data:`kgraph.namespaces.DERIVED_GRAPH`), apart from what the sources say, so provenance
stays clear and ``GRAPH ?g`` queries can leave them out. Derived (docs/model.md lists them):

- ``rdfs:label`` — one plain, untagged label per resource (English, else French, else any);
- ``rdf:type`` — the classes up the class tree (``rdfs:subClassOf`` transitively);
- ``ced:sourceOrganisation`` / ``ced:targetOrganisation`` — flow ends, persons rolled up;
- ``ced:effectiveDate`` (xsd:date) / ``ced:effectiveYear`` (xsd:integer) — a flow's own date,
  else its event's;
- ``ced:country`` and ``ced:northSouthGroup`` ("North"/"South") of every agent.

A derived triple the sources already assert is not repeated. Each rule is one pass over the
data it reads (no self-joins over flows or agents), so the cost grows linearly with the graph
(docs/performance.md gives the figure at 1M triples).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from kgraph import bundle
from kgraph.namespaces import DERIVED_GRAPH, PREFIXES


@dataclass(frozen=True)
class Rule:
    """One derivation: its name (file stem), title, what it derives, and its CONSTRUCT text."""

    name: str
    title: str
    derives: str
    text: str


def _header(text: str, key: str) -> str:
    for line in text.splitlines():
        if line.startswith(f"# {key}:"):
            return line.split(":", 1)[1].strip()
    return ""


@cache
def rules() -> tuple[Rule, ...]:
    """The rules in ``queries/derive/``, in file-name order."""
    folder: Path = bundle.queries_dir() / "derive"
    out = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        out.append(Rule(path.stem, _header(text, "title"), _header(text, "derives"), text))
    return tuple(out)


def fingerprint() -> str:
    """A hash of the rules' text: an on-disk store is rebuilt when the rules change."""
    h = hashlib.sha256()
    for r in rules():
        h.update(r.name.encode() + b"\0" + r.text.encode() + b"\n")
    return h.hexdigest()


def derive(store: ox.Store) -> Iterator[ox.Quad]:
    """The derived quads (in ``cedgraph:derived``) of everything *store* holds outside that graph.

    Pure: reads *store*, changes nothing. Rules see only the asserted graphs, so running it on
    a store that already holds a derived graph gives the same quads.
    """
    graph = ox.NamedNode(DERIVED_GRAPH)
    graphs = list(store.named_graphs())
    asserted = [g for g in graphs if g != graph]
    # The union default graph when there is no derived graph to leave out (every fresh load):
    # Oxigraph evaluates a list of 26 default graphs 3-7x slower (100k triples: 12.5 s, not 3 s).
    options = ({"use_default_graph_as_union": True} if asserted and len(asserted) == len(graphs)
               else {"default_graph": asserted or ox.DefaultGraph()})
    for rule in rules():
        for t in store.query(rule.text, prefixes=PREFIXES, **options):
            yield ox.Quad(t.subject, t.predicate, t.object, graph)


def materialise(store: ox.Store) -> int:
    """Replace *store*'s derived graph with freshly derived quads; return how many it holds."""
    graph = ox.NamedNode(DERIVED_GRAPH)
    quads = list(derive(store))  # all read before the graph is touched
    if graph in set(store.named_graphs()):
        store.remove_graph(graph)
    store.bulk_extend(quads)
    return count(store)


def count(store: ox.Store) -> int:
    """How many triples *store*'s derived graph holds."""
    return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(DERIVED_GRAPH)))
