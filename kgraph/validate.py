"""Validation: SHACL shapes, SPARQL data-quality checks and verbatim quotes.

Three kinds of check, one kind of report. Each violation names the check (a shape ID such as
``FlowSource``, a check query such as ``dangling-reference``, or ``QuoteVerbatim``), the node,
the source file(s) that describe the node, and a message saying what to fix.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from kgraph import bundle
from kgraph.namespaces import CEDSH, DERIVED_GRAPH, compact
from kgraph.sources import Source
from kgraph.store import Store

_DERIVED = ox.NamedNode(DERIVED_GRAPH)

SH = "http://www.w3.org/ns/shacl#"


@dataclass(frozen=True)
class Violation:
    """One failed check on one node."""

    check: str
    focus: str
    message: str
    files: tuple[str, ...] = ()
    value: str | None = None

    def __str__(self) -> str:
        where = ", ".join(self.files) or "-"
        value = f" (value: {self.value})" if self.value else ""
        return f"{where}: {self.focus} [{self.check}] {self.message}{value}"


def validate(store: Store, *, only: Sequence[Source] | None = None, shapes: bool = True,
             checks: bool = True, quotes: bool = True) -> list[Violation]:
    """Run the chosen checks over the whole store; keep violations about nodes in *only*.

    Validating the whole store lets a user's file refer to organisations, places and
    concepts defined elsewhere; restricting the report to *only* keeps it about their file.
    SHACL then checks only the focus nodes those files describe (the rest of the store is
    read as context, never reported on).
    """
    index = _NodeIndex(store)
    found: list[Violation] = []
    if shapes:
        found += shacl_violations(store, index, focus=None if only is None else _focus_of(store, only))
    if checks:
        found += check_query_violations(store, index)
    if quotes:
        found += quote_violations(store, index)
    if only is not None:
        keep = {_display(s.path) for s in only}
        found = [v for v in found if keep.intersection(v.files)]
    return sorted(set(found), key=lambda v: (v.files, v.focus, v.check, v.value or ""))


def _focus_of(store: Store, sources: Sequence[Source]) -> list[ox.NamedNode] | None:
    """The focus nodes SHACL must check so that every violation about *sources* is found: the
    subjects of their named graphs (a violation is reported under the files describing its
    node). None (check everything) when those graphs hold blank nodes, which pyshacl-turbo
    cannot take as focus nodes."""
    nodes: dict[ox.NamedNode, None] = {}
    for s in sources:
        for q in store.quads(s.graph):
            if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
                return None
            nodes[q.subject] = None
    return list(nodes)


def shacl_violations(store: Store, index: _NodeIndex, *, engine=None,
                     focus: Sequence[object] | None = None) -> list[Violation]:
    """Validate against ontology/shapes.ttl (no inference: the ontology's subclass axioms are
    in the data graph, which is all sh:class and sh:targetClass need).

    The engine is pyshacl-turbo (pySHACL's API, evaluated in Rust), given the Oxigraph store
    itself: it reads the store's N-Quads dump natively, with no rdflib copy (1M triples: 62 s
    against 91 s through the copy), and checks the union of the named graphs. On all 126
    shape fixtures it prints the same violations as pySHACL (tests/test_shapes.py).
    *engine* takes another module with pySHACL's ``validate`` (given an rdflib copy; tests pass
    ``pyshacl`` to compare). *focus* (pyoxigraph terms) validates only those focus nodes,
    against the shapes that target them.
    """
    from rdflib import Graph
    from rdflib.namespace import SH as RSH

    from kgraph.convert import to_oxigraph

    if engine is None:
        import pyshacl_turbo as engine

        data = _sources_only(store)  # read natively; its named graphs are checked as one union
    else:
        from kgraph.convert import graph_from_quads

        data = graph_from_quads(q for q in store.quads() if q.graph_name != _DERIVED)
    shapes = Graph().parse(bundle.shapes_file(), format="turtle")
    options = {} if focus is None else {"focus_nodes": [n.value for n in focus]}
    _, report, _ = engine.validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                    allow_warnings=True, allow_infos=True, **options)
    out = []
    # Only the report's own results: nested sh:detail results (e.g. of the cedsh:Agent helper
    # behind sh:node) explain a top-level result and are not violations of their own.
    for result in report.objects(None, RSH.result):
        shape = report.value(result, RSH.sourceShape)
        focus_node = report.value(result, RSH.focusNode)
        message = report.value(result, RSH.resultMessage)
        value = report.value(result, RSH.value)
        named = shape if str(shape).startswith(CEDSH) else _named_shape(shapes, shape)
        check = str(named)[len(CEDSH):] if named is not None else "shape"
        if named is not None and named != shape and shapes.value(named, RSH.message) is not None:
            message = shapes.value(named, RSH.message)  # the named shape says what to fix
        node = to_oxigraph(focus_node)
        out.append(Violation(check, index.describe(node), str(message or "violates a shape"),
                             index.files_of(node), _show(to_oxigraph(value)) if value is not None else None))
    return out


def _sources_only(store: Store) -> ox.Store:
    """The store without kgraph's derived graph (shapes judge what the sources say), as an
    Oxigraph store pyshacl-turbo reads natively (no rdflib copy). The quads are copied as
    terms, so blank nodes keep their identity and violations on them still name their file
    (a dump and re-load would rename them)."""
    raw = store.oxigraph
    if not raw.contains_named_graph(_DERIVED):
        return raw
    copy = ox.Store()
    copy.bulk_extend(q for q in raw if q.graph_name != _DERIVED)
    return copy


def _named_shape(shapes, shape):
    """The named shape (cedsh:ID) that holds an anonymous property shape, or None."""
    from rdflib.namespace import SH as RSH

    for parent in shapes.subjects(RSH.property, shape):
        if str(parent).startswith(CEDSH):
            return parent
    return None


def check_query_violations(store: Store, index: _NodeIndex) -> list[Violation]:
    """Run every ``queries/checks/*-violation.rq``; each row is a violation.

    A check query selects ``?focus`` and ``?message`` (and optionally ``?value``). A grouped
    check also selects ``?group``: its rows are candidates, and a row is a violation only when
    another resource shares its group, named in place of ``{other}`` in the message. Grouping
    here keeps such checks (same name twice) to one pass over the data, where a SPARQL self-join
    compares all pairs.
    """
    from kgraph.queries import load_checks

    out = []
    for check in load_checks():
        result = store.query(check.text)
        names = {v.value for v in result.variables}
        rows = (_check_row(check, names, row) for row in result)
        if "group" in names:
            rows = _grouped(rows)
        out += [Violation(check.name.removesuffix("-violation"), index.describe(focus), message,
                          index.files_of(focus), _show(value) if value is not None else None)
                for focus, message, value, _ in rows]
    return out


def _check_row(check, names: set[str], row) -> tuple:
    """(focus, message, value, group) of one row of a check query."""
    def get(name):
        return row[name] if name in names and row[name] is not None else None

    message = get("message")
    group = get("group")
    return row["focus"], message.value if message is not None else check.title, get("value"), \
        group.value if group is not None else None


def _grouped(rows: Iterable[tuple]) -> list[tuple]:
    """One violation per (member, other member) of every group holding two or more resources."""
    groups: dict[str, dict] = defaultdict(dict)
    for focus, message, value, group in rows:
        groups[group].setdefault(focus, (message, value))
    out = []
    for members in groups.values():
        if len(members) < 2:
            continue
        for focus, (message, value) in members.items():
            out += [(focus, message.replace("{other}", other.value), value, None)
                    for other in members if other != focus]
    return out


_EVIDENCE_QUOTES = """
PREFIX ced: <https://w3id.org/cedkg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?evidence ?quote ?copy ?g WHERE {
  ?evidence ced:quote ?quote ; prov:hadPrimarySource ?src .
  GRAPH ?g { ?src ced:localCopy ?copy }
}"""


def quote_violations(store: Store, index: _NodeIndex) -> list[Violation]:
    """Every quote whose source has a local copy must be a verbatim substring of that copy.

    The copy named by ``ced:localCopy`` is looked up in the ``seeds/`` folder next to the
    data file that declares the source document.
    """
    from kgraph import seeds

    graph_dirs = {s.graph: s.path.parent / "seeds" for s in store.sources}
    texts: dict[tuple[Path, str], str | seeds.LocalCopyError] = {}
    out = []
    for row in store.query(_EVIDENCE_QUOTES):
        folder = graph_dirs.get(row["g"].value, bundle.seeds_dir())
        key = (folder, row["copy"].value)
        if key not in texts:
            try:
                texts[key] = seeds.read(*key)
            except seeds.LocalCopyError as e:
                texts[key] = e
        text = texts[key]
        path = folder / row["copy"].value
        evidence = row["evidence"]
        if isinstance(text, seeds.LocalCopyError):
            out.append(Violation("QuoteVerbatim", index.describe(evidence), str(text).replace(str(path), _display(path)),
                                 index.files_of(evidence)))
        elif row["quote"].value not in text:
            out.append(Violation("QuoteVerbatim", index.describe(evidence),
                                 f"quote is not a verbatim substring of {_display(path)}: copy it exactly",
                                 index.files_of(evidence), _clip(row["quote"].value)))
    return out


class _NodeIndex:
    """Which file describes a node, and how to name a blank node (by the IRI pointing to it)."""

    def __init__(self, store: Store):
        self._store = store
        self._paths = {s.graph: _display(s.path) for s in store.sources}

    @cached_property
    def _maps(self):
        subject_graphs: dict[object, set[str]] = defaultdict(set)
        parent: dict[object, tuple[object, str]] = {}
        for q in self._store.quads():
            if q.graph_name == _DERIVED:  # kgraph's own, no file to name
                continue
            g = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
            subject_graphs[q.subject].add(g)
            if isinstance(q.object, ox.BlankNode):
                parent[q.object] = (q.subject, q.predicate.value)
        return subject_graphs, parent

    def files_of(self, node) -> tuple[str, ...]:
        subject_graphs, parent = self._maps
        seen = set()
        while isinstance(node, ox.BlankNode) and node not in subject_graphs and node in parent and node not in seen:
            seen.add(node)
            node = parent[node][0]
        return tuple(sorted(self._paths.get(g, g or "(default graph)") for g in subject_graphs.get(node, ())))

    def describe(self, node) -> str:
        if not isinstance(node, ox.BlankNode):
            return _show(node)
        _, parent = self._maps
        path, seen = [], set()
        while isinstance(node, ox.BlankNode) and node in parent and node not in seen:
            seen.add(node)
            node, predicate = parent[node]
            path.append(compact(predicate))
        if isinstance(node, ox.BlankNode):
            return "[blank node]"
        return f"{_show(node)} / " + " / ".join(reversed(path))


def _show(term) -> str:
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.Literal):
        return _clip(term.value)
    return "[blank node]"


def _clip(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _display(path: Path) -> str:
    """A path relative to the working directory when it is below it, else absolute."""
    try:
        rel = os.path.relpath(path)
        return rel if not rel.startswith("..") else str(path)
    except ValueError:
        return str(path)


def sources_paths(sources: Iterable[Source]) -> list[str]:
    return [_display(s.path) for s in sources]
