"""The one namespace table of kgraph.

Every prefix the ontology, data, queries, CLI output and importers use is declared here
once. Data files repeat their own prefix block (they must stand alone), but any prefix they
use must agree with this table; a test checks that.
"""

from __future__ import annotations

import functools

BASE = "https://w3id.org/cedkg/"
ID = BASE + "id/"

#: prefix -> namespace IRI, in the order prefixes are written out.
PREFIXES: dict[str, str] = {
    # kgraph's own
    "ced": BASE + "ontology#",
    "cedsh": BASE + "shapes#",
    "cedgraph": BASE + "graph/",
    "ceddata": BASE + "graph/data/",
    "cedvocab": BASE + "graph/vocab/",
    "cedmetric": BASE + "metrics#",
    "kg": ID,
    "cedorg": ID + "org/",
    "cedper": ID + "person/",
    "cedmem": ID + "membership/",
    "cedpart": ID + "partnership/",
    "cedevt": ID + "event/",
    "cedflow": ID + "flow/",
    "cedplc": ID + "place/",
    "cedsrc": ID + "source/",
    "cedstudy": ID + "study/",
    "cedstmt": ID + "statement/",
    "cedkind": ID + "flow-kind/",
    "cedstatus": ID + "flow-status/",
    "cedtheme": ID + "theme/",
    "cedpractice": ID + "practice/",
    "cedprio": ID + "priority/",
    "cedfactor": ID + "success-factor/",
    "cedrole": ID + "role/",
    "cedqual": ID + "qualifier/",
    "cedscheme": ID + "scheme/",
    "iatirole": ID + "iati/organisation-role/",
    "iatistatus": ID + "iati/activity-status/",
    "iatisector": ID + "iati/sector/",
    "iatirel": ID + "iati/related-activity-type/",
    "iatitx": ID + "iati/transaction-type/",
    "iatiaid": ID + "iati/aid-type/",
    "iatiflow": ID + "iati/flow-type/",
    "iatifinance": ID + "iati/finance-type/",
    "iatiact": ID + "iati/activity/",
    # reused vocabularies
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "essglobal": "http://purl.org/essglobal/vocab/",
    "esstheme": "http://purl.org/essglobal/standard/themes/",
    "essstruct": "http://purl.org/essglobal/standard/organisational-structure/",
    "essact": "http://purl.org/essglobal/standard/activities-modified/",
    "sdg": "http://metadata.un.org/sdg/",
    "sdgo": "http://metadata.un.org/sdg/ontology#",
    "sh": "http://www.w3.org/ns/shacl#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "vann": "http://purl.org/vocab/vann/",
}

CED = PREFIXES["ced"]
CEDSH = PREFIXES["cedsh"]
GRAPH = PREFIXES["cedgraph"]

#: kgraph's named graphs beyond one per source file (``cedgraph:ontology``, ``ceddata:<file>``,
#: ``cedvocab:<file>``): what kgraph itself adds, never mistaken for what a source said.
#: ``derived`` is materialised at every load (kgraph.derived: plain labels, inferred types,
#: rolled-up flow ends, effective dates, agents' countries and North/South groups);
#: ``inferred`` only with ``kgraph build --inference`` (kgraph.inference: RDFS/OWL-RL).
DERIVED_GRAPH = GRAPH + "derived"
INFERRED_GRAPH = GRAPH + "inferred"
RDF_TYPE = PREFIXES["rdf"] + "type"
XSD = PREFIXES["xsd"]
SKOS = PREFIXES["skos"]

# Longest namespace first, so that compact() picks the most specific prefix.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: len(kv[1]), reverse=True)


@functools.lru_cache(maxsize=1 << 18)
def compact(iri: str) -> str:
    """Return ``prefix:local`` for an IRI in a known namespace, else ``<iri>``.

    Cached: projections compact the same few node IRIs once per row (95k calls for 3k
    organisations), and the prefix scan is most of a metrics run without it.

    >>> compact("https://w3id.org/cedkg/id/org/renapess")
    'cedorg:renapess'
    >>> compact("http://example.org/x")
    '<http://example.org/x>'
    """
    for prefix, ns in _BY_LENGTH:
        if iri.startswith(ns) and _is_local_name(iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


def expand(curie: str) -> str | None:
    """Expand ``prefix:local`` to a full IRI, or return None if the prefix is unknown.

    >>> expand("cedorg:renapess")
    'https://w3id.org/cedkg/id/org/renapess'
    >>> expand("nope:x") is None
    True
    """
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in PREFIXES:
        return None
    return PREFIXES[prefix] + local


def iri_of(name: str) -> str:
    """The full IRI of a name as :func:`compact` writes it: ``prefix:local`` or ``<iri>``.

    >>> iri_of("cedorg:eso"), iri_of("<http://example.org/org/a>")
    ('https://w3id.org/cedkg/id/org/eso', 'http://example.org/org/a')
    """
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    return expand(name) or name


def sparql_prologue() -> str:
    """PREFIX declarations for every namespace in the table."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def _is_local_name(local: str) -> bool:
    """True for local names valid in both Turtle and SPARQL without escapes (conservative)."""
    if local == "":
        return True
    if local[0] in "-." or local.endswith("."):
        return False
    return all(c.isalnum() or c in "-_." for c in local)
