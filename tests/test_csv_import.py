"""`kgraph template` and `kgraph import csv`: spreadsheets in, validated Turtle out, all-or-nothing."""

from __future__ import annotations

import copy
import csv
import io
import shutil
from pathlib import Path

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from conftest import TESTS
from kgraph.importers import csv_import
from kgraph.importers.templates import TEMPLATES
from kgraph.errors import ImportRejected
from kgraph.importers.matching import NameIndex

FIXTURE = TESTS / "fixtures" / "csv" / "partnership"
CED = rdflib.Namespace("https://w3id.org/cedkg/ontology#")
ORG = rdflib.Namespace("https://w3id.org/cedkg/id/org/")
PLACE = rdflib.Namespace("https://w3id.org/cedkg/id/place/")
SCHEMA = rdflib.Namespace("https://schema.org/")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")


@pytest.fixture
def workdir(tmp_path) -> Path:
    """A writable copy of the fixture templates."""
    shutil.copytree(FIXTURE, tmp_path / "in")
    return tmp_path / "in"


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_template_writes_six_documented_templates(run, tmp_path):
    r = run("template", "--out", tmp_path / "t")
    assert r.exit_code == 0
    assert r.stderr == f"Wrote 6 templates to {tmp_path / 't'}.\n"
    assert sorted(p.name for p in (tmp_path / "t").iterdir()) == sorted(f"{n}.csv" for n in TEMPLATES)
    flows = lines_of(tmp_path / "t" / "flows.csv")
    assert flows[-1] == "id,from,to,kind,status,date,event,partnership,description,source,quote"
    assert "# * from: who passed something on: an organisation or person (name or id)" in flows
    again = run("template", "--out", tmp_path / "t")
    assert again.exit_code == 2
    assert again.stderr == f"kgraph: {tmp_path / 't' / 'sources.csv'} already exists; use --force to overwrite, " \
                           "or another --out folder\n"


def test_import_the_fixture_partnership(run, tmp_path, workdir):
    out = tmp_path / "data" / "mine.ttl"
    r = run("import", "csv", workdir, "--out", out)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines() == [
        "1 rows describe resources the graph already has (matched by name or id).",
        f"Wrote {out}: 1 sources, 3 organisations, 1 persons, 1 partnerships, 1 events, 4 flows.",
    ]
    assert (out.parent / "seeds" / "profile.txt").read_bytes() == (FIXTURE / "seeds" / "profile.txt").read_bytes()
    g = rdflib.Graph().parse(out)
    # "Economie Solidaire de l'Ontario" matched the bundled cedorg:eso despite accents and case:
    # the file adds evidence and a flow to it, but no second type or label.
    assert (ORG.eso, CED.evidence, None) in g
    assert list(g.objects(ORG.eso, SKOS.prefLabel)) == []
    kfcn = ORG["kootenay-food-co-op-network"]
    assert (kfcn, rdflib.RDF.type, CED.Network) in g
    assert (kfcn, SCHEMA.location, PLACE.nelson) in g  # a city the graph has
    assert (ORG.resopp, SCHEMA.location, PLACE.thies) in g  # a new city, in Senegal
    assert (PLACE.thies, SCHEMA.containedInPlace, PLACE.senegal) in g
    statuses = sorted(str(o).rsplit("/", 1)[1] for o in g.objects(None, CED.status))
    assert statuses == ["occurred", "occurred", "occurred", "planned"]

    assert run("validate", "--data", out).stderr == "No violations in 30 source files.\n"
    pairs = run("query", "two-way-pairs", "--data", out, "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(pairs)))
    kfcn_row = [r for r in rows if {rdflib.URIRef(r["a"]), rdflib.URIRef(r["b"])} == {ORG["kootenay-food-co-op-network"], ORG.resopp}]
    assert [(r["flowsAB"], r["flowsBA"]) for r in kfcn_row] == [("1", "1")]


def test_importing_twice_gives_the_same_file(run, tmp_path, workdir):
    assert run("import", "csv", workdir, "--out", tmp_path / "a.ttl").exit_code == 0
    assert run("import", "csv", workdir, "--out", tmp_path / "b.ttl").exit_code == 0
    assert (tmp_path / "a.ttl").read_bytes() == (tmp_path / "b.ttl").read_bytes()


def test_round_trip_export_import_gives_an_isomorphic_graph(run, tmp_path, workdir):
    first = tmp_path / "one" / "mine.ttl"
    assert run("import", "csv", workdir, "--out", first).exit_code == 0
    r = run("template", "--from", first, "--out", tmp_path / "back")
    assert r.stderr == f"Wrote 6 templates to {tmp_path / 'back'} with 11 rows.\n"
    second = tmp_path / "two" / "mine.ttl"
    assert run("import", "csv", tmp_path / "back", "--out", second).exit_code == 0
    a, b = rdflib.Graph().parse(first), rdflib.Graph().parse(second)
    assert len(a) == 123
    assert isomorphic(a, b)


def test_one_bad_row_among_100_writes_nothing_and_names_it(run, tmp_path, workdir):
    flows = workdir / "flows.csv"
    header = lines_of(flows)[0]
    good = "{n},RESOPP,KFCN,training,,2021-06,,kfcn-resopp,,kfcn-resopp-profile,RESOPP trained Kootenay members"
    rows = [good.format(n=f"flow-{i}") for i in range(100)]
    rows[56] = rows[56].replace("RESOPP,KFCN", "RESOPP,Kootenay Food Coop Netwrk")
    flows.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    out = tmp_path / "data" / "mine.ttl"
    r = run("import", "csv", workdir, "--out", out)
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        f"{flows}:58:to: no organisation or person named 'Kootenay Food Coop Netwrk' in these files or the graph; "
        "add it to organisations.csv or persons.csv or fix the name. Did you mean 'Kootenay Food Co-op Network'?",
        "kgraph: 1 problem found, nothing written",
    ]
    assert not (tmp_path / "data").exists()


