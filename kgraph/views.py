"""The graphs users draw and export: flows, partnerships, events, or all of them.

Each view is a networkx MultiDiGraph whose node and edge attributes are plain strings and
numbers, so the same graph feeds the interactive page (kgraph.viz) and the GraphML, GEXF
and CSV exports (kgraph.export) unchanged.

Node attributes: ``label``, ``nodeType`` (its class, e.g. Network, Conference), ``place``,
``group`` (South/North/unknown), ``date`` (events), ``founded`` (schema:foundingDate of agents). Edge attributes: ``relation`` (a flow
kind such as ``cedkind:facilitation``, or partner / facilitator / funder / attended),
``relationLabel``, ``weight``, ``status``, ``dates``, ``evidence`` (quotes with their
sources) and ``reciprocal`` (true when flows also run the other way between the two nodes).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from kgraph import network, queries
from kgraph.namespaces import compact
from kgraph.results import Solutions, collect, python_value

VIEWS = ("flows", "partnerships", "events", "all")
ROLE_LABELS = {"partner-of": "partner", "facilitates": "facilitator", "funds": "funder", "runs": "runs",
               "has-unit": "has unit"}


@dataclass
class ViewData:
    """The projection rows plus one row per flow (with its quote) for tooltips."""

    graph: network.GraphData
    flows: Solutions


def fetch(backend, *, since=None, until=None, status=None, keep_persons=False, lang="en") -> ViewData:
    """Run the queries the views need on *backend* (store or endpoint)."""
    q = queries.find("flows")
    params = {"rollup": "false" if keep_persons else "true"}
    params.update({k: v for k, v in (("since", since), ("until", until)) if v})
    if status:
        params["status"] = status
    flows = collect(backend.query(q.text, bindings=queries.bind(q, params, lang=lang)))
    graph = network.fetch(backend, since=since, until=until, status=status, keep_persons=keep_persons, lang=lang)
    return ViewData(graph, flows)


def view_graph(backend, view: str = "all", *, kinds: str = "all", status: str | None = None, since: str | None = None,
               until: str | None = None, keep_persons: bool = False, query: str | None = None,
               params: Mapping[str, str] | None = None, lang: str = "en"):
    """Fetch the view data from *backend* (store or endpoint) and build the view graph.

    *kinds* is written as ``--kinds`` is (knowledge, resource, all, or kind names); *query*
    (a named query or .rq file, with *params*) keeps only the resources it returns.
    Returns (graph, data, notes).

    :raises UsageError: for *params* without *query*, or an ASK *query*.
    """
    from kgraph.analysis import kinds_option
    from kgraph.errors import UsageError

    data = fetch(backend, since=since, until=until, status=status, keep_persons=keep_persons, lang=lang)
    g = build(data, view, kinds=kinds_option(kinds))
    notes = []
    if query:
        keep = _query_nodes(backend, query, dict(params or {}), lang)
        before = g.number_of_nodes()
        g = g.subgraph([n for n in g if n in keep]).copy()
        notes.append(f"--query {query} kept {g.number_of_nodes()} of {before} nodes.")
    elif params:
        raise UsageError("--param applies to --query; give --query NAME too")
    return g, data, notes


def _query_nodes(backend, name: str, params: Mapping[str, str], lang: str) -> set[str]:
    from kgraph.errors import UsageError

    q = queries.find(name)
    result = collect(backend.query(q.text, bindings=queries.bind(q, params, lang=lang)))
    if isinstance(result, bool):
        raise UsageError(f"--query {name}: an ASK query selects nothing to draw; use SELECT or CONSTRUCT")
    terms = ([t for tr in result for t in (tr.subject, tr.object)] if isinstance(result, list)
             else [t for row in result.rows for t in row])
    return {compact(t.value) for t in terms if t is not None and type(t).__name__ == "NamedNode"}


def build(data: ViewData, view: str, *, kinds: Collection[str] | None = (network.KNOWLEDGE,), top_of=None):
    """The MultiDiGraph of *view* (flows, partnerships, events or all)."""
    import networkx as nx

    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}: use one of {', '.join(VIEWS)}")
    g = nx.MultiDiGraph()
    if view in ("flows", "all"):
        _add_flows(g, data, kinds, top_of or _kind_tops(data))
    if view in ("partnerships", "all"):
        _add_partnerships(g, data)
    if view in ("events", "all"):
        _add_events(g, data)
    if view == "all":
        g.add_nodes_from(compact(r["agent"].value) for r in data.graph.agents.dicts())
    attrs = network.node_attributes(data.graph)
    founded = founding_dates(data.graph)
    for n, d in g.nodes(data=True):
        base = attrs.get(n, {})
        d.setdefault("label", base.get("label") or n)
        d.setdefault("nodeType", base.get("kind") or "Organisation")
        d.setdefault("place", base.get("place", ""))
        d.setdefault("group", base.get("group", "unknown"))
        d.setdefault("date", "")
        d.setdefault("founded", founded.get(n, ""))
        for key in list(d):
            if d[key] is None:
                d[key] = ""
    return g


def founding_dates(data: network.GraphData) -> dict[str, str]:
    """Each agent's schema:foundingDate (the organisations query's ``founded``), for those that have one."""
    return {compact(r["agent"].value): str(r["founded"].value) for r in data.agents.dicts() if r.get("founded")}


def _kind_tops(data: ViewData) -> dict[str, str]:
    return {compact(r["kind"].value): compact(r["top"].value) for r in data.graph.flow_edges.dicts()}


def _add_flows(g, data: ViewData, kinds, tops) -> None:
    grouped: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for row in data.flows.dicts():
        kind = compact(row["kind"].value)
        if kinds is not None and kind not in kinds and tops.get(kind) not in kinds:
            continue
        s, t = compact(row["source"].value), compact(row["target"].value)
        if s == t:
            continue
        grouped[(s, t, kind)].append(row)
        for node, label in ((s, row["sourceLabel"]), (t, row["targetLabel"])):
            if node not in g:
                g.add_node(node, label=_text(label))
    pairs = {(s, t) for s, t, _ in grouped}
    for (s, t, kind), rows in sorted(grouped.items()):
        rows.sort(key=lambda r: (_text(r["date"]), r["flow"].value))
        g.add_edge(s, t, key=kind, relation=kind, relationLabel=_text(rows[0]["kindLabel"]), weight=len(rows),
                   status="; ".join(sorted({_text(r["statusLabel"]) for r in rows})),
                   dates="; ".join(sorted({_text(r["date"]) for r in rows if r["date"] is not None})),
                   evidence="\n".join(_evidence_line(r) for r in rows),
                   reciprocal=(t, s) in pairs)


def _evidence_line(row: dict) -> str:
    parts = [_text(row["flowLabel"])]
    if row["date"] is not None:
        parts.append(f"({_text(row['date'])})")
    if row["statusLabel"] is not None and _text(row["statusLabel"]).lower() in ("planned", "called for"):
        parts.append(f"[{_text(row['statusLabel']).lower()}]")
    line = " ".join(parts)
    if row["quote"] is not None:
        line += f': “{_text(row["quote"])}”'
        if row["document"] is not None:
            line += f" — {_text(row['document'])}"
    return line


def _add_partnerships(g, data: ViewData) -> None:
    for row in data.graph.tie_edges.dicts():
        relation = row["relation"].value
        if relation not in ROLE_LABELS:
            continue
        agent, via = compact(row["source"].value), compact(row["via"].value)
        g.add_node(agent)
        if via not in g:
            g.add_node(via, label=_text(row["viaLabel"]), nodeType=_text(row["viaClass"]) or "Organisation")
        if not g.has_edge(agent, via, key=relation):
            role = ROLE_LABELS[relation]
            g.add_edge(agent, via, key=relation, relation=role, relationLabel=role, weight=1, status="", dates="",
                       evidence="", reciprocal=False)


def _add_events(g, data: ViewData) -> None:
    for row in data.graph.attendance.dicts():
        event, agent = compact(row["event"].value), compact(row["agent"].value)
        g.add_node(event, label=_text(row["eventLabel"]), nodeType=_text(row["eventClass"]) or "Event",
                   date=_text(row["date"]), group="event", place="")
        g.add_node(agent)
        g.add_edge(agent, event, key="attended", relation="attended", relationLabel="attended", weight=1,
                   status="", dates=_text(row["date"]), evidence="", reciprocal=False)


def _text(term) -> str:
    value = python_value(term)
    return "" if value is None else str(value)
