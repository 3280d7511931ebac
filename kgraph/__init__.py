"""kgraph: a knowledge graph of international community economic development partnerships.

The library loads the bundled ontology, vocabularies and curated data (plus any data files
you add) into an embedded Oxigraph store, answers SPARQL, validates with SHACL, projects the
graph to networkx for metrics and draws it with pyvis. The ``kgraph`` command is a thin layer
over these functions.

From Python (see docs/python.md)::

    import kgraph
    kg = kgraph.open()                      # the bundled data; data=, store=, endpoint=
    kg.query("two-way-pairs").to_pandas()   # a named query, or SPARQL text, with **params
    kg.metrics(level="pair")                # a pandas DataFrame
    kg.viz(view="flows")                    # inline in Jupyter; .save("graph.html")

``import kgraph`` stays light: the store, rdflib, networkx and pandas load on first use.
"""

__version__ = "0.1.0"

from kgraph.errors import (  # noqa: E402  (the version must be readable without imports)
    EndpointError,
    ImportRejected,
    KgraphError,
    ParameterError,
    MissingExtra,
    NotAvailable,
    ParseError,
    QueryError,
)

# Loaded on first use (PEP 562), so `import kgraph` and `kgraph --help` stay fast.
_LAZY = {"open": "kgraph.api", "KnowledgeGraph": "kgraph.api", "VizPage": "kgraph.api",
         "Results": "kgraph.rows", "Row": "kgraph.rows", "IRI": "kgraph.rows", "LangString": "kgraph.rows",
         "UndefinedTerm": "kgraph.querycheck", "UndefinedTermWarning": "kgraph.querycheck"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kgraph' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))

__all__ = [
    "__version__",
    "open",
    "KnowledgeGraph",
    "Results",
    "Row",
    "IRI",
    "LangString",
    "VizPage",
    "EndpointError",
    "ImportRejected",
    "KgraphError",
    "MissingExtra",
    "NotAvailable",
    "ParameterError",
    "ParseError",
    "QueryError",
    "UndefinedTerm",
    "UndefinedTermWarning",
]
