"""The main job: build, validate, analyse and draw the graph into one folder of files.

The report is assembled in a staging folder and moved into place only when every step has
succeeded, so a failed run never leaves half a report behind (nor touches the previous one);
kgraph never deletes or replaces a file in the folder that it did not write (kgraph.outfolder).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kgraph import __version__, queries
from kgraph.analysis import Table
from kgraph.outfolder import OutputFolder
from kgraph.results import Solutions, collect, to_csv
from kgraph.store import Store

#: Named queries whose answers every report includes, with the parameters they run with.
KEY_QUERIES: tuple[tuple[str, dict[str, str]], ...] = (
    ("two-way-pairs", {}),
    ("north-south-flows", {}),
    ("flows-by-direction", {}),
    ("face-to-face-events", {}),
    ("facilitators-and-funders", {}),
    ("organisations", {}),
    ("flows", {}),
    ("leadership", {}),
    ("study-design", {}),
    ("figures", {}),
)


@dataclass
class Step:
    """One step of the report: a name for the progress bar and the work it does."""

    name: str
    run: Callable[[Path], None]


@dataclass
class Report:
    """What a report run found, for the terminal summary and the index page."""

    triples: int = 0
    graphs: int = 0
    violations: list[str] = field(default_factory=list)
    answers: dict[str, Solutions] = field(default_factory=dict)
    metrics: dict[str, Table] = field(default_factory=dict)  # "network", "node", "pair"
    drawn: tuple[int, int] = (0, 0)  # nodes and edges of graph.html
    mapped: tuple[int, int] = (0, 0)  # places and arcs of map.html
    files: list[tuple[str, str]] = field(default_factory=list)  # (relative path, description)
    notes: list[str] = field(default_factory=list)


def plan(store: Store, report: Report, *, lang: str = "en") -> list[Step]:
    """The steps of a report on *store*, in order; each writes into the folder it is given."""

    def validation(folder: Path) -> None:
        from kgraph.validate import validate

        report.violations = [str(v) for v in validate(store)]
        (folder / "validation.txt").write_text("".join(v + "\n" for v in report.violations) or "No violations.\n",
                                               encoding="utf-8")
        report.files.append(("validation.txt", f"SHACL, SPARQL checks and quotes: {len(report.violations)} violations"))

    def graph(folder: Path) -> None:
        from kgraph.rdfio import format_named, serialize

        serialize(store.quads(), format_named("trig"), out=folder / "graph.trig")
        report.triples, report.graphs = len(store), len(store.graphs())
        report.files.append(("graph.trig", f"the whole graph, {report.graphs} named graphs (TriG)"))

    def stats(folder: Path) -> None:
        sizes = collect(store.query(queries.find("graph-sizes").text))
        q = queries.find("class-counts")
        classes = collect(store.query(q.text, bindings=queries.bind(q, {}, lang=lang)))
        data = {"kgraph": __version__, "triples": len(store), "graphs": dict(sizes.values()),
                "classes": {c: n for c, _, n in classes.values()}}
        (folder / "stats.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        report.files.append(("stats.json", "triples per source file and resources per class"))

    def answers(folder: Path) -> None:
        (folder / "queries").mkdir()
        for name, params in KEY_QUERIES:
            q = queries.find(name)
            result = collect(store.query(q.text, bindings=queries.bind(q, params, lang=lang)))
            report.answers[name] = result
            (folder / "queries" / f"{name}.csv").write_text(to_csv(result), encoding="utf-8")
            report.files.append((f"queries/{name}.csv", f"{q.title} ({len(result)} rows)"))

    def analyse(folder: Path) -> None:
        from kgraph import analysis, network
        from kgraph.rdfio import format_named, serialize

        settings = analysis.Settings()
        data = network.fetch(store, status=settings.status, lang=lang)
        (folder / "metrics").mkdir()
        for level in ("network", "node", "pair"):
            t = report.metrics[level] = analysis.table(data, level, settings)
            (folder / "metrics" / f"{level}.csv").write_text(analysis.to_csv(t), encoding="utf-8")
            report.files.append((f"metrics/{level}.csv", f"{level}-level metrics of knowledge flows that occurred "
                                                          f"({len(t.rows)} rows)"))
        serialize(analysis.to_rdf(data, settings), format_named("turtle"), out=folder / "metrics" / "metrics.ttl")
        report.files.append(("metrics/metrics.ttl", "the same metrics as RDF (cedmetric: vocabulary), to query "
                                                    "with --data"))

    def draw(folder: Path) -> None:
        from kgraph import views, viz

        g = views.build(views.fetch(store, lang=lang), "all", kinds=None)
        flows = sum(int(d["weight"]) for _, _, d in g.edges(data=True) if str(d["relation"]).startswith("cedkind:"))
        page = viz.render(g, title="CED partnerships: who works with whom, and what flows which way", lang=lang,
                          summary=f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges, {flows} flows.")
        (folder / "graph.html").write_text(page.html, encoding="utf-8")
        report.drawn = (page.nodes, page.edges)
        report.notes += page.notes
        report.files.append(("graph.html", f"interactive graph of organisations, events and flows "
                                           f"({page.nodes} nodes, {page.edges} edges; works offline)"))

    def draw_map(folder: Path) -> None:
        from kgraph import geomap

        page = geomap.draw(store, lang=lang)
        (folder / "map.html").write_text(page.html, encoding="utf-8")
        report.mapped = (page.points, page.arcs)
        report.notes += [f"Map: {n}" for n in page.notes]
        report.files.append(("map.html", f"map of the flows between places ({page.points} places, {page.arcs} arcs "
                                         f"coloured by kind, solid where flows run both ways; works offline)"))

    return [Step("validate", validation), Step("write graph", graph), Step("count", stats), Step("query", answers),
            Step("metrics", analyse), Step("draw", draw), Step("map", draw_map)]


def write(out: Path, steps: list[Step], report: Report, *, force: bool = False,
          on_step: Callable[[Step], None] | None = None) -> list[str]:
    """Run *steps* into a staging folder and move their files into *out*.

    *out* may be new, empty, or a previous report (its manifest says which files kgraph
    wrote); a folder with other files is refused unless *force*, and even then only the
    report's own files are written (see kgraph.outfolder). Returns the files written.

    :raises OutputExists: before any step runs, when *out* may not be written.
    """
    folder = OutputFolder(out, kind="report", force=force)
    with folder.staging() as tmp:
        for step in steps:
            step.run(tmp)
            if on_step:
                on_step(step)
        (tmp / "index.html").write_text(index_html(report), encoding="utf-8")
        return folder.commit(tmp)


def index_html(report: Report) -> str:
    """A self-contained dashboard: summary in words, charts with their tables and CSVs, sortable tables."""
    from kgraph import dashboard as d

    items = "\n".join(f'<li><a href="{e(path)}">{e(path)}</a>: {e(desc)}</li>' for path, desc in report.files)
    notes = "".join(f"<p>{e(n)}</p>" for n in report.notes)
    written = {path for path, _ in report.files}
    opens = [f'<a href="{page}"><b>{e(text)}</b></a>' for page, text in
             (("graph.html", "Open the interactive graph"), ("map.html", "Open the map of flows")) if page in written]
    if opens:
        notes += f'<p>{" · ".join(opens)}</p>'
    status = ("No violations." if not report.violations else
              f"{len(report.violations)} violations: see validation.txt.")
    body = [_summary(report), notes, *_charts(report), *_answer_tables(report)]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kgraph report</title>
<style>body{{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}}
table{{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}}th,td{{border:1px solid #ddd;padding:.2rem .4rem;
text-align:left;vertical-align:top}}th{{background:#f0f0f0;cursor:pointer}}figure{{margin:1.5rem 0}}
.scroll{{overflow-x:auto}}</style></head>
<body>
<h1>kgraph report</h1>
<p>{report.triples} triples in {report.graphs} named graphs. Validation: {e(status)}</p>
{chr(10).join(body)}
<h2>Files</h2>
<ul>
{items}
</ul>
<p><small>kgraph {e(__version__)}</small></p>
{d.SORT_JS}
</body></html>
"""


