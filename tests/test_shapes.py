"""SHACL shapes: the bundled data conforms; every shape has a valid fixture that passes and
invalid fixtures that must fail with that shape's ID (tests/shapes/<ID>-valid.ttl,
<ID>-invalid-NN.ttl, first line saying why)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from conftest import ROOT, TESTS, fixture_expectation
from kgraph.namespaces import CEDSH
from kgraph.sources import Source, bundled_sources
from kgraph.store import Store
from kgraph.validate import validate

SHAPES_DIR = TESTS / "shapes"


def shape_ids() -> list[str]:
    g = Graph().parse(ROOT / "ontology" / "shapes.ttl")
    ids = set()
    for kind in (SH.NodeShape, SH.PropertyShape):
        for s in g.subjects(RDF.type, kind):
            targeted = any(g.value(s, p) is not None for p in
                           (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode))
            if isinstance(s, URIRef) and str(s).startswith(CEDSH) and targeted:
                ids.add(str(s)[len(CEDSH):])
    return sorted(ids)


def violations_of(path: Path):
    src = Source(path, "data")
    store = Store.in_memory(bundled_sources() + [src])
    return validate(store, only=[src])


def test_bundled_data_has_no_violations(store):
    assert validate(store) == []


def test_there_are_shapes_to_test():
    assert len(shape_ids()) >= 25


@pytest.mark.parametrize("shape", shape_ids())
def test_each_shape_has_fixtures(shape):
    assert (SHAPES_DIR / f"{shape}-valid.ttl").is_file()
    assert sorted(SHAPES_DIR.glob(f"{shape}-invalid-*.ttl")), f"no invalid fixture for {shape}"


FIXTURES = sorted(SHAPES_DIR.glob("*.ttl"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixture_meets_its_expectation(path):
    verdict, also = fixture_expectation(path)
    found = violations_of(path)
    shape = path.stem.split("-valid")[0].split("-invalid")[0]
    if verdict == "valid":
        assert [str(v) for v in found] == []
    else:
        assert verdict == "invalid", f"{path.name}: first line must say '# valid:' or '# invalid:'"
        ids = {v.check for v in found}
        assert shape in ids, f"{path.name} should violate {shape}; got {sorted(ids)}"
        assert ids <= {shape} | also, f"{path.name} also violates {sorted(ids - {shape} - also)}"
        assert all(any(f.endswith(path.name) for f in v.files) for v in found if v.check == shape)


# pyshacl-turbo reads the Oxigraph store itself (no rdflib copy): on these fixtures (blank
# nodes, nested sh:node results, sh:class through the ontology's graph, a valid one) it must
# print what pySHACL prints on an rdflib copy. bench/validate_bench.py --fixtures compares all 126.
ENGINE_FIXTURES = ("Membership-invalid-06", "FlowSource-invalid-01", "CityIn-invalid-01", "FlowSource-valid")


@pytest.mark.parametrize("name", ENGINE_FIXTURES)
def test_store_read_natively_prints_what_pyshacl_prints(name):
    import pyshacl

    from kgraph.validate import _NodeIndex, shacl_violations

    store = Store.in_memory(bundled_sources() + [Source(SHAPES_DIR / f"{name}.ttl", "data")])
    index = _NodeIndex(store)
    ours = sorted(map(str, shacl_violations(store, index)))
    reference = sorted(map(str, shacl_violations(store, index, engine=pyshacl)))
    assert ours == reference
    assert ("valid" in name.split("-")) == (ours == [])


def test_a_file_without_blank_nodes_is_checked_on_its_own_nodes_only():
    from kgraph.validate import _focus_of, _NodeIndex, shacl_violations

    src = Source(SHAPES_DIR / "CityIn-invalid-01.ttl", "data")
    store = Store.in_memory(bundled_sources() + [src])
    focus = _focus_of(store, [src])
    assert [n.value for n in focus] == ["http://example.org/test/cityin-invalid-01-place"]
    index = _NodeIndex(store)
    assert [v.check for v in shacl_violations(store, index, focus=focus)] == ["CityIn"]
    # the focus really restricts: with another node in focus, the city's violation is not looked for
    import pyoxigraph as ox

    assert shacl_violations(store, index, focus=[ox.NamedNode("https://w3id.org/cedkg/id/org/renapess")]) == []
    assert [str(v) for v in validate(store, only=[src])] == \
        [str(v) for v in validate(store) if any(f.endswith(src.path.name) for f in v.files)]


def test_a_file_with_blank_nodes_is_checked_whole():
    from kgraph.validate import _focus_of

    src = Source(SHAPES_DIR / "FlowSource-invalid-01.ttl", "data")
    store = Store.in_memory(bundled_sources() + [src])
    assert _focus_of(store, [src]) is None
