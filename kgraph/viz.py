"""One self-contained, offline HTML page of a view graph (pyvis / vis-network).

The page inlines vis-network's JavaScript and CSS (shipped with pyvis) and links nothing:
it opens with no network. Every piece of data that reaches a tooltip is HTML-escaped here;
labels are drawn on a canvas and set as text elsewhere; the JSON holding the graph is
escaped so that no value can close its <script> element.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from kgraph import __version__

DIRECT_BUILD_ABOVE = 2000  # pyvis's add_node/add_edge are quadratic: fill its lists directly above this
FREEZE_ABOVE = 1000  # stop the physics simulation once stabilised above this many nodes

PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#86bcb6", "#d37295", "#8cd17d", "#499894", "#f1ce63", "#a0cbe8", "#fabfd2",
           "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#17becf", "#bcbd22")
GROUP_COLOURS = {"North": "#4e79a7", "South": "#e15759", "unknown": "#bab0ac", "event": "#f1ce63"}
STRUCTURAL_COLOURS = {"partner": "#555555", "facilitator": "#8c564b", "funder": "#2ca02c", "runs": "#7f7f7f",
                      "has unit": "#c7c7c7", "attended": "#bcbd22"}
EVENT_TYPES = {"Conference", "Mission", "Tour", "Roundtable consultation", "Interview", "Focus group", "Seminar", "Event"}
SIZES = ("degree", "flows", "betweenness")
COLOURS = ("class", "country", "north-south")


@dataclass
class Page:
    """What a render produced: the HTML and what the user should be told."""

    html: str
    nodes: int
    edges: int
    notes: list[str] = field(default_factory=list)


def draw(g, data, *, title: str = "kgraph", lang: str = "en", color_by: str = "class", size_by: str = "degree",
         max_nodes: int | None = None) -> Page:
    """Render view graph *g* built from *data* (see kgraph.views.view_graph), with the
    summary line and, for ``size_by="betweenness"``, betweenness on the flow graph."""
    from kgraph import metrics, network

    between = None
    if size_by == "betweenness":
        between, _ = metrics.betweenness(network.flow_graph(data.graph, kinds=None))
    flows = sum(int(d["weight"]) for _, _, d in g.edges(data=True) if str(d["relation"]).startswith("cedkind:"))
    summary = f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges, {flows} flows."
    return render(g, title=title, lang=lang, color_by=color_by, size_by=size_by, betweenness=between,
                  max_nodes=max_nodes, summary=summary)


def render(g, *, title: str = "kgraph", lang: str = "en", color_by: str = "class", size_by: str = "degree",
           betweenness: Mapping[str, float] | None = None, max_nodes: int | None = None,
           summary: str = "") -> Page:
    """Render view graph *g* (see kgraph.views) as one self-contained HTML page."""
    notes: list[str] = []
    score = _sizes(g, size_by, betweenness)
    if max_nodes is not None and g.number_of_nodes() > max_nodes:
        keep = sorted(g, key=lambda n: (-score[n], n))[:max_nodes]
        notes.append(f"Showing the {max_nodes} nodes with the highest {size_by} of {g.number_of_nodes()}.")
        g = g.subgraph(keep).copy()
    colour_of, legend_nodes = _node_colours(g, color_by)
    big = g.number_of_nodes() > DIRECT_BUILD_ABOVE
    top = max((score[n] for n in g), default=1) or 1
    nodes = [_node(n, d, colour_of(n, d), score[n], top) for n, d in g.nodes(data=True)]
    edge_colour, legend_edges = _edge_colours(g)
    edges = [_edge(u, v, d, edge_colour) for u, v, d in g.edges(data=True)]
    net = _pyvis(nodes, edges, direct=big)
    data = {"nodes": net.nodes, "edges": net.edges, "freezeAfterStabilising": g.number_of_nodes() > FREEZE_ABOVE}
    if big:
        notes.append("Large graph: physics stops once the layout has stabilised.")
    page = _template().replace("@@VIS_CSS@@", _vis_asset("vis-network.css"))
    page = page.replace("@@VIS_JS@@", _vis_asset("vis-network.min.js"))
    page = page.replace("@@EXPLORER_JS@@", _template("explorer.js"))
    fills = {
        "@@LANG@@": html.escape(lang), "@@VERSION@@": html.escape(__version__), "@@TITLE@@": html.escape(title),
        "@@SUMMARY@@": html.escape(summary or f"{len(nodes)} nodes, {len(edges)} edges."),
        "@@LEGEND@@": _legend(legend_nodes, legend_edges, color_by),
        "@@NOTES@@": "".join(f'<p class="note">{html.escape(n)}</p>' for n in notes),
        "@@DATA@@": script_json(data), "@@OPTIONS@@": script_json(_options(big)),
    }
    for marker, value in fills.items():
        page = page.replace(marker, value)
    return Page(page, len(nodes), len(edges), notes)


def script_json(value: object) -> str:
    """JSON that is safe inside <script>: '<', '>', '&' and line separators escaped.

    >>> script_json({"x": "</script><b>"})
    '{"x": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _sizes(g, size_by: str, betweenness: Mapping[str, float] | None) -> dict[str, float]:
    if size_by == "degree":
        return {n: float(g.degree(n)) for n in g}
    if size_by == "flows":
        return {n: float(sum(d["weight"] for _, _, d in g.in_edges(n, data=True) if d["relation"].startswith("cedkind:"))
                         + sum(d["weight"] for _, _, d in g.out_edges(n, data=True) if d["relation"].startswith("cedkind:")))
                for n in g}
    if size_by == "betweenness":
        return {n: float((betweenness or {}).get(n, 0.0)) for n in g}
    raise ValueError(f"unknown size measure {size_by!r}: use one of {', '.join(SIZES)}")


