"""`kgraph metrics`: two-way exchange and brokerage, measured."""

from __future__ import annotations

import click

from kgraph.cli.common import check_dates, claim_out, emit, emit_bytes, endpoint_option, force_option, graph_options, open_backend


@click.command()
@click.option("--level", type=click.Choice(("network", "node", "pair")), default="network", show_default=True,
              help="Whole network, one row per agent, or one row per pair of agents.")
@click.option("--group-by", type=click.Choice(("north-south", "country")), default="north-south", show_default=True,
              help="Groups for brokerage roles and the mixing matrix (North/South by the OECD-DAC ODA list).")
@click.option("--kinds", default="knowledge", show_default=True, metavar="KINDS",
              help="Flow kinds: knowledge, resource, all, or names such as facilitation,funding.")
@click.option("--status", type=click.Choice(("occurred", "planned", "called-for", "all")), default="occurred", show_default=True)
@click.option("--since", metavar="DATE", help="Only flows dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Only flows dated on or before DATE.")
@click.option("--keep-persons", is_flag=True, help="Keep persons as nodes instead of rolling them up to their organisation.")
@click.option("--format", "fmt", type=click.Choice(("table", "csv", "json", "ttl")), default="table", show_default=True,
              help="ttl writes all levels as RDF in the cedmetric: vocabulary, to load with --data and query.")
@click.option("--lang", type=click.Choice(("en", "fr")), default="en", show_default=True)
@click.option("--out", "-o", metavar="FILE", help="Write to FILE instead of stdout.")
@force_option
@endpoint_option
@graph_options
def metrics(level, group_by, kinds, status, since, until, keep_persons, fmt, lang, out, force, graph):
    """Measure two-way exchange and brokerage: reciprocity, per-pair balance, the North-South
    mixing matrix, betweenness, constraint and Gould-Fernandez brokerage roles.

    Flows are projected to a weighted graph of organisations (persons roll up to the
    organisation they head or belong to); brokerage is measured on flows plus structural ties
    (members running a programme, funders, facilitators), so a facilitator counts as a broker
    only where something reaches it and it reaches on.

    \b
    Example:
        kgraph metrics
        kgraph metrics --level pair
        kgraph metrics --level node --group-by country --format csv --out nodes.csv
        kgraph metrics --kinds all --status all --format ttl --out metrics.ttl
    """
    from kgraph import analysis

    claim_out(out, force)
    check_dates(since=since, until=until)
    settings = analysis.Settings(kinds=analysis.kinds_option(kinds), since=since, until=until,
                                 status=None if status == "all" else status, group_by=group_by,
                                 keep_persons=keep_persons)
    data = analysis.fetch(open_backend(graph), settings, lang=lang)
    if fmt == "ttl":
        from kgraph.rdfio import format_named, serialize

        emit_bytes(serialize(analysis.to_rdf(data, settings), format_named("turtle")), out)
        return
    t = analysis.table(data, level, settings)
    text = {"table": analysis.render, "csv": analysis.to_csv, "json": analysis.to_json}[fmt](t)
    emit(text, out)
    for note in t.notes:
        click.echo(f"Note: {note}.", err=True)


COMMANDS = (metrics,)
