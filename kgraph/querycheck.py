"""Checking a query before it runs: the mistakes SPARQL answers with silence or a riddle.

- A prefix neither the namespace table nor the query declares is an error, in one line:
  ``unknown prefix foo:; known: ced, cedsh, …`` (the parser's own message points at a column).
- A term in one of kgraph's vocabulary namespaces (``ced:``, ``cedkind:``, ``cedplc:`` …:
  those the ontology and vocabularies define terms in) that they do not define is a
  warning with the closest defined term: ``ced:sourse is not defined; did you mean
  ced:source?``. The query still runs; *strict* makes it an :class:`UndefinedTerm` error.
  On the embedded store, a term the loaded graph uses anywhere counts as defined (your own
  data may add concepts), and a resource in a data namespace (``cedorg:`` …) the graph does
  not hold is reported the same way (``cedorg:renapes is not in the graph; did you mean
  cedorg:renapess?``).

The query text is read with comments, strings and IRIs skipped, so nothing inside them counts.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from functools import cache

from kgraph.errors import QueryError
from kgraph.namespaces import BASE, PREFIXES, compact
from kgraph.sparqlscan import opaque, without_comments


class UndefinedTermWarning(UserWarning):
    """A query names a kgraph term the ontology, vocabularies (or loaded graph) do not define."""


class UndefinedTerm(QueryError):
    """A query names an undefined kgraph term and the check is strict."""


_PNAME = re.compile(r"((?:[A-Za-z\u00C0-\uFFFF][\w\u00B7\u00C0-\uFFFF.-]*)?):"
                    r"((?:[\w\u00B7\u00C0-\uFFFF:-]|\.(?=[\w\u00B7\u00C0-\uFFFF:%-])|%[0-9A-Fa-f]{2}|\\[^\s])*)")
_PREFIX_DECL = re.compile(r"\bPREFIX\s+((?:[A-Za-z\u00C0-\uFFFF][\w\u00B7\u00C0-\uFFFF.-]*)?):\s*<([^>]*)>", re.I)
_WORD = re.compile(r"[\w\u00B7\u00C0-\uFFFF.-]+|.")
_VAR = re.compile(r"[\w\u00B7\u00C0-\uFFFF]*")


def tokens(text: str) -> Iterator[tuple[str, str, str]]:
    """(kind, prefix or '', local or IRI) for every prefixed name and IRI outside comments and strings.

    >>> list(tokens('SELECT ?x { ?x ced:source "a:b" ; <http://e/p> 1 } # ced:target'))
    [('pname', 'ced', 'source'), ('iri', '', 'http://e/p')]
    """
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        found = opaque(text, i)
        if found:
            if found[0] == "iri":
                yield "iri", "", text[i + 1:found[1] - 1]
            i = found[1]
        elif c in "?$":
            i = _VAR.match(text, i + 1).end()
        elif (c == ":" or c.isalpha()) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_.-:")):
            m = _PNAME.match(text, i)
            if m:
                yield "pname", m.group(1), m.group(2)
                i = m.end()
            else:
                i = _WORD.match(text, i).end()
        else:
            i += 1


def declared_prefixes(text: str) -> dict[str, str]:
    """The PREFIX declarations of a query (outside comments and strings)."""
    return {m.group(1): m.group(2) for m in _PREFIX_DECL.finditer(without_comments(text))}


def check(text: str, *, strict: bool = False, known: Callable[[str], bool] | None = None,
          candidates: Callable[[str], list[str]] | None = None, query_name: str | None = None) -> list[str]:
    """Check a query's prefixes and kgraph terms; return the warning messages.

    *known(iri)* says whether the loaded graph uses a term (embedded store); *candidates(ns)*
    lists the graph's terms in a data namespace, for suggestions.

    :raises QueryError: for an unknown prefix.
    :raises UndefinedTerm: for an undefined term when *strict*.
    """
    prefixes = {**PREFIXES, **declared_prefixes(text)}
    found: list[str] = []
    seen: set[str] = set(prefixes.values())  # namespace IRIs (PREFIX declarations) are not terms
    for kind, prefix, rest in tokens(text):
        if kind == "pname":
            if prefix not in prefixes:
                raise QueryError(f"{_where(query_name)}unknown prefix {prefix}:; known: {', '.join(p for p in prefixes if p)}"
                                 + _prefix_hint(prefix, prefixes))
            iri = prefixes[prefix] + rest.replace("\\", "")
            shown = f"{prefix}:{rest}"
        else:
            iri, shown = rest, compact(rest)
        if iri in seen or not rest:
            continue
        seen.add(iri)
        message = _undefined(iri, shown, known, candidates)
        if message:
            found.append(message)
    if found and strict:
        raise UndefinedTerm(f"{_where(query_name)}{found[0]}" + (f" (and {len(found) - 1} more)" if len(found) > 1 else ""))
    return found


def _where(name: str | None) -> str:
    return "" if not name or name == "(inline)" else f"query {name!r}: "


def _prefix_hint(prefix: str, prefixes) -> str:
    close = difflib.get_close_matches(prefix, [p for p in prefixes if p], n=1, cutoff=0.6)
    return f" (did you mean {close[0]}:?)" if close else ""


def _undefined(iri: str, shown: str, known, candidates) -> str | None:
    ns = _namespace(iri)
    if ns is None:
        return None
    vocab = vocabulary()
    if ns in vocab:
        if iri in vocab[ns] or (known is not None and known(iri)):
            return None
        pool = sorted(vocab[ns] | set(candidates(ns) if candidates else ()))
        return f"{shown} is not defined{_suggest(iri, ns, pool)}"
    if known is None or known(iri):
        return None
    pool = candidates(ns) if candidates else []
    return f"{shown} is not in the graph{_suggest(iri, ns, pool)}"


def _namespace(iri: str) -> str | None:
    """The kgraph namespace (longest table entry) an IRI is in, or None for other IRIs."""
    best = None
    for ns in PREFIXES.values():
        if ns.startswith(BASE) and iri.startswith(ns) and len(iri) > len(ns) and (best is None or len(ns) > len(best)):
            best = ns
    if best is not None and best.startswith(BASE + "graph/"):
        return None  # graph names are checked by the store, not here
    return best


def _suggest(iri: str, ns: str, pool: list[str]) -> str:
    local = iri[len(ns):]
    locals_ = [p[len(ns):] for p in pool if p.startswith(ns)]
    close = difflib.get_close_matches(local, locals_, n=1, cutoff=0.6) or \
        difflib.get_close_matches(local.lower(), locals_, n=1, cutoff=0.6)
    return f"; did you mean {compact(ns + close[0])}?" if close else ""


@cache
def vocabulary() -> dict[str, frozenset[str]]:
    """Vocabulary namespace -> the terms the bundled ontology and vocabularies define in it.

    A vocabulary namespace is a kgraph namespace the ontology or a vocabulary file defines
    terms in (as subjects) and the bundled data files define none in.
    """
    import pyoxigraph as ox

    from kgraph import bundle

    def subjects(files) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for f in files:
            for t in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE):
                if isinstance(t.subject, ox.NamedNode):
                    ns = _namespace(t.subject.value)
                    if ns:
                        out.setdefault(ns, set()).add(t.subject.value)
        return out

    defined = subjects([bundle.ontology_file(), *sorted(bundle.vocab_dir().glob("*.ttl"))])
    data = subjects(sorted(bundle.data_dir().glob("*.ttl")))
    return {ns: frozenset(terms) for ns, terms in defined.items() if ns not in data}


def store_lookup(backend) -> tuple[Callable[[str], bool] | None, Callable[[str], list[str]] | None]:
    """(known, candidates) for the embedded store; (None, None) for an endpoint."""
    from kgraph.store import Store

    if not isinstance(backend, Store):
        return None, None
    import pyoxigraph as ox

    store = backend.oxigraph

    def known(iri: str) -> bool:
        node = ox.NamedNode(iri)
        return any(next(iter(store.quads_for_pattern(*pattern)), None) is not None
                   for pattern in ((node, None, None), (None, node, None), (None, None, node)))

    def candidates(ns: str) -> list[str]:
        return sorted({q.subject.value for q in store.quads_for_pattern(None, None, None)
                       if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(ns)})

    return known, candidates
