"""Bringing practitioners' and funders' data in: `kgraph template`, `kgraph import csv|iati`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kgraph.cli.common import graph_options, open_store


@click.group("import")
def import_() -> None:
    """Turn spreadsheets (CSV) or IATI activity files into a Turtle data file, all-or-nothing.

    Names are matched to what the graph already has (case and accents ignored); new
    organisations get stable IRIs. The output is validated (SHACL shapes, checks, quotes)
    together with the graph it extends before it is written; if anything is wrong, every
    problem is listed and nothing is written.

    \b
    Example:
        kgraph template --out my-data/                  # empty CSV templates to fill in
        kgraph import csv my-data/ --out data/my-partnerships.ttl
        kgraph import iati activities.xml --out data/iati-activities.ttl
    """


def _summary(imported, out: str) -> None:
    for note in imported.notes:
        click.echo(note, err=True)
    counts = ", ".join(f"{n} {what}" for what, n in imported.counts.items())
    click.echo(f"Wrote {out}: {counts}.", err=True)


def _context(graph, out: str, schemes=()):
    """The sources an import into *out* extends and the names (and concepts of *schemes*) they hold."""
    from kgraph.importers.common import context_sources
    from kgraph.importers.matching import NameIndex

    context = context_sources(graph.sources(), Path(out))
    backend = open_store(graph, sources=context)
    index = NameIndex.from_backend(backend)
    index.add_concepts(backend, schemes)
    return context, index


@import_.command("iati")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "-o", required=True, metavar="FILE.ttl", help="The Turtle file to write (replaced if it exists).")
@graph_options
def iati(files, out, graph):
    """Import IATI activity files (versions 2.01-2.03) as activities, organisations and flows.

    Each activity becomes a ced:Activity (a partnership of its participating organisations
    in their IATI roles: funding, accountable, extending, implementing) with its titles in
    every language, status, dates, recipient countries, sectors, SDG tags and related
    activities; each transaction becomes a funding flow from provider to receiver with its
    value, currency and date. Organisations are matched by IATI identifier or name; a copy
    of each file goes to seeds/ next to the output so its quotes can be checked.

    \b
    Example:
        kgraph import iati nl-mfa-activities.xml --out data/nl-mfa.ttl
        kgraph metrics --level pair --kinds all
        kgraph viz --view all --kinds all --out iati.html
    """
    from kgraph.importers import iati as reader

    context, index = _context(graph, out)
    from kgraph.importers.common import Staged

    paths = [Path(f) for f in files]
    total = sum(p.stat().st_size for p in paths)
    with Staged(Path(out), context) as staged:  # written as read, renamed into place once valid
        with click.progressbar(length=total, label="Reading IATI", file=sys.stderr,
                               hidden=not sys.stderr.isatty()) as bar:
            imported = reader.read(paths, index, on_progress=bar.update, sink=staged.writer)
        staged.commit(imported)
    _summary(imported, out)


@import_.command("csv")
@click.argument("paths", nargs=-1, required=True, metavar="DIR_OR_FILES...")
@click.option("--out", "-o", required=True, metavar="FILE.ttl", help="The Turtle file to write (replaced if it exists).")
@click.option("--mapping", "mapping_file", type=click.Path(dir_okay=False), metavar="MAP.toml",
              help="Read CSV files in another schema: which of their columns fill which template fields "
                   "(docs/mappings/README.md; docs/mappings/sea-standard.toml for the SEA standard).")
@graph_options
def csv_(paths, out, mapping_file, graph):
    """Import filled-in CSV templates (from `kgraph template`) as a Turtle data file.

    Give a folder of templates or the files themselves (sources.csv, organisations.csv,
    persons.csv, partnerships.csv, events.csv, flows.csv; a prefix such as
    my-flows.csv is fine). With --mapping, give CSV files in another schema and a TOML
    file saying which of their columns fill which template fields. Every problem in every row is reported as file:row:column, and
    nothing is written until there are none and the result passes validation.

    \b
    Example:
        kgraph template --out my-data/
        kgraph import csv my-data/ --out data/my-partnerships.ttl
        kgraph query two-way-pairs --data data/my-partnerships.ttl
        kgraph import csv coops.csv --mapping docs/mappings/sea-standard.toml --out data/coops.ttl
    """
    from kgraph.importers import csv_import
    from kgraph.importers.common import Staged
    from kgraph.importers.mapping import load_mapping
    from kgraph.importers.templates import CONCEPT_COLUMNS

    mapping = load_mapping(mapping_file) if mapping_file else None
    context, index = _context(graph, out, CONCEPT_COLUMNS.values())
    how = f" through the mapping {mapping_file}" if mapping_file else ""
    with Staged(Path(out), context) as staged:  # rows written as read, renamed into place once valid
        imported = csv_import.read(paths, index, mapping=mapping, sink=staged.writer)
        imported.header = ("# Imported with `kgraph import csv` from " + ", ".join(str(p) for p in paths) + how +
                           ".\n# Edit the spreadsheets and import again rather than editing this file.\n\n")
        staged.commit(imported)
    _summary(imported, out)


@click.command()
@click.option("--out", "-o", required=True, metavar="DIR", help="Folder to write the templates into.")
@click.option("--from", "from_file", type=click.Path(exists=True, dir_okay=False), metavar="FILE.ttl",
              help="Fill the templates with what this file (made by `kgraph import csv`) describes.")
@click.option("--force", is_flag=True, help="Overwrite templates already in the folder.")
def template(out, from_file, force):
    """Write the CSV templates to fill in: sources, organisations, persons, partnerships,
    events and flows, each opening with comments that explain its columns.

    \b
    Example:
        kgraph template --out my-data/
        kgraph template --from data/my-partnerships.ttl --out my-data/   # back to spreadsheets
    """
    from kgraph.importers.templates import TEMPLATES, template_text
    from kgraph.errors import UsageError
    from kgraph.fsutil import write_text_atomic

    folder = Path(out)
    targets = {name: folder / f"{name}.csv" for name in TEMPLATES}
    present = [str(p) for p in targets.values() if p.exists()]
    if present and not force:
        raise UsageError(f"{present[0]} already exists; use --force to overwrite, or another --out folder")
    filled = {}
    if from_file:
        from kgraph.importers import csv_export
        from kgraph.rdfio import parse_graph

        filled = csv_export.rows(parse_graph(Path(from_file)))
    for name, path in targets.items():
        write_text_atomic(path, template_text(name, filled.get(name, ())))
    for source in filled.get("sources", ()):
        if not source["local_copy"]:
            continue
        from kgraph import seeds

        copy = seeds.resolve(Path(from_file).parent / "seeds", source["local_copy"])  # only inside seeds/
        if copy.is_file():  # keep the text quotes are checked against
            from kgraph.fsutil import write_bytes_atomic

            write_bytes_atomic(folder / "seeds" / copy.name, copy.read_bytes())
    rows = sum(len(r) for r in filled.values())
    click.echo(f"Wrote {len(targets)} templates to {folder}" + (f" with {rows} rows." if from_file else "."), err=True)


COMMANDS = (import_, template)
