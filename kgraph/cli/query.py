"""Commands that run SPARQL: queries (the library) and query (run one)."""

from __future__ import annotations

import shutil
import sys

import click

from kgraph.cli.common import (claim_out, emit, emit_bytes, endpoint_option, force_option, format_for_out,
                               graph_options, open_backend)
from kgraph.errors import QueryError, ResultTooLarge, UsageError
from kgraph.limits import DEFAULT_TIMEOUT

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
@force_option
@click.option("--max-rows", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Largest result the table format shows (it stops reading there); csv/json/tsv stream any size.")
@click.option("--width", type=click.IntRange(min=0), default=80, show_default=True,
              help="Widest table cell (0 = no limit).")
@click.option("--timeout", type=click.FloatRange(min=0), envvar="KGRAPH_QUERY_TIMEOUT", default=DEFAULT_TIMEOUT,
              show_default=True, help="Stop the query after this many seconds (0 = no limit; also $KGRAPH_QUERY_TIMEOUT).")
@click.option("--strict", is_flag=True,
              help="Make a term the ontology, vocabularies or graph do not define an error, not a warning.")
@click.option("--allow-service", is_flag=True,
              help="Allow SERVICE clauses (federated queries make kgraph fetch from the URLs they name).")
@endpoint_option
@graph_options
def query(name, sparql, params, fmt, lang, out, force, max_rows, width, timeout, strict, allow_service, graph):
    """Run a named query, a .rq file, or SPARQL text.

    Before it runs the query is checked: an unknown prefix is an error; a kgraph term the
    ontology, vocabularies or loaded graph do not define (ced:sourse) is a warning naming the
    closest one (--strict: an error).

    SELECT results print as a table (IRIs as prefixed names) or SPARQL results CSV/TSV/JSON,
    written row by row; CONSTRUCT and DESCRIBE results as RDF; ASK prints true/false and exits
    0 or 1. Parameters are bound as typed RDF terms, never pasted into the query text. A query
    that runs past --timeout, or memory past $KGRAPH_MAX_MEMORY, is stopped with one line.

    \b
    Example:
        kgraph query two-way-pairs
        kgraph query flows-by-direction --param partnership=cedpart:eso-renapess --format csv
        kgraph query my-question.rq --lang fr
        kgraph query --sparql 'SELECT ?org WHERE { ?org a ced:Network }'
        kgraph query --sparql 'SELECT * WHERE { ?s ?p ?o }' --format csv --out all.csv --timeout 600
    """
    from kgraph import limits, querycheck, queries
    from kgraph.sparqlscan import uses_service

    if bool(name) == bool(sparql):
        raise UsageError("give a query NAME (or FILE.rq) or --sparql TEXT, not both; `kgraph queries` lists the names")
    claim_out(out, force)
    q = queries.adhoc(sparql) if sparql else queries.find(name)
    if uses_service(q.text) and not allow_service:
        raise QueryError(f"{_label(q)}: uses SERVICE, which makes kgraph fetch from the URL it names; refused by "
                         "default: add --allow-service if you trust that endpoint")
    bindings = queries.bind(q, _parse_params(params), lang=lang)
    form = q.form
    chosen = _choose_format(fmt, out, form)
    backend = open_backend(graph)
    known, candidates = querycheck.store_lookup(backend)
    for warning in querycheck.check(q.text, strict=strict, known=known, candidates=candidates, query_name=q.name):
        click.echo(f"Warning: {warning}", err=True)
    with limits.deadline(timeout, f"query {_label(q)}"):
        kwargs = {"allow_service": True} if not graph.endpoint else {}
        result = backend.query(q.text, bindings=bindings, **kwargs)
        _write_result(result, chosen, out, max_rows=max_rows, width=width)


def _label(q) -> str:
    return "(--sparql)" if q.path is None and q.name == "(inline)" else repr(q.name)


def _choose_format(fmt, out, form: str) -> str:
    if form in ("CONSTRUCT", "DESCRIBE"):
        chosen = format_for_out(fmt, out, RDF_FORMATS, "ttl")
        if chosen not in RDF_FORMATS:
            raise UsageError(f"a {form} query returns RDF: use --format {'/'.join(RDF_FORMATS)}")
        return chosen
    if form == "ASK":
        return "json" if fmt == "json" else "text"
    chosen = format_for_out(fmt, out, SELECT_FORMATS, "table")
    if chosen not in SELECT_FORMATS:
        raise UsageError(f"a SELECT query returns rows: use --format {'/'.join(SELECT_FORMATS)}")
    return chosen


def _write_result(result, chosen: str, out, *, max_rows: int, width: int) -> None:
    """Write a query result in the chosen format; rows stream to csv/tsv/json outputs."""
    import itertools

    import pyoxigraph as ox

    from kgraph.fsutil import atomic_write
    from kgraph.results import WRITERS, Solutions, boolean_json, reading, render_table, rows_of

    if isinstance(result, (bool, ox.QueryBoolean)):
        value = bool(result)
        emit(boolean_json(value) if chosen == "json" else ("true\n" if value else "false\n"), out)
        sys.exit(0 if value else 1)
    if isinstance(result, (list, ox.QueryTriples)):
        from kgraph.rdfio import format_named, serialize

        triples = _distinct(reading(result))  # a graph is a set; engines may repeat triples
        emit_bytes(serialize(triples, format_named(chosen)), out)
        return
    variables, rows = rows_of(result)
    if chosen == "table":
        first = list(itertools.islice(rows, max_rows + 1))
        if len(first) > max_rows:
            raise ResultTooLarge(f"more than --max-rows {max_rows} rows for a table; use --format csv (or json/tsv) "
                                 f"with --out FILE, or raise --max-rows")
        sol = Solutions(variables, first)
        text = render_table(sol, max_width=width)
        if out is None and sys.stdout.isatty() and text.count("\n") > shutil.get_terminal_size().lines:
            click.echo_via_pager(text)
        else:
            emit(text, out)
        if out is None:
            click.echo(f"{len(sol)} row{'s' if len(sol) != 1 else ''}", err=True)
        return
    writer = WRITERS[chosen]
    if out and out != "-":
        with atomic_write(out, "w", encoding="utf-8") as f:
            n = writer(variables, rows, f)
        click.echo(f"Wrote {out} ({n} row{'s' if n != 1 else ''})", err=True)
    else:
        writer(variables, rows, sys.stdout)
        sys.stdout.flush()


def _distinct(triples):
    seen = set()
    for t in triples:
        if t not in seen:
            seen.add(t)
            yield t


def _parse_params(items: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--param {item!r}: write NAME=VALUE, e.g. --param partnership=cedpart:eso-renapess")
        out[name.strip().lstrip("?")] = value
    return out


COMMANDS = (list_queries, query)
