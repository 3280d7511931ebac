"""Docs stay true: docs/queries.md is generated from the query headers, and every example
in a query header runs."""

from __future__ import annotations

import re
import shlex

import pytest

from conftest import ROOT
from kgraph.queries import library
from kgraph.querydocs import markdown


def test_queries_doc_is_up_to_date():
    assert (ROOT / "docs" / "queries.md").read_text(encoding="utf-8") == markdown(), \
        "docs/queries.md is stale: run `kgraph queries --format markdown > docs/queries.md`"


def test_every_named_query_is_documented():
    doc = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    for name in library():
        assert f"### `{name}`" in doc


EXAMPLES = [(q.name, q.example) for q in library().values()]


@pytest.mark.parametrize("name,example", EXAMPLES, ids=[n for n, _ in EXAMPLES])
def test_query_example_runs(run, tmp_path, name, example):
    args = shlex.split(example)
    assert args[:3] == ["kgraph", "query", name]
    if "--out" in args:
        args[args.index("--out") + 1] = str(tmp_path / args[args.index("--out") + 1])
    r = run(*args[1:])
    assert r.exit_code == 0, r.stderr



def test_model_doc_is_up_to_date():
    from kgraph.modeldoc import markdown as model_markdown

    assert (ROOT / "docs" / "model.md").read_text(encoding="utf-8") == model_markdown(), \
        "docs/model.md is stale: run `python -m kgraph.modeldoc > docs/model.md`"


def test_model_doc_names_every_ced_term_and_the_example():
    from rdflib import Graph
    from rdflib.namespace import OWL, RDF

    from kgraph.namespaces import CED, compact

    doc = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    g = Graph().parse(ROOT / "ontology" / "ced.ttl")
    terms = {s for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
             for s in g.subjects(RDF.type, t) if str(s).startswith(CED)}
    assert len(terms) == 112  # 97 + 15 for IATI: regions, sector and recipient shares, flags, types, netting, placeholders
    assert [compact(str(t)) for t in sorted(terms) if f"| `{compact(str(t))}` |" not in doc] == []
    assert 'n0 -.->|ced:sourceOrganisation| n4' in doc and "```mermaid\nclassDiagram" in doc


# -- docs/python.md and the README's Python API name only what exists -------------------------

def missing_python_names(markdown_text: str) -> list[str]:
    """Names the text's code (```python blocks and `inline` spans, string literals dropped) uses as
    kgraph.X, kg.X or pairs.X (a Results and its rows) that the library does not have."""
    import importlib

    import kgraph

    code = " ".join(re.findall(r"```python\n(.*?)```", markdown_text, re.S) + re.findall(r"`([^`\n]+)`", markdown_text))
    code = re.sub(r"\"[^\"\n]*\"|'[^'\n]*'", '""', code)
    missing = []
    for dotted in sorted(set(re.findall(r"\bkgraph\.([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)", code))):
        obj = kgraph
        for part in dotted.split("."):
            if not hasattr(obj, part):
                try:
                    obj = importlib.import_module(f"{obj.__name__}.{part}")
                    continue
                except (ImportError, AttributeError):
                    missing.append(f"kgraph.{dotted}")
                    break
            obj = getattr(obj, part)
    kg = kgraph.open()
    pairs = kg.query("two-way-pairs")
    owners = {"kg": (kg,), "pairs": (pairs, pairs[0])}
    for owner, name in sorted(set(re.findall(r"\b(kg|pairs)(?:\[0\])?\.([A-Za-z_]\w*)", code))):
        if not any(hasattr(obj, name) for obj in owners[owner]):
            missing.append(f"{owner}.{name}")
    return missing


def python_docs() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Python API", 1)[1].split("\n## ", 1)[0]
    return (ROOT / "docs" / "python.md").read_text(encoding="utf-8") + section


def test_python_docs_name_only_what_exists():
    assert missing_python_names(python_docs()) == []


def test_a_name_that_does_not_exist_is_reported():
    text = "```python\nkg = kgraph.open()\nkg.sparql('x')\npairs.to_excel()\n```\nand `kgraph.Graph`, `kgraph.api.nothing`"
    assert missing_python_names(text) == ["kgraph.Graph", "kgraph.api.nothing", "kg.sparql", "pairs.to_excel"]
