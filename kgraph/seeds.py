"""Local copies of source documents (``ced:localCopy``), found only inside a ``seeds/`` folder.

A data file names the text its quotes are checked against by a bare file name; the copy lives
in the ``seeds/`` folder beside the data file. A name that climbs out of that folder (``../``),
an absolute path or a link pointing elsewhere is refused, so a data file can never make kgraph
read (or ``kgraph template --from`` copy) an arbitrary file such as ``/etc/passwd``.
"""

from __future__ import annotations

import os
from pathlib import Path

from kgraph.errors import KgraphError


class LocalCopyError(KgraphError):
    """A ced:localCopy that names no readable UTF-8 file inside its seeds/ folder."""


def resolve(folder: Path, name: str) -> Path:
    """The file *name* inside *folder* (a ``seeds/`` folder).

    >>> resolve(Path("/d/seeds"), "000.txt").as_posix()
    '/d/seeds/000.txt'

    :raises LocalCopyError: when *name* is absolute, climbs out of *folder*, or resolves
        (through a link) to somewhere outside it.
    """
    if not name or os.path.isabs(name) or "\\" in name or any(part in ("..", "") for part in name.split("/")):
        raise LocalCopyError(f"ced:localCopy {name!r} must be a file name inside {folder}; give the bare name of a "
                             "file kept in seeds/")
    path = folder / name
    if path.exists():
        real, base = path.resolve(), folder.resolve()
        if base not in real.parents:
            raise LocalCopyError(f"ced:localCopy {name!r} leads outside {folder} (a link to {real}); keep the copy "
                                 "itself in seeds/")
    return path


def read(folder: Path, name: str) -> str:
    """The text of the local copy *name* in *folder*.

    :raises LocalCopyError: for a name outside the folder, a missing or unreadable file, or
        text that is not UTF-8. A gzip copy reads as its decompressed text. A ``.csv``/``.tsv`` copy reads as its text followed by its
        unquoted cells.
    """
    path = resolve(folder, name)
    try:
        text = _read_bytes(path).decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except FileNotFoundError:
        raise LocalCopyError(f"the local copy {path} is missing: add it or remove ced:localCopy") from None
    except UnicodeDecodeError as e:
        raise LocalCopyError(f"the local copy {path} is not UTF-8 text (byte {e.start}); save it as UTF-8") from None
    except OSError as e:
        raise LocalCopyError(f"the local copy {path} cannot be read ({(e.strerror or str(e)).lower()}); check its "
                             "permissions") from None
    return text + _cells(text, name) if name.lower().endswith((".csv", ".tsv")) else text


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, decompressed when it is gzip (an IATI file kept as ``.xml.gz``)."""
    data = path.read_bytes()
    if data[:2] != b"\x1f\x8b":
        return data
    import gzip
    import zlib

    try:
        return gzip.decompress(data)
    except (EOFError, zlib.error, gzip.BadGzipFile) as e:
        raise LocalCopyError(f"the local copy {path} is not a readable gzip file ({e}); copy it again") from None


def _cells(text: str, name: str) -> str:
    r'''A spreadsheet copy's cells as they read once unquoted (a doubled quote is one quote),
    one per line after the raw text, so a quote taken from a cell matches as a reader sees it.

    >>> _cells('a,"say ""hi"""\n', "x.csv")
    '\na\nsay "hi"'
    '''
    import csv
    import io

    try:
        rows = list(csv.reader(io.StringIO(text), delimiter="\t" if name.lower().endswith(".tsv") else ","))
    except csv.Error:
        return ""
    return "".join("\n" + cell for row in rows for cell in row)
