"""Commands that talk to SPARQL servers: push (upload the graph) and serve (a local endpoint)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile

import click

from kgraph.cli.common import graph_options, open_store
from kgraph.errors import KgraphError, UsageError


@click.command()
@click.option("--endpoint", "query_url", required=True, metavar="URL", envvar="KGRAPH_ENDPOINT",
              help="The server's SPARQL query URL (e.g. http://127.0.0.1:7878/query).")
@click.option("--gsp", "gsp_url", metavar="URL",
              help="Graph Store Protocol URL (default: next to the query URL, e.g. .../store).")
@click.option("--update-endpoint", metavar="URL",
              help="Push with SPARQL Update (DROP + INSERT DATA) at this URL instead of the Graph Store Protocol.")
@graph_options
def push(query_url, gsp_url, update_endpoint, graph):
    """Upload every named graph (one per source file) to a SPARQL server, replacing each graph
    the server already holds under the same name, so pushing twice never duplicates.

    Credentials come from KGRAPH_ENDPOINT_TOKEN, or KGRAPH_ENDPOINT_USER and
    KGRAPH_ENDPOINT_PASSWORD.

    \b
    Example:
        oxigraph serve --location /tmp/kg --union-default-graph &
        kgraph push --endpoint http://localhost:7878/query
        kgraph query two-way-pairs --endpoint http://localhost:7878/query
    """
    from kgraph.endpoint import RemoteStore, push as push_graphs

    remote = RemoteStore.from_environment(query_url)
    store = open_store(graph)
    with click.progressbar(store.sources, label="Pushing", file=sys.stderr,
                           hidden=len(store.sources) < 50 or not sys.stderr.isatty()) as bar:
        pushed = push_graphs(remote, list(bar), store, gsp_url=gsp_url, update_url=update_endpoint)
    click.echo(f"Pushed {len(pushed)} named graphs ({sum(n for _, n in pushed)} triples) to "
               f"{update_endpoint or gsp_url or query_url}.", err=True)


@click.command()
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True)
@click.option("--timeout", type=click.IntRange(min=1), default=60, show_default=True, help="Query timeout in seconds.")
@graph_options
def serve(port, timeout, graph):
    """Serve the graph as a read-only SPARQL endpoint on 127.0.0.1 (Oxigraph server).

    The store is built on disk (in --store DIR, reused while the sources are unchanged, else a
    temporary folder) and served with its default graph as the union of the named graphs.
    Stop it with Ctrl-C.

    \b
    Example:
        kgraph serve --port 7878
        kgraph serve --store ~/.cache/kgraph --data my-partnerships.ttl
        kgraph query two-way-pairs --endpoint http://127.0.0.1:7878/query
    """
    from dataclasses import replace

    exe = shutil.which("oxigraph") or str(__import__("pathlib").Path(sys.executable).with_name("oxigraph"))
    if not __import__("os").path.exists(exe):
        raise KgraphError("the oxigraph server is not installed: `pip install oxigraph` (a kgraph dependency)")
    temp = None
    if not graph.store:
        temp = tempfile.mkdtemp(prefix="kgraph-serve-")
        graph = replace(graph, store=temp)
    try:
        store = open_store(graph)
        location = str(store.path / "oxigraph")
        del store
        click.echo(f"Serving {location} read-only at http://127.0.0.1:{port}/query (Ctrl-C to stop)", err=True)
        code = subprocess.call([exe, "serve-read-only", "--location", location, "--bind", f"127.0.0.1:{port}",
                                "--union-default-graph", "--timeout-s", str(timeout)])
        if code not in (0, -2, 130):
            raise UsageError(f"the oxigraph server stopped with exit code {code} (is port {port} taken?)")
    except KeyboardInterrupt:
        pass
    finally:
        if temp:
            shutil.rmtree(temp, ignore_errors=True)


COMMANDS = (push, serve)
