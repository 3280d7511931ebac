"""The metrics tables (network, node, pair levels) and their RDF form.

Pure assembly: takes the projected graphs (kgraph.network) and measures (kgraph.metrics) and
returns rows, so the CLI, the report and notebooks all print the same numbers.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgraph import metrics, network
from kgraph.namespaces import PREFIXES, XSD, iri_of
from kgraph.results import round_number

LEVELS = ("network", "node", "pair")
METRIC = PREFIXES["cedmetric"]


@dataclass
class Table:
    """Column names and rows of plain values (str, int, float, bool or None)."""

    columns: list[str]
    rows: list[list[object]]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Settings:
    """The projection parameters a metrics run used (recorded with its RDF output)."""

    kinds: tuple[str, ...] | None = (network.KNOWLEDGE,)
    since: str | None = None
    until: str | None = None
    status: str | None = "occurred"
    group_by: str = "north-south"
    keep_persons: bool = False
    currency: str | None = None  # weigh edges by the net amount in this currency instead of flow counts

    def weight_note(self) -> list[str]:
        return [f"edges weighed by the net amount in {self.currency} the flows moved, not by their number "
                "(flowsAB, outFlows and the like are amounts)"] if self.currency else []


def network_table(data: network.GraphData, s: Settings) -> Table:
    """One row per network-level measure, then one row per cell of the mixing matrix."""
    g = network.flow_graph(data, kinds=s.kinds, currency=s.currency)
    r = metrics.reciprocity(g)
    attr = "group" if s.group_by == "north-south" else "place"
    mix = metrics.mixing(g, attr)
    rows = [
        ["nodes", g.number_of_nodes()], ["edges", g.number_of_edges()],
        ["flows", int(g.size(weight="weight"))], ["dyads", r["dyads"]], ["mutualDyads", r["mutual_dyads"]],
        ["edgeReciprocity", r["edge"]], ["dyadReciprocity", r["dyad"]], ["weightedReciprocity", r["weighted"]],
    ]
    if s.group_by == "north-south":
        rows.append(["southToNorthShare", metrics.south_to_north_share(mix)])
    rows += [[f"flows {a} → {b}", n] for (a, b), n in mix.items()]
    return Table(["measure", "value"], rows, s.weight_note())


def node_table(data: network.GraphData, s: Settings) -> Table:
    """One row per agent: degrees, flows, balance, reciprocity, betweenness, constraint and
    brokerage roles (brokerage on the tie graph, grouped by *s.group_by*)."""
    g = network.flow_graph(data, kinds=s.kinds, currency=s.currency)
    ties = network.tie_graph(data)
    between, k = metrics.betweenness(g)
    cons = metrics.constraint(g)
    broker = metrics.brokerage(ties, metrics.groups_of(ties, s.group_by))
    groups = metrics.groups_of(g, s.group_by)
    tie_groups = metrics.groups_of(ties, s.group_by)
    columns = ["node", "label", "group", "outDegree", "inDegree", "outFlows", "inFlows", "balance", "reciprocity",
               "betweenness", "constraint", *metrics.ROLES]
    rows = []
    for n in sorted(set(g) | {n for n, roles in broker.items() if any(roles.values())}):
        in_flows = n in g
        roles = broker.get(n, dict.fromkeys(metrics.ROLES, 0))
        label = (g.nodes[n] if in_flows else ties.nodes[n]).get("label", n)
        group = groups.get(n) or tie_groups.get(n, "unknown")
        rows.append([
            n, label, group,
            g.out_degree(n) if in_flows else 0, g.in_degree(n) if in_flows else 0,
            int(g.out_degree(n, weight="weight")) if in_flows else 0, int(g.in_degree(n, weight="weight")) if in_flows else 0,
            metrics.node_balance(g, n) if in_flows else None, metrics.node_reciprocity(g, n) if in_flows else None,
            between.get(n), cons.get(n), *(roles[role] for role in metrics.ROLES)])
    notes = [f"betweenness estimated from {k} sampled pivots (more than {metrics.SAMPLE_ABOVE} nodes)"] if k else []
    return Table(columns, rows, notes + s.weight_note())


def pair_table(data: network.GraphData, s: Settings) -> Table:
    """One row per pair with flows: both directions, balance, two-way index, co-attendance."""
    g = network.flow_graph(data, kinds=s.kinds, currency=s.currency)
    co = network.co_attendance(network.attendance_graph(data))
    rows = []
    for p in metrics.pairs(g):
        events = co[p.a][p.b]["weight"] if co.has_edge(p.a, p.b) else 0
        rows.append([p.a, g.nodes[p.a].get("label", p.a), p.b, g.nodes[p.b].get("label", p.b),
                     p.ab, p.ba, p.balance, p.two_way, events])
    return Table(["a", "aLabel", "b", "bLabel", "flowsAB", "flowsBA", "balance", "twoWayIndex", "coAttendance"], rows,
                 s.weight_note())


def table(data: network.GraphData, level: str, s: Settings) -> Table:
    return {"network": network_table, "node": node_table, "pair": pair_table}[level](data, s)


def to_rdf(data: network.GraphData, s: Settings) -> list[ox.Triple]:
    """All three levels as RDF in the cedmetric: vocabulary (blank measurement nodes)."""
    m = lambda local: ox.NamedNode(METRIC + local)  # noqa: E731
    rdf_type = ox.NamedNode(PREFIXES["rdf"] + "type")
    run = ox.BlankNode()
    out = [ox.Triple(run, rdf_type, m("Run")),
           ox.Triple(run, m("kinds"), ox.Literal(" ".join(s.kinds) if s.kinds else "all")),
           ox.Triple(run, m("status"), ox.Literal(s.status or "all")),
           ox.Triple(run, m("groupBy"), ox.Literal(s.group_by))]
    if s.currency:
        out.append(ox.Triple(run, m("weightCurrency"), ox.Literal(s.currency)))
    out += [ox.Triple(run, m(k), ox.Literal(v)) for k, v in (("since", s.since), ("until", s.until)) if v]

    net = ox.BlankNode()
    out += [ox.Triple(net, rdf_type, m("NetworkMeasurement")), ox.Triple(net, m("run"), run)]
    for measure, value in network_table(data, s).rows:
        if measure.startswith("flows ") and "→" in measure:
            a, b = measure[len("flows "):].split(" → ")
            cell = ox.BlankNode()
            out += [ox.Triple(cell, rdf_type, m("GroupFlow")), ox.Triple(cell, m("run"), run),
                    ox.Triple(cell, m("fromGroup"), ox.Literal(a)), ox.Triple(cell, m("toGroup"), ox.Literal(b)),
                    ox.Triple(cell, m("value"), _literal(value))]
        elif value is not None:
            out.append(ox.Triple(net, m(measure), _literal(value)))

    nodes = node_table(data, s)
    for row in nodes.rows:
        node = ox.BlankNode()
        out += [ox.Triple(node, rdf_type, m("NodeMeasurement")), ox.Triple(node, m("run"), run),
                ox.Triple(node, m("node"), ox.NamedNode(iri_of(row[0])))]
        out += [ox.Triple(node, m(col), _literal(v)) for col, v in zip(nodes.columns[2:], row[2:]) if v is not None]

    pairs = pair_table(data, s)
    for row in pairs.rows:
        pair = ox.BlankNode()
        out += [ox.Triple(pair, rdf_type, m("PairMeasurement")), ox.Triple(pair, m("run"), run),
                ox.Triple(pair, m("agentA"), ox.NamedNode(iri_of(row[0]))),
                ox.Triple(pair, m("agentB"), ox.NamedNode(iri_of(row[2])))]
        out += [ox.Triple(pair, m(col), _literal(v)) for col, v in zip(pairs.columns[4:], row[4:]) if v is not None]
    return out


def _literal(value: object) -> ox.Literal:
    if isinstance(value, bool):
        return ox.Literal(str(value).lower(), datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(XSD + "double"))
    return ox.Literal(str(value))


def kinds_option(value: str) -> tuple[str, ...] | None:
    """Parse ``--kinds``: 'knowledge' (default), 'resource', 'all', or comma-separated kind names."""
    if value.strip() == "all":
        return None
    out = []
    for part in value.split(","):
        part = part.strip()
        out.append(part if ":" in part else f"cedkind:{part}")
    return tuple(out)


def format_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return round_number(repr(value))
    return str(value)


def render(t: Table) -> str:
    """Aligned text table."""
    cells = [[format_cell(v) for v in row] for row in t.rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(t.columns)]
    line = lambda cs: "  ".join(c.ljust(w) for c, w in zip(cs, widths)).rstrip()  # noqa: E731
    return "\n".join([line(t.columns), line(["-" * w for w in widths]), *map(line, cells)]) + "\n"


def to_csv(t: Table) -> str:
    import io

    from kgraph.csvsafe import SafeWriter

    buf = io.StringIO()
    w = SafeWriter(buf)
    w.writerow(t.columns)
    w.writerows([["" if v is None else v for v in row] for row in t.rows])
    return buf.getvalue()


def to_json(t: Table) -> str:
    import json

    return json.dumps([dict(zip(t.columns, row)) for row in t.rows], ensure_ascii=False, indent=1) + "\n"


def fetch(backend, s: Settings, *, lang: str = "en", amounts: bool = False) -> network.GraphData:
    """Run the projection queries for *s* on *backend* (with *amounts*, the money flows moved
    too), refusing kinds no flow has.

    :raises UsageError: for a kind name no flow has (a typo, most likely).
    """
    data = network.fetch(backend, since=s.since, until=s.until, status=s.status, keep_persons=s.keep_persons,
                         lang=lang, amounts=amounts or s.currency is not None)
    unknown = kinds_known(s.kinds, data)
    if unknown:
        from kgraph.errors import UsageError

        raise UsageError(f"--kinds: no flow has kind {', '.join(unknown)}; use knowledge, resource, all, "
                         "or the kind names `kgraph query flow-edges` shows (e.g. facilitation,funding)")
    return data


def currency_for(data: network.GraphData, s: Settings, asked: str | None) -> str:
    """The one currency to weigh by: *asked* (if the flows of *s.kinds* have amounts in it),
    else the only one they have.

    :raises UsageError: when they have none, several (and none was asked), or not *asked*.
    """
    from kgraph.errors import UsageError

    found = network.amount_currencies(data, s.kinds)
    if asked and asked.upper() in found:
        return asked.upper()
    if not found:
        raise UsageError("--weight amount: none of these flows has an amount; weigh by --weight flows, or widen "
                         "--kinds/--status")
    if asked:
        raise UsageError(f"--currency {asked}: no amount of these flows is in it; they are in {', '.join(found)}")
    if len(found) > 1:
        raise UsageError(f"--weight amount: these flows are in {', '.join(found)}; pick one with --currency "
                         "(amounts in different currencies are never added)")
    return found[0]


def kinds_known(kinds: Collection[str] | None, data: network.GraphData) -> list[str]:
    """Kinds asked for that no flow has (to warn about typos)."""
    if kinds is None:
        return []
    from kgraph.namespaces import compact

    seen = {compact(r["kind"].value) for r in data.flow_edges.dicts()} | {compact(r["top"].value) for r in data.flow_edges.dicts()}
    return [k for k in kinds if k not in seen]
