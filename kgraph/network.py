"""Projections of the graph to networkx, as pure functions of query results.

:func:`fetch` runs the projection queries (``flow-edges``, ``tie-edges``,
``event-attendance``, ``organisations``, ``leadership``) on the embedded store or a SPARQL
endpoint; everything else here only transforms their rows, so analytics never need the
whole RDF graph in Python.

- the weighted **flow graph**: agent → agent, one edge per ordered pair, weight = number of
  flows (persons roll up to their organisation unless asked to keep them);
- the **tie graph**: flows of every kind plus structural ties (members running a programme,
  parents of units, funders and facilitators of what partners do), on which brokerage is
  measured: a facilitator only brokers if something reaches it and it reaches on;
- the **partnership graph** (undirected): partners, facilitators and funders of partnerships;
- the **attendance graph** (bipartite organisation–event) and its co-attendance projection.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from kgraph import queries
from kgraph.namespaces import compact
from kgraph.results import Solutions, collect, python_value

KNOWLEDGE, RESOURCE = "cedkind:knowledge", "cedkind:resource"


@dataclass
class GraphData:
    """The rows every projection is computed from."""

    flow_edges: Solutions
    tie_edges: Solutions
    attendance: Solutions
    agents: Solutions
    people: Solutions
    keep_persons: bool = False
    notes: list[str] = field(default_factory=list)
    flow_amounts: Solutions | None = None  # flow-amounts rows, fetched for weighting by amount
    _attrs: dict | None = field(default=None, init=False, repr=False, compare=False)


def fetch(backend, *, since: str | None = None, until: str | None = None, status: str | None = "occurred",
          keep_persons: bool = False, lang: str = "en", amounts: bool = False) -> GraphData:
    """Run the projection queries on *backend* (a Store or a RemoteStore).

    *status* is ``occurred``, ``planned``, ``called-for`` or None for all; *amounts* also
    fetches the money flows moved (``flow-amounts``), to weigh edges by.
    """
    def run(name: str, params: Mapping[str, str]) -> Solutions:
        q = queries.find(name)
        return collect(backend.query(q.text, bindings=queries.bind(q, params, lang=lang)))

    flow_params = {"rollup": "false" if keep_persons else "true"}
    if since:
        flow_params["since"] = since
    if until:
        flow_params["until"] = until
    if status:
        flow_params["status"] = status
    return GraphData(
        flow_edges=run("flow-edges", flow_params),
        tie_edges=run("tie-edges", {}),
        attendance=run("event-attendance", {"rollup": "false" if keep_persons else "true"}),
        agents=run("organisations", {}),
        people=run("leadership", {}),
        keep_persons=keep_persons,
        flow_amounts=run("flow-amounts", flow_params) if amounts else None,
    )


def node_attributes(data: GraphData) -> dict[str, dict[str, object]]:
    """Label, kind, place and North/South group of every agent (persons take their
    organisation's place and group). Computed once per *data* (every graph below uses it);
    callers copy what they take from it."""
    if data._attrs is not None:
        return data._attrs
    attrs: dict[str, dict[str, object]] = {}
    for row in data.agents.dicts():
        attrs[compact(row["agent"].value)] = {
            "label": _text(row["agentLabel"]), "kind": _text(row["kind"]),
            "place": _text(row["place"]), "group": _text(row["group"]) or "unknown"}
    for row in data.people.dicts():
        person, org = compact(row["person"].value), compact(row["organisation"].value)
        if person not in attrs or row["heads"].value == "true":
            base = attrs.get(org, {})
            attrs[person] = {"label": _text(row["personLabel"]), "kind": "Person", "organisation": org,
                             "place": base.get("place", ""), "group": base.get("group", "unknown")}
    data._attrs = attrs
    return attrs


def flow_graph(data: GraphData, *, kinds: Collection[str] | None = (KNOWLEDGE,), currency: str | None = None):
    """Weighted DiGraph of flows: one edge per ordered pair, weight = number of flows (or,
    with *currency*, the net amount in that currency the pair's flows moved; pairs whose flows
    moved none, or a net amount of zero or less, have no edge then).

    *kinds* keeps flows whose kind or top concept is in it (prefixed names, e.g.
    ``cedkind:knowledge``, ``cedkind:funding``); None keeps every kind. Self-loops (a person's
    flow to their own organisation) are dropped. Edges carry ``weight`` and ``kinds`` (flow
    counts, or amounts, per kind).
    """
    import networkx as nx

    g = nx.DiGraph()
    attrs = node_attributes(data)
    rows = data.flow_edges.dicts() if currency is None else [
        r for r in (data.flow_amounts.dicts() if data.flow_amounts is not None else []) if r["currency"].value == currency]
    for row in rows:
        kind, top = compact(row["kind"].value), compact(row["top"].value)
        if kinds is not None and kind not in kinds and top not in kinds:
            continue
        s, t = compact(row["source"].value), compact(row["target"].value)
        if s == t:
            continue
        n = int(row["flows"].value) if currency is None else float(row["amount"].value)
        for node, label in ((s, row.get("sourceLabel")), (t, row.get("targetLabel"))):
            if node not in g:
                g.add_node(node, **{"label": _text(label) or node, "kind": "", "place": "", "group": "unknown",
                                    **attrs.get(node, {})})
        if g.has_edge(s, t):
            g[s][t]["weight"] += n
            g[s][t]["kinds"][kind] = g[s][t]["kinds"].get(kind, 0) + n
        else:
            g.add_edge(s, t, weight=n, kinds={kind: n})
    if currency is not None:
        g.remove_edges_from([(u, v) for u, v, w in g.edges(data="weight") if w <= 0])
        g.remove_nodes_from([n for n in list(g) if g.degree(n) == 0])
    return g


def amount_currencies(data: GraphData, kinds: Collection[str] | None) -> list[str]:
    """The currencies the amounts of flows of *kinds* are in (sorted)."""
    found = set()
    for row in data.flow_amounts.dicts() if data.flow_amounts is not None else []:
        kind, top = compact(row["kind"].value), compact(row["top"].value)
        if kinds is None or kind in kinds or top in kinds:
            found.add(row["currency"].value)
    return sorted(found)


def tie_graph(data: GraphData):
    """DiGraph of flows of every kind plus structural ties (runs, has-unit, funds, facilitates).

    Edges carry ``relations``: the set of flow kinds and tie relations behind them.
    """
    g = flow_graph(data, kinds=None)
    for u, v, d in g.edges(data=True):
        d["relations"] = set(d["kinds"])
    attrs = node_attributes(data)
    for row in data.tie_edges.dicts():
        relation = row["relation"].value
        if relation == "partner-of":
            continue
        s, t = compact(row["source"].value), compact(row["target"].value)
        _add_nodes(g, attrs, s, t)
        if g.has_edge(s, t):
            g[s][t]["relations"].add(relation)
        else:
            g.add_edge(s, t, weight=1, kinds={}, relations={relation})
    return g


def _add_nodes(g, attrs: dict[str, dict[str, object]], *nodes: str) -> None:
    """Add the *nodes* *g* lacks, with their attributes (defaults where the data has none)."""
    for node in nodes:
        if node not in g:
            g.add_node(node, **{"label": node, "kind": "", "place": "", "group": "unknown", **attrs.get(node, {})})


def partnership_graph(data: GraphData):
    """Undirected graph of partnership ties: partners, facilitators and funders; edges carry
    ``relations`` and ``via`` (the partnerships, studies or programmes behind them)."""
    import networkx as nx

    g = nx.Graph()
    attrs = node_attributes(data)
    for row in data.tie_edges.dicts():
        relation = row["relation"].value
        if relation not in ("partner-of", "facilitates", "funds"):
            continue
        s, t = compact(row["source"].value), compact(row["target"].value)
        _add_nodes(g, attrs, s, t)
        if g.has_edge(s, t):
            g[s][t]["relations"].add(relation)
            g[s][t]["via"].add(compact(row["via"].value))
        else:
            g.add_edge(s, t, relations={relation}, via={compact(row["via"].value)})
    return g


def attendance_graph(data: GraphData):
    """Bipartite graph: agents (bipartite=0) and the events they attended (bipartite=1)."""
    import networkx as nx

    g = nx.Graph()
    attrs = node_attributes(data)
    for row in data.attendance.dicts():
        event, agent = compact(row["event"].value), compact(row["agent"].value)
        g.add_node(event, bipartite=1, label=_text(row["eventLabel"]), date=_text(row["date"]), kind="Event")
        if agent not in g:
            g.add_node(agent, bipartite=0, **{"label": agent, "kind": "", "group": "unknown", **attrs.get(agent, {})})
        g.add_edge(agent, event)
    return g


def co_attendance(bipartite):
    """Agent–agent graph: weight = number of events both attended; ``events`` lists them."""
    import networkx as nx

    agents = [n for n, d in bipartite.nodes(data=True) if d.get("bipartite") == 0]
    g = nx.Graph()
    g.add_nodes_from((n, bipartite.nodes[n]) for n in agents)
    events = sorted(n for n, d in bipartite.nodes(data=True) if d.get("bipartite") == 1)
    for event in events:
        present = sorted(bipartite.neighbors(event))
        for i, a in enumerate(present):
            for b in present[i + 1:]:
                if g.has_edge(a, b):
                    g[a][b]["weight"] += 1
                    g[a][b]["events"].append(event)
                else:
                    g.add_edge(a, b, weight=1, events=[event])
    return g


def _text(term) -> str:
    value = python_value(term)
    return "" if value is None else str(value)
