"""Mappings for other people's CSV: a TOML file saying which of their columns fill which
template fields, so a CSV in someone else's schema imports without code.

A mapping names the template its rows become (``organisations`` by default), then one entry
per template field under ``[fields]``: the column it comes from, or a table with a column
(or several columns joined), a value map (the file's words -> the template's, with a
``default``), a prefix, a separator for cells holding several values, or a constant
``value``. An optional ``[source]`` table describes the document every row cites; with
``local_copy = true`` that document is the CSV file itself, so every quote (taken from a
column, such as the name) is checked against it. Columns neither mapped nor listed under
``ignore`` are named in a note. See docs/mappings/README.md for the format.

>>> m = parse_mapping('[fields]\\nname = "Name"\\nkind = { value = "cooperative" }\\n', "m.toml")
>>> [(r.field, r.columns, r.value) for r in m.rules]
[('name', ('Name',), None), ('kind', (), 'cooperative')]
"""

from __future__ import annotations

import itertools
import tomllib
from collections.abc import Mapping as MappingType
from dataclasses import dataclass, field
from pathlib import Path

from kgraph.errors import ImportRejected, RowProblem
from kgraph.importers.csv_rows import Reader, Row, check_row
from kgraph.importers.csv_text import CsvTextError, data_lines, decode, delimiter, records
from kgraph.importers.matching import normalise, slugify
from kgraph.importers.templates import TEMPLATES, columns

RULE_KEYS = {"column", "columns", "join", "first", "values", "default", "prefix", "separator", "value"}
SOURCE_KEYS = {"id", "title", "publisher", "date", "url", "local_copy", "quote"}
TOP_KEYS = {"template", "description", "fields", "source", "ignore"}


class MappingError(Exception):
    """A mapping that cannot be used; *key* is the dotted TOML key at fault."""

    def __init__(self, key: str | None, message: str):
        super().__init__(message)
        self.key, self.message = key, message


@dataclass(frozen=True)
class Rule:
    """How one template field is filled from a row of the user's file."""

    field: str
    columns: tuple[str, ...] = ()
    join: str = " "
    first: bool = False  # take the first of the columns that is not empty, rather than joining them
    values: dict[str, str] = field(default_factory=dict)  # normalised cell -> template value
    default: str | None = None  # for cells the value map does not name (None: kept as they are)
    prefix: str = ""
    separator: str | None = None  # the file's separator of several values in a cell
    value: str | None = None  # a constant

    def apply(self, cells: MappingType[str, str]) -> str:
        """The field's text for one row whose cells (by column name) are *cells*."""
        if self.value is not None:
            return self.value
        parts = [p for p in (" ".join(cells.get(c, "").split()) for c in self.columns) if p]
        text = (parts[0] if parts else "") if self.first else self.join.join(parts)
        pieces = [p.strip() for p in text.split(self.separator)] if self.separator else [text]
        return ";".join(self._one(p) for p in pieces if p.strip() and self._one(p))

    def _one(self, piece: str) -> str:
        if self.values or self.default is not None:
            piece = self.values.get(normalise(piece), self.default if self.default is not None else piece)
        return self.prefix + piece if piece else ""


@dataclass(frozen=True)
class Mapping:
    """A parsed mapping file: the template, a rule per field, the source it may define."""

    path: str
    template: str
    rules: tuple[Rule, ...]
    source: dict[str, object] | None = None
    ignore: tuple[str, ...] = ()

    def used_columns(self) -> set[str]:
        return {c for r in self.rules for c in r.columns} | set(self.ignore)


def load_mapping(path: str | Path) -> Mapping:
    """Read and check a mapping file.

    :raises ImportRejected: with one ``file:key: message`` problem when it cannot be used.
    """
    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ImportRejected([RowProblem(shown, None, None, "no such mapping file")]) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ImportRejected([RowProblem(shown, None, None, f"cannot be read as UTF-8 text ({e})")]) from None
    return parse_mapping(text, shown)


def parse_mapping(text: str, shown: str) -> Mapping:
    """Parse mapping *text* (read from *shown*).

    :raises ImportRejected: with one problem naming the TOML key at fault.
    """
    try:
        data = tomllib.loads(text)
        return _mapping(data, shown)
    except tomllib.TOMLDecodeError as e:
        raise ImportRejected([RowProblem(shown, None, None, f"not valid TOML: {e}")]) from None
    except MappingError as e:
        raise ImportRejected([RowProblem(shown, None, e.key, e.message)]) from None


