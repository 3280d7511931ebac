"""A SELECT result for Python users: rows of plain Python values, a DataFrame, CSV, HTML.

Each RDF term becomes the Python value a researcher would write:

==========================================  ==============================================
RDF term                                    Python value
==========================================  ==============================================
IRI                                         :class:`IRI`, a ``str`` holding the prefixed
                                            name (``cedorg:renapess``; ``<iri>`` when no
                                            prefix fits), with ``.iri`` the full IRI
blank node                                  ``str`` ``"_:b0"``
xsd:integer, int, long, … (integer types)   ``int``
xsd:decimal                                 :class:`decimal.Decimal` (exact)
xsd:double, xsd:float                       ``float``
xsd:boolean                                 ``bool``
xsd:date                                    :class:`datetime.date`
xsd:dateTime                                :class:`datetime.datetime`
language-tagged string                      :class:`LangString`, a ``str`` with ``.lang``
anything else (xsd:gYear, gYearMonth, …)    ``str``: the lexical form (``"2005"``)
unbound                                     ``None``
==========================================  ==============================================

An ill-typed literal (``"2007-02-30"^^xsd:date``) keeps its lexical form as a ``str``.
:meth:`Results.to_pandas` turns Decimal columns into floats and integer columns with gaps
into pandas' nullable ``Int64``.
"""

from __future__ import annotations

import datetime
import decimal
import html
from collections.abc import Iterator, Sequence

import pyoxigraph as ox

from kgraph.errors import MissingExtra
from kgraph.namespaces import compact, iri_of
from kgraph.results import Solutions, cell, write_csv

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                               "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
                               "unsignedShort", "unsignedByte")}
HTML_ROWS = 50  # rows a notebook shows before "… and N more rows"


class IRI(str):
    """An IRI as its prefixed name (``cedorg:renapess``); ``.iri`` is the full IRI.

    >>> i = IRI.of("https://w3id.org/cedkg/id/org/renapess")
    >>> (i, i.iri, i == "cedorg:renapess")
    (IRI('cedorg:renapess'), 'https://w3id.org/cedkg/id/org/renapess', True)
    """

    __slots__ = ()

    @classmethod
    def of(cls, iri: str) -> IRI:
        return cls(compact(iri))

    @property
    def iri(self) -> str:
        return iri_of(str(self))

    def __repr__(self) -> str:
        return f"IRI({str(self)!r})"


class LangString(str):
    """A language-tagged string; ``.lang`` is its tag (``en``, ``fr``).

    >>> s = LangString("Réseau", "fr")
    >>> (s, s.lang, s == "Réseau")
    (LangString('Réseau', 'fr'), 'fr', True)
    """

    lang: str

    def __new__(cls, value: str, lang: str) -> LangString:
        s = super().__new__(cls, value)
        s.lang = lang
        return s

    def __repr__(self) -> str:
        return f"LangString({str(self)!r}, {self.lang!r})"

    def __reduce__(self):
        return (LangString, (str(self), self.lang))


