"""Commands that build, check and count the graph: build, validate, stats, prefixes."""

from __future__ import annotations

import json

import click

from kgraph.cli.common import claim_out, emit, emit_bytes, force_option, graph_options, open_store

FORMAT_NAMES = ("trig", "nq", "turtle", "nt", "jsonld", "rdfxml")


@click.command()
@click.option("--out", "-o", metavar="FILE", help="Write the whole graph to FILE ('-' for stdout).")
@click.option("--format", "fmt", type=click.Choice(FORMAT_NAMES),
              help="RDF format of --out (default: from the extension, else trig). Triple formats merge the graphs.")
@click.option("--inference", type=click.Choice(("none", "rdfs", "owlrl")), default="none", show_default=True,
              help="Add the triples RDFS or OWL-RL entails, in the named graph cedgraph:inferred.")
@click.option("--derived/--no-derived", default=True, show_default=True,
              help="Include the derived graph cedgraph:derived (plain labels, inferred types, rolled-up flow ends, "
                   "effective dates, agents' countries and North/South groups; see docs/model.md).")
@force_option
@graph_options
def build(graph, out, fmt, inference, derived, force):
    """Load the ontology, vocabularies and data into the store; optionally write the result.

    Each source file loads into its own named graph (cedgraph:data/<file>), so every triple
    keeps the file it came from; what kgraph derives at load (docs/model.md) is in its own graph,
    cedgraph:derived, left out with --no-derived. With --store the store is kept on disk and
    reused until a source file changes.

    \b
    Example:
        kgraph build                                   # load and summarise
        kgraph build --out kgraph.trig                 # all named graphs, one file
        kgraph build --inference rdfs --out all.nq
        kgraph build --no-derived --out asserted.trig  # only what the sources say
        kgraph build --store ~/.cache/kgraph --data my-partnerships.ttl
    """
    from kgraph.inference import entailments
    from kgraph.rdfio import format_for_path, format_named, serialize

    claim_out(out, force)
    rdf_fmt = (format_named(fmt) if fmt else (format_for_path(out) if out != "-" else format_named("trig"))) \
        if out else None
    from dataclasses import replace

    from kgraph.derived import count

    store = open_store(replace(graph, derived=derived))
    inferred = entailments(store, inference)
    if out:
        quads = list(store.quads()) + inferred
        data = serialize(quads, rdf_fmt, out=None if out == "-" else out)
        if out == "-":
            emit_bytes(data, None)
        else:
            click.echo(f"Wrote {out} ({rdf_fmt.name})", err=True)
    n_derived = count(store.oxigraph)
    extra = (f", {n_derived} derived" if derived else "") + (f", {len(inferred)} inferred" if inference != "none" else "")
    click.echo(f"Loaded {len(store) - n_derived} triples from {len(store.sources)} files into "
               f"{len(store.sources)} named graphs{extra}.", err=True)


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=True))
@click.option("--context/--no-context", default=True, show_default=True,
              help="Validate FILES together with the bundled data, so they may refer to its "
                   "organisations, places and concepts.")
@click.option("--skip", multiple=True, type=click.Choice(("shapes", "checks", "quotes")),
              help="Skip SHACL shapes, the SPARQL checks, or the verbatim-quote check.")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@graph_options
def validate(files, context, skip, fmt, graph):
    """Check the graph: SHACL shapes, SPARQL data-quality checks, and that every quote is
    verbatim in its source's local copy.

    With FILES, report only on them (validated with the bundled data as context). One line
    per violation: file, node, [check ID] and what to fix. Exits 1 if anything is wrong.

    \b
    Example:
        kgraph validate                        # all bundled data
        kgraph validate data/my-partnerships.ttl
        kgraph validate --skip quotes --format json
    """
    from dataclasses import replace

    from kgraph.sources import data_sources
    from kgraph.validate import validate as run_validation

    mine = data_sources(files) if files else None
    if mine is not None:
        graph = replace(graph, bundled_data=graph.bundled_data and context, extra=tuple(mine))
    store = open_store(graph)
    found = run_validation(store, only=mine, shapes="shapes" not in skip, checks="checks" not in skip,
                           quotes="quotes" not in skip)
    if fmt == "json":
        emit(json.dumps([{"file": list(v.files), "node": v.focus, "check": v.check, "message": v.message,
                          "value": v.value} for v in found], ensure_ascii=False, indent=1) + "\n", None)
    else:
        for v in found:
            click.echo(str(v))
    checked = ", ".join(str(p) for p in files) if files else f"{len(store.sources)} source files"
    if found:
        click.echo(f"{len(found)} violation{'s' if len(found) != 1 else ''} in {checked}.", err=True)
        raise SystemExit(1)
    click.echo(f"No violations in {checked}.", err=True)


@click.command()
@click.option("--format", "fmt", type=click.Choice(("table", "csv", "json")), default="table", show_default=True)
@click.option("--lang", type=click.Choice(("en", "fr")), default="en", show_default=True, help="Language of class names.")
@graph_options
def stats(fmt, lang, graph):
    """Count what the graph holds: triples per source file and resources per class.

    \b
    Example:
        kgraph stats
        kgraph stats --lang fr
        kgraph stats --format json --data my-partnerships.ttl
    """
    from kgraph import queries
    from kgraph.results import collect, render_table, to_csv

    store = open_store(graph)
    sizes = collect(store.query(queries.find("graph-sizes").text))
    q = queries.find("class-counts")
    classes = collect(store.query(q.text, bindings=queries.bind(q, {}, lang=lang)))
    if fmt == "json":
        emit(json.dumps({"triples": len(store),
                         "graphs": {g: n for g, n in sizes.values()},
                         "classes": [{"class": c, "label": label, "count": n} for c, label, n in classes.values()]},
                        ensure_ascii=False, indent=1) + "\n", None)
    elif fmt == "csv":
        emit(to_csv(classes), None)
    else:
        click.echo(f"{len(store)} triples in {len(sizes)} named graphs\n")
        click.echo(render_table(sizes))
        click.echo(render_table(classes))


@click.command()
def prefixes():
    """List the prefixes kgraph knows (usable in --param values and inline SPARQL).

    \b
    Example:
        kgraph prefixes
    """
    from kgraph.namespaces import PREFIXES

    width = max(map(len, PREFIXES))
    for p, ns in PREFIXES.items():
        click.echo(f"{p.ljust(width)}  {ns}")


COMMANDS = (build, validate, stats, prefixes)
