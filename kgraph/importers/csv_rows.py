"""Pass 1 of `kgraph import csv`: each template file on its own.

Reads one file's rows with the line each starts on and checks what a row can be checked for
without the others: encoding, header columns, required values, ids, dates, allowed values.
Problems are collected on the Reader as ``file:row:column`` lines.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kgraph.csvsafe import restore_cell
from kgraph.errors import RowProblem
from kgraph.importers.csv_text import CsvTextError, data_lines, decode, delimiter, records
from kgraph.importers.matching import NameIndex, slugify
from kgraph.importers.values import web_address
from kgraph.importers.templates import EVENT_TYPES, ORG_KINDS, STATUSES, TEMPLATES, columns, template_for
from kgraph.namespaces import PREFIXES, expand

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
EMAIL_PATTERN = re.compile(r"^[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+$")
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
    shown: dict[str, str] = field(default_factory=dict)  # field -> the column of the user's file it came from

    def where(self, column: str | None) -> str | None:
        """The column to name in a problem: the user's own when a mapping renamed it."""
        return self.shown.get(column, column) if column else column

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
    notes: list[str] = field(default_factory=list)  # what was read in a way the user may not expect
    on_flow: Callable[[Row], None] | None = None  # takes each checked flow row instead of keeping it in rows
    flow_slugs: dict[str, int] = field(default_factory=dict)  # slug of from, to and kind -> flows minted with it
    flow_iris: set[str] = field(default_factory=set)  # flows minted so far

    def problem(self, row: Row | None, path: str, line: int | None, column: str | None, message: str) -> None:
        shown = row.where(column) if row is not None else column
        self.problems.append(RowProblem(row.path if row else path, row.line if row else line, shown, message))
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


def read_file(path: Path, template: str, reader: Reader) -> None:
    """Check *path*'s rows as *template* rows and add them to *reader* (problems noted on it)."""
    shown = str(path)
    try:
        text, note = decode(path.read_bytes())
        if note:
            reader.notes.append(f"{shown}: {note}")
        lines = data_lines(text)
        first = next(lines, None)
        if first is None:
            reader.problem(None, shown, None, None, f"empty file: keep the header row ({','.join(columns(template))})")
            return
        sep = delimiter(first[1], columns(template))
        records = _records(first, lines, sep)
        header_line, header = next(records)
        header = [h.strip() for h in header]
        if not _header_ok(header, header_line, template, shown, reader):
            return
        for line, record in records:
            _add_row(template, shown, line, header, record, reader)
    except CsvTextError as e:
        reader.problem(None, shown, e.line, None, e.message)


def _records(first: tuple[int, str], lines, sep: str):
    yield from records(itertools.chain([first], lines), sep)


def _header_ok(header: list[str], line: int, template: str, shown: str, reader: Reader) -> bool:
    """Report unknown, missing and repeated columns; False when rows cannot be read by it."""
    known = columns(template)
    ok = True
    for h in header:
        if h and h not in known:
            reader.problem(None, shown, line, h, f"unknown column {h!r} in {template}.csv; "
                                                 f"the columns are {', '.join(known)}")
    for c in TEMPLATES[template]:
        if c.required and c.name not in header:
            reader.problem(None, shown, line, c.name, f"missing required column {c.name!r}; add it to the header")
            ok = False
    named = [h for h in header if h]
    if len(set(named)) != len(named):
        twice = sorted({h for h in named if named.count(h) > 1})
        reader.problem(None, shown, line, twice[0], f"column {twice[0]!r} appears twice in the header; keep one")
        ok = False
    return ok


def _add_row(template: str, shown: str, line: int, header: list[str], record: list[str], reader: Reader) -> None:
    """One record as a checked Row: extra cells refused, missing trailing cells empty."""
    extra = [c for c in record[len(header):] if c.strip()]
    if extra:
        reader.problem(None, shown, line, None, f"{len(record)} cells but {len(header)} columns; "
                                                "quote cells that contain the delimiter")
        return
    unnamed = [i + 1 for i, h in enumerate(header) if not h and i < len(record) and record[i].strip()]
    if unnamed:
        reader.problem(None, shown, line, f"#{unnamed[0]}", f"a value in column {unnamed[0]}, which has no name "
                                                            "in the header; name the column or empty the cell")
        return
    values = {h: restore_cell(record[i]) if i < len(record) else "" for i, h in enumerate(header) if h}
    row = Row(template, shown, line, values)
    check_row(row, reader)
    if template == "flows" and reader.on_flow is not None:
        reader.on_flow(row)  # built and written now: flow rows are never all in memory
    else:
        reader.rows.append(row)


def check_row(row: Row, reader: Reader) -> None:
    for c in TEMPLATES[row.template]:
        if c.required and not row.get(c.name):
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
    _check_contact(row, reader)
    for column in ("url", "website"):
        if row.get(column):
            try:
                web_address(row.get(column))
            except ValueError as e:
                reader.problem(row, "", None, column, str(e))
    if row.template == "sources" and "/" in row.get("local_copy"):
        reader.problem(row, "", None, "local_copy", "give only the file name; keep the file in seeds/ next to "
                                                    "the imported file")
    if row.template == "partnerships" and len(row.many("partners")) == 1:
        reader.problem(row, "", None, "partners", "a partnership needs at least two partners, separated by ';'")
    if row.template == "persons" and (row.get("role") or row.get("heads").lower() == "yes") \
            and not row.get("organisation"):
        reader.problem(row, "", None, "organisation", "role and heads need the organisation they apply to")


def _check_contact(row: Row, reader: Reader) -> None:
    """Coordinates are decimal degrees in range, given together; an e-mail address has one @."""
    if row.template != "organisations":
        return
    given = [c for c in ("latitude", "longitude") if row.get(c)]
    if len(given) == 1:
        other = "longitude" if given[0] == "latitude" else "latitude"
        reader.problem(row, "", None, other, f"{given[0]} is given but not {other}: give both or neither")
    for column, bound in (("latitude", 90), ("longitude", 180)):
        if row.get(column) and coordinate(row.get(column), bound) is None:
            reader.problem(row, "", None, column, f"{row.get(column)!r} is not a {column} in decimal degrees "
                                                  f"between -{bound} and {bound}, such as 51.5074")
    email = row.get("email")
    if email and not EMAIL_PATTERN.match(email.removeprefix("mailto:")):
        reader.problem(row, "", None, "email", f"{email!r} is not an e-mail address (one name@domain per cell)")


def coordinate(text: str, bound: int) -> Literal | None:
    """An xsd:decimal literal for a coordinate within ±*bound* degrees, else None."""
    from decimal import Decimal, InvalidOperation

    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    if not value.is_finite() or abs(value) > bound or "e" in text.lower():
        return None
    return Literal(str(value), datatype=XSD.decimal)


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

