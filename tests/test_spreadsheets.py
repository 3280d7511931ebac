"""Spreadsheets as people save them: delimiters, encodings, broken structure, countries, web
addresses, calendar dates and quotes from spreadsheet copies. None of them may end in a traceback."""

from __future__ import annotations

import copy
import csv
import io
import shutil
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from rdflib.compare import isomorphic
from hypothesis import strategies as st

from conftest import TESTS
from kgraph.errors import ImportRejected
from kgraph.importers import csv_import
from kgraph.importers.countries import iso_code
from kgraph.importers.matching import NameIndex

FIXTURE = TESTS / "fixtures" / "csv" / "partnership"
ORG = rdflib.Namespace("https://w3id.org/cedkg/id/org/")
PLACE = rdflib.Namespace("https://w3id.org/cedkg/id/place/")
SCHEMA = rdflib.Namespace("https://schema.org/")


@pytest.fixture(scope="module")
def base_index(store) -> NameIndex:
    return NameIndex.from_backend(store)


@pytest.fixture
def workdir(tmp_path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "in")
    return tmp_path / "in"


def records(path: Path) -> list[list[str]]:
    lines = [x for x in path.read_text(encoding="utf-8").splitlines(keepends=True) if not x.startswith("#")]
    return list(csv.reader(io.StringIO("".join(lines))))


def write(path: Path, rows, *, delimiter=",", encoding="utf-8") -> None:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    rows = records(path)
    rows[row][rows[0].index(column)] = value
    write(path, rows)


def test_semicolons_cp1252_and_utf16_import_as_the_comma_utf8_original(run, tmp_path, workdir):
    out = tmp_path / "a.ttl"
    assert run("import", "csv", workdir, "--out", out).exit_code == 0
    for name in ("organisations.csv", "flows.csv"):
        write(workdir / name, records(workdir / name), delimiter=";", encoding="cp1252" if name[0] == "o" else "utf-16")
    write(workdir / "events.csv", records(workdir / "events.csv"), delimiter="\t", encoding="utf-8-sig")
    again = tmp_path / "b" / "a.ttl"
    r = run("import", "csv", workdir, "--out", again)
    assert r.exit_code == 0, r.stderr
    assert r.stderr.splitlines()[0] == (f"{workdir / 'organisations.csv'}: not UTF-8 (byte 0xE9 on line 3): read as "
                                        "Windows-1252; save the file as 'CSV UTF-8' if any letter looks wrong")
    assert isomorphic(rdflib.Graph().parse(out), rdflib.Graph().parse(again))


@pytest.mark.parametrize(("header", "body", "expected"), [
    # a missing required column: the header is reported, its rows are not read (no KeyError)
    ("id,name,source,quote", ",Network X,kfcn-resopp-profile,The Kootenay network",
     ["{f}:1:kind: missing required column 'kind'; add it to the header"]),
    # a short row: the cells it lacks are empty, so the required ones are named
    ("id,name,kind,source,quote", ",Network X", ["{f}:2:kind: kind is required", "{f}:2:quote: quote is required",
                                                  "{f}:2:source: source is required"]),
    ("id,name,kind,source,quote", ',"Network X,network,kfcn-resopp-profile,The Kootenay network',
     ["{f}:2: a quoted cell is never closed: add the closing \" (or remove the opening one)"]),
    ("id,name,kind,source,quote", ',"Network" X,network,kfcn-resopp-profile,The Kootenay network',
     ["{f}:2: text after a closing quote: write a \" inside a quoted cell as \"\""]),
    ("id,name,kind,source,quote", ",Network X,network,kfcn-resopp-profile,The Kootenay network,extra",
     ["{f}:2: 6 cells but 5 columns; quote cells that contain the delimiter"]),
    ("id,name,name,kind,source,quote", ",X,Y,network,kfcn-resopp-profile,The Kootenay network",
     ["{f}:1:name: column 'name' appears twice in the header; keep one"]),
    ("id,name,kind,,source,quote", ",X,network,oops,kfcn-resopp-profile,The Kootenay network",
     ["{f}:2:#4: a value in column 4, which has no name in the header; name the column or empty the cell"]),
    ("id,name,kind,source,quote,website", ",X,network,kfcn-resopp-profile,The Kootenay network,javascript:alert(1)",
     ["{f}:2:website: 'javascript:alert(1)' is not a web address: only http:// and https:// addresses are kept"]),
    ("id,name,kind,source,quote,website", ",X,network,kfcn-resopp-profile,The Kootenay network,http://a.org http://b.org",
     ["{f}:2:website: 'http://a.org http://b.org' holds several addresses: keep one per cell"]),
    ("id,name,kind,source,quote,country", ",X,network,kfcn-resopp-profile,The Kootenay network,Atlantis",
     ["{f}:2:country: no country named 'Atlantis': write its name in English or French or its ISO 3166 code, "
      "such as TZ for Tanzania"]),
])
def test_broken_organisations_files_are_one_line_each(run, tmp_path, workdir, header, body, expected):
    path = workdir / "organisations.csv"
    path.write_text(header + "\n" + body + "\n", encoding="utf-8")
    for name in ("flows.csv", "partnerships.csv", "persons.csv", "events.csv"):
        (workdir / name).unlink()
    set_cell(workdir / "sources.csv", 1, "publisher", "")
    r = run("import", "csv", workdir, "--out", tmp_path / "x.ttl")
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [e.format(f=path) for e in expected] + \
        [f"kgraph: {len(expected)} problem{'s' if len(expected) > 1 else ''} found, nothing written"]
    assert not (tmp_path / "x.ttl").exists()


