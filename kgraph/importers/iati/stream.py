"""Streaming an IATI file: the root element first, then each finished ``iati-activity``."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Callable, Iterator, Sequence
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


def is_gzip(path: Path) -> bool:
    """True for a gzip-compressed file (by its first two bytes, whatever its name)."""
    with path.open("rb") as f:
        return f.read(2) == b"\x1f\x8b"


def files(paths: Sequence[Path]) -> tuple[list[Path], list[RowProblem]]:
    """The files to read: *paths* with each folder replaced by the ``.xml`` and ``.xml.gz``
    files in it and its subfolders (sorted), and a problem for each folder holding none."""
    out, problems = [], []
    for path in paths:
        if not path.is_dir():
            out.append(path)
            continue
        found = sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith((".xml", ".xml.gz")))
        if not found:
            problems.append(RowProblem(str(path), None, None, "a folder with no .xml or .xml.gz file in it: "
                                                              "give IATI activity files or folders holding them"))
        out.extend(found)
    return list(dict.fromkeys(out)), problems


def stem(path: Path) -> str:
    """The file name without ``.xml`` or ``.xml.gz``.

    >>> stem(Path("d/nl-mfa.xml.gz")), stem(Path("a.b.xml"))
    ('nl-mfa', 'a.b')
    """
    name = path.name[:-3] if path.name.lower().endswith(".gz") else path.name
    return Path(name).stem


def read_text(path: Path) -> str:
    """The file's text (newlines universal, as ``Path.read_text`` gives them), decompressed if it is gzip.

    :raises UnicodeDecodeError: for text that is not UTF-8.
    :raises Rejected: for a damaged gzip file.
    """
    try:
        data = gzip.decompress(path.read_bytes()) if is_gzip(path) else path.read_bytes()
    except (OSError, EOFError, zlib.error) as e:
        raise Rejected(RowProblem(str(path), None, None, f"not a readable gzip file ({e}): compress it again "
                                                         "or give the .xml itself")) from None
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # as open() reads text


def stream(path: Path, on_progress: Callable[[int], None] | None) -> Iterator[ET.Element]:
    """Yield the root element as soon as it starts, then each finished ``iati-activity``
    (removed from the tree once the caller has it, so memory stays flat).

    :raises Rejected: for XML that is not well-formed, naming the line.
    """
    depth, root = 0, None
    with path.open("rb") as raw:
        f = _CountingReader(raw, on_progress)
        if is_gzip(path):
            f = gzip.GzipFile(fileobj=f, mode="rb")
        try:
            for event, elem in ET.iterparse(f, events=("start", "end")):
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

