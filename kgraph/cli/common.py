"""What every command shares: graph options, loading with progress, output helpers."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path

import click

from kgraph import backend
from kgraph.backend import GraphOptions
from kgraph.errors import UsageError
from kgraph.fsutil import write_text_atomic
from kgraph.sources import Source

PROGRESS_BYTES = 20 * 1024 * 1024  # show a progress bar when loading more than this


def graph_options(f: Callable) -> Callable:
    """Add --data, --no-bundled-data and --store; pass them on as ``graph``."""

    @click.option("--data", "-d", "data", multiple=True, metavar="PATH",
                  help="Extra data: a Turtle file or a folder of them (repeatable; also $KGRAPH_DATA).")
    @click.option("--bundled-data/--no-bundled-data", default=True, show_default=True,
                  help="Include the curated data of the three seed documents.")
    @click.option("--store", metavar="DIR", envvar="KGRAPH_STORE",
                  help="Keep the store on disk in DIR; reused while the sources are unchanged.")
    @wraps(f)
    def wrapper(*args, data, bundled_data, store, **kwargs):
        env = tuple(p for p in os.environ.get("KGRAPH_DATA", "").split(os.pathsep) if p)
        graph = GraphOptions(data=tuple(data), env_data=env, bundled_data=bundled_data, store=store,
                             endpoint=kwargs.pop("endpoint", None))
        return f(*args, graph=graph, **kwargs)

    return wrapper


def endpoint_option(f: Callable) -> Callable:
    """Add --endpoint URL (a SPARQL 1.1 endpoint to use instead of the embedded store)."""
    return click.option("--endpoint", metavar="URL", envvar="KGRAPH_ENDPOINT",
                        help="Query this SPARQL 1.1 endpoint instead of the embedded store.")(f)


def open_store(graph: GraphOptions, *, sources: Sequence[Source] | None = None):
    """Load the graph's sources into the embedded store, with a progress bar for big loads."""
    srcs = list(sources) if sources is not None else graph.sources()
    total = sum(s.path.stat().st_size for s in srcs)
    show = total > PROGRESS_BYTES and sys.stderr.isatty()
    with click.progressbar(length=total, label="Loading", file=sys.stderr, hidden=not show) as bar:
        return backend.open_store(graph, sources=srcs, on_load=lambda src: bar.update(src.path.stat().st_size))


def open_backend(graph: GraphOptions):
    """The embedded store, or the remote endpoint when --endpoint is given."""
    if graph.endpoint:
        return backend.open_backend(graph)
    return open_store(graph)


def force_option(f: Callable) -> Callable:
    """Add --force: allow --out to replace an existing file."""
    return click.option("--force", "-f", is_flag=True,
                        help="Replace --out if it exists (kgraph never replaces a file otherwise).")(f)


def claim_out(out: str | None, force: bool) -> None:
    """Refuse --out early (before any work) if it is a folder, or an existing file without --force."""
    if out and out != "-":
        from kgraph.fsutil import check_output

        check_output(out, force=force)


def check_dates(**options: str | None) -> None:
    """Refuse --since/--until values that are not real dates, naming the option.

    :raises UsageError: e.g. ``--since '2020-13': not a calendar date; ...``.
    """
    from kgraph.errors import ParameterError
    from kgraph.queries import Param, to_term

    for name, value in options.items():
        if value:
            try:
                to_term(Param(name, "date", None), value)
            except ParameterError as e:
                raise UsageError(f"--{name} {value!r}:{str(e).split(':', 1)[1]}") from None


def emit(text: str, out: str | None) -> None:
    """Write text to stdout, or atomically to a file."""
    if out and out != "-":
        write_text_atomic(out, text)
        click.echo(f"Wrote {out}", err=True)
    else:
        click.echo(text, nl=False)


def emit_bytes(data: bytes, out: str | None) -> None:
    if out and out != "-":
        from kgraph.fsutil import write_bytes_atomic

        write_bytes_atomic(out, data)
        click.echo(f"Wrote {out}", err=True)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


def format_for_out(fmt: str | None, out: str | None, choices: Sequence[str], default: str) -> str:
    """Choose an output format: explicit, else from the output file's extension, else default."""
    if fmt:
        return fmt
    if out and out != "-":
        ext = Path(out).suffix.lower().lstrip(".")
        aliases = {"ttl": "ttl", "turtle": "ttl", "jsonld": "jsonld", "json": "json", "csv": "csv",
                   "tsv": "tsv", "nt": "nt", "trig": "trig", "nq": "nq", "graphml": "graphml", "gexf": "gexf",
                   "html": "html", "rdf": "rdfxml"}
        if aliases.get(ext) in choices:
            return aliases[ext]
    return default
