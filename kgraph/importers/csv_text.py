"""Spreadsheets as people save them: encoding and delimiter detected, records with their lines.

Excel and LibreOffice save "CSV" as UTF-8 (with or without a byte-order mark), UTF-16 ("Unicode
text", with a mark) or the Windows code page, separated by commas, or by semicolons in locales
whose decimal mark is a comma, or by tabs. The encoding is read from the byte-order mark, else
UTF-8 is tried, else Windows-1252 (said in a note); the delimiter is the one of ``, ; tab |``
that splits the header row into the most column names kgraph knows.

>>> decode("Name;Pays\\n".encode("cp1252"))
('Name;Pays\\n', None)
>>> delimiter("id;name;kind", ["id", "name", "kind"])
';'
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator, Sequence

DELIMITERS = (",", ";", "\t", "|")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class CsvTextError(Exception):
    """The text cannot be read as CSV; *line* is the 1-based line where it went wrong."""

    def __init__(self, line: int | None, message: str):
        super().__init__(message)
        self.line, self.message = line, message


def decode(data: bytes) -> tuple[str, str | None]:
    """The text of *data* and a note naming the encoding when it was not UTF-8.

    :raises CsvTextError: for bytes no supported encoding reads (a binary file, say).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), None
            except UnicodeDecodeError as e:
                raise CsvTextError(None, f"not {encoding.upper()} text after its byte-order mark (byte {e.start}); "
                                         "save the file as 'CSV UTF-8'") from None
    if b"\x00" in data[:4096]:
        raise CsvTextError(None, "holds NUL bytes, so it is not a text file (UTF-16 without a byte-order mark, or "
                                 "a spreadsheet's own format?); save it as 'CSV UTF-8'")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        bad = e.start
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise CsvTextError(line, f"not UTF-8 text (byte 0x{data[bad]:02X}); save the file as 'CSV UTF-8'") from None
    return text, (f"not UTF-8 (byte 0x{data[bad]:02X} on line {line}): read as Windows-1252; "
                  "save the file as 'CSV UTF-8' if any letter looks wrong")


def delimiter(header_line: str, known: Sequence[str]) -> str:
    """The delimiter that splits *header_line* into the most names of *known* (comma on a tie)."""
    wanted = {k.casefold() for k in known}

    def score(d: str) -> int:
        cells = next(csv.reader([header_line], delimiter=d), [])
        return sum(c.strip().casefold() in wanted for c in cells)

    return max(DELIMITERS, key=lambda d: (score(d), d == ","))


def data_lines(text: str) -> Iterator[tuple[int, str]]:
    """Non-comment, non-blank physical lines with their 1-based numbers."""
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        if line.lstrip().startswith("#") or not line.strip():
            continue
        yield number, line


def records(lines: Iterator[tuple[int, str]], sep: str) -> Iterator[tuple[int, list[str]]]:
    """CSV records with the line each starts on (a quoted cell may span lines).

    :raises CsvTextError: for a quote left open or stray text after a closing quote.
    """
    starts: list[int] = []

    def feed() -> Iterator[str]:
        for number, line in lines:
            starts.append(number)
            yield line

    consumed = 0
    reader = csv.reader(feed(), delimiter=sep, strict=True)
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            line = starts[consumed] if consumed < len(starts) else (starts[-1] if starts else None)
            raise CsvTextError(line, _explain(str(e))) from None
        yield starts[consumed], record
        consumed = len(starts)


def _explain(error: str) -> str:
    if "EOF" in error or "unexpected end of data" in error:
        return "a quoted cell is never closed: add the closing \" (or remove the opening one)"
    if "expected" in error and "after" in error:
        return "text after a closing quote: write a \" inside a quoted cell as \"\""
    if "NUL" in error:
        return "a NUL byte in the line: save the file as 'CSV UTF-8'"
    return f"not valid CSV ({error})"
