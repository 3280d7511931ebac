"""Streaming an IATI file: the root element first, then each finished ``iati-activity``."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.parsers import expat

from kgraph.errors import RowProblem
from kgraph.importers.iati.terms import VERSIONS, Rejected


class _CountingReader:
    """A binary file that reports the bytes each read consumed (for a progress bar)."""

    def __init__(self, f, on_progress: Callable[[int], None] | None):
        self._f, self._on_progress = f, on_progress

    def read(self, size: int = -1) -> bytes:
        data = self._f.read(size)
        if data and self._on_progress is not None:
            self._on_progress(len(data))
        return data


def stream(path: Path, on_progress: Callable[[int], None] | None) -> Iterator[ET.Element]:
    """Yield the root element as soon as it starts, then each finished ``iati-activity``
    (removed from the tree once the caller has it, so memory stays flat).

    :raises Rejected: for XML that is not well-formed, naming the line.
    """
    depth, root = 0, None
    with path.open("rb") as f:
        try:
            for event, elem in ET.iterparse(_CountingReader(f, on_progress), events=("start", "end")):
                if event == "start":
                    depth += 1
                    if root is None:
                        root = elem
                        yield root
                    continue
                depth -= 1
                if depth == 1 and elem.tag == "iati-activity":
                    yield elem
                    root.remove(elem)
        except ET.ParseError as e:
            line, column = e.position
            message = f"not well-formed XML: {expat.ErrorString(e.code)} at column {column + 1}; fix the file"
            raise Rejected(RowProblem(str(path), line, None, message)) from None


def check_root(path: Path, root: ET.Element, line: int | None) -> None:
    """:raises Rejected: unless *root* is an ``iati-activities`` element of a version kgraph reads."""
    if root.tag != "iati-activities":
        what = "an IATI organisation file" if root.tag == "iati-organisations" else f"a <{root.tag}> document"
        raise Rejected(RowProblem(str(path), line, None,
                                   f"{what}, not an IATI activity file (root element iati-activities): "
                                   "give kgraph import iati activity files only"))
    version = (root.get("version") or "").strip()
    if version not in VERSIONS:
        raise Rejected(RowProblem(str(path), line, None,
                                   f"unsupported IATI version {version or '(none given)'}: kgraph reads 2.01-2.03"))