def test_every_bad_row_is_reported_at_once(run, tmp_path, workdir):
    for name in ("flows.csv", "partnerships.csv"):
        (workdir / name).unlink()
    (workdir / "organisations.csv").write_text(
        "id,name,kind,colour,source,quote\n"
        "kfcn,Kootenay Food Co-op Network,network,red,kfcn-resopp-profile,The Kootenay Food Co-op Network\n"
        "resopp,RESOPP Sénégal,network,,kfcn-resopp-profile,\n"
        "kfcn,Another network,netwerk,,kfcn-resopp-profile,The Kootenay network\n", encoding="utf-8")
    (workdir / "events.csv").write_bytes(
        "id,name,type,date,source,quote\ntour,Study tour,tour,2021-13,kfcn-resopp-profile,In June 2021\n"
        .encode("utf-8"))
    (workdir / "persons.csv").write_bytes(b"id,name,source,quote\n,Jos\x81 Diop,kfcn-resopp-profile,Jos\x81\n")
    out = tmp_path / "mine.ttl"
    r = run("import", "csv", workdir, "--out", out)
    assert r.exit_code == 1
    orgs, events, persons = (workdir / f for f in ("organisations.csv", "events.csv", "persons.csv"))
    assert r.stderr.splitlines() == [
        f"{events}:2:date: '2021-13' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD",
        f"{orgs}:1:colour: unknown column 'colour' in organisations.csv; the columns are id, name, name_fr, "
        "other_names, kind, city, country, iati_id, part_of, website, description, email, phone, address, latitude, "
        "longitude, identifier, structure, activity, activities, source, quote",
        f"{orgs}:3:quote: quote is required",
        f"{orgs}:4:kind: 'netwerk' is not one of network, cooperative, ngo, government-department, "
        "municipal-association, research-organisation, programme, social-enterprise, organisation",
        f"{persons}:2: not UTF-8 text (byte 0x81); save the file as 'CSV UTF-8'",
        "kgraph: 5 problems found, nothing written",
    ]
    assert not out.exists()


def test_duplicate_ids_and_unknown_file_names(run, tmp_path, workdir):
    (workdir / "organisations.csv").write_text(
        "id,name,kind,source,quote\n"
        "kfcn,Kootenay Food Co-op Network,network,kfcn-resopp-profile,The Kootenay Food Co-op Network\n"
        "kfcn,Kootenay Network,network,kfcn-resopp-profile,The Kootenay network\n", encoding="utf-8")
    (workdir / "budget.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    r = run("import", "csv", workdir, "--out", tmp_path / "mine.ttl")
    assert r.exit_code == 1
    assert f"{workdir / 'organisations.csv'}:3:id: duplicate: row 2 already describes cedorg:kfcn; merge the rows " \
           "or give them different ids" in r.stderr.splitlines()
    assert f"{workdir / 'budget.csv'}: not a template name: call it sources.csv, organisations.csv, persons.csv, " \
           "partnerships.csv, events.csv, flows.csv" in r.stderr.splitlines()


def test_output_failing_validation_is_not_written(run, tmp_path, workdir):
    """A quote that is not in the source's local copy passes the row checks but fails the
    QuoteVerbatim check on the output: nothing is written, not even the copy in seeds/."""
    flows = workdir / "flows.csv"
    text = flows.read_text(encoding="utf-8").replace("The Kootenay network", "The Kootenay netwerk")
    flows.write_text(text, encoding="utf-8")
    out = tmp_path / "data" / "mine.ttl"
    r = run("import", "csv", workdir, "--out", out)
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0].startswith(f"{flows}:3: cedflow:kfcn-resopp-documents-tools / ced:evidence "
                                               "[QuoteVerbatim] quote is not a verbatim substring of")
    assert not (tmp_path / "data").exists()


# -- property: malformed rows never produce output and always name their row --------------

CORRUPTIONS = {
    "date": ["2021-02-30", "June 2021", "21-06", "2021/06"],
    "from": ["Nobody At All", "cedorg:no-such-org"],
    "kind": ["gossip", "knowledge transfer"],
    "status": ["done", "maybe"],
    "id": ["Bad Id", "éé", "-x"],
    "quote": ["", "ab"],
    "source": ["no-such-source"],
}


@pytest.fixture(scope="module")
def base_index(store) -> NameIndex:
    return NameIndex.from_backend(store)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(row=st.integers(min_value=0, max_value=3), column=st.sampled_from(sorted(CORRUPTIONS)), data=st.data())
def test_malformed_flow_rows_are_always_named(base_index, tmp_path_factory, row, column, data):
    folder = tmp_path_factory.mktemp("prop")
    shutil.copytree(FIXTURE, folder, dirs_exist_ok=True)
    path = folder / "flows.csv"
    records = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = records[0]
    bad = data.draw(st.sampled_from(CORRUPTIONS[column]))
    records[1 + row][header.index(column)] = bad
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(records)
    path.write_text(buf.getvalue(), encoding="utf-8")
    with pytest.raises(ImportRejected) as e:
        csv_import.read([folder], copy.deepcopy(base_index))
    assert any(str(p).startswith(f"{path}:{row + 2}:") for p in e.value.problems), e.value.problems