def test_an_impossible_calendar_date_is_named_by_file_row_and_column(run, tmp_path, workdir):
    set_cell(workdir / "flows.csv", 2, "date", "2007-02-30")
    r = run("import", "csv", workdir, "--out", tmp_path / "x.ttl")
    assert r.stderr.splitlines() == [
        f"{workdir / 'flows.csv'}:3:date: '2007-02-30' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD",
        "kgraph: 1 problem found, nothing written"]


@pytest.mark.parametrize(("name", "code"), [
    ("United Kingdom", "GB"), ("UK", "GB"), ("USA", "US"), ("Tanzania", "TZ"), ("Bolivia", "BO"), ("Vietnam", "VN"),
    ("Russia", "RU"), ("Syria", "SY"), ("South Korea", "KR"), ("Iran", "IR"), ("Venezuela", "VE"), ("DRC", "CD"),
    ("Cameroun", "CM"), ("Maroc", "MA"), ("Royaume-Uni", "GB"), ("États-Unis", "US"), ("Sénégal", "SN"),
    ("Allemagne", "DE"), ("GBR", "GB"), ("ml", "ML"), ("côte d'ivoire", "CI")])
def test_countries_by_english_and_french_names_and_short_forms(name, code):
    assert iso_code(name) == code


@pytest.mark.parametrize("name", ["Atlantis", "Korea", "Congo-ish", "", "X"])
def test_names_of_no_single_country_match_none(name):
    assert iso_code(name) is None


def test_countries_and_web_addresses_as_people_write_them(run, tmp_path, workdir):
    path = workdir / "organisations.csv"
    set_cell(path, 2, "country", "Sénégal")
    set_cell(path, 2, "website", "www.resopp-sn.org")
    out = tmp_path / "x.ttl"
    r = run("import", "csv", workdir, "--out", out)
    assert r.exit_code == 0, r.stderr
    g = rdflib.Graph().parse(out)
    assert (PLACE.thies, SCHEMA.containedInPlace, PLACE.senegal) in g
    assert list(g.objects(ORG.resopp, SCHEMA.url)) == [rdflib.URIRef("http://www.resopp-sn.org")]


def test_a_quote_with_double_quotes_matches_a_spreadsheet_copy(run, tmp_path, workdir):
    """The quote is compared with the copy's cells as a reader sees them ("" is one quote)."""
    (workdir / "seeds" / "survey.csv").write_text('org,answer\nKFCN,"We call it ""the network"" here"\n',
                                                  encoding="utf-8")
    rows = records(workdir / "sources.csv")
    rows.append(["survey", "Member survey", "", "2023", "", "survey.csv", "org,answer"])
    write(workdir / "sources.csv", rows)
    flows = records(workdir / "flows.csv")
    flows[1][flows[0].index("source")] = "survey"
    flows[1][flows[0].index("quote")] = 'We call it "the network" here'
    write(workdir / "flows.csv", flows)
    r = run("import", "csv", workdir, "--out", tmp_path / "x.ttl")
    assert r.exit_code == 0, r.stderr
    flows[1][flows[0].index("quote")] = 'We call it "the net" here'
    write(workdir / "flows.csv", flows)
    r = run("import", "csv", workdir, "--out", tmp_path / "y.ttl")
    assert r.exit_code == 1
    assert "quote is not a verbatim substring of" in r.stderr


# -- no input is a traceback ------------------------------------------------------------

_CELL = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["", "network", "RESOPP", "KFCN", "kfcn-resopp-profile", "2021-02-30", "www.x.org", "javascript:x", "UK", '"', ";"])
_ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1")


