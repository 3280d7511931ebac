"""Memory and time of ``kgraph push`` at a million generated triples, against a real Oxigraph
server started here on loopback, with default settings (no timeout raised).

The baseline is ``kgraph stats`` on the same graph in the same run (the cost of loading it);
the target is the client's peak under 300 MB and the push succeeding. Virtuoso is not run
here (see docs/servers.md).

Usage::

    .venv/bin/python bench/push_bench.py              # 1M triples
    .venv/bin/python bench/push_bench.py --size 200k
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import harness
from harness import KGRAPH, Target

TARGET_MB = 300


def start_oxigraph(location: str) -> tuple[subprocess.Popen, str]:
    exe = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([exe, "serve", "--location", location, "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1)
            return proc, base
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the oxigraph server did not start")


def run(size: int) -> list[Target]:
    data = harness.graph_file(triples=size)
    label = harness.size_label(harness.graph_counts(data)["triples"])
    base = ["--data", str(data)]
    load = harness.command([str(KGRAPH), "stats", *base])
    harness.progress("load (kgraph stats)", load)
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_oxigraph(tmp)
        try:
            pushed = harness.command([str(KGRAPH), "push", "--endpoint", url + "/query", *base], cap=1800)
            harness.progress("push to Oxigraph server", pushed)
            again = harness.command([str(KGRAPH), "push", "--endpoint", url + "/query", *base], cap=1800)
            harness.progress("push again (replaces)", again)
        finally:
            proc.terminate()
            proc.wait(30)
    rows = [["load (kgraph stats)", harness.secs(load.wall_s), harness.mb(load.peak_mb), "1.00x", load.error or "ok"]]
    for what, m in (("push to Oxigraph server", pushed), ("push again", again)):
        rows.append([what, harness.secs(m.wall_s), harness.mb(m.peak_mb), harness.ratio(m.peak_mb, load.peak_mb),
                     m.error or "ok"])
    harness.table(f"kgraph push of {label} triples (client peak memory against the load)",
                  ["step", "wall", "client peak", "vs load", "outcome"], rows)
    return [
        Target("push succeeds with default settings", pushed.error is None and again.error is None,
               pushed.error or again.error or "ok"),
        Target(f"client peak under {TARGET_MB} MB", pushed.peak_mb is not None and pushed.peak_mb < TARGET_MB,
               harness.mb(pushed.peak_mb)),
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="1M", help="triples in the generated graph (default 1M)")
    args = ap.parse_args(argv)
    harness.header("kgraph push at scale")
    targets = run(harness.parse_size(args.size))
    harness.print_targets(targets)
    return 0 if all(t.met is not False for t in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
