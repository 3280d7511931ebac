"""Looking at SPARQL text without running it: what a query uses, with comments, strings and
IRIs taken out first so that words inside them never count.

Used to refuse ``SERVICE`` (a federated query makes kgraph fetch from any URL the query names)
before a query reaches a store, embedded or served.
"""

from __future__ import annotations

import re

_SERVICE = re.compile(r"(?<![\w:?$.-])SERVICE(?![\w:.-])", re.I)


def uses_service(query: str) -> bool:
    """True when the query has a ``SERVICE`` clause (a federated query).

    >>> uses_service("SELECT * WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }")
    True
    >>> uses_service('SELECT ?service WHERE { ?service ex:SERVICE "SERVICE" } # SERVICE')
    False
    """
    return bool(_SERVICE.search(strip_comments_and_literals(query)))


def strip_comments_and_literals(text: str) -> str:
    """The query's text with comments removed and every string and IRI emptied (``""``,
    ``<>``), so keywords can be searched for without matching inside them.

    >>> strip_comments_and_literals('SELECT * { ?s ?p "SERVICE" } # SERVICE <x>')
    'SELECT * { ?s ?p "" } '
    """
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif c in "\"'":
            q3 = text[i:i + 3]
            if q3 in ('"""', "'''"):
                j = text.find(q3, i + 3)
                i = n if j < 0 else j + 3
            else:
                j = i + 1
                while j < n and text[j] != c:
                    j += 2 if text[j] == "\\" else 1
                i = j + 1
            out.append('""')
        elif c == "<" and re.match(r"<[^\s<>\"{}|\\^`]*>", text[i:]):
            j = text.find(">", i)
            out.append("<>")
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)
