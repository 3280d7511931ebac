"""Pass 1 of `kgraph import csv`: each template file on its own.

Reads one file's rows with the line each starts on and checks what a row can be checked for
without the others: encoding, header columns, required values, ids, dates, allowed values.
Problems are collected on the Reader as ``file:row:column`` lines.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kgraph.errors import RowProblem
from kgraph.importers.matching import NameIndex, slugify
from kgraph.importers.templates import EVENT_TYPES, ORG_KINDS, STATUSES, TEMPLATES, columns, template_for
from kgraph.namespaces import PREFIXES, expand

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
AGENT_GROUPS = ("organisation", "person")

#: The IRI namespace each template's rows are minted in.
NAMESPACE = {"sources": "cedsrc", "organisations": "cedorg", "persons": "cedper", "partnerships": "cedpart",
             "events": "cedevt", "flows": "cedflow"}
#: The NameIndex group a template's rows join.
GROUP = {"sources": "source", "organisations": "organisation", "persons": "person", "partnerships": "partnership",
         "events": "event"}


def ns(prefix: str, local: str = "") -> URIRef:
    return URIRef(PREFIXES[prefix] + local)


def curie(text: str) -> URIRef:
    return URIRef(expand(text))


@dataclass
class Row:
    """One data row of one template file, with the physical line it starts on."""

    template: str
    path: str
    line: int
    values: dict[str, str]
    iri: URIRef | None = None
    existing: bool = False  # the row describes a resource the graph already has

    def get(self, column: str) -> str:
        return self.values.get(column, "").strip()

    def many(self, column: str) -> list[str]:
        return [v.strip() for v in self.get(column).split(";") if v.strip()]


@dataclass
class Reader:
    """State of one import: the rows read, the problems found, the names known."""

    index: NameIndex
    rows: list[Row] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    bad: set[tuple[str, int]] = field(default_factory=set)  # rows that failed the pass-1 checks
    seeds: list[Path] = field(default_factory=list)  # local copies of sources found beside the CSV files

    def problem(self, row: Row | None, path: str, line: int | None, column: str | None, message: str) -> None:
        self.problems.append(RowProblem(row.path if row else path, row.line if row else line, column, message))
        if row is not None:
            self.bad.add((row.path, row.line))



# -- pass 1: files on their own ---------------------------------------------------------

def files(paths: Sequence[str | Path], reader: Reader) -> list[tuple[Path, str]]:
    out = []
    for raw in paths:
        p = Path(raw)
        candidates = sorted(p.glob("*.csv")) if p.is_dir() else [p]
        if p.is_dir() and not candidates:
            reader.problem(None, str(p), None, None, "no .csv files in this folder; write templates with "
                                                     "`kgraph template --out FOLDER`")
        for f in candidates:
            if not f.is_file():
                reader.problem(None, str(f), None, None, "no such file")
                continue
            template = template_for(f.stem)
            if template is None:
                reader.problem(None, str(f), None, None, "not a template name: call it "
                               + ", ".join(f"{t}.csv" for t in TEMPLATES))
                continue
            out.append((f, template))
    return out


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Non-comment, non-blank physical lines with their 1-based numbers."""
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        if line.lstrip().startswith("#") or not line.strip():
            continue
        yield number, line


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """CSV records with the line each starts on (a quoted cell may span lines)."""
    numbered = _lines(text)
    starts: list[int] = []

    def feed() -> Iterator[str]:
        for number, line in numbered:
            starts.append(number)
            yield line

    consumed = 0
    for record in csv.reader(feed()):
        yield starts[consumed], record
        consumed = len(starts)


def read_file(path: Path, template: str, reader: Reader) -> None:
    shown = str(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        reader.problem(None, shown, line, None, f"not UTF-8 text (byte 0x{data[e.start]:02X}); "
                                                "save the file as 'CSV UTF-8'")
        return
    records = _records(text)
    try:
        header_line, header = next(records)
    except StopIteration:
        reader.problem(None, shown, None, None, f"empty file: keep the header row ({','.join(columns(template))})")
        return
    except csv.Error as e:
        reader.problem(None, shown, 1, None, f"not valid CSV: {e}")
        return
    header = [h.strip() for h in header]
    known = columns(template)
    for h in header:
        if h not in known:
            reader.problem(None, shown, header_line, h, f"unknown column {h!r} in {template}.csv; "
                                                        f"the columns are {', '.join(known)}")
    for c in TEMPLATES[template]:
        if c.required and c.name not in header:
            reader.problem(None, shown, header_line, c.name, f"missing required column {c.name!r}; add it to the header")
    if len(set(header)) != len(header):
        reader.problem(None, shown, header_line, None, "a column name appears twice in the header")
    try:
        for line, record in records:
            if len(record) > len(header):
                reader.problem(None, shown, line, None, f"{len(record)} cells but {len(header)} columns; "
                                                        "quote cells that contain commas")
                continue
            row = Row(template, shown, line, dict(zip(header, record)))
            check_row(row, reader)
            reader.rows.append(row)
    except csv.Error as e:
        reader.problem(None, shown, None, None, f"not valid CSV: {e}")


def check_row(row: Row, reader: Reader) -> None:
    for c in TEMPLATES[row.template]:
        if c.required and c.name in row.values and not row.get(c.name):
            reader.problem(row, "", None, c.name, f"{c.name} is required")
    rid = row.get("id")
    if rid and not ID_PATTERN.match(rid):
        reader.problem(row, "", None, "id", f"id {rid!r} must be lower-case letters, digits and hyphens, "
                                            f"e.g. {slugify(rid)!r}")
    for column in ("date", "start", "end", "end_date"):
        if row.get(column) and date_literal(row.get(column)) is None:
            reader.problem(row, "", None, column, f"{row.get(column)!r} is not a date: write YYYY, YYYY-MM or "
                                                  "YYYY-MM-DD")
    if row.get("quote") and len(row.get("quote")) < 3:
        reader.problem(row, "", None, "quote", "a quote needs at least 3 characters of the source's words")
    checks = {("organisations", "kind"): ORG_KINDS, ("events", "type"): EVENT_TYPES,
              ("flows", "status"): {s: s for s in STATUSES}, ("persons", "heads"): {"yes": 1, "no": 0}}
    for (template, column), allowed in checks.items():
        value = row.get(column).lower() if template == row.template else ""
        if value and value not in allowed:
            reader.problem(row, "", None, column, f"{row.get(column)!r} is not one of {', '.join(allowed)}")
    if row.template == "sources" and row.get("url") and not row.get("url").startswith(("http://", "https://")):
        reader.problem(row, "", None, "url", "a url starts with http:// or https://")
    if row.template == "sources" and "/" in row.get("local_copy"):
        reader.problem(row, "", None, "local_copy", "give only the file name; keep the file in seeds/ next to "
                                                    "the imported file")
    if row.template == "partnerships" and len(row.many("partners")) == 1:
        reader.problem(row, "", None, "partners", "a partnership needs at least two partners, separated by ';'")
    if row.template == "persons" and (row.get("role") or row.get("heads").lower() == "yes") \
            and not row.get("organisation"):
        reader.problem(row, "", None, "organisation", "role and heads need the organisation they apply to")


def date_literal(text: str) -> Literal | None:
    """xsd:gYear, xsd:gYearMonth or xsd:date for YYYY, YYYY-MM, YYYY-MM-DD; None if invalid."""
    import datetime

    m = DATE_PATTERN.match(text.strip())
    if not m:
        return None
    year, month, day = m.groups()
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    datatype = XSD.date if day else XSD.gYearMonth if month else XSD.gYear
    return Literal(text.strip(), datatype=datatype)

