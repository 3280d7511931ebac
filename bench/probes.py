"""Memory and time bounds on the careless queries of issue 11, measured against the load.

Each probe runs ``kgraph`` as a user would, in its own process, on a generated graph; the
baseline is ``kgraph stats`` on the same graph in the same run (the cost of just loading it).

- a cartesian product (three unconstrained patterns) under ``--timeout``: stopped at the
  deadline (or at the memory ceiling, whichever comes first);
- ``SELECT * ... LIMIT 10000000 --format csv --out``: every triple streamed to the file, its
  memory that of the load (rows are written as they come, never collected);
- a three-way ``COUNT`` (which Oxigraph evaluates with hash joins that grow with the graph)
  under ``KGRAPH_MAX_MEMORY``: stopped at the ceiling instead of exhausting the machine.

Usage::

    .venv/bin/python bench/probes.py                 # 2M triples, ceiling 2G
    .venv/bin/python bench/probes.py --size 1M --ceiling 4G
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

import harness
from harness import KGRAPH, Target

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
DUMP = "SELECT * WHERE { ?s ?p ?o } LIMIT 10000000"
THREE_WAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?b ?q ?c . ?c ?r ?d }"


def run(size: int, ceiling: str, timeout: int) -> list[Target]:
    data = harness.graph_file(triples=size)
    counts = harness.graph_counts(data)
    label = harness.size_label(counts["triples"])
    base = ["--data", str(data)]
    load = harness.command([str(KGRAPH), "stats", *base])
    harness.progress("load (kgraph stats)", load)
    os.environ["KGRAPH_MAX_MEMORY"] = ceiling
    with tempfile.TemporaryDirectory() as tmp:
        cart = harness.command([str(KGRAPH), "query", "--sparql", CARTESIAN, "--timeout", str(timeout), *base],
                               cap=timeout * 4 + 60)
        harness.progress("cartesian product", cart)
        dump = harness.command([str(KGRAPH), "query", "--sparql", DUMP, "--format", "csv", "--timeout", "0",
                                "--out", os.path.join(tmp, "all.csv"), *base], cap=1800)
        harness.progress("LIMIT 10000000 to csv", dump)
        three = harness.command([str(KGRAPH), "query", "--sparql", THREE_WAY, "--timeout", "0", *base], cap=1800)
        harness.progress("three-way COUNT", three)
    del os.environ["KGRAPH_MAX_MEMORY"]
    rows = [
        ["load (kgraph stats)", harness.secs(load.wall_s), harness.mb(load.peak_mb), "1.00x", load.error or "ok"],
        [f"cartesian, --timeout {timeout}", harness.secs(cart.wall_s), harness.mb(cart.peak_mb),
         harness.ratio(cart.peak_mb, load.peak_mb), cart.error or "finished"],
        ["LIMIT 10000000 --format csv", harness.secs(dump.wall_s), harness.mb(dump.peak_mb),
         harness.ratio(dump.peak_mb, load.peak_mb), dump.error or "ok"],
        [f"three-way COUNT, ceiling {ceiling}", harness.secs(three.wall_s), harness.mb(three.peak_mb),
         harness.ratio(three.peak_mb, load.peak_mb), three.error or "finished"],
    ]
    harness.table(f"Careless queries on {label} triples (peak memory against the load)",
                  ["probe", "wall", "peak", "vs load", "outcome"], rows)
    limit_mb = harness_size_mb(ceiling)
    stopped = "exit 3" in (cart.error or "")
    return [
        Target(f"cartesian product stopped (at --timeout {timeout} s or the ceiling)", stopped and cart.wall_s < timeout + 30,
               f"{harness.secs(cart.wall_s)}, {cart.error or 'not stopped'}"),
        Target(f"cartesian product peak within the ceiling ({ceiling}) + 15%",
               cart.peak_mb is not None and cart.peak_mb <= limit_mb * 1.15, harness.mb(cart.peak_mb)),
        Target("LIMIT 10000000 to csv peak within 1.5x the load", _within(dump.peak_mb, load.peak_mb, 1.5),
               harness.ratio(dump.peak_mb, load.peak_mb)),
        Target(f"three-way COUNT peak within the ceiling ({ceiling}) + 15%",
               three.peak_mb is not None and three.peak_mb <= limit_mb * 1.15, harness.mb(three.peak_mb)),
    ]


def _within(a: float | None, b: float | None, factor: float) -> bool | None:
    if a is None or b is None:
        return None
    return a <= b * factor


def harness_size_mb(text: str) -> float:
    sys.path.insert(0, str(harness.ROOT))
    from kgraph.limits import parse_size

    return parse_size(text) / 2**20


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="2M", help="triples in the generated graph (default 2M)")
    ap.add_argument("--ceiling", default="2G", help="KGRAPH_MAX_MEMORY for every probe (default 2G)")
    ap.add_argument("--timeout", type=int, default=20, help="--timeout of the cartesian query, seconds (default 20)")
    args = ap.parse_args(argv)
    harness.header("kgraph careless-query bounds")
    targets = run(harness.parse_size(args.size), args.ceiling, args.timeout)
    harness.print_targets(targets)
    return 0 if all(t.met is not False for t in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