def value_of(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> object:
    """The Python value of one RDF term (see the module's table).

    >>> value_of(ox.Literal("0.5", datatype=ox.NamedNode(XSD + "decimal")))
    Decimal('0.5')
    >>> value_of(ox.Literal("2005-11-02", datatype=ox.NamedNode(XSD + "date")))
    datetime.date(2005, 11, 2)
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return IRI.of(term.value)
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if term.language:
        return LangString(term.value, term.language)
    dt, text = term.datatype.value, term.value
    try:
        if dt in _INTEGERS:
            return int(text)
        if dt == XSD + "decimal":
            return decimal.Decimal(text)
        if dt in (XSD + "double", XSD + "float"):
            return float(text)
        if dt == XSD + "boolean":
            return text in ("true", "1")
        if dt == XSD + "date":
            return datetime.date.fromisoformat(text)
        if dt == XSD + "dateTime":
            return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, decimal.InvalidOperation):
        pass
    return text


class Row(tuple):
    """One result row: a tuple of values that also answers ``row["name"]`` and ``row.name``."""

    _fields: tuple[str, ...] = ()

    def __new__(cls, fields: Sequence[str], values: Sequence[object]) -> Row:
        r = super().__new__(cls, values)
        r._fields = tuple(fields)
        return r

    def __getitem__(self, key):
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._fields.index(key))
            except ValueError:
                raise KeyError(key) from None
        return tuple.__getitem__(self, key)

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def asdict(self) -> dict[str, object]:
        return dict(zip(self._fields, self))

    def __repr__(self) -> str:
        return "Row(" + ", ".join(f"{k}={v!r}" for k, v in zip(self._fields, self)) + ")"


class Results:
    """The rows of a SELECT query, as Python values (see :mod:`kgraph.rows`).

    ``len(results)``, iteration (``for row in results``: :class:`Row` tuples),
    ``results.variables``, ``results.rows`` (lists of values), ``results.terms`` (the RDF
    terms, pyoxigraph), :meth:`to_pandas`, :meth:`to_csv`, and an HTML table in notebooks.
    """

    def __init__(self, solutions: Solutions, *, name: str = ""):
        self.variables: list[str] = list(solutions.variables)
        self.terms: list[tuple] = list(solutions.rows)
        self.name = name
        self._rows: list[Row] | None = None

    @property
    def rows(self) -> list[Row]:
        if self._rows is None:
            self._rows = [Row(self.variables, [value_of(t) for t in r]) for r in self.terms]
        return self._rows

    def __len__(self) -> int:
        return len(self.terms)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __getitem__(self, i):
        return self.rows[i]

    def __repr__(self) -> str:
        return f"<Results {self.name or 'query'}: {len(self)} rows × {len(self.variables)} columns ({', '.join(self.variables)})>"

    def column(self, name: str) -> list[object]:
        """The values of one variable, row by row.

        :raises KeyError: naming the variables there are.
        """
        if name not in self.variables:
            raise KeyError(f"{name!r}: the result has no such column; it has {', '.join(self.variables)}")
        i = self.variables.index(name)
        return [r[i] for r in self.rows]

    def to_pandas(self):
        """A pandas DataFrame, one column per variable (Decimals as floats, integers with gaps
        as nullable Int64, IRIs as prefixed-name strings).

        :raises MissingExtra: when pandas is not installed (``pip install 'kgraph[notebook]'``).
        """
        return dataframe(self.variables, [list(r) for r in self.rows])

    def to_csv(self, path=None, *, force: bool = False) -> str | None:
        """SPARQL 1.1 results CSV (full IRIs, as ``kgraph query --format csv`` writes it).

        Returns the text when *path* is None; otherwise writes *path* atomically and returns
        None. An existing file is replaced only with ``force=True``.

        :raises OutputExists: for an existing *path* without *force*.
        """
        import io

        if path is None:
            buf = io.StringIO()
            write_csv(self.variables, self.terms, buf)
            return buf.getvalue()
        from kgraph.fsutil import atomic_write, check_output

        check_output(path, force=force, force_hint="force=True")
        with atomic_write(path, "w", encoding="utf-8") as f:
            write_csv(self.variables, self.terms, f)
        return None

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(v)}</th>" for v in self.variables)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(cell(t))}</td>" for t in r) + "</tr>"
                       for r in self.terms[:HTML_ROWS])
        more = len(self) - HTML_ROWS
        tail = f"<p>… and {more} more rows (use .to_pandas() or .to_csv())</p>" if more > 0 else ""
        n = len(self)
        return (f'<table class="kgraph-results"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{tail}'
                f"<p>{n} row{'s' if n != 1 else ''}</p>")


def pandas():
    """The pandas module, or a typed error saying how to install it."""
    try:
        import pandas as pd
    except ImportError:
        raise MissingExtra("pandas is not installed; install kgraph's notebook extra: "
                           "pip install 'kgraph[notebook]' (or pip install pandas)") from None
    return pd


def dataframe(columns: Sequence[str], rows: Sequence[Sequence[object]]):
    """A DataFrame of plain values, one dtype per column by what it holds: whole numbers as
    int64 (nullable Int64 with gaps), Decimals and floats as float64, text as strings, mixed
    columns (a network table's value column) as objects holding each value as it is."""
    pd = pandas()
    data = {}
    for i, name in enumerate(columns):
        values = [r[i] for r in rows]
        data[name] = _series(pd, values)
    return pd.DataFrame(data, columns=list(columns))


def _series(pd, values: list[object]):
    present = [v for v in values if v is not None]
    kinds = {_kind(v) for v in present}
    if kinds == {"int"}:
        return pd.Series(values, dtype="int64" if len(present) == len(values) else "Int64")
    if kinds and kinds <= {"float", "decimal"}:
        return pd.Series([None if v is None else float(v) for v in values], dtype="float64")
    if kinds == {"str"}:
        return pd.Series([None if v is None else str(v) for v in values])
    if kinds == {"bool"} and len(present) == len(values):
        return pd.Series(values, dtype=bool)
    return pd.Series(values, dtype=object)


def _kind(v: object) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, decimal.Decimal):
        return "decimal"
    if isinstance(v, str):
        return "str"
    return type(v).__name__
