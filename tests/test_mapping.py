"""`kgraph import csv --mapping`: other people's CSV schemas through a TOML mapping, with the
SEA standard mapping shipped in docs/mappings/ tried on a fixture in that schema."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from conftest import ROOT, TESTS
from kgraph.errors import ImportRejected
from kgraph.importers.mapping import parse_mapping

SEA_MAP = ROOT / "docs" / "mappings" / "sea-standard.toml"
SEA_CSV = TESTS / "fixtures" / "csv" / "sea" / "coops.csv"
CED = rdflib.Namespace("https://w3id.org/cedkg/ontology#")
ORG = rdflib.Namespace("https://w3id.org/cedkg/id/org/")
SRC = rdflib.Namespace("https://w3id.org/cedkg/id/source/")
PLACE = rdflib.Namespace("https://w3id.org/cedkg/id/place/")
SCHEMA = rdflib.Namespace("https://schema.org/")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
GEO = rdflib.Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
ESS = rdflib.Namespace("http://purl.org/essglobal/vocab/")
STRUCT = rdflib.Namespace("http://purl.org/essglobal/standard/organisational-structure/")
ACT = rdflib.Namespace("http://purl.org/essglobal/standard/activities-modified/")
UK = PLACE["united-kingdom-of-great-britain-and-northern-ireland"]


@pytest.fixture
def sea(tmp_path) -> Path:
    """A writable copy of the SEA-standard fixture."""
    shutil.copy(SEA_CSV, tmp_path / "coops.csv")
    return tmp_path / "coops.csv"


def test_sea_standard_csv_imports_through_the_shipped_mapping(run, tmp_path, sea):
    out = tmp_path / "data" / "coops.ttl"
    r = run("import", "csv", sea, "--mapping", SEA_MAP, "--out", out)
    assert r.exit_code == 0, r.stderr
    assert r.stderr == f"Wrote {out}: 1 sources, 6 organisations.\n"
    assert (out.parent / "seeds" / "coops.csv").read_bytes() == SEA_CSV.read_bytes()  # quotes checked against it
    g = rdflib.Graph().parse(out)
    unicorn = ORG["unicorn-grocery"]
    evidence = g.value(unicorn, CED.evidence)
    assert set(g.triples((unicorn, None, None))) == {(unicorn, p, o) for p, o in [
        (RDF.type, CED.Cooperative),
        (SKOS.prefLabel, Literal("Unicorn Grocery", lang="en")),
        (DCTERMS.description, Literal("Workers' co-operative grocery, selling wholefoods", lang="en")),
        (DCTERMS.identifier, Literal("R000001")),
        (ESS.organisationalStructure, STRUCT.OS60),
        (ESS.primarySector, ACT.AM60),
        (ESS.additionalSectors, ACT.AM60), (ESS.additionalSectors, ACT.AM130),
        (SCHEMA.address, Literal("89 Albany Road, Manchester, Greater Manchester, M21 0BN")),
        (SCHEMA.location, UK),
        (SCHEMA.url, URIRef("http://www.unicorn-grocery.coop")),
        (SCHEMA.telephone, Literal("0161 861 0010")),
        (SCHEMA.email, Literal("office@unicorn-grocery.coop")),
        (GEO.lat, Literal("53.4416", datatype=XSD.decimal)),
        (GEO.long, Literal("-2.2739", datatype=XSD.decimal)),
        (CED.evidence, evidence)]}
    assert g.value(evidence, CED.quote) == Literal("Unicorn Grocery")
    assert g.value(evidence, rdflib.URIRef("http://www.w3.org/ns/prov#hadPrimarySource")) == SRC["sea-open-data"]
    # Companies House number -> IATI-form identifier; coordinates from the Geo Container when
    # the initiative has none; a value map turns structures into kinds (default organisation).
    assert g.value(ORG["suma-wholefoods"], CED.iatiIdentifier) == Literal("GB-COH-01683270")
    routes = ORG["radical-routes"]
    assert (g.value(routes, GEO.lat), g.value(routes, GEO.long)) == (Literal(Decimal("53.8142")),
                                                                     Literal(Decimal("-1.5349")))
    assert g.value(ORG["brixton-energy"], RDF.type) == rdflib.URIRef("http://www.w3.org/ns/org#Organization")
    assert g.value(ORG["brixton-energy"], ESS.organisationalStructure) == STRUCT.OS130
    kawa = ORG["cooperative-kawa-moka"]
    assert g.value(kawa, SCHEMA.location) == PLACE["congo-the-democratic-republic-of-the"]  # "DRC"
    assert sorted(g.objects(None, ESS.organisationalStructure)) == sorted(
        [STRUCT.OS60, STRUCT.OS60, STRUCT.OS110, STRUCT.OS130, STRUCT.OS90, STRUCT.OS80])
    assert run("validate", "--data", out).exit_code == 0


def test_the_sea_import_round_trips_through_the_templates(run, tmp_path, sea):
    first = tmp_path / "one" / "coops.ttl"
    assert run("import", "csv", sea, "--mapping", SEA_MAP, "--out", first).exit_code == 0
    assert run("template", "--from", first, "--out", tmp_path / "back").exit_code == 0
    second = tmp_path / "two" / "coops.ttl"
    r = run("import", "csv", tmp_path / "back", "--out", second)
    assert r.exit_code == 0, r.stderr
    a, b = rdflib.Graph().parse(first), rdflib.Graph().parse(second)
    assert len(a) == 106
    assert rdflib.compare.isomorphic(a, b)


def test_bad_cells_name_the_users_own_columns(run, tmp_path, sea):
    text = sea.read_text(encoding="utf-8")
    text = text.replace("Workers co-operative,Food", "Worker coop,Food").replace("53.6852", "153.6852")
    text = text.replace("hello@brixtonenergy.co.uk", "hello at brixton")
    sea.write_text(text, encoding="utf-8")
    r = run("import", "csv", sea, "--mapping", SEA_MAP, "--out", tmp_path / "out.ttl")
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        f"{sea}:2:Organisational Structure: 'Worker coop' is not in the scheme essstruct:; use one of its labels or "
        "codes (`kgraph query concepts --param scheme=essstruct:`). Did you mean 'Workers co-operative' or "
        "'Consumer/User coop'?",
        f"{sea}:3:Latitude or Geo Container Latitude: '153.6852' is not a latitude in decimal degrees between -90 and 90, such as 51.5074",
        f"{sea}:5:Email: 'hello at brixton' is not an e-mail address (one name@domain per cell)",
        "kgraph: 3 problems found, nothing written",
    ]
    assert not (tmp_path / "out.ttl").exists()


def write_map(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "map.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, message", [
    ('[fields]\nname = "Name"\nnme = "Name"\n',
     "map.toml:fields.nme: organisations.csv has no field 'nme'; its fields are id, name, name_fr, other_names, "
     "kind, city, country, iati_id, part_of, website, description, email, phone, address, latitude, longitude, "
     "identifier, structure, activity, activities, source, quote"),
    ('[fields]\nname = "Name"\n', "map.toml:fields: no rule for the required field 'kind' of organisations.csv"),
    ('[fields\nname = "Name"\n', "map.toml: not valid TOML: Expected ']' at the end of a table declaration "
                                 "(at line 1, column 8)"),
    ('template = "people"\n[fields]\n', "map.toml:template: 'people' is not a template a mapping can fill; use one "
                                        "of organisations, persons, partnerships, events, flows"),
    ('[fields]\nname = 3\n', "map.toml:fields.name: give the column's name (\"Name\") or a table such as "
                             "{ column = \"Name\" }"),
    ('[fields]\nname = { column = "Name", value = "x" }\n',
     "map.toml:fields.name: give either column (or columns) or a constant value, not both or neither"),
    ('[fields]\nname = { colum = "Name" }\n', "map.toml:fields.name.colum: unknown key 'colum'; the keys of a field "
                                              "are column, columns, default, first, join, prefix, separator, value, values"),
    ('[source]\nid = "s"\n[fields]\nname = "Name"\n', "map.toml:source.title: [source] needs title = \"...\""),
])
def test_a_bad_mapping_is_one_line_naming_the_key(run, tmp_path, sea, text, message):
    r = run("import", "csv", sea, "--mapping", write_map(tmp_path, text), "--out", tmp_path / "out.ttl")
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [message.replace("map.toml", str(tmp_path / "map.toml")),
                                     "kgraph: 1 problem found, nothing written"]


def test_a_mapped_column_missing_from_the_file_names_the_key(run, tmp_path, sea):
    mapping = SEA_MAP.read_text(encoding="utf-8").replace('name = "Name"', 'name = "Nom"')
    r = run("import", "csv", sea, "--mapping", write_map(tmp_path, mapping), "--out", tmp_path / "out.ttl")
    assert r.exit_code == 1
    first = r.stderr.splitlines()[0]
    assert first == (f"{tmp_path / 'map.toml'}:fields.name: column 'Nom' is not in {sea}'s header (Identifier, Name, "
                     "Description, Organisational Structure, Primary Activity, Activities, Street Address, Locality, "
                     "Region, Postcode, Country Name, Website, Phone, Email, Twitter, Facebook, Companies House Number, "
                     "Latitude, Longitude, Geo Container, Geo Container Latitude, Geo Container Longitude)")


def test_unmapped_columns_are_named_in_a_note(run, tmp_path, sea):
    mapping = SEA_MAP.read_text(encoding="utf-8").replace('ignore = ["Twitter", "Facebook", "Geo Container"]',
                                                          'ignore = ["Facebook"]')
    out = tmp_path / "out.ttl"
    r = run("import", "csv", sea, "--mapping", write_map(tmp_path, mapping), "--out", out)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines()[0] == (f"{sea}: columns not mapped, left out: Twitter, Geo Container (list them "
                                        f"under ignore in {tmp_path / 'map.toml'} to silence this)")


_keys = st.sampled_from(["name", "kind", "nme", "source", "quote", "latitude", "column", "values", ""])
_values = st.recursive(
    st.one_of(st.text(max_size=8), st.integers(), st.booleans(), st.none()),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_keys, inner, max_size=4)), max_leaves=8)


def _toml(value) -> str:
    import json

    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items() if v is not None) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value if v is not None) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value) if value is not None else '""'


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=st.dictionaries(_keys, _values, max_size=5), template=st.sampled_from(["organisations", "flows", "x"]),
       raw=st.text(max_size=30))
def test_no_mapping_mistake_is_a_traceback(fields, template, raw):
    """Whatever a mapping holds, parsing it either works or raises one ImportRejected line."""
    body = "\n".join(f"{_toml(k)} = {_toml(v)}" for k, v in fields.items() if v is not None)
    for text in (f'template = "{template}"\n[fields]\n{body}\n', raw):
        try:
            parse_mapping(text, "m.toml")
        except ImportRejected as e:
            assert len(e.problems) == 1 and str(e.problems[0]).startswith("m.toml")
            assert "\n" not in str(e.problems[0]).rstrip("\n")
