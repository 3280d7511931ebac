"""kgraph: a knowledge graph of international community economic development partnerships.

The library loads the bundled ontology, vocabularies and curated data (plus any data files
you add) into an embedded Oxigraph store, answers SPARQL, validates with SHACL, projects the
graph to networkx for metrics and draws it with pyvis. The ``kgraph`` command is a thin layer
over these functions.
"""

__version__ = "0.1.0"

from kgraph.errors import (  # noqa: E402  (the version must be readable without imports)
    EndpointError,
    ImportRejected,
    KgraphError,
    ParameterError,
    ParseError,
    QueryError,
)

__all__ = [
    "__version__",
    "EndpointError",
    "ImportRejected",
    "KgraphError",
    "ParameterError",
    "ParseError",
    "QueryError",
]
