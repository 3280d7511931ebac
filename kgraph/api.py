"""The Python front door: ``kg = kgraph.open()``, then query, measure, draw and check.

One :class:`KnowledgeGraph` wraps the backend the CLI would use (kgraph.backend): the
embedded store loaded from the bundled data and any extra files, an on-disk store, or a
SPARQL endpoint. Every method calls the same library functions as the matching command, so
a notebook and ``kgraph query`` / ``kgraph metrics`` / ``kgraph viz`` print the same numbers.
"""

from __future__ import annotations

import datetime
import decimal
import html
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from kgraph.backend import GraphOptions, open_backend
from kgraph.errors import NotAvailable, ParameterError

PathLike = str | os.PathLike


def open(data: PathLike | Iterable[PathLike] | None = None, *, bundled_data: bool = True,  # noqa: A001
         store: PathLike | None = None, endpoint: str | None = None, lang: str = "en",
         strict: bool = False) -> KnowledgeGraph:
    """Open the knowledge graph: the bundled ontology, vocabularies and data, plus *data*.

    :param data: extra data, a Turtle file or a folder of them (or a list of such paths).
    :param bundled_data: include the curated data of the three seed documents.
    :param store: keep the store on disk in this folder, reused while the sources are unchanged.
    :param endpoint: query this SPARQL 1.1 endpoint instead (credentials from ``KGRAPH_ENDPOINT_*``).
    :param lang: label language of named queries (``en`` or ``fr``, falling back to the other).
    :param strict: make an undefined kgraph term in a query an error instead of a warning.
    :raises SourceNotFound: for a *data* path that does not exist.
    :raises ParseError: naming file, line and column of a syntax error in a source.
    :raises UsageError: for *endpoint* together with *data* or *store*.

    >>> import kgraph
    >>> kg = kgraph.open()
    >>> len(kg.query("two-way-pairs")) > 0
    True
    """
    paths = () if data is None else (data,) if isinstance(data, (str, os.PathLike)) else tuple(data)
    options = GraphOptions(data=tuple(str(p) for p in paths), bundled_data=bundled_data,
                           store=None if store is None else str(store), endpoint=endpoint)
    return KnowledgeGraph(open_backend(options), options, lang=lang, strict=strict)


