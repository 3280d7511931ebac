"""Looking at SPARQL text without running it: the one scanner that finds comments, strings and
IRIs, so that words inside them never count.

Used to refuse ``SERVICE`` (a federated query makes kgraph fetch from any URL the query names)
before a query reaches a store, embedded or served, to find a query's form and prefixed names
(:mod:`kgraph.querycheck`) and the group patterns parameters are bound into (:mod:`kgraph.binding`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

IRI = re.compile(r"<([^\s<>\"{}|\\^`]*)>")
_SERVICE = re.compile(r"(?<![\w:?$.-])SERVICE(?![\w:.-])", re.I)


def uses_service(query: str) -> bool:
    """True when the query has a ``SERVICE`` clause (a federated query).

    >>> uses_service("SELECT * WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }")
    True
    >>> uses_service('SELECT ?service WHERE { ?service ex:SERVICE "SERVICE" } # SERVICE')
    False
    """
    return bool(_SERVICE.search(strip_comments_and_literals(query)))


def opaque(text: str, i: int) -> tuple[str, int] | None:
    """``(kind, end)`` when a comment, string or IRI starts at ``text[i]``, else None.

    Short strings end at their closing quote or, as the grammar has no newline in them, at the end
    of the line, so an unclosed quote never hides the rest of the query.

    >>> opaque('"a\\\\"b" x', 0), opaque("<http://e/> x", 0), opaque("# c\\nx", 0), opaque("?x < 3", 3)
    (('string', 6), ('iri', 11), ('comment', 3), None)
    """
    c = text[i]
    if c == "#":
        j = text.find("\n", i)
        return "comment", len(text) if j < 0 else j
    if c in "\"'":
        if text.startswith(c * 3, i):
            j = text.find(c * 3, i + 3)
            return "string", len(text) if j < 0 else j + 3
        j = i + 1
        while j < len(text) and text[j] not in (c, "\n"):
            j += 2 if text[j] == "\\" else 1
        return "string", min(j + 1, len(text))
    if c == "<":
        m = IRI.match(text, i)
        if m:
            return "iri", m.end()
    return None


def spans(text: str) -> Iterator[tuple[str, int, int]]:
    """``(kind, start, end)`` of every comment, string and IRI, in order.

    >>> list(spans('SELECT * { ?s <p> "x" } # c'))
    [('iri', 14, 17), ('string', 18, 21), ('comment', 24, 27)]
    """
    i, n = 0, len(text)
    while i < n:
        found = opaque(text, i)
        if found:
            yield found[0], i, found[1]
            i = found[1]
        else:
            i += 1


def strip_comments_and_literals(text: str) -> str:
    """The query's text with comments removed and every string and IRI emptied (``""``,
    ``<>``), so keywords can be searched for without matching inside them.

    >>> strip_comments_and_literals('SELECT * { ?s ?p "SERVICE" } # SERVICE <x>')
    'SELECT * { ?s ?p "" } '
    """
    out, i = [], 0
    for kind, start, end in spans(text):
        out.append(text[i:start])
        out.append({"comment": "", "string": '""', "iri": "<>"}[kind])
        i = end
    out.append(text[i:])
    return "".join(out)


def without_comments(text: str) -> str:
    """The query's text with its comments removed (strings and IRIs kept)."""
    out, i = [], 0
    for kind, start, end in spans(text):
        if kind == "comment":
            out.append(text[i:start])
            i = end
    out.append(text[i:])
    return "".join(out)
