"""Commands that run SPARQL: queries (the library) and query (run one)."""

from __future__ import annotations

import shutil
import sys

import click

from kgraph.cli.common import emit, emit_bytes, endpoint_option, format_for_out, graph_options, open_backend
from kgraph.errors import ResultTooLarge, UsageError

SELECT_FORMATS = ("table", "csv", "tsv", "json")
RDF_FORMATS = ("ttl", "jsonld", "nt", "rdfxml")


@click.command("queries")
@click.option("--format", "fmt", type=click.Choice(("text", "json", "markdown")), default="text", show_default=True,
              help="markdown writes the reference docs/queries.md is generated with.")
def list_queries(fmt):
    """List the named queries: name, title and parameters.

    \b
    Example:
        kgraph queries
        kgraph queries --format markdown > docs/queries.md
        kgraph query two-way-pairs --param kindRoot=cedkind:resource
    """
    import json

    from kgraph.queries import library

    lib = library()
    if fmt == "markdown":
        from kgraph.querydocs import markdown

        emit(markdown(), None)
        return
    if fmt == "json":
        emit(json.dumps([{"name": q.name, "title": q.title, "question": q.question, "form": q.form,
                          "params": [{"name": p.name, "type": p.type, "prefix": p.prefix, "default": p.default,
                                      "description": p.description} for p in q.params]}
                         for q in lib.values()], ensure_ascii=False, indent=1) + "\n", None)
        return
    width = max(len(n) for n in lib)
    for q in lib.values():
        click.echo(f"{q.name.ljust(width)}  {q.title}")
        for p in q.params:
            click.echo(f"{' ' * width}    --param {p.signature()}{': ' + p.description if p.description else ''}")


@click.command("query")
@click.argument("name", required=False, metavar="NAME|FILE.rq")
@click.option("--sparql", metavar="TEXT", help="Run this SPARQL text instead of a named query.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter (repeatable): an IRI, prefixed name, date, number or text.")
@click.option("--format", "fmt", type=click.Choice(SELECT_FORMATS + RDF_FORMATS),
              help="Output format (default: from --out's extension, else table for SELECT, ttl for CONSTRUCT).")
@click.option("--lang", type=click.Choice(("en", "fr")), default="en", show_default=True,
              help="Label language, falling back to the other.")
@click.option("--out", "-o", metavar="FILE", help="Write to FILE instead of stdout.")
@click.option("--max-rows", type=int, default=1000, show_default=True,
              help="Largest result the table format shows; use csv/json/tsv for more.")
@click.option("--width", type=int, default=80, show_default=True, help="Widest table cell (0 = no limit).")
@endpoint_option
@graph_options
def query(name, sparql, params, fmt, lang, out, max_rows, width, graph):
    """Run a named query, a .rq file, or SPARQL text.

    SELECT results print as a table (IRIs as prefixed names) or SPARQL results CSV/TSV/JSON;
    CONSTRUCT and DESCRIBE results as RDF; ASK prints true/false and exits 0 or 1.
    Parameters are bound as typed RDF terms, never pasted into the query text.

    \b
    Example:
        kgraph query two-way-pairs
        kgraph query flows-by-direction --param partnership=cedpart:eso-renapess --format csv
        kgraph query my-question.rq --lang fr
        kgraph query --sparql 'SELECT ?org WHERE { ?org a ced:Network }'
    """
    from kgraph import queries
    from kgraph.results import boolean_json, collect, render_table, to_csv, to_json, to_tsv

    if bool(name) == bool(sparql):
        raise UsageError("give a query NAME (or FILE.rq) or --sparql TEXT, not both; `kgraph queries` lists the names")
    q = queries.adhoc(sparql) if sparql else queries.find(name)
    bindings = queries.bind(q, _parse_params(params), lang=lang)
    backend = open_backend(graph)
    result = collect(backend.query(q.text, bindings=bindings))

    if isinstance(result, bool):
        emit((boolean_json(result) if fmt == "json" else ("true\n" if result else "false\n")), out)
        sys.exit(0 if result else 1)
    if isinstance(result, list):
        from kgraph.rdfio import format_named, serialize

        chosen = format_for_out(fmt, out, RDF_FORMATS, "ttl")
        if chosen not in RDF_FORMATS:
            raise UsageError(f"a {q.form} query returns RDF: use --format {'/'.join(RDF_FORMATS)}")
        emit_bytes(serialize(result, format_named(chosen)), out)
        return
    chosen = format_for_out(fmt, out, SELECT_FORMATS, "table")
    if chosen not in SELECT_FORMATS:
        raise UsageError(f"a SELECT query returns rows: use --format {'/'.join(SELECT_FORMATS)}")
    if chosen == "table":
        if len(result) > max_rows:
            raise ResultTooLarge(f"{len(result)} rows is more than --max-rows {max_rows} for a table; "
                                 f"use --format csv (or json/tsv) with --out FILE, or raise --max-rows")
        text = render_table(result, max_width=width)
        if out is None and sys.stdout.isatty() and text.count("\n") > shutil.get_terminal_size().lines:
            click.echo_via_pager(text)
        else:
            emit(text, out)
        if out is None:
            click.echo(f"{len(result)} row{'s' if len(result) != 1 else ''}", err=True)
        return
    emit({"csv": to_csv, "tsv": to_tsv, "json": to_json}[chosen](result), out)


def _parse_params(items: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--param {item!r}: write NAME=VALUE, e.g. --param partnership=cedpart:eso-renapess")
        out[name.strip().lstrip("?")] = value
    return out


COMMANDS = (list_queries, query)