class KnowledgeGraph:
    """The graph, opened: :meth:`query`, :meth:`metrics`, :meth:`graph`, :meth:`viz`, :meth:`validate`."""

    def __init__(self, backend, options: GraphOptions, *, lang: str = "en", strict: bool = False):
        self.backend = backend
        self.options = options
        self.lang = lang
        self.strict = strict

    def __repr__(self) -> str:
        if self.options.endpoint:
            return f"<KnowledgeGraph at {self.options.endpoint}>"
        return f"<KnowledgeGraph: {len(self.backend)} triples from {len(self.backend.sources)} files>"

    # -- SPARQL ---------------------------------------------------------------------

    def query(self, name_or_sparql: str, /, **params):
        """Run a named query (``kgraph queries`` lists them), a ``.rq`` file, or SPARQL text.

        Parameters are bound as typed RDF terms, never pasted into the text: for a named
        query as its header declares (strings are read as on the command line:
        ``partnership="eso-renapess"``); for SPARQL text by their Python type (str read by
        its look as ``--param`` does, int, float, Decimal, bool, date, :class:`~kgraph.rows.IRI`).
        Before it runs, the query is checked (see :mod:`kgraph.querycheck`).

        :returns: :class:`~kgraph.rows.Results` for SELECT, ``bool`` for ASK, an
            ``rdflib.Graph`` for CONSTRUCT and DESCRIBE.
        :raises QueryError: unknown query name, unknown prefix, syntax or evaluation error.
        :raises ParameterError: unknown, missing or ill-typed parameter.
        """
        from kgraph import queries
        from kgraph.results import collect
        from kgraph.rows import Results

        q = _resolve(name_or_sparql)
        bindings = queries.bind(q, {k: _param_value(q, k, v) for k, v in params.items()}, lang=self.lang)
        self._check(q, stacklevel=2)
        result = collect(self.backend.query(q.text, bindings=bindings))
        if isinstance(result, bool):
            return result
        if isinstance(result, list):
            from kgraph.convert import to_rdflib
            from rdflib import Graph

            g = Graph()
            for t in result:
                g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
            return g
        return Results(result, name=q.name)

    def check(self, name_or_sparql: str) -> list[str]:
        """Check a query without running it (as :meth:`query` does first): an unknown prefix
        raises QueryError; each term the ontology, vocabularies or loaded graph do not define
        is warned about (:class:`~kgraph.querycheck.UndefinedTermWarning`; an
        :class:`~kgraph.querycheck.UndefinedTerm` error when the graph is strict).
        Returns the warning messages."""
        return self._check(_resolve(name_or_sparql), stacklevel=2)

    def _check(self, q, *, stacklevel: int) -> list[str]:
        import warnings

        from kgraph import querycheck

        known, candidates = querycheck.store_lookup(self.backend)
        found = querycheck.check(q.text, strict=self.strict, known=known, candidates=candidates, query_name=q.name)
        for message in found:
            warnings.warn(querycheck.UndefinedTermWarning(message), stacklevel=stacklevel + 1)
        return found

    def named_queries(self) -> dict[str, str]:
        """The named queries and their titles."""
        from kgraph.queries import library

        return {name: q.title for name, q in library().items()}

    # -- analysis -------------------------------------------------------------------

    def metrics(self, level: str = "network", *, group_by: str = "north-south", kinds: str = "knowledge",
                status: str = "occurred", since: str | None = None, until: str | None = None,
                keep_persons: bool = False):
        """The metrics table of ``kgraph metrics --level LEVEL`` as a pandas DataFrame.

        *level* is ``network`` (measure, value), ``node`` (one row per agent) or ``pair``
        (one row per pair with flows); the other options are those of ``kgraph metrics``
        (*status* ``all`` for occurred and planned). Notes (e.g. sampled betweenness) are in
        ``df.attrs["notes"]``.

        :raises MissingExtra: when pandas is not installed.
        :raises ParameterError: for an unknown level or option value, or a date that is not one.
        """
        from kgraph import analysis
        from kgraph.rows import dataframe, pandas

        pandas()
        _choice("level", level, analysis.LEVELS)
        _choice("group_by", group_by, ("north-south", "country"))
        _choice("status", status, ("occurred", "planned", "all"))
        _check_dates(since=since, until=until)
        settings = analysis.Settings(kinds=analysis.kinds_option(kinds), since=since, until=until,
                                     status=None if status == "all" else status, group_by=group_by,
                                     keep_persons=keep_persons)
        t = analysis.table(analysis.fetch(self.backend, settings, lang=self.lang), level, settings)
        df = dataframe(t.columns, t.rows)
        df.attrs["notes"] = list(t.notes)
        return df

    def graph(self, view: str = "all", *, kinds: str = "all", status: str = "all", since: str | None = None,
              until: str | None = None, keep_persons: bool = False, query: str | None = None,
              params: Mapping[str, str] | None = None):
        """The networkx MultiDiGraph of a view (flows, partnerships, events or all), as
        ``kgraph export`` writes it: nodes are prefixed names with label, nodeType, place and
        group; edges carry relation, weight, status, dates, evidence and reciprocal.

        :raises ParameterError: for an unknown view or option value, or a date that is not one.
        """
        from kgraph import views

        _choice("view", view, views.VIEWS)
        _choice("status", status, ("occurred", "planned", "all"))
        _check_dates(since=since, until=until)
        g, _, _ = views.view_graph(self.backend, view, kinds=kinds, status=None if status == "all" else status,
                                   since=since, until=until, keep_persons=keep_persons, query=query, params=params,
                                   lang=self.lang)
        return g

    def viz(self, view: str = "all", *, kinds: str = "all", status: str = "all", since: str | None = None,
            until: str | None = None, keep_persons: bool = False, query: str | None = None,
            params: Mapping[str, str] | None = None, color_by: str = "class", size_by: str = "degree",
            max_nodes: int | None = None, title: str = "CED partnerships", height: int = 600) -> VizPage:
        """The interactive page of ``kgraph viz``: shown inline in Jupyter, saved with ``.save(path)``.

        :raises ParameterError: for an unknown view or option value.
        """
        from kgraph import views, viz

        _choice("view", view, views.VIEWS)
        _choice("status", status, ("occurred", "planned", "all"))
        _choice("color_by", color_by, viz.COLOURS)
        _choice("size_by", size_by, viz.SIZES)
        _check_dates(since=since, until=until)
        g, data, notes = views.view_graph(self.backend, view, kinds=kinds, status=None if status == "all" else status,
                                          since=since, until=until, keep_persons=keep_persons, query=query,
                                          params=params, lang=self.lang)
        page = viz.draw(g, data, title=title, lang=self.lang, color_by=color_by, size_by=size_by, max_nodes=max_nodes)
        return VizPage(page.html, nodes=page.nodes, edges=page.edges, notes=notes + page.notes, height=height)

    def validate(self, *, shapes: bool = True, checks: bool = True, quotes: bool = True) -> list:
        """Run ``kgraph validate``: SHACL shapes, SPARQL checks and verbatim quotes.

        :returns: a list of :class:`~kgraph.validate.Violation` (empty when all is well).
        :raises NotAvailable: for a graph opened on an endpoint (validate the files locally).
        """
        from kgraph.store import Store
        from kgraph.validate import validate

        if not isinstance(self.backend, Store):
            raise NotAvailable("validate checks the embedded store; open the graph without endpoint= to validate "
                               "its files")
        return validate(self.backend, shapes=shapes, checks=checks, quotes=quotes)


