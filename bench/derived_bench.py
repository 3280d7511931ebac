"""Cost of the derived graph (kgraph.derived) on synthetic graphs: load without it, then each
rule's CONSTRUCT and the whole materialisation, with the number of triples derived.

    .venv/bin/python bench/derived_bench.py            # 100k and 1M triples
    .venv/bin/python bench/derived_bench.py 10000 100000 1000000

Writes the table to stdout (docs/performance.md, "Derived graph"). Linear growth is the target:
the seconds per million triples should stay about flat from 100k to 1M.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from kgraph import derived  # noqa: E402
from kgraph.sources import Source, bundled_sources  # noqa: E402
from kgraph.store import Store  # noqa: E402


def run(triples: int) -> None:
    path = HERE / "out" / f"g-{triples}.ttl"
    if not path.exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--triples", str(triples), "--out", str(path)],
                       check=True)
    t0 = time.perf_counter()
    store = Store.in_memory(bundled_sources() + [Source(path, "data")], derived=False)
    load = time.perf_counter() - t0
    ox_store = store.oxigraph
    asserted = [g for g in ox_store.named_graphs()]
    per_rule = []
    for rule in derived.rules():
        t = time.perf_counter()
        n = sum(1 for _ in ox_store.query(rule.text, default_graph=asserted))
        per_rule.append(f"{rule.name} {n:,} in {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    n = derived.materialise(ox_store)
    total = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| {triples:,} | {len(ox_store) - n:,} | {load:.2f} s | {n:,} | {total:.2f} s | "
          f"{total / (len(ox_store) - n) * 1e6:.2f} s | {rss:,.0f} MB |")
    print("  " + "; ".join(per_rule))


if __name__ == "__main__":
    print("| target | asserted triples | load (no derived) | derived triples | materialise | per 1M asserted | peak RSS |")
    print("|---|---|---|---|---|---|---|")
    for arg in sys.argv[1:] or ["100000", "1000000"]:
        run(int(arg))
