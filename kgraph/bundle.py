"""Where the bundled ontology, vocabularies, data, seed copies and queries live.

In a wheel they sit inside the package (``kgraph/_bundled/``, see pyproject.toml); in a
source checkout they are the top-level folders of the repository. Either way callers ask
this module and never build paths themselves.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def root() -> Path:
    """The folder holding ``ontology/``, ``data/`` and ``queries/``."""
    installed = _PACKAGE / "_bundled"
    if (installed / "ontology").is_dir():
        return installed
    return _PACKAGE.parent


def ontology_dir() -> Path:
    return root() / "ontology"


def vocab_dir() -> Path:
    return root() / "ontology" / "vocab"


def data_dir() -> Path:
    return root() / "data"


def seeds_dir() -> Path:
    """Verbatim copies of the source documents that quotes are checked against."""
    return root() / "data" / "seeds"


def queries_dir() -> Path:
    return root() / "queries"


def checks_dir() -> Path:
    return root() / "queries" / "checks"


def ontology_file() -> Path:
    return ontology_dir() / "ced.ttl"


def shapes_file() -> Path:
    return ontology_dir() / "shapes.ttl"