class VizPage:
    """One self-contained HTML page of the graph (works offline): ``.html``, ``.save(path)``,
    and an inline picture in Jupyter (an iframe holding the page itself, nothing fetched)."""

    def __init__(self, html_text: str, *, nodes: int, edges: int, notes: list[str], height: int = 600):
        self.html = html_text
        self.nodes, self.edges, self.notes, self.height = nodes, edges, notes, height

    def __repr__(self) -> str:
        return f"<VizPage: {self.nodes} nodes, {self.edges} edges>"

    def _repr_html_(self) -> str:
        return (f'<iframe class="kgraph-viz" srcdoc="{html.escape(self.html, quote=True)}" '
                f'style="width:100%;height:{int(self.height)}px;border:1px solid #ddd" '
                f'title="kgraph: {self.nodes} nodes, {self.edges} edges"></iframe>')

    def save(self, path: PathLike, *, force: bool = False) -> Path:
        """Write the page to *path* atomically; an existing file is replaced only with ``force=True``.

        :raises OutputExists: for an existing *path* without *force*, or a folder.
        """
        from kgraph.fsutil import check_output, write_text_atomic

        target = check_output(path, force=force, force_hint="force=True")
        write_text_atomic(target, self.html)
        return target


# -- helpers ------------------------------------------------------------------------

_FORM = re.compile(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", re.I)


def _resolve(name_or_sparql: str):
    """A named query or .rq file by name; SPARQL text when it reads as a query."""
    from kgraph import queries

    if not isinstance(name_or_sparql, str):
        raise ParameterError(f"give a query name or SPARQL text, not {type(name_or_sparql).__name__}")
    if name_or_sparql in queries.library() or "{" not in name_or_sparql or not _FORM.search(name_or_sparql):
        return queries.find(name_or_sparql)
    return queries.adhoc(name_or_sparql)


def _param_value(q, name: str, value: object):
    """A Python value as --param text (declared parameters) or an RDF term (SPARQL text)."""
    import pyoxigraph as ox

    from kgraph.namespaces import XSD
    from kgraph.rows import IRI

    declared = bool(q.params)
    if isinstance(value, IRI):
        return f"<{value.iri}>" if declared else ox.NamedNode(value.iri)
    if isinstance(value, str):
        return value
    if value is None:
        raise ParameterError(f"parameter {name!r}: None is not a value; leave the parameter out instead")
    if isinstance(value, bool):
        text, dt = ("true" if value else "false"), "boolean"
    elif isinstance(value, int):
        text, dt = str(value), "integer"
    elif isinstance(value, decimal.Decimal):
        text, dt = format(value, "f"), "decimal"
    elif isinstance(value, float):
        text, dt = repr(value), "double"
    elif isinstance(value, datetime.datetime):
        text, dt = value.isoformat(), "dateTime"
    elif isinstance(value, datetime.date):
        text, dt = value.isoformat(), "date"
    elif type(value).__module__.startswith(("rdflib", "pyoxigraph")):
        from kgraph.convert import to_oxigraph

        term = value if type(value).__module__.startswith("pyoxigraph") else to_oxigraph(value)
        return str(term) if declared and isinstance(term, ox.NamedNode) else (term.value if declared else term)
    else:
        raise ParameterError(f"parameter {name!r}: cannot bind a {type(value).__name__}; give a str, number, bool, "
                             "date or IRI")
    return text if declared else ox.Literal(text, datatype=ox.NamedNode(XSD + dt))


def _choice(name: str, value: object, allowed) -> None:
    if value not in allowed:
        raise ParameterError(f"{name}={value!r}: use one of {', '.join(map(repr, allowed))}")


def _check_dates(**values: str | None) -> None:
    from kgraph.queries import Param, to_term

    for name, value in values.items():
        if value is not None:
            try:
                to_term(Param(name, "date", None), str(value))
            except ParameterError as e:
                raise ParameterError(f"{name}={value!r}:{str(e).split(':', 1)[1]}") from None