def _category(d: Mapping[str, object], color_by: str) -> str:
    if color_by == "class":
        return str(d.get("nodeType") or "Organisation")
    if color_by == "country":
        return str(d.get("place") or ("event" if d.get("nodeType") in EVENT_TYPES else "unknown"))
    return str(d.get("group") or "unknown")


def _node_colours(g, color_by: str):
    cats = sorted({_category(d, color_by) for _, d in g.nodes(data=True)})
    if color_by == "north-south":
        colours = {c: GROUP_COLOURS.get(c, "#bab0ac") for c in cats}
    else:
        colours = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(cats)}
    return (lambda n, d: colours[_category(d, color_by)]), colours


def _shape(d: Mapping[str, object]) -> str:
    kind = str(d.get("nodeType") or "")
    if kind in EVENT_TYPES:
        return "diamond"
    return {"Partnership": "star", "Research study": "square", "Collective agent": "triangle",
            "Person": "ellipse", "Programme": "hexagon"}.get(kind, "dot")


def _node(n: str, d: Mapping[str, object], colour: str, score: float, top: float) -> dict:
    label = str(d.get("label") or n)
    rows = [("type", d.get("nodeType")), ("place", d.get("place")), ("group", d.get("group")), ("date", d.get("date")),
            ("founded", d.get("founded")), ("id", n)]
    e = html.escape
    title = f"<b>{e(label)}</b>" + "".join(f"<br>{e(k)}: {e(str(v))}" for k, v in rows if v)
    info = label + "".join(f"\n{k}: {v}" for k, v in rows if v)
    return {"id": n, "label": label, "title": title, "info": info, "color": colour, "shape": _shape(d),
            "size": 10 + 30 * (score / top if top else 0), "group_": str(d.get("group") or "unknown"),
            "class_": str(d.get("nodeType") or "Organisation"), "year": _year(d.get("date")),
            "years": _years(d.get("date")), "founded": _year(d.get("founded"))}


def _year(dates: object) -> int | None:
    """The earliest year in a date or a '; '-separated list of dates (None when undated).

    >>> _year("2007-04-12; 2005-06")
    2005
    """
    found = _years(dates)
    return found[0] if found else None


def _years(dates: object) -> list[int]:
    """Every year in a date or a '; '-separated list of dates, sorted, for the year range and play."""
    return sorted({int(x.strip()[:4]) for x in str(dates or "").split(";") if x.strip()[:4].isdigit()})


