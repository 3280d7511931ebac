"""The SPARQL 1.1 Protocol's content: which Accept a query form needs, and reading the answer
into pyoxigraph results, with every bad body (truncated, unknown term type, a server that
cancels mid-body, results cut at the server's row cap) as one EndpointError line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox

from kgraph.errors import EndpointError
from kgraph.sparqlscan import strip_comments_and_literals

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)
_GRAPH = re.compile(r"(?<![\w:?$])(GRAPH|FROM)(?![\w:])", re.I)


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first form keyword outside strings and IRIs.

    >>> query_form('PREFIX a: <http://x/SELECT> CONSTRUCT { ?s ?p "ASK" } WHERE { ?s ?p ?o }')
    'CONSTRUCT'
    """
    m = _FORM.search(strip_comments_and_literals(text))
    return m.group(1).upper() if m else "SELECT"


def accept_for(text: str) -> str:
    """The Accept header for *text*'s form: results JSON for SELECT/ASK, N-Triples for graphs."""
    return N_TRIPLES if query_form(text) in ("CONSTRUCT", "DESCRIBE") else RESULTS_JSON


def scopes_graphs(text: str) -> bool:
    """True when the query names its graphs itself (GRAPH or FROM), so the default graph is moot."""
    return bool(_GRAPH.search(strip_comments_and_literals(text)))


def query_name(text: str) -> str:
    """The named query whose text this is (for messages), else its first words."""
    from kgraph import queries

    for name, q in queries.library().items():
        if q.text.strip() and q.text.strip() in text:
            return name
    words = " ".join(strip_comments_and_literals(text).split())
    return repr(words[:60] + ("…" if len(words) > 60 else ""))


def parse(data: bytes, headers: Mapping[str, str], *, url: str, what: str):
    """pyoxigraph results for a response body, checked all the way through first."""
    ctype = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if ctype in (RESULTS_JSON, "application/json"):
        count = _check(lambda: ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON), url, what)
        cap = headers.get("X-SPARQL-MaxRows")
        if cap and cap.strip().isdigit() and count >= int(cap):
            raise EndpointError(f"{url} cut the results of {what} at its limit of {cap} rows (X-SPARQL-MaxRows); "
                                "raise the server's cap (Virtuoso: ResultSetMaxRows in virtuoso.ini) or narrow the query")
        return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    fmt = ox.RdfFormat.from_media_type(ctype) if ctype else None
    if fmt is None:
        raise EndpointError(f"{url} answered {what} with {ctype or 'no content type'}; expected SPARQL results or RDF")
    _check(lambda: ox.parse(data, format=fmt), url, what)
    return [q.triple for q in ox.parse(data, format=fmt)]


def _check(results, url: str, what: str) -> int:
    """Parse every row once so a bad body fails here, in one line; returns the row count."""
    r = first = None
    try:
        r = results()
        return 1 if isinstance(r, ox.QueryBoolean) else sum(1 for _ in r)
    except (SyntaxError, ValueError, OSError, TypeError) as e:
        first = " ".join(str(e).split())[:200]
    finally:
        r = None  # noqa: F841 - pyoxigraph results must be dropped on the thread that made them
    raise EndpointError(f"{url} sent an answer to {what} that kgraph cannot read ({first}); the server may "
                        "have cancelled the query or cut the connection")
