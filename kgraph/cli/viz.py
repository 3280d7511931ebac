"""Commands that draw and export the graph: viz and export."""

from __future__ import annotations

import click

from kgraph.cli.common import check_dates, claim_out, endpoint_option, force_option, graph_options, open_backend
from kgraph.errors import UsageError


GRAPH_VIEWS = ("flows", "partnerships", "events", "all")
VIEW_HELP = "What to draw: flows, partnership ties, event attendance, or all of it"


def view_options(f, *, views=GRAPH_VIEWS, view_help=VIEW_HELP + "."):
    """Options shared by viz and export: which view, which flows, which part of the graph."""
    for decorator in reversed((
        click.option("--view", type=click.Choice(views), default="all", show_default=True, help=view_help),
        click.option("--kinds", default="all", show_default=True, metavar="KINDS",
                     help="Flow kinds: knowledge, resource, all, or names such as facilitation,funding."),
        click.option("--status", type=click.Choice(("occurred", "planned", "called-for", "all")), default="all", show_default=True),
        click.option("--since", metavar="DATE", help="Only flows dated on or after DATE."),
        click.option("--until", metavar="DATE", help="Only flows dated on or before DATE."),
        click.option("--keep-persons", is_flag=True, help="Keep persons as nodes instead of their organisations."),
        click.option("--query", "query_name", metavar="NAME|FILE.rq",
                     help="Draw only the resources a SELECT or CONSTRUCT query returns (e.g. partnership-subgraph)."),
        click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="Parameters of --query."),
        click.option("--lang", type=click.Choice(("en", "fr")), default="en", show_default=True),
    )):
        f = decorator(f)
    return f


def build_view(graph, view, kinds, status, since, until, keep_persons, query_name, params, lang):
    """Fetch the view data (store or endpoint) and build the view graph; returns (graph, data, notes)."""
    from kgraph import views
    from kgraph.cli.query import _parse_params

    check_dates(since=since, until=until)
    if params and not query_name:
        raise UsageError("--param applies to --query; give --query NAME too")
    return views.view_graph(open_backend(graph), view, kinds=kinds, status=None if status == "all" else status,
                            since=since, until=until, keep_persons=keep_persons, query=query_name,
                            params=_parse_params(params), lang=lang)


def _viz_view_options(f):
    return view_options(f, views=GRAPH_VIEWS + ("map",),
                        view_help=VIEW_HELP + "; or map: flows as arcs between places on a world map.")


GRAPH_TITLE = "CED partnerships: who works with whom, and what flows which way"


@click.command()
@click.option("--out", "-o", default="graph.html", show_default=True, metavar="FILE", help="The HTML page to write.")
@_viz_view_options
@click.option("--color-by", type=click.Choice(("class", "country", "north-south")), default="class", show_default=True)
@click.option("--size-by", type=click.Choice(("degree", "flows", "betweenness")), default="degree", show_default=True)
@click.option("--max-nodes", type=click.IntRange(min=1), metavar="N", help="Keep only the N nodes with the highest --size-by.")
@click.option("--title", help="Page title (default: one for the graph, another for the map).")
@force_option
@endpoint_option
@graph_options
def viz(out, view, kinds, status, since, until, keep_persons, query_name, params, lang, color_by, size_by, max_nodes,
        title, force, graph):
    """Draw the graph as one interactive HTML page that works offline and can be shared.

    Nodes are coloured by kind (or country, or North/South) with a legend; flows are arrows
    coloured by kind, solid where flows also run the other way, dashed where one-way; every
    tooltip shows the evidence quotes and their sources. Find a name with the search box;
    click a node or edge for its details.

    --view map draws the flows on a world map instead (offline: the outline is inside the
    page): agents at their places' coordinates, one arc per direction and kind between two
    places, coloured by kind, solid where flows also run back, dashed where one-way.
    --kinds, --status, --since, --until, --lang and --title apply to it.

    \b
    Example:
        kgraph viz --out graph.html
        kgraph viz --view flows --kinds knowledge --color-by north-south --out flows.html
        kgraph viz --query partnership-subgraph --param partnership=eso-renapess --out eso.html
        kgraph viz --max-nodes 500 --size-by betweenness --data big-import.ttl
        kgraph viz --view map --kinds knowledge --out map.html
    """
    from kgraph import viz as render_viz
    from kgraph.fsutil import write_text_atomic

    if view == "map":
        _check_map_options(keep_persons=keep_persons, query=query_name, params=params, max_nodes=max_nodes)
    claim_out(out, force)
    if view == "map":
        return _write_map(out, graph, kinds, status, since, until, lang, title)
    title = title or GRAPH_TITLE
    g, data, notes = build_view(graph, view, kinds, status, since, until, keep_persons, query_name, params, lang)
    page = render_viz.draw(g, data, title=title, lang=lang, color_by=color_by, size_by=size_by, max_nodes=max_nodes)
    write_text_atomic(out, page.html)
    for note in notes + page.notes:
        click.echo(note, err=True)
    click.echo(f"Wrote {out}: {page.nodes} nodes, {page.edges} edges.", err=True)


def _check_map_options(**given) -> None:
    used = [name.replace("_", "-") for name, value in given.items() if value]
    if used:
        raise UsageError(f"--{used[0]} applies to the graph views, not to --view map")


def _write_map(out, graph, kinds, status, since, until, lang, title) -> None:
    from kgraph import analysis, geomap
    from kgraph.fsutil import write_text_atomic

    check_dates(since=since, until=until)
    page = geomap.draw(open_backend(graph), kinds=analysis.kinds_option(kinds), status=None if status == "all" else status,
                       since=since, until=until, lang=lang, title=title or geomap.TITLE)
    write_text_atomic(out, page.html)
    for note in page.notes:
        click.echo(note, err=True)
    click.echo(f"Wrote {out}: {page.points} places, {page.arcs} arcs.", err=True)


@click.command()
@click.option("--format", "fmt", type=click.Choice(("graphml", "gexf", "csv")), required=True,
              help="graphml or gexf for Gephi and other tools; csv writes nodes.csv and edges.csv into --out.")
@click.option("--out", "-o", required=True, metavar="PATH", help="File (graphml, gexf) or folder (csv) to write.")
@view_options
@force_option
@endpoint_option
@graph_options
def export(fmt, out, view, kinds, status, since, until, keep_persons, query_name, params, lang, force, graph):
    """Export a view of the graph for Gephi (GraphML, GEXF) or spreadsheets (CSV), with every
    node and edge attribute (label, kind, place, North/South group, flow kind, weight, quotes).

    \b
    Example:
        kgraph export --format gexf --out ced.gexf
        kgraph export --format graphml --view flows --kinds knowledge --out flows.graphml
        kgraph export --format csv --view events --out events-csv/
    """
    from kgraph import export as exporter

    exporter.check_targets(fmt, out, force=force)
    g, _, notes = build_view(graph, view, kinds, status, since, until, keep_persons, query_name, params, lang)
    written = exporter.write(g, fmt, out)
    for note in notes:
        click.echo(note, err=True)
    click.echo(f"Wrote {', '.join(map(str, written))}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges.",
               err=True)


COMMANDS = (viz, export)