e = html.escape


def _summary(report: Report) -> str:
    """The network metrics in one paragraph of words."""
    if "network" not in report.metrics:
        return ""
    m = {str(k): v for k, v in report.metrics["network"].rows}
    dirs = ", ".join(f"{k[6:]} {v}" for k, v in m.items() if k.startswith("flows ") and "→" in k)
    return (f'<p id="summary">Knowledge flows that occurred: {m.get("flows", 0)} between {m.get("nodes", 0)} '
            f'organisations ({dirs}). {m.get("mutualDyads", 0)} of {m.get("dyads", 0)} pairs exchange both ways; '
            f'reciprocity is {float(m.get("edgeReciprocity") or 0):.2f} of ties, and '
            f'{float(m.get("southToNorthShare") or 0):.0%} of North–South flows run South→North.</p>')


@dataclass
class Chart:
    """One chart of the index page: its Vega-Lite spec (kgraph.charts) and the table and CSV beside it."""

    fid: str
    caption: str
    spec: dict
    columns: list[str]
    rows: list[list[object]]
    csv: str


def charts(report: Report) -> list[Chart]:
    """Flows by direction, the mixing matrix, flows by year and the two-way index per pair, as specs."""
    from kgraph import charts as c
    from kgraph import dashboard as d

    out = []
    if "network" in report.metrics:
        cells = d.direction_cells(report.metrics["network"])
        bars = [(f"{a} → {b}", n) for (a, b), n in cells.items()]
        out.append(Chart("chart-direction", "Flows by direction", c.bar_spec("Flows by direction", bars),
                         ["direction", "flows"], [list(b) for b in bars], "metrics/network.csv"))
        out.append(Chart("chart-mixing", "North–South mixing matrix (rows: from, columns: to)",
                         c.matrix_spec("North–South mixing matrix", cells), ["from", "to", "flows"],
                         [[a, b, n] for (a, b), n in cells.items()], "metrics/network.csv"))
    if "flows" in report.answers:
        per_year = d.years([r["date"].value if r.get("date") else None for r in report.answers["flows"].dicts()])
        out.append(Chart("chart-years", "Flows by year (all kinds and statuses)", c.bar_spec("Flows by year", per_year),
                         ["year", "flows"], [list(y) for y in per_year], "queries/flows.csv"))
    if "pair" in report.metrics:
        t = report.metrics["pair"]
        rows = [dict(zip(t.columns, r)) for r in t.rows]
        bars = [(f"{r['aLabel']} ↔ {r['bLabel']}", round(float(r["twoWayIndex"]), 3)) for r in rows]
        out.append(Chart("chart-pairs", "Two-way index per pair (1 = balanced both ways, 0 = one-way)",
                         c.bar_spec("Two-way index per pair", bars, measure="two-way index", domain=(0, 1)),
                         t.columns, t.rows, "metrics/pair.csv"))
    return out


def _charts(report: Report) -> list[str]:
    """Every chart drawn as inline SVG, with its data table one click away and its CSV linked."""
    from kgraph import charts as c
    from kgraph import dashboard as d

    return [d.figure(x.fid, x.caption, c.svg(x.spec), x.columns, x.rows, x.csv) for x in charts(report)]


def _answer_tables(report: Report) -> list[str]:
    """The headline query answers as sortable HTML tables."""
    from kgraph import dashboard as d

    tables = []
    for name in ("two-way-pairs", "north-south-flows", "face-to-face-events"):
        if name in report.answers:
            sol = report.answers[name]
            rows = [[None if t is None else t.value for t in r] for r in sol.rows]
            tables.append(f"<h2>{e(queries.find(name).title)}</h2>\n<div class=\"scroll\">"
                          f"{d.table_html(sol.variables, rows)}</div>")
    return tables