@st.composite
def spreadsheet(draw) -> tuple[str, bytes]:
    """A template file mangled in its structure: columns dropped, duplicated or added, rows short
    or long, cells random, any delimiter and quoting, any encoding, sometimes truncated."""
    name = draw(st.sampled_from(["organisations.csv", "flows.csv", "events.csv", "persons.csv"]))
    rows = records(FIXTURE / name)
    header = list(rows[0])
    if draw(st.booleans()):
        header.pop(draw(st.integers(0, len(header) - 1)))
    if draw(st.booleans()):
        header.insert(draw(st.integers(0, len(header))), draw(st.sampled_from(["", "colour", "name", header[0]])))
    body = [r[:] for r in rows[1:]]
    for r in body:
        if draw(st.booleans()):
            del r[draw(st.integers(0, len(r))):]
        if draw(st.booleans()):
            r.append(draw(_CELL))
        if r and draw(st.booleans()):
            r[draw(st.integers(0, len(r) - 1))] = draw(_CELL)
    buf = io.StringIO()
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONE]))
    writer = csv.writer(buf, delimiter=draw(st.sampled_from([",", ";", "\t", "|"])), quoting=quoting,
                        escapechar="\\" if quoting == csv.QUOTE_NONE else None, lineterminator=draw(
                            st.sampled_from(["\n", "\r\n", "\r"])))
    try:
        writer.writerows([header, *body])
    except csv.Error:  # an unquoted single empty field or an unescapable cell: write it quoted
        buf = io.StringIO()
        csv.writer(buf, quoting=csv.QUOTE_ALL).writerows([header, *body])
    data = buf.getvalue().encode(draw(st.sampled_from(_ENCODINGS)), errors="replace")
    if draw(st.booleans()):
        data = data[:draw(st.integers(0, len(data)))]
    if draw(st.integers(0, 9)) == 0:
        data += draw(st.binary(max_size=8))
    return name, data


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.lists(spreadsheet(), min_size=1, max_size=2))
def test_no_spreadsheet_is_a_traceback(base_index, tmp_path_factory, files):
    """Every input either imports into Turtle Oxigraph can parse or is refused with problems
    that each name the file (and a row wherever the problem is in one)."""
    folder = tmp_path_factory.mktemp("sheet")
    shutil.copytree(FIXTURE, folder, dirs_exist_ok=True)
    for name, data in files:
        (folder / name).write_bytes(data)
    try:
        imported = csv_import.read([folder], copy.deepcopy(base_index))
    except ImportRejected as e:
        assert e.problems
        assert all(p.path.startswith(str(folder)) for p in e.problems), e.problems
        return
    text = imported.graph.serialize(format="turtle")
    assert list(pyoxigraph.parse(text.encode(), format=pyoxigraph.RdfFormat.TURTLE))


def test_the_import_temporary_is_a_kgraph_temporary_and_is_removed(run, tmp_path, workdir, monkeypatch):
    """While the import is validated, its output exists only as ``.kgraph-tmp-<pid>-<hex>.ttl``
    beside the target (a name every loader skips and the next run cleans after a kill)."""
    from kgraph import fsutil
    from kgraph.importers import common

    seen = []
    real = common._violations

    def spy(tmp, *args):
        seen.append(sorted(p.name for p in tmp.parent.iterdir() if p.name.startswith(".")))
        return real(tmp, *args)

    monkeypatch.setattr(common, "_violations", spy)
    out = tmp_path / "data" / "mine.ttl"
    assert run("import", "csv", workdir, "--out", out).exit_code == 0
    assert len(seen) == 1 and len(seen[0]) == 1 and fsutil.is_temp(seen[0][0]) and seen[0][0].endswith(".ttl")
    assert sorted(p.name for p in out.parent.iterdir()) == ["mine.ttl", "seeds"]


def test_template_from_copies_a_local_copy_only_from_inside_seeds(run, tmp_path, workdir):
    out = tmp_path / "data" / "mine.ttl"
    assert run("import", "csv", workdir, "--out", out).exit_code == 0
    (tmp_path / "secret.txt").write_text("not for templates", encoding="utf-8")
    text = out.read_text(encoding="utf-8").replace('ced:localCopy "profile.txt"', 'ced:localCopy "../../secret.txt"')
    out.write_text(text, encoding="utf-8")
    r = run("template", "--from", out, "--out", tmp_path / "back")
    assert r.exit_code == 1
    assert r.stderr == (f"kgraph: ced:localCopy '../../secret.txt' must be a file name inside {out.parent / 'seeds'}; "
                        "give the bare name of a file kept in seeds/\n")
    assert not (tmp_path / "back" / "seeds").exists()


def test_formula_cells_are_neutralised_by_template_and_restored_by_import(run, tmp_path, workdir):
    set_flows = workdir / "flows.csv"
    text = set_flows.read_text(encoding="utf-8").replace("Seed saving and storage techniques", "=HYPERLINK(1)")
    set_flows.write_text(text, encoding="utf-8")
    first = tmp_path / "one" / "mine.ttl"
    assert run("import", "csv", workdir, "--out", first).exit_code == 0
    assert run("template", "--from", first, "--out", tmp_path / "back").exit_code == 0
    assert ",'=HYPERLINK(1)," in (tmp_path / "back" / "flows.csv").read_text(encoding="utf-8")
    second = tmp_path / "two" / "mine.ttl"
    assert run("import", "csv", tmp_path / "back", "--out", second).exit_code == 0
    assert isomorphic(rdflib.Graph().parse(first), rdflib.Graph().parse(second))