def _mapping(data: dict, shown: str) -> Mapping:
    _only(data, TOP_KEYS, None, "top-level keys")
    template = data.get("template", "organisations")
    if template not in TEMPLATES or template == "sources":
        raise MappingError("template", f"{template!r} is not a template a mapping can fill; use one of "
                           + ", ".join(t for t in TEMPLATES if t != "sources"))
    fields = data.get("fields")
    if not isinstance(fields, dict) or not fields:
        raise MappingError("fields", "a mapping needs a [fields] table: template field = \"column of your file\"")
    rules = tuple(_rule(name, spec, template) for name, spec in fields.items())
    source = _source(data.get("source"))
    named = {r.field for r in rules}
    if source is not None and "source" not in named:
        rules += (Rule("source", value=str(source["id"])),)
        named.add("source")
    for c in TEMPLATES[template]:
        if c.required and c.name not in named:
            raise MappingError("fields", f"no rule for the required field {c.name!r} of {template}.csv"
                               + (": add [source] or fields.source" if c.name == "source" else ""))
    ignore = data.get("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(c, str) for c in ignore):
        raise MappingError("ignore", "ignore is a list of column names: ignore = [\"Twitter\", \"Facebook\"]")
    return Mapping(shown, template, rules, source, tuple(ignore))


def _rule(name: str, spec, template: str) -> Rule:
    key = f"fields.{name}"
    if name not in columns(template):
        raise MappingError(key, f"{template}.csv has no field {name!r}; its fields are {', '.join(columns(template))}")
    if isinstance(spec, str):
        spec = {"column": spec}
    if not isinstance(spec, dict):
        raise MappingError(key, "give the column's name (\"Name\") or a table such as { column = \"Name\" }")
    _only(spec, RULE_KEYS, key, "keys of a field")
    for k in ("column", "join", "default", "prefix", "separator", "value"):
        if k in spec and not isinstance(spec[k], str):
            raise MappingError(f"{key}.{k}", f"{k} must be a string in quotes")
    cols = _columns(spec, key)
    if bool(cols) == ("value" in spec):
        raise MappingError(key, "give either column (or columns) or a constant value, not both or neither")
    if not isinstance(spec.get("first", False), bool):
        raise MappingError(f"{key}.first", "first is true (the first column that is not empty) or false")
    values = spec.get("values", {})
    if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
        raise MappingError(f"{key}.values", "values maps the file's words to the template's: "
                                            "values = { \"Co-op\" = \"cooperative\" }")
    if spec.get("separator") == "":
        raise MappingError(f"{key}.separator", "separator must not be empty")
    return Rule(name, cols, spec.get("join", " "), spec.get("first", False), {normalise(k): v for k, v in values.items()},
                spec.get("default"), spec.get("prefix", ""), spec.get("separator"), spec.get("value"))


def _columns(spec: dict, key: str) -> tuple[str, ...]:
    if "column" in spec and "columns" in spec:
        raise MappingError(key, "give column or columns, not both")
    if "columns" in spec:
        cols = spec["columns"]
        if not isinstance(cols, list) or not cols or not all(isinstance(c, str) and c for c in cols):
            raise MappingError(f"{key}.columns", "columns is a list of column names: columns = [\"Street\", \"Town\"]")
        return tuple(cols)
    if "column" in spec and not spec["column"].strip():
        raise MappingError(f"{key}.column", "the column name is empty")
    return (spec["column"],) if "column" in spec else ()


def _source(spec) -> dict[str, object] | None:
    if spec is None:
        return None
    if not isinstance(spec, dict):
        raise MappingError("source", "source is a table: [source] with id, title and quote")
    _only(spec, SOURCE_KEYS, "source", "keys of [source]")
    for k in ("id", "title"):
        if not isinstance(spec.get(k), str) or not spec[k].strip():
            raise MappingError(f"source.{k}", f"[source] needs {k} = \"...\"")
    if "local_copy" in spec and not isinstance(spec["local_copy"], bool):
        raise MappingError("source.local_copy", "local_copy is true (the CSV file itself is the source's text) "
                                                "or false")
    for k in SOURCE_KEYS - {"local_copy"}:
        if k in spec and not isinstance(spec[k], str):
            raise MappingError(f"source.{k}", f"{k} must be a string in quotes")
    return dict(spec)


def _only(table: dict, allowed: set[str], key: str | None, what: str) -> None:
    for k in table:
        if k not in allowed:
            where = f"{key}.{k}" if key else k
            raise MappingError(where, f"unknown key {k!r}; the {what} are {', '.join(sorted(allowed))}")


# -- rows of the user's file as template rows ---------------------------------------------

def read_mapped(paths: list[Path], mapping: Mapping, reader: Reader) -> None:
    """Read each CSV file in *paths* through *mapping* into template rows on *reader*."""
    if mapping.source is not None and mapping.source.get("local_copy") and len(paths) > 1:
        reader.problem(None, mapping.path, None, "source.local_copy", "local_copy = true makes one CSV file the "
                       f"source's text, but {len(paths)} files are given: import them one at a time")
        return
    for path in paths:
        if not path.is_file():
            reader.problem(None, str(path), None, None, "no such file (with --mapping, give CSV files, not folders)")
            continue
        _read_one(path, mapping, reader)


def _read_one(path: Path, mapping: Mapping, reader: Reader) -> None:
    shown = str(path)
    try:
        text, note = decode(path.read_bytes())
        if note:
            reader.notes.append(f"{shown}: {note}")
        lines = data_lines(text)
        first = next(lines, None)
        if first is None:
            reader.problem(None, shown, None, None, "empty file: it needs its header row")
            return
        sep = delimiter(first[1], sorted(mapping.used_columns()))
        found = records(itertools.chain([first], lines), sep)
        _, header = next(found)
        map_file(mapping, path, [h.strip() for h in header], found, reader)
    except CsvTextError as e:
        reader.problem(None, shown, e.line, None, e.message)


def map_file(mapping: Mapping, path: Path, header: list[str], records, reader: Reader) -> None:
    """Turn the user's *records* (line, cells) under *header* into template rows on *reader*."""
    shown = str(path)
    missing = sorted({c for r in mapping.rules for c in r.columns} - set(header))
    if missing:
        reader.problem(None, mapping.path, None, _key_of(mapping, missing[0]),
                       f"column {missing[0]!r} is not in {shown}'s header ({', '.join(h for h in header if h)})")
        return
    unused = [h for h in header if h and h not in mapping.used_columns()]
    if unused:
        reader.notes.append(f"{shown}: columns not mapped, left out: {', '.join(unused)} "
                            f"(list them under ignore in {mapping.path} to silence this)")
    if mapping.source is not None:
        _source_row(mapping, path, reader)
    from_column = {r.field: (" or " if r.first else " + ").join(r.columns) for r in mapping.rules if r.columns}
    for line, record in records:
        if len(record) > len(header) and any(c.strip() for c in record[len(header):]):
            reader.problem(None, shown, line, None, f"{len(record)} cells but {len(header)} columns; "
                                                    "quote cells that contain the delimiter")
            continue
        cells = {h: record[i] if i < len(record) else "" for i, h in enumerate(header) if h}
        values = {r.field: r.apply(cells) for r in mapping.rules}
        if "id" in values and values["id"]:
            values["id"] = slugify(values["id"])
        row = Row(mapping.template, shown, line, values, shown=dict(from_column))
        check_row(row, reader)
        reader.rows.append(row)


def _source_row(mapping: Mapping, path: Path, reader: Reader) -> None:
    """The document the mapping's rows cite, as a sources row (the CSV file as its local copy)."""
    spec = mapping.source
    values = {k: str(v) for k, v in spec.items() if k != "local_copy"}
    if spec.get("local_copy"):
        values["local_copy"] = path.name
    values.setdefault("quote", str(spec["title"]) if not spec.get("local_copy") else "")
    if not values["quote"]:
        values["quote"] = _first_line(path)
    row = Row("sources", str(path), None, values, shown={k: f"source.{k}" for k in values})
    check_row(row, reader)
    reader.rows.insert(0, row)


def _first_line(path: Path) -> str:
    """The header line of the CSV file, a verbatim quote of it that identifies the document."""
    with path.open(encoding="utf-8-sig", errors="replace") as f:
        return f.readline().rstrip("\r\n")


def _key_of(mapping: Mapping, column: str) -> str:
    rule = next(r for r in mapping.rules if column in r.columns)
    return f"fields.{rule.field}"
