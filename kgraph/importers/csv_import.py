"""Importing filled-in CSV templates (see kgraph.importers.templates) as a graph, all-or-nothing.

Each row is checked on its own first (csv_rows: encoding, columns, required values, dates,
ids, allowed values); then the names rows use for one another (a flow's ``from``, a
partnership's ``partners``) are resolved against the other files and the graph being
extended (csv_names), and csv_graph builds the triples. Files are read in template order, so
every file but the flows is read, resolved and written before the first flow row; each flow
row is then checked, resolved and written as soon as it is read (one pass, memory that does
not grow with the flows). Every problem is collected and reported at once as
``file:row:column: message``; an import with any writes nothing (the output is a temporary
file until it has passed validation, see kgraph.importers.common.Staged).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kgraph.errors import ImportRejected, RowProblem
from kgraph.importers.common import Imported, new_graph
from kgraph.importers.csv_graph import Builder
from kgraph.importers.csv_rows import Reader, files, read_file
from kgraph.importers.mapping import Mapping, read_mapped
from kgraph.importers.matching import NameIndex
from kgraph.importers.templates import TEMPLATES


def read(paths: Sequence[str | Path], index: NameIndex, *, mapping: Mapping | None = None, sink=None) -> Imported:
    """Read CSV templates (files, or folders of them) into an import; with *mapping*, CSV files
    in another schema, read through it (kgraph.importers.mapping).

    The triples go to *sink* as they are made: an rdflib Graph (a new one when not given,
    returned as the import's ``graph``) or a kgraph.importers.turtle.TurtleWriter (as
    `kgraph import csv` does, through kgraph.importers.common.Staged). Flow rows are checked,
    built and written one by one as they are read, so memory does not grow with them.

    :raises ImportRejected: with every problem found, when there is any.
    """
    reader = Reader(index)
    builder = Builder(reader, new_graph() if sink is None else sink)
    if mapping is not None:
        read_mapped([Path(p) for p in paths], mapping, reader)  # its source row comes first: rows kept
    else:
        reader.on_flow = builder.flow  # flows.csv comes last: every name it uses is known
        for path, template in sorted(files(paths, reader), key=lambda f: list(TEMPLATES).index(f[1])):
            read_file(path, template, reader)
    imported = builder.finish()
    if reader.problems:
        raise ImportRejected(sorted(set(reader.problems), key=_problem_order))
    return imported


def _problem_order(p: RowProblem) -> tuple:
    return (p.path, p.row or 0, p.column or "", p.message)

