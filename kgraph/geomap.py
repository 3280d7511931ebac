"""The map: agents at their places' coordinates, flows as arcs between them (kgraph viz --view map).

Places and coordinates come from ``queries/places.rq`` (an agent's own location, or its parent
organisation's, with the coordinates of that place or of the nearest place containing it);
flows from ``queries/flows.rq`` through kgraph.views, so ``--kinds``, ``--status``, ``--since``
and ``--until`` select the same flows as on graph.html. The page draws an offline world outline
(Natural Earth 1:110m countries from the world-atlas package) with d3-geo and topojson-client,
all inlined from ``kgraph/templates/vendor`` (see ORIGIN.md there): it loads nothing.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from importlib import resources

from kgraph import __version__, queries
from kgraph.namespaces import compact
from kgraph.results import Solutions, collect, python_value

VENDOR = ("d3-array/d3-array.min.js", "d3-geo/d3-geo.min.js", "topojson-client/topojson-client.min.js")
WORLD = "world-atlas/countries-110m.json"
TITLE = "Where knowledge flows: CED partnerships on the map"


@dataclass
class MapPage:
    """What a map render produced: the HTML, how many points and arcs it draws, and notes."""

    html: str
    points: int
    arcs: int
    notes: list[str] = field(default_factory=list)


def draw(backend, *, kinds: Collection[str] | None = None, status: str | None = None, since: str | None = None,
         until: str | None = None, lang: str = "en", title: str = TITLE) -> MapPage:
    """The map of the flows on *backend* (store or endpoint) that match the options, as kgraph viz selects them."""
    from kgraph import views

    data = views.fetch(backend, since=since, until=until, status=status, lang=lang)
    tops = {compact(r["kind"].value): compact(r["top"].value) for r in data.graph.flow_edges.dicts()}
    return render(build(data.flows, locate(fetch_places(backend, lang=lang)), kinds=kinds, tops=tops),
                  title=title, lang=lang)


def fetch_places(backend, *, lang: str = "en") -> Solutions:
    """Every agent with the place(s) it is located in and their coordinates (queries/places.rq)."""
    q = queries.find("places")
    return collect(backend.query(q.text, bindings=queries.bind(q, {}, lang=lang)))


def locate(places: Solutions) -> dict[str, dict]:
    """Each agent's map point: its place, or the mean of its places when it has several.

    >>> locate(Solutions(["agent", "placeLabel", "lat", "long", "countryLabel", "group"], []))
    {}
    """
    by_agent: dict[str, list[dict]] = defaultdict(list)
    for row in places.dicts():
        by_agent[compact(row["agent"].value)].append({k: python_value(v) for k, v in row.items()})
    points = {}
    for agent, rows in by_agent.items():
        rows.sort(key=lambda r: str(r["placeLabel"]))
        points[agent] = {"id": "; ".join(str(r["placeLabel"]) for r in rows),
                         "lat": round(sum(float(r["lat"]) for r in rows) / len(rows), 4),
                         "long": round(sum(float(r["long"]) for r in rows) / len(rows), 4),
                         "country": str(rows[0]["countryLabel"] or ""), "group": str(rows[0]["group"] or "unknown"),
                         "agentLabel": str(rows[0]["agentLabel"] or agent)}
    return points


def build(flows: Solutions, located: dict[str, dict], *, kinds: Collection[str] | None = None,
          tops: dict[str, str] | None = None) -> dict:
    """Points (one per located place, with the agents there) and arcs (one per ordered pair of
    points and flow kind, with its count; reciprocated when any flow runs the other way)."""
    tops = tops or {}
    points: dict[str, dict] = {}
    arcs: dict[tuple[str, str, str], dict] = {}
    unplaced: set[str] = set()
    local = 0
    for row in flows.dicts():
        kind = compact(row["kind"].value)
        if kinds is not None and kind not in kinds and tops.get(kind) not in kinds:
            continue
        s, t = compact(row["source"].value), compact(row["target"].value)
        missing = [a for a in (s, t) if a not in located]
        if missing:
            unplaced.update(missing)
            continue
        ps, pt = located[s], located[t]
        for agent, p in ((s, ps), (t, pt)):
            point = points.setdefault(p["id"], {k: p[k] for k in ("id", "lat", "long", "country", "group")} | {"agents": []})
            if p["agentLabel"] not in point["agents"]:
                point["agents"].append(p["agentLabel"])
        if ps["id"] == pt["id"]:
            local += 1
            continue
        arc = arcs.setdefault((ps["id"], pt["id"], kind), {
            "from": ps["id"], "to": pt["id"], "kindId": kind, "kind": str(python_value(row["kindLabel"])), "count": 0,
            "flows": []})
        arc["count"] += 1
        arc["flows"].append(f"{python_value(row['sourceLabel'])} → {python_value(row['targetLabel'])}: "
                            f"{python_value(row['flowLabel'])}" + (f" ({python_value(row['date'])})" if row["date"] else ""))
    pairs = {(a["from"], a["to"]) for a in arcs.values()}
    for a in arcs.values():
        a["reciprocal"] = (a["to"], a["from"]) in pairs
    for p in points.values():
        p["agents"].sort()
    return {"points": sorted(points.values(), key=lambda p: p["id"]),
            "arcs": sorted(arcs.values(), key=lambda a: (a["from"], a["to"], a["kind"])),
            "local": local, "unplaced": sorted(unplaced)}


def render(data: dict, *, title: str = TITLE, lang: str = "en") -> MapPage:
    """The map page: one self-contained HTML file that loads nothing."""
    from kgraph.viz import PALETTE, script_json

    kinds = sorted({(a["kindId"], a["kind"]) for a in data["arcs"]})  # the order (and colours) of graph.html
    colours = {label: PALETTE[i % len(PALETTE)] for i, (_, label) in enumerate(kinds)}
    notes = []
    if data["local"]:
        notes.append(f"{data['local']} flows between agents at the same place are not drawn as arcs.")
    if data["unplaced"]:
        notes.append(f"{len(data['unplaced'])} agents have no place with coordinates; their flows are not drawn: "
                     + ", ".join(data["unplaced"]) + ".")
    e = html.escape
    legend = "".join(f'<li><span class="line" style="border-color:{c}"></span>{e(k)}</li>' for k, c in colours.items())
    page = _asset("map.html")
    page = page.replace("@@VENDOR_JS@@", "\n".join(_asset("vendor/" + name) for name in VENDOR))
    page = page.replace("@@MAP_JS@@", _asset("map.js"))
    fills = {"@@LANG@@": e(lang), "@@VERSION@@": e(__version__), "@@TITLE@@": e(title),
             "@@SUMMARY@@": e(f"{len(data['points'])} places, {len(data['arcs'])} arcs, "
                              f"{sum(a['count'] for a in data['arcs'])} flows."),
             "@@LEGEND@@": legend, "@@NOTES@@": "".join(f'<p class="note">{e(n)}</p>' for n in notes),
             "@@LICENCES@@": _licences(),
             "@@WORLD@@": script_json(_world()), "@@DATA@@": script_json(data | {"colours": colours})}
    for marker, value in fills.items():
        page = page.replace(marker, value)
    return MapPage(page, len(data["points"]), len(data["arcs"]), notes)


def _licences() -> str:
    """Each vendored package's LICENSE, escaped, so the page carries them wherever it is sent."""
    folders = [name.split("/")[0] for name in (*VENDOR, WORLD)]
    return "".join(f"<h3>{html.escape(f)}</h3><pre>{html.escape(_asset(f'vendor/{f}/LICENSE'))}</pre>" for f in folders)


def _world() -> object:
    import json

    return json.loads(_asset("vendor/" + WORLD))


def _asset(name: str) -> str:
    return resources.files("kgraph").joinpath("templates", *name.split("/")).read_text(encoding="utf-8")
