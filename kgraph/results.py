"""Query results in the formats the ecosystem uses.

SELECT results become a :class:`Solutions` table written as an aligned text table (IRIs as
prefixed names), SPARQL 1.1 CSV, TSV or JSON; CONSTRUCT/DESCRIBE results are RDF triples;
ASK results are a boolean.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO

import pyoxigraph as ox

from kgraph.csvsafe import SafeWriter
from kgraph.namespaces import compact

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass
class Solutions:
    """A SELECT result: variable names and rows of terms (None where unbound)."""

    variables: list[str]
    rows: list[tuple[Term | None, ...]]

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> list[Term | None]:
        i = self.variables.index(name)
        return [r[i] for r in self.rows]

    def dicts(self) -> list[dict[str, Term | None]]:
        return [dict(zip(self.variables, r)) for r in self.rows]

    def values(self) -> list[tuple[object, ...]]:
        """Rows as plain Python values (see :func:`python_value`), for tests and notebooks."""
        return [tuple(python_value(t) for t in r) for r in self.rows]


def collect(result) -> Solutions | list[ox.Triple] | bool:
    """Materialise a pyoxigraph query result.

    :raises QueryError: when evaluation fails while the rows are read (Oxigraph computes
        them lazily, so a failing SERVICE or a store error surfaces here).
    """
    if isinstance(result, ox.QuerySolutions):
        names, rows = rows_of(result)
        return Solutions(names, list(rows))
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, (ox.QueryTriples, list)):
        return list(dict.fromkeys(reading(result)))  # a graph is a set; engines may repeat triples
    raise TypeError(f"unexpected query result {type(result).__name__}")


def python_value(term: Term | None) -> object:
    """Plain value of a term: numbers and booleans as Python numbers, IRIs as prefixed names,
    other literals as their lexical form."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    dt = term.datatype.value if term.datatype else ""
    if dt.endswith(("#integer", "#int", "#long", "#nonNegativeInteger")):
        return int(term.value)
    if dt.endswith(("#decimal", "#double", "#float")):
        return float(term.value)
    if dt.endswith("#boolean"):
        return term.value == "true"
    return term.value


def cell(term: Term | None, *, max_width: int = 0) -> str:
    """Text of a term in a table cell: prefixed IRIs, literal values on one line."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        text = compact(term.value)
    elif isinstance(term, ox.BlankNode):
        text = "_:" + term.value
    elif term.datatype is not None and term.datatype.value.endswith(("#decimal", "#double", "#float")):
        text = round_number(term.value)
    else:
        text = " ".join(term.value.split())
    if max_width and len(text) > max_width:
        text = text[: max_width - 1] + "…"
    return text


def round_number(value: str) -> str:
    """A number rounded to 3 decimals for reading (-0.333, 0.5, 1); CSV/JSON keep it whole."""
    try:
        text = f"{float(value):.3f}".rstrip("0").rstrip(".")
    except ValueError:
        return value
    return "0" if text == "-0" else text


def render_table(sol: Solutions, *, max_width: int = 80) -> str:
    """An aligned plain-text table with a header rule."""
    rows = [[cell(t, max_width=max_width) for t in r] for r in sol.rows]
    widths = [max([len(v)] + [len(r[i]) for r in rows]) for i, v in enumerate(sol.variables)]
    fmt = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    lines = [fmt(sol.variables), fmt(["-" * w for w in widths])]
    lines += [fmt(r) for r in rows]
    return "\n".join(lines) + "\n"


def rows_of(result) -> tuple[list[str], Iterator[tuple[Term | None, ...]]]:
    """Variable names and a lazy iterator over the rows of a SELECT result (pyoxigraph's, or
    collected Solutions), so outputs can be written row by row in bounded memory."""
    if isinstance(result, Solutions):
        return list(result.variables), iter(result.rows)
    names = [v.value for v in result.variables]
    return names, (tuple(sol[n] for n in names) for sol in reading(result))


def reading(items: Iterable) -> Iterator:
    """Iterate a lazy query result, turning evaluation errors into QueryError."""
    from kgraph.errors import QueryError

    it = iter(items)
    while True:
        try:
            item = next(it)
        except StopIteration:
            return
        except (OSError, RuntimeError, ValueError) as e:
            raise QueryError(f"query failed while its results were read: {e}") from None
        yield item


def write_csv(variables: Sequence[str], rows: Iterable[Sequence[Term | None]], f: IO[str]) -> int:
    """SPARQL 1.1 Query Results CSV (plain values, full IRIs, CRLF line ends), row by row.

    Cells that a spreadsheet would run as a formula get a leading apostrophe (kgraph.csvsafe).
    Returns the number of rows written.
    """
    w = SafeWriter(f)
    w.writerow(variables)
    n = 0
    for r in rows:
        w.writerow([_csv_value(t) for t in r])
        n += 1
    return n


def _csv_value(t: Term | None) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return "_:" + t.value
    return t.value


def write_tsv(variables: Sequence[str], rows: Iterable[Sequence[Term | None]], f: IO[str]) -> int:
    """SPARQL 1.1 Query Results TSV (terms in N-Triples syntax), row by row."""
    f.write("\t".join("?" + v for v in variables) + "\n")
    n = 0
    for r in rows:
        f.write("\t".join("" if t is None else str(t) for t in r) + "\n")
        n += 1
    return n


def write_json(variables: Sequence[str], rows: Iterable[Sequence[Term | None]], f: IO[str]) -> int:
    """SPARQL 1.1 Query Results JSON, one binding per line, row by row."""
    f.write(json.dumps({"head": {"vars": list(variables)}}, ensure_ascii=False)[:-1] + ', "results": {"bindings": [')
    n = 0
    for r in rows:
        binding = {v: _json_term(t) for v, t in zip(variables, r) if t is not None}
        f.write(("," if n else "") + "\n " + json.dumps(binding, ensure_ascii=False))
        n += 1
    f.write("\n]}}\n")
    return n


WRITERS = {"csv": write_csv, "tsv": write_tsv, "json": write_json}


def _to_text(writer, sol: Solutions) -> str:
    buf = io.StringIO()
    writer(sol.variables, sol.rows, buf)
    return buf.getvalue()


def to_csv(sol: Solutions) -> str:
    """SPARQL 1.1 Query Results CSV of collected solutions (see :func:`write_csv`)."""
    return _to_text(write_csv, sol)


def to_tsv(sol: Solutions) -> str:
    """SPARQL 1.1 Query Results TSV of collected solutions."""
    return _to_text(write_tsv, sol)


def to_json(sol: Solutions) -> str:
    """SPARQL 1.1 Query Results JSON of collected solutions."""
    return _to_text(write_json, sol)


def boolean_json(value: bool) -> str:
    return json.dumps({"head": {}, "boolean": value}) + "\n"


def _json_term(t: Term) -> dict[str, str]:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    out = {"type": "literal", "value": t.value}
    if t.language:
        out["xml:lang"] = t.language
    elif t.datatype and t.datatype.value != XSD_STRING:
        out["datatype"] = t.datatype.value
    return out


def solutions_from_dicts(variables: Sequence[str], rows: Iterable[dict[str, Term | None]]) -> Solutions:
    return Solutions(list(variables), [tuple(r.get(v) for v in variables) for r in rows])
