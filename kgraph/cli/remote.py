"""Commands that talk to SPARQL servers: push (upload the graph) and serve (a local endpoint)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

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
@click.option("--prune", is_flag=True,
              help="Also drop the server's kgraph graphs (cedgraph: IRIs) of files that are not pushed now "
                   "(renamed or deleted), so their triples never count twice.")
@graph_options
def push(query_url, gsp_url, update_endpoint, prune, graph):
    """Upload every named graph (one per source file) to a SPARQL server, replacing each graph
    the server already holds under the same name, so pushing twice never duplicates.

    Each graph is streamed as one request (memory stays small at any size), with a deadline
    of KGRAPH_ENDPOINT_TIMEOUT plus time in proportion to its size. On failure, kgraph says
    which graphs were replaced and which were not. Credentials come from KGRAPH_ENDPOINT_TOKEN,
    or KGRAPH_ENDPOINT_USER and KGRAPH_ENDPOINT_PASSWORD.

    \b
    Example:
        oxigraph serve --location /tmp/kg --union-default-graph &
        kgraph push --endpoint http://localhost:7878/query
        kgraph push --endpoint http://localhost:7878/query --prune   # after renaming a data file
        kgraph query two-way-pairs --endpoint http://localhost:7878/query
    """
    from kgraph.endpoint import RemoteStore, push as push_graphs

    remote = RemoteStore.from_environment(query_url)
    store = open_store(graph)
    total = len(store)
    with click.progressbar(length=total, label="Pushing", file=sys.stderr,
                           hidden=total < 200_000 or not sys.stderr.isatty()) as bar:
        done = push_graphs(remote, store.sources, store, gsp_url=gsp_url, update_url=update_endpoint,
                           prune=prune, on_batch=bar.update)
    pruned = f"; dropped {len(done.pruned)} graphs of files no longer pushed" if prune else ""
    click.echo(f"Replaced {len(done.replaced)} named graphs ({done.triples} triples) at "
               f"{update_endpoint or gsp_url or query_url}{pruned}.", err=True)
    for g in done.pruned:
        click.echo(f"  dropped <{g}>", err=True)


@click.command()
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True)
@click.option("--timeout", type=click.IntRange(min=1), default=60, show_default=True,
              help="Longest a query may run, in seconds.")
@click.option("--allow-service", is_flag=True,
              help="Let queries use SERVICE (federated queries make this machine fetch other URLs).")
@graph_options
def serve(port, timeout, allow_service, graph):
    """Serve the graph as a read-only SPARQL endpoint on 127.0.0.1 (Oxigraph server behind a gate).

    The store is built on disk (in --store DIR, reused while the sources are unchanged, else a
    temporary folder removed on exit) and served with its default graph as the union of the
    named graphs. Only /query is answered; requests whose Host is not a loopback name and
    queries with SERVICE (unless --allow-service) are refused. Stop it with Ctrl-C, SIGTERM
    or SIGHUP: the Oxigraph child stops and the temporary store is removed.

    \b
    Example:
        kgraph serve --port 7878
        kgraph serve --store ~/.cache/kgraph --data my-partnerships.ttl
        kgraph query two-way-pairs --endpoint http://127.0.0.1:7878/query
    """
    from kgraph.servegate import Gate

    exe = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(exe).exists():
        raise KgraphError("the oxigraph server is not installed: `pip install oxigraph` (a kgraph dependency)")
    try:
        gate = Gate(port, 0, allow_service=allow_service, timeout=timeout)
    except OSError as e:
        raise UsageError(f"--port {port}: cannot listen on 127.0.0.1:{port} ({e.strerror or e}); "
                         "choose another --port or stop what uses it") from None
    temp = None
    child = None
    try:
        if not graph.store:
            temp = tempfile.mkdtemp(prefix="kgraph-serve-")
            graph = replace(graph, store=temp)
        store = open_store(graph)
        location = str(store.path / "oxigraph")
        del store
        child, gate.upstream = _start_oxigraph(exe, location, timeout)
        click.echo(f"Serving {location} read-only at http://127.0.0.1:{port}/query (Ctrl-C to stop)", err=True)
        threading.Thread(target=_watch_child, args=(child, gate), daemon=True).start()
        gate.serve_forever(poll_interval=0.2)
        if child.poll() not in (None, 0):
            raise UsageError(f"the oxigraph server stopped with exit code {child.returncode}")
    except KeyboardInterrupt:
        pass
    finally:
        gate.server_close()
        _stop(child)
        if temp:
            shutil.rmtree(temp, ignore_errors=True)


def _start_oxigraph(exe: str, location: str, timeout: int):
    """The read-only Oxigraph server on a private loopback port, once it answers."""
    from kgraph.servegate import free_loopback_port

    for _ in range(5):
        upstream = free_loopback_port()
        child = subprocess.Popen([exe, "serve-read-only", "--location", location, "--bind", f"127.0.0.1:{upstream}",
                                  "--union-default-graph", "--timeout-s", str(timeout)],
                                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and child.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", upstream), timeout=1).close()
                return child, upstream
            except OSError:
                time.sleep(0.05)
        _stop(child)
    err = (child.stderr.read().decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
    raise KgraphError(f"the oxigraph server did not start ({err})")


def _watch_child(child, gate) -> None:
    """Stop serving when the Oxigraph child dies, instead of answering 502 forever."""
    child.wait()
    gate.shutdown()


def _stop(child) -> None:
    if child is None or child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(10)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


COMMANDS = (push, serve)
