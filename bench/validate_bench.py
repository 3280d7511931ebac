#!/usr/bin/env python3
"""Validation at scale: each stage of ``kgraph validate`` timed against the load, with the
SHACL engine kgraph uses (pyshacl-turbo) beside pySHACL on the same graph.

Also checks the engines agree: on every shape fixture in tests/shapes, both must print the
same violations (``--fixtures``). Figures and ratios are printed; nothing is asserted by time.

    .venv/bin/python bench/generate.py --triples 100000 --out bench/out/g-100k.ttl
    .venv/bin/python bench/validate_bench.py bench/out/g-100k.ttl [--pyshacl] [--fixtures]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kgraph import validate as V
from kgraph.sources import Source, bundled_sources
from kgraph.store import Store

ROOT = Path(__file__).resolve().parent.parent


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def stages(path: Path, with_pyshacl: bool) -> None:
    import pyshacl

    store, load = timed(lambda: Store.in_memory(bundled_sources() + [Source(path, "data")]))
    index = V._NodeIndex(store)
    rows = [("load", load)]
    rows.append(("check queries", timed(lambda: V.check_query_violations(store, index))[1]))
    rows.append(("quotes", timed(lambda: V.quote_violations(store, index))[1]))
    rows.append(("SHACL (pyshacl-turbo)", timed(lambda: V.shacl_violations(store, index))[1]))
    if with_pyshacl:
        import pyshacl_turbo

        rows.append(("SHACL (turbo, rdflib copy)",
                     timed(lambda: V.shacl_violations(store, index, engine=pyshacl_turbo))[1]))
    if with_pyshacl:
        rows.append(("SHACL (pySHACL)", timed(lambda: V.shacl_violations(store, index, engine=pyshacl))[1]))
    print(f"{path.name}: {len(store)} quads" if hasattr(store, "__len__") else path.name)
    for name, seconds in rows:
        print(f"  {name:<24} {seconds:8.2f} s  {seconds / load:6.1f}x the load")


def fixtures() -> int:
    import pyshacl

    differ = 0
    paths = sorted((ROOT / "tests" / "shapes").glob("*.ttl"))
    for p in paths:
        store = Store.in_memory(bundled_sources() + [Source(p, "data")])
        index = V._NodeIndex(store)
        a = sorted(map(str, V.shacl_violations(store, index, engine=pyshacl)))
        b = sorted(map(str, V.shacl_violations(store, index)))  # pyshacl-turbo on the store itself
        if a != b:
            differ += 1
            print(f"DIFF {p.name}\n  pySHACL: {a}\n  turbo:   {b}")
    print(f"shape fixtures: {len(paths)}, engines differ on {differ}")
    return differ


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("graphs", nargs="*", type=Path)
    ap.add_argument("--pyshacl", action="store_true", help="also time pySHACL (slow)")
    ap.add_argument("--fixtures", action="store_true", help="compare the engines on every shape fixture")
    args = ap.parse_args()
    for g in args.graphs:
        stages(g, args.pyshacl)
    if args.fixtures and fixtures():
        sys.exit(1)


if __name__ == "__main__":
    main()
