"""Bind query parameters with inline VALUES blocks: the one binding mechanism of kgraph.

Used for the embedded store and for remote endpoints alike (the SPARQL protocol has no other
way to bind), so both give the same answers. Values are RDF terms serialised by pyoxigraph in
N-Triples syntax (quotes and newlines escaped, IRIs checked), so a value can never change the
structure of the query.

SPARQL evaluates nested groups bottom-up: a FILTER inside a UNION branch, a nested group or a
subquery does not see bindings made outside it. So, like pre-binding, the values are placed
at the opening of the WHERE group and of every nested group pattern whose text mentions the
parameter. VALUES data blocks and the CONSTRUCT template are left alone.

One exception: an OPTIONAL group holding only triple patterns and FILTERs (no nested group,
no BIND) is not bound itself. Its FILTERs are the left join's condition, which sees the
bindings of the group around it (bound, since that group's text holds the OPTIONAL), and its
patterns join those bindings anyway, so the rows are the same; a VALUES block inside it makes
Oxigraph evaluate the OPTIONAL against every label before joining (queries/flows.rq before it
had its subquery, with status bound: 11 s instead of 0.3 s on the bundled data).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox

from kgraph.errors import QueryError
from kgraph.sparqlscan import opaque

_VARNAME = re.compile(r"[A-Za-z0-9_\u00B7\u00C0-\uFFFF]+")  # what is pasted as ?name: nothing else
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def with_values(query: str, bindings: Mapping[str, ox.NamedNode | ox.BlankNode | ox.Literal] | None) -> str:
    """Return *query* with ``VALUES (?a ?b) { (x y) }`` opening its group patterns.

    >>> with_values("SELECT ?x WHERE { ?x ?p ?o }", {"p": ox.NamedNode("http://e/p")})
    'SELECT ?x WHERE { VALUES (?p) { (<http://e/p>) }  ?x ?p ?o }'

    :raises QueryError: if the query has no WHERE group to bind into.
    """
    if not bindings:
        return query
    for name, term in bindings.items():
        if not _VARNAME.fullmatch(name):
            raise QueryError(f"parameter {name!r}: not a SPARQL variable name (letters, digits and _ only)")
        if isinstance(term, ox.BlankNode):
            raise QueryError(f"parameter {name!r}: a blank node cannot be bound")
    groups, where = _group_spans(query)
    inserts: list[tuple[int, str]] = []
    for start, end in groups:
        body = query[start:end]
        names = list(bindings) if start == where else [n for n in bindings if re.search(rf"[?$]{re.escape(n)}\b", body)]
        if names:
            vars_ = " ".join("?" + n for n in names)
            vals = " ".join(str(bindings[n]) for n in names)
            inserts.append((start, f" VALUES ({vars_}) {{ ({vals}) }} "))
    for at, block in sorted(inserts, reverse=True):
        query = query[:at] + block + query[at:]
    return query


def _group_spans(query: str) -> tuple[list[tuple[int, int]], int]:
    """(start, end) of every group pattern's body, and the start of the WHERE group.

    :raises QueryError: if there is no WHERE group.
    """
    stack: list[tuple[int, str]] = []  # (body start, kind: group, data, template or subquery)
    spans: list[tuple[int, int]] = []
    top_level: list[int] = []
    first_keyword = None
    values_pending = optional_pending = False
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        found = opaque(query, i)
        if found:
            i = found[1]
            continue
        if c in "?$":
            m = _WORD.match(query, i + 1)
            i = m.end() if m else i + 1
            continue
        if c == "{":
            if stack and stack[-1][1] == "optional":
                stack[-1] = (stack[-1][0], "group")  # a nested group: bound as any group
            if values_pending or (stack and stack[-1][1] == "data"):
                kind = "data"
                values_pending = False
            elif not stack and first_keyword == "CONSTRUCT" and not top_level:
                kind = "template"
            elif re.match(r"\s*SELECT\b", query[i + 1:], re.I):
                kind = "subquery"  # { SELECT ... }: its own WHERE group is bound instead
            elif optional_pending:
                kind = "optional"  # sees the enclosing group's bindings (see the module docstring)
            else:
                kind = "group"
            optional_pending = False
            if not stack:
                top_level.append(i + 1)
            stack.append((i + 1, kind))
        elif c == "}":
            if not stack:
                raise QueryError("unbalanced '}' in the query")
            start, kind = stack.pop()
            if kind == "group":
                spans.append((start, i))
        elif c.isalpha() or c == "_":
            m = _WORD.match(query, i)
            before = query[i - 1] if i else " "
            after = query[m.end():m.end() + 1]
            if before != ":" and after != ":":
                upper = m.group(0).upper()
                if not stack and first_keyword is None and upper in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"):
                    first_keyword = upper
                if upper == "VALUES":
                    values_pending = True
                optional_pending = upper == "OPTIONAL"
                if upper == "BIND" and stack and stack[-1][1] == "optional":
                    stack[-1] = (stack[-1][0], "group")  # BIND is evaluated inside the OPTIONAL
            i = m.end()
            continue
        i += 1
    where = next((s for s in top_level if any(s == a for a, _ in spans)), None)
    if where is None:
        raise QueryError("the query has no WHERE { ... } group to bind parameters into")
    return spans, where

