"""CSV cells that spreadsheets will not run as formulas (OWASP's CSV-injection rule).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel, LibreOffice and Google Sheets, so text from data (a label, a quote) could run when a
user opens kgraph's CSV. Such cells get a leading apostrophe, which spreadsheets hide. Numbers
(``-0.333``, ``+1``) are left as they are: they are values, not formulas.
"""

from __future__ import annotations

import csv
import re
from typing import IO

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def safe_cell(value: object) -> object:
    """*value* made safe for a spreadsheet cell.

    >>> safe_cell("=HYPERLINK(\\"http://evil\\")"), safe_cell("-0.5"), safe_cell("@SUM(A1)"), safe_cell(3)
    ('\\'=HYPERLINK("http://evil")', '-0.5', "'@SUM(A1)", 3)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def restore_cell(value: str) -> str:
    """The inverse of :func:`safe_cell` for text read back from a CSV kgraph wrote (``kgraph
    template --from`` -> ``kgraph import csv``): the apostrophe before a formula start goes.

    >>> restore_cell("'=SUM(A1)"), restore_cell("'tis"), restore_cell("-0.5")
    ('=SUM(A1)', "'tis", '-0.5')
    """
    if value.startswith("'") and value[1:].startswith(_FORMULA_START) and not _NUMBER.match(value[1:]):
        return value[1:]
    return value


class SafeWriter:
    """A csv.writer whose every cell goes through :func:`safe_cell` (CRLF line ends)."""

    def __init__(self, f: IO[str]):
        self._w = csv.writer(f, lineterminator="\r\n")

    def writerow(self, row) -> None:
        self._w.writerow([safe_cell(v) for v in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)
