"""Export a view graph for Gephi (GraphML, GEXF) and spreadsheets (CSV), attributes kept."""

from __future__ import annotations

import io
from pathlib import Path

from kgraph.csvsafe import SafeWriter
from kgraph.errors import OutputExists
from kgraph.fsutil import atomic_write, check_output, write_text_atomic

FORMATS = ("graphml", "gexf", "csv")


def targets(fmt: str, out: str | Path) -> list[Path]:
    """The files an export writes: *out* itself, or nodes.csv and edges.csv in the folder *out*."""
    out = Path(out)
    return [out / "nodes.csv", out / "edges.csv"] if fmt == "csv" else [out]


def check_targets(fmt: str, out: str | Path, *, force: bool = False) -> None:
    """Refuse the export's files early when one exists (without *force*) or a folder is in the way.

    :raises OutputExists: naming the path and the fix.
    """
    if fmt == "csv" and Path(out).exists() and not Path(out).is_dir():
        raise OutputExists(f"{out}: is a file; --format csv writes nodes.csv and edges.csv into a folder")
    for path in targets(fmt, out):
        check_output(path, force=force)


def write(g, fmt: str, out: str | Path) -> list[Path]:
    """Write *g* as *fmt* to *out* (a file; for csv a folder receiving nodes.csv and edges.csv).

    Returns the files written, each written atomically.
    """
    import networkx as nx

    out = Path(out)
    if fmt == "csv":
        out.mkdir(parents=True, exist_ok=True)
        write_text_atomic(out / "nodes.csv", nodes_csv(g))
        write_text_atomic(out / "edges.csv", edges_csv(g))
        return [out / "nodes.csv", out / "edges.csv"]
    writer = {"graphml": nx.write_graphml, "gexf": nx.write_gexf}[fmt]
    with atomic_write(out, "wb") as f:
        writer(g, f)
    return [out]


def _columns(items) -> list[str]:
    cols: list[str] = []
    for d in items:
        cols += [k for k in d if k not in cols]
    return cols


def nodes_csv(g) -> str:
    cols = _columns(d for _, d in g.nodes(data=True))
    buf = io.StringIO()
    w = SafeWriter(buf)
    w.writerow(["id", *cols])
    for n, d in sorted(g.nodes(data=True)):
        w.writerow([n, *(d.get(c, "") for c in cols)])
    return buf.getvalue()


def edges_csv(g) -> str:
    cols = _columns(d for _, _, d in g.edges(data=True))
    buf = io.StringIO()
    w = SafeWriter(buf)
    w.writerow(["source", "target", *cols])
    for u, v, d in sorted(g.edges(data=True), key=lambda e: (e[0], e[1], str(e[2].get("relation")))):
        w.writerow([u, v, *(d.get(c, "") for c in cols)])
    return buf.getvalue()
