"""The main job: `kgraph report`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kgraph.cli.common import graph_options, open_store


@click.command()
@click.option("--out", "-o", default="report", show_default=True, metavar="DIR",
              help="Folder to write the report into: new, empty, or an earlier report (whose files are replaced; "
                   "files kgraph did not write are never touched).")
@click.option("--force", is_flag=True,
              help="Write into a folder that holds other files too (they are kept), or replace report files "
                   "changed since kgraph wrote them.")
@click.option("--lang", type=click.Choice(("en", "fr")), default="en", show_default=True, help="Label language.")
@graph_options
def report(out, force, lang, graph):
    """Build, validate and analyse the graph into one folder, with an index.html linking it all.

    The folder holds the whole graph (TriG), the validation report, counts, the answers of
    the key queries as CSV, the two-way exchange metrics (CSV and RDF) and the interactive
    graph (graph.html) and a map of the flows (map.html), both working offline. Exits 1 if
    validation finds violations (the report is still written).

    \b
    Example:
        kgraph report --out report
        kgraph report --out report-fr --lang fr --data my-partnerships.ttl
    """
    from kgraph import report as rep
    from kgraph.outfolder import OutputFolder

    OutputFolder(out, kind="report", force=force).check()  # refuse before the work, not after
    store = open_store(graph)
    result = rep.Report()
    steps = rep.plan(store, result, lang=lang)
    with click.progressbar(length=len(steps), label="Report", file=sys.stderr, hidden=not sys.stderr.isatty(),
                           item_show_func=lambda s: s.name if s else None) as bar:
        rep.write(Path(out), steps, result, force=force, on_step=lambda step: bar.update(1, step))
    _summary(result, out)
    if result.violations:
        raise SystemExit(1)


def _summary(result, out: str) -> None:
    pairs = result.answers.get("two-way-pairs")
    ns = result.answers.get("north-south-flows")
    click.echo(f"{result.triples} triples in {result.graphs} named graphs; "
               f"{len(result.violations)} violations.")
    if pairs is not None:
        click.echo(f"{len(pairs)} pairs exchange knowledge both ways:")
        for a, b, flows_ab, flows_ba in zip(pairs.column("aLabel"), pairs.column("bLabel"),
                                            pairs.column("flowsAB"), pairs.column("flowsBA")):
            click.echo(f"  {a.value} ⇄ {b.value}: {flows_ab.value} → / ← {flows_ba.value}")
    net = result.metrics.get("network")
    if net is not None:
        values = dict((row[0], row[1]) for row in net.rows)
        click.echo(f"Reciprocity of knowledge flows between organisations: {values['edgeReciprocity']:.2f} of ties, "
                   f"{values['weightedReciprocity']:.2f} of flows.")
    if ns is not None:
        shares = ", ".join(f"{d.value} {n.value}" for d, n in zip(ns.column("direction"), ns.column("flows")))
        click.echo(f"Knowledge flows by direction: {shares}.")
    click.echo(f"Graph: {result.drawn[0]} nodes, {result.drawn[1]} edges in {Path(out) / 'graph.html'}.")
    click.echo(f"Map: {result.mapped[0]} places, {result.mapped[1]} arcs in {Path(out) / 'map.html'}.")
    click.echo(f"Open {Path(out) / 'index.html'}")


COMMANDS = (report,)