def _edge_colours(g):
    flow_kinds = sorted({(d["relation"], d["relationLabel"]) for _, _, d in g.edges(data=True)
                         if d["relation"].startswith("cedkind:")})
    colours = {k: PALETTE[i % len(PALETTE)] for i, (k, _) in enumerate(flow_kinds)}
    colours.update(STRUCTURAL_COLOURS)
    legend = [(label, colours[k]) for k, label in flow_kinds]
    legend += sorted({(d["relation"], STRUCTURAL_COLOURS[d["relation"]]) for _, _, d in g.edges(data=True)
                      if d["relation"] in STRUCTURAL_COLOURS})
    return colours, legend


def _edge(u: str, v: str, d: Mapping[str, object], colours: Mapping[str, str]) -> dict:
    e = html.escape
    is_flow = str(d["relation"]).startswith("cedkind:")
    planned_only = d.get("status") in ("Planned", "Called for")
    head = f"<b>{e(str(d['relationLabel']))}</b>"
    if is_flow:
        head += f" × {d['weight']}" + (" — two-way pair" if d.get("reciprocal") else " — one-way")
    lines = [line for line in str(d.get("evidence") or "").split("\n") if line]
    title = head + "".join(f"<br>• {e(line)}" for line in lines)
    info = f"{d['relationLabel']}: {u} → {v}" + "".join(f"\n• {line}" for line in lines)
    edge = {"from": u, "to": v, "title": title, "info": info, "arrows": "to", "year": _year(d.get("dates")),
            "years": _years(d.get("dates")),
            "kind": str(d["relationLabel"]) if is_flow else "tie", "status": str(d.get("status") or ""),
            "color": {"color": colours.get(str(d["relation"]), "#999999"), "opacity": 0.45 if planned_only else 1.0},
            "width": 1 + 1.5 * min(float(d.get("weight") or 1), 6)}
    if is_flow:
        edge["dashes"] = not d.get("reciprocal")
        edge["smooth"] = {"type": "curvedCW", "roundness": 0.2}
    return edge


def _pyvis(nodes: list[dict], edges: list[dict], *, direct: bool):
    from pyvis.network import Network

    net = Network(directed=True)
    if direct:
        net.nodes = nodes
        net.node_ids = [n["id"] for n in nodes]
        net.edges = edges
        return net
    for n in nodes:
        net.add_node(n["id"], **{k: v for k, v in n.items() if k != "id"})
    for ed in edges:
        net.add_edge(ed["from"], ed["to"], **{k: v for k, v in ed.items() if k not in ("from", "to")})
    return net


def _options(big: bool) -> dict:
    return {
        "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "multiselect": True},
        "physics": {"solver": "forceAtlas2Based", "stabilization": {"iterations": 150 if big else 400, "fit": True},
                    "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120}},
        "nodes": {"font": {"size": 14}, "borderWidth": 1, "widthConstraint": {"maximum": 170}},
        "edges": {"arrows": {"to": {"scaleFactor": 0.6}}, "selectionWidth": 2},
    }


def _legend(nodes: Mapping[str, str], edges: list[tuple[str, str]], color_by: str) -> str:
    e = html.escape
    heading = {"class": "Node colour: kind", "country": "Node colour: country", "north-south": "Node colour: North / South"}
    parts = [f"<p>{e(heading[color_by])}</p><ul class=\"legend\">"]
    parts += [f'<li><span class="swatch" style="background:{c}"></span>{e(name)}</li>' for name, c in nodes.items()]
    parts.append("</ul><p>Shapes: ● organisation, ▲ unnamed group, ★ partnership, ⬢ programme, ◆ event, ■ study</p>")
    if edges:
        parts.append('<p>Edge colour: what flows or ties</p><ul class="legend">')
        parts += [f'<li><span class="line" style="border-color:{c}"></span>{e(name)}</li>' for name, c in edges]
        parts.append("</ul>")
    parts.append('<ul class="legend"><li><span class="line" style="border-color:#666"></span>flows run both ways '
                 '(two-way pair)</li><li><span class="line dashed" style="border-color:#666"></span>one-way</li>'
                 '<li><span class="line" style="border-color:#6668"></span>faded: planned or called for only</li></ul>')
    return "".join(parts)


def _template(name: str = "viz.html") -> str:
    return resources.files("kgraph").joinpath("templates", name).read_text(encoding="utf-8")


def _vis_asset(name: str) -> str:
    import pyvis

    return (Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")
