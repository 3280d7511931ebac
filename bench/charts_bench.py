"""The report's four charts drawn by vl-convert (what kgraph uses) and, where it is installed, by
matplotlib (the other candidate of issue 16), on the bundled data: time per chart, SVG size,
whether two renders are byte-identical, and what the SVG carries for a screen reader.

Usage::

    .venv/bin/python bench/charts_bench.py            # vl-convert; matplotlib too if importable
    python -m venv /tmp/mpl && /tmp/mpl/bin/pip install matplotlib -e .  # to compare both

Figures from this machine are in docs/pictures.md.
"""

from __future__ import annotations

import io
import re
import statistics
import tempfile
import time
from pathlib import Path

REPEAT = 5


def bundled_charts():
    from kgraph import report
    from kgraph.sources import bundled_sources
    from kgraph.store import Store

    found = report.Report()
    steps = {s.name: s for s in report.plan(Store.in_memory(bundled_sources()), found)}
    folder = Path(tempfile.mkdtemp(prefix="kgraph-charts-bench-"))
    steps["query"].run(folder)
    steps["metrics"].run(folder)
    return report.charts(found)


def measure(name, render, specs) -> None:
    first = time.perf_counter()
    outputs = [render(s) for s in specs]
    first = time.perf_counter() - first
    times = []
    for spec in specs:
        runs = []
        for _ in range(REPEAT):
            t = time.perf_counter()
            render(spec)
            runs.append(time.perf_counter() - t)
        times.append(statistics.median(runs))
    same = all(render(s) == out for s, out in zip(specs, outputs))
    sizes = [len(out.encode()) for out in outputs]
    labelled = sum(len(re.findall(r"aria-label=", out)) for out in outputs)
    titled = all("<title>" in out for out in outputs)
    print(f"{name}: first pass over {len(specs)} charts {first:.2f} s; median per chart "
          f"{', '.join(f'{t * 1000:.0f}' for t in times)} ms; SVG {', '.join(f'{s / 1024:.1f}' for s in sizes)} KB; "
          f"byte-identical re-render: {same}; <title> in every chart: {titled}; aria-labels: {labelled}")


def vl_convert_render(chart):
    from kgraph import charts

    return charts.svg(chart.spec)


def matplotlib_render(chart):
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    matplotlib.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "kgraph"})
    rows = chart.spec["data"]["values"]
    if "from" in rows[0]:
        fig, ax = plt.subplots(figsize=(3, 3))
        ax.imshow([[r["flows"] for r in rows[:2]], [r["flows"] for r in rows[2:]]], cmap="Reds")
    else:
        fig, ax = plt.subplots(figsize=(6, 0.3 * len(rows) + 0.8))
        ax.bar_label(ax.barh([r["label"] for r in rows][::-1], [r["value"] for r in rows][::-1], color="#4e79a7"))
    ax.set_title(chart.spec["title"])
    fig.tight_layout()
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None, "Title": chart.spec["title"]})
    plt.close(fig)
    return out.getvalue()


def main() -> None:
    specs = bundled_charts()
    t = time.perf_counter()
    import vl_convert  # noqa: F401

    print(f"vl-convert import {time.perf_counter() - t:.3f} s")
    measure("vl-convert", vl_convert_render, specs)
    try:
        t = time.perf_counter()
        import matplotlib.pyplot  # noqa: F401
    except ImportError:
        print("matplotlib: not installed here (see the usage line above to compare)")
        return
    print(f"matplotlib import {time.perf_counter() - t:.3f} s")
    measure("matplotlib", matplotlib_render, specs)


if __name__ == "__main__":
    main()
