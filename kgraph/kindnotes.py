"""Saying when a data file's flows are all of kinds a command leaves out (an IATI import
holds funding flows only, and metrics count knowledge flows by default), naming the option
that shows them, so an import never looks as if it were not there."""

from __future__ import annotations

from collections.abc import Collection

from kgraph import queries
from kgraph.namespaces import compact
from kgraph.results import collect


def hidden_flows(backend, graphs: Collection[str], kinds: Collection[str] | None) -> dict[str, dict[str, int]]:
    """For each named graph of *graphs* that holds flows but none of *kinds* (kind or top concept,
    prefixed names; None is every kind): its flows per top concept."""
    if kinds is None or not graphs:
        return {}
    q = queries.find("flow-kinds-by-graph")
    rows = collect(backend.query(q.text, bindings=queries.bind(q, {}))).dicts()
    shown: set[str] = set()
    per_graph: dict[str, dict[str, int]] = {}
    for row in rows:
        graph = row["graph"].value
        if graph not in graphs:
            continue
        kind, top = compact(row["kind"].value), compact(row["top"].value)
        if kind in kinds or top in kinds:
            shown.add(graph)
        tops = per_graph.setdefault(graph, {})
        tops[top] = tops.get(top, 0) + int(row["flows"].value)
    return {g: tops for g, tops in per_graph.items() if g not in shown}


def notes(backend, sources, kinds: Collection[str] | None, option: str) -> list[str]:
    """One line per user data file (*sources*) whose flows are all left out by *kinds*."""
    by_graph = {s.graph: s.path for s in sources}
    out = []
    for graph, tops in hidden_flows(backend, by_graph, kinds).items():
        held = ", ".join(f"{n} {top.split(':')[-1]}" for top, n in sorted(tops.items()))
        wanted = " or ".join(sorted({top.split(":")[-1] for top in tops}))
        out.append(f"{by_graph[graph]} holds flows of other kinds only ({held}), which this leaves out: "
                   f"add {option.format(kinds=wanted)} to include them")
    return out
