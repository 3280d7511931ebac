"""Importing filled-in CSV templates (see kgraph.importers.templates) as a graph, all-or-nothing.

Reading happens in two passes. The first (csv_rows) checks each file on its own — encoding,
columns, required values, dates, ids, allowed values — and the second (csv_names) resolves the
names rows use for one another (a flow's ``from``, a partnership's ``partners``) against the
other files and the graph being extended; csv_graph then builds the triples. Every problem of
both passes is collected and reported at once as ``file:row:column: message``; only an import
with none builds a graph.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kgraph.errors import ImportRejected, RowProblem
from kgraph.importers.common import Imported
from kgraph.importers.csv_graph import build
from kgraph.importers.csv_names import mint
from kgraph.importers.csv_rows import Reader, files, read_file
from kgraph.importers.mapping import Mapping, read_mapped
from kgraph.importers.matching import NameIndex
from kgraph.importers.templates import TEMPLATES


def read(paths: Sequence[str | Path], index: NameIndex, *, mapping: Mapping | None = None) -> Imported:
    """Read CSV templates (files, or folders of them) into an import; with *mapping*, CSV files
    in another schema, read through it (kgraph.importers.mapping).

    :raises ImportRejected: with every problem found, when there is any.
    """
    reader = Reader(index)
    if mapping is not None:
        read_mapped([Path(p) for p in paths], mapping, reader)
    else:
        for path, template in sorted(files(paths, reader), key=lambda f: list(TEMPLATES).index(f[1])):
            read_file(path, template, reader)
    reader.rows = [r for r in reader.rows if (r.path, r.line) not in reader.bad]  # reported; check the rest
    mint(reader)
    imported = build(reader)
    if reader.problems:
        raise ImportRejected(sorted(set(reader.problems), key=_problem_order))
    return imported


def _problem_order(p: RowProblem) -> tuple:
    return (p.path, p.row or 0, p.column or "", p.message)

