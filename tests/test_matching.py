"""Name matching for imports: case-, accent- and punctuation-insensitive keys, stable slugs."""

from __future__ import annotations

import pytest

from kgraph.importers.matching import NameIndex, normalise, slugify


@pytest.mark.parametrize("name,key", [
    ("Économie solidaire de l'Ontario", "economie solidaire de l ontario"),
    ("ECONOMIE SOLIDAIRE DE L’ONTARIO", "economie solidaire de l ontario"),
    ("  RENAPESS   Mali ", "renapess mali"),
    ("Thiès", "thies"),
    ("Œuvre", "œuvre"),
    ("", ""),
])
def test_normalise(name, key):
    assert normalise(name) == key


@pytest.mark.parametrize("name,slug", [
    ("Kootenay Food Co-op Network", "kootenay-food-co-op-network"),
    ("Économie solidaire de l'Ontario", "economie-solidaire-de-l-ontario"),
    ("!!!", "n-9a7b006d20"),  # no letters: a hash of the name (sha1), stable across runs
    ("北京合作社", "n-e0c0eda806"),
    ("a" * 70, "a" * 60),
])
def test_slugify(name, slug):
    assert slugify(name) == slug


def test_index_matches_names_ids_and_iris_within_a_group(store):
    index = NameIndex.from_backend(store)
    eso = "https://w3id.org/cedkg/id/org/eso"
    assert index.lookup("economie SOLIDAIRE de l'ontario", "organisation") == {eso}
    assert index.lookup("cedorg:eso", "organisation") == {eso}
    assert index.lookup(eso, "organisation") == {eso}
    assert index.lookup("eso", "organisation") == {eso}
    assert index.lookup("eso", "place") == set()
    assert index.lookup("XM-DAC-301-2", "organisation") == {"https://w3id.org/cedkg/id/org/idrc"}
    assert index.lookup("ML", "place") == {"https://w3id.org/cedkg/id/place/mali"}
    assert index.suggest("Renapes", "organisation") == ["RENAPESS", "RENAPESS Mali"]


def test_names_in_other_scripts_are_kept():
    index = NameIndex()
    index.add("https://example.org/x", "organisation", ["北京合作社"])
    assert normalise("北京合作社") == "北京合作社"
    assert index.lookup("北京合作社", "organisation") == {"https://example.org/x"}
    assert slugify("北京合作社") == slugify("北京合作社") != slugify("上海合作社")
