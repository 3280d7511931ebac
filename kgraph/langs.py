"""Language tags for ``--lang``: any well-formed BCP 47 tag, matched to the languages the
graph has labels in by RFC 4647 lookup (``es-MX`` falls back to ``es``; a language the graph
does not have falls back, in every query, to English and then French).

>>> lookup("es-MX", {"en", "fr", "es"}), lookup("pt-br", {"pt-br", "pt"}), lookup("de", {"en"})
('es', 'pt-br', 'de')
>>> well_formed("zh-Hant-TW"), well_formed("en_US"), well_formed("x")
(True, False, False)
"""

from __future__ import annotations

import re
from collections.abc import Collection

#: RFC 5646 language tags, loosely: a 2-3 letter language (or 4-8 letters), then subtags of
#: 1-8 letters or digits (script, region, variants, extensions, private use).
_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*|[A-Za-z]{4,8}(-[A-Za-z0-9]{1,8})*|[xX](-[A-Za-z0-9]{1,8})+")


def well_formed(tag: str) -> bool:
    """True for a well-formed BCP 47 language tag (``en``, ``fr-CA``, ``zh-Hant-TW``)."""
    return bool(_TAG.fullmatch(tag or ""))


def lookup(requested: str, available: Collection[str]) -> str:
    """The tag of *available* that RFC 4647 lookup finds for *requested* (lower-case): the tag
    itself, else each shorter prefix in turn; *requested* itself when none is available."""
    tag = requested.lower()
    have = {a.lower() for a in available}
    while tag:
        if tag in have:
            return tag
        tag = tag.rpartition("-")[0]
        if len(tag) > 1 and tag[-2] == "-":  # never end on a single-letter subtag (RFC 4647 3.4)
            tag = tag[:-2]
    return requested.lower()


def resolve(backend, requested: str) -> str:
    """*requested* matched to the label languages of the graph behind *backend*."""
    if requested.lower() in ("en", "fr"):
        return requested.lower()
    from kgraph import queries
    from kgraph.results import collect

    q = queries.find("label-languages")
    result = collect(backend.query(q.text, bindings=queries.bind(q, {})))
    return lookup(requested, {str(row[0]) for row in result.values()})
